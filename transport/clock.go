package transport

import "github.com/spotifysdk/spotify-go/clock"

// Clock is the injectable time source of the clock-dependent stages (retry,
// rate limit, token expiry): an alias of [clock.Clock], kept here so that a
// stage's options read as transport types. Nil in an options struct means
// the wall clock ([clock.Real]); tests inject a [clock.Fake].
type Clock = clock.Clock

// Timer is a one-shot timer made by a [Clock]; an alias of [clock.Timer].
type Timer = clock.Timer
