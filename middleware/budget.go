package middleware

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/spotifysdk/spotify-go/internal/clock"
	"github.com/spotifysdk/spotify-go/transport"
)

// BudgetOptions configures a [Budget]. The zero value is a budget with no
// request-rate limiter: only 429 cool-downs hold requests back.
type BudgetOptions struct {
	// Rate is the steady request rate, in requests per second, that the
	// budget lets through. 0 (or less) means no limiter.
	Rate float64
	// Burst is how many requests may leave at once above the steady rate;
	// 0 means max(1, ceil(Rate)). It is ignored without a Rate.
	Burst int
	// Clock is the time source; nil means the wall clock.
	Clock transport.Clock
	// Jitter returns a random number in [0, 1) that spreads the release of
	// waiters after a cool-down; nil means math/rand/v2.
	Jitter func() float64
}

// Budget is the request budget Spotify counts per app: the cool-down set by
// a 429 answer and an optional request-rate limiter. Spotify rate-limits an
// app as a whole, so share one Budget among all clients of one app id (one
// client per user, sync and async alike), through [RateLimitOptions]: a 429
// seen by one of them then holds back the requests of all of them.
//
// A Budget is safe for concurrent use. Make one with [NewBudget].
type Budget struct {
	clock   clock.Clock
	jitter  func() float64
	limiter *rate.Limiter // nil: no rate limit

	mu      sync.Mutex
	until   time.Time     // end of the cool-down
	quota   bool          // the cool-down is a quota stop
	changed chan struct{} // closed (and replaced) whenever until moves
}

// NewBudget returns a budget configured by o.
func NewBudget(o BudgetOptions) *Budget {
	b := &Budget{clock: clock.Or(o.Clock), jitter: o.Jitter, changed: make(chan struct{})}
	if b.jitter == nil {
		b.jitter = rand.Float64
	}
	if o.Rate > 0 {
		burst := o.Burst
		if burst <= 0 {
			burst = max(1, int(math.Min(math.Ceil(o.Rate), math.MaxInt32)))
		}
		b.limiter = rate.NewLimiter(rate.Limit(o.Rate), burst)
	}
	return b
}

// CoolDown records a 429 answer that asked to wait d: the budget's
// cool-down is moved to now+d if that is later than the current one, with
// quota telling whether it is a quota stop (requests then fail at once
// instead of waiting). Requests already waiting re-check the new deadline.
func (b *Budget) CoolDown(d time.Duration, quota bool) {
	until := b.clock.Now().Add(d)
	b.mu.Lock()
	defer b.mu.Unlock()
	if !until.After(b.until) {
		return
	}
	b.until, b.quota = until, quota
	close(b.changed)
	b.changed = make(chan struct{})
}

// Until returns the end of the current cool-down (in the past when there is
// none) and whether it is a quota stop.
func (b *Budget) Until() (time.Time, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.until, b.quota
}

// Wait blocks until a request may leave: after the cool-down (plus a
// per-waiter jitter of up to a tenth of the remaining wait, so waiters are
// released spread out rather than all at once) and after a token of the rate
// limiter, if any. It fails at once, without waiting, with a
// *[transport.RateLimitError] when the remaining cool-down is longer than
// maxWait (maxWait <= 0 means no cap), when it is a quota stop, or when the wait
// would outlive ctx's deadline; it returns ctx's error if ctx ends while it
// waits. A cool-down extended during the wait is re-checked against these
// rules at once.
func (b *Budget) Wait(ctx context.Context, maxWait time.Duration) error {
	if err := b.waitCoolDown(ctx, maxWait); err != nil {
		return err
	}
	if b.limiter == nil {
		return nil
	}
	now := b.clock.Now()
	r := b.limiter.ReserveN(now, 1)
	if !r.OK() {
		// Unreachable with burst >= 1; refuse rather than send unchecked.
		return &transport.RateLimitError{}
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if clock.Outlives(ctx, b.clock, d) {
		r.CancelAt(now)
		return &transport.RateLimitError{RetryAfter: d, Until: now.Add(d), DeadlineExceeded: true}
	}
	if err := clock.Sleep(ctx, b.clock, d); err != nil {
		r.CancelAt(b.clock.Now())
		return err
	}
	// A 429 may have arrived while this request waited for its token.
	return b.waitCoolDown(ctx, maxWait)
}

// waitCoolDown waits out the cool-down, re-checking whenever it moves.
func (b *Budget) waitCoolDown(ctx context.Context, maxWait time.Duration) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		b.mu.Lock()
		until, quota, changed := b.until, b.quota, b.changed
		b.mu.Unlock()
		remaining := until.Sub(b.clock.Now())
		if remaining <= 0 {
			return nil
		}
		switch {
		case quota:
			return &transport.RateLimitError{RetryAfter: remaining, Until: until, Quota: true}
		case maxWait > 0 && remaining > maxWait:
			return &transport.RateLimitError{RetryAfter: remaining, Until: until, Max: maxWait}
		}
		wait := remaining + b.jitterFor(remaining)
		if clock.Outlives(ctx, b.clock, wait) {
			return &transport.RateLimitError{RetryAfter: remaining, Until: until, DeadlineExceeded: true}
		}
		t := b.clock.NewTimer(wait)
		select {
		case <-t.C():
		case <-changed:
			t.Stop()
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// jitterFor returns a random extra wait in [0, remaining/10).
func (b *Budget) jitterFor(remaining time.Duration) time.Duration {
	j := b.jitter()
	if !(j > 0) { // also NaN
		return 0
	}
	j = math.Min(j, 1)
	return time.Duration(j * float64(remaining/10))
}
