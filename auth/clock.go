package auth

import (
	"time"

	"github.com/spotifysdk/spotify-go/clock"
)

// Clock tells the time of token expiry; nil means the wall clock. A clock
// that also makes timers, as a transport.Clock does, times the waits of the
// token requests' retries too; with any other those wait on the wall clock.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
}

// clockOf returns the time source for c.
func clockOf(c Clock) clock.Clock {
	switch c := c.(type) {
	case nil:
		return clock.Real
	case clock.Clock:
		return c
	}
	return nowOnly{c}
}

// nowOnly is a Clock that tells the time and makes wall-clock timers.
type nowOnly struct{ Clock }

// NewTimer returns a wall-clock timer.
func (nowOnly) NewTimer(d time.Duration) clock.Timer { return clock.Real.NewTimer(d) }
