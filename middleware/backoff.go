package middleware

import (
	"math"
	"math/rand/v2"
	"time"
)

// Backoff returns how long the retry stage waits before retry number
// attempt: 0 before the first retry (the second send), 1 before the second,
// and so on. A Retry-After header sent by the server is a floor under it
// (see [Retry]). A negative result counts as 0. A Backoff is called from many
// goroutines at once and must be safe for concurrent use.
type Backoff func(attempt int) time.Duration

// DefaultBackoff is the backoff of [RetryOptions] when none is set:
// min(0.5 s × 2^attempt, 8 s) scaled by a random factor in [0.5, 1.0). The
// waits before the first four retries lie in [0.25 s, 0.5 s), [0.5 s, 1 s),
// [1 s, 2 s) and [2 s, 4 s); from the fifth on in [4 s, 8 s).
var DefaultBackoff = ExponentialJitter(500*time.Millisecond, 8*time.Second)

// ExponentialJitter returns a [Backoff] that waits
// min(base × 2^attempt, maxDelay) scaled by a random factor in [0.5, 1.0):
// the delay doubles with every retry up to maxDelay, and the jitter spreads
// the retries of many callers that failed together. A base of 0 or less
// gives no wait; a maxDelay of 0 or less means no cap. The returned
// function is safe for concurrent use (it draws from math/rand/v2's shared
// source).
func ExponentialJitter(base, maxDelay time.Duration) Backoff {
	return func(attempt int) time.Duration {
		if base <= 0 {
			return 0
		}
		d := exponential(base, maxDelay, attempt)
		// Jitter in integers: a uniform value in [d/2, d), exact at any size.
		half := d / 2
		if d-half <= 0 {
			return half
		}
		return half + rand.N(d-half)
	}
}

// exponential returns min(base × 2^attempt, maxDelay) without overflowing;
// a maxDelay of 0 or less means no cap other than the largest Duration.
func exponential(base, maxDelay time.Duration, attempt int) time.Duration {
	limit := time.Duration(math.MaxInt64)
	if maxDelay > 0 {
		limit = maxDelay
	}
	if attempt < 0 {
		attempt = 0
	}
	if attempt >= 62 || base > limit>>attempt {
		return limit
	}
	return base << attempt
}
