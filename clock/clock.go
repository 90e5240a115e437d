// Package clock is the injectable time source of every clock-dependent
// stage and of the token sources: retries, the rate budget, cool-downs,
// attempt timeouts, token expiry.
//
// It is a leaf: it imports nothing of this module, so every package may use
// it. Production code uses [Real] (nil in an options struct means Real);
// tests use [Fake], which moves only when told, so that Retry-After values
// of hours, token expiries and cool-downs run in microseconds. The
// [transport.Clock] and [transport.Timer] names are aliases of [Clock] and
// [Timer]; auth.Clock asks only for Now.
//
// [transport.Clock]: https://pkg.go.dev/github.com/spotifysdk/spotify-go/transport#Clock
// [transport.Timer]: https://pkg.go.dev/github.com/spotifysdk/spotify-go/transport#Timer
package clock

import "time"

// Clock tells the time and makes timers. Implementations are safe for
// concurrent use.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// NewTimer returns a timer that fires once, after d.
	NewTimer(d time.Duration) Timer
}

// Timer is a one-shot timer made by a [Clock].
type Timer interface {
	// C returns the channel on which the fire time is delivered.
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it did.
	Stop() bool
}

// Real is the wall clock.
var Real Clock = realClock{}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (t realTimer) C() <-chan time.Time { return t.t.C }
func (t realTimer) Stop() bool          { return t.t.Stop() }

// Or returns c, or [Real] when c is nil.
func Or(c Clock) Clock {
	if c == nil {
		return Real
	}
	return c
}
