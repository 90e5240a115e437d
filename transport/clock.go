package transport

import "github.com/spotifysdk/spotify-go/internal/clock"

// Clock is the injectable time source of the clock-dependent stages (retry,
// rate limit, token expiry). Nil in an options struct means the wall clock.
type Clock = clock.Clock

// Timer is a one-shot timer made by a [Clock].
type Timer = clock.Timer
