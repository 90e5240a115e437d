package middleware

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/transport"
)

// MaxCoolDown is the longest cool-down a [FixedBudget] stores. A 429 that
// asks for more (a quota stop of days, or a bogus Retry-After of 146 years)
// holds the budget's clients back for MaxCoolDown only, then they try
// again: one wrong answer cannot stop them for good. The call that met the
// 429 still fails at once with the server's own value when it is above
// the ratelimit stage's [RateLimitOptions.MaxRetryAfter].
// [BudgetOptions.MaxCoolDown] lowers the ceiling; [FixedBudget.Reset] ends a
// cool-down early.
const MaxCoolDown = 24 * time.Hour

// Budget decides *when* an attempt may leave; the retry stage decides only
// *whether* there is another attempt. Spotify rate-limits an app as a
// whole, so share one Budget among all clients of one app id (one client
// per user, sync and async alike), through [RateLimitOptions]: a 429 seen
// by one of them then holds back the requests of all of them.
//
// The [RateLimit] stage calls Wait before every attempt and Observe with
// the outcome of every attempt, 429 or not: it is the only stage that
// hands a 429's Retry-After to the budget, and the budget is the only
// place that turns it into a cool-down, a wait or a fast failure.
// [FixedBudget] is the implementation of this package; one that learns
// the app's rate from the outcomes, or one kept on a server and shared by
// processes, fits the same interface.
//
// Implementations must be safe for concurrent use.
type Budget interface {
	// Wait blocks until an attempt may leave. It returns nil when the
	// attempt may go; a *[RateLimitError] (matching [ErrRateLimited]) when
	// the budget will not let it wait: a cool-down longer than maxWait
	// (maxWait <= 0 means no cap), a quota stop, or a wait that would
	// outlive ctx's deadline; ctx's error when ctx ends during the wait;
	// or the error of the budget itself (a shared budget whose server does
	// not answer), which the attempt then fails with.
	Wait(ctx context.Context, maxWait time.Duration) error
	// Observe tells the budget the outcome of an attempt that passed Wait:
	// a response (any status) or an error. It must not block for long: it
	// runs on the attempt's path. A budget that cannot record it (a shared
	// one whose server is away) drops it; the next Wait reports trouble.
	Observe(ctx context.Context, o Outcome)
	// Until returns the end of the current cool-down (in the past, or the
	// zero time, when there is none) and whether it is a quota stop.
	Until() (time.Time, bool)
	// Reset ends the current cool-down, a quota stop included, at once:
	// requests waiting in Wait re-check and leave. It is the operator's way
	// out of a cool-down known to be wrong; the next 429 sets a new one.
	Reset()
}

// Outcome is what one attempt met, as the [RateLimit] stage reports it to
// a [Budget].
type Outcome struct {
	// Status is the response's status code, or 0 when the attempt failed
	// without one (Err is then set).
	Status int
	// RetryAfter is the response's Retry-After, parsed once by the stage
	// (the largest value of a folded header; an HTTP-date measured from
	// At). HasRetryAfter tells a Retry-After of 0 from none at all.
	RetryAfter    time.Duration
	HasRetryAfter bool
	// Quota reports a 429 that the stage's [QuotaClassifier] marked as a
	// quota stop (Spotify's QUOTA_EXCEEDED).
	Quota bool
	// At is when the answer arrived, on the stage's clock.
	At time.Time
	// Err is the attempt's error when it has no response.
	Err error
}

// BudgetOptions configures a [FixedBudget]. The zero value is a budget
// with no request-rate limiter, whose cool-downs last at most
// [MaxCoolDown]: only 429 cool-downs hold requests back.
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
	// MaxCoolDown is the longest cool-down the budget stores: a 429 asking
	// for more sets this one. 0 (or less) means [MaxCoolDown] (24 h), which
	// is also the most it can be: a larger value is reduced to it.
	MaxCoolDown time.Duration
	// DefaultRetryAfter is the cool-down set by a 429 without a parsable
	// Retry-After header. 0 (or less) means 1 s.
	DefaultRetryAfter time.Duration
}

// defaultRetryAfter is the cool-down of a 429 without a Retry-After when
// BudgetOptions.DefaultRetryAfter is 0.
const defaultRetryAfter = time.Second

// FixedBudget is a [Budget] with a fixed request rate: the cool-down set by
// a 429 answer and an optional request-rate limiter (golang.org/x/time/rate).
// It learns nothing from the outcomes but 429s.
//
// A cool-down lasts at most [BudgetOptions.MaxCoolDown]; [FixedBudget.Until]
// shows it and [FixedBudget.Reset] ends it early.
//
// A FixedBudget is safe for concurrent use. Make one with [NewFixedBudget].
type FixedBudget struct {
	clock       clock.Clock
	jitter      func() float64
	limiter     *rate.Limiter // nil: no rate limit
	maxCoolDown time.Duration // > 0
	def         time.Duration // > 0

	mu sync.Mutex // serializes the changes of cool
	// cool is the cool-down, replaced as a whole under mu at every change,
	// so that an attempt reads it with one atomic load and no lock.
	cool atomic.Pointer[coolDown]
}

// coolDown is the cool-down of a [FixedBudget] at one moment. It is never
// changed once published: a change publishes a new one.
type coolDown struct {
	until   time.Time     // end of the cool-down
	quota   bool          // the cool-down is a quota stop
	changed chan struct{} // closed (and the coolDown replaced) whenever until moves
}

var _ Budget = (*FixedBudget)(nil)

// NewFixedBudget returns a budget configured by o.
func NewFixedBudget(o BudgetOptions) *FixedBudget {
	b := &FixedBudget{clock: clock.Or(o.Clock), jitter: o.Jitter, maxCoolDown: o.MaxCoolDown,
		def: o.DefaultRetryAfter}
	b.cool.Store(&coolDown{changed: make(chan struct{})})
	if b.maxCoolDown <= 0 || b.maxCoolDown > MaxCoolDown {
		b.maxCoolDown = MaxCoolDown
	}
	if b.def <= 0 {
		b.def = defaultRetryAfter
	}
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

// Observe sets a cool-down for a 429: its Retry-After from o.At (or
// [BudgetOptions.DefaultRetryAfter] when it had none), a quota stop when
// o.Quota is set. Other outcomes change nothing.
func (b *FixedBudget) Observe(_ context.Context, o Outcome) {
	if o.Status != http.StatusTooManyRequests {
		return
	}
	d := o.RetryAfter
	if !o.HasRetryAfter {
		d = b.def
	}
	at := o.At
	if at.IsZero() {
		at = b.clock.Now()
	}
	b.coolDownFrom(at, d, o.Quota)
}

// CoolDown records a 429 answer that asked to wait d: the budget's
// cool-down is moved to now+d if that is later than the current one, with
// quota telling whether it is a quota stop (requests then fail at once
// instead of waiting). d is bounded by the budget's
// [BudgetOptions.MaxCoolDown]. Requests already waiting re-check the new
// deadline.
func (b *FixedBudget) CoolDown(d time.Duration, quota bool) {
	b.coolDownFrom(b.clock.Now(), d, quota)
}

// coolDownFrom is CoolDown measured from at.
func (b *FixedBudget) coolDownFrom(at time.Time, d time.Duration, quota bool) {
	until := at.Add(min(max(d, 0), b.maxCoolDown))
	b.mu.Lock()
	defer b.mu.Unlock()
	if !until.After(b.cool.Load().until) {
		return
	}
	b.setLocked(until, quota)
}

// Until returns the end of the current cool-down (in the past when there is
// none) and whether it is a quota stop.
func (b *FixedBudget) Until() (time.Time, bool) {
	c := b.cool.Load()
	return c.until, c.quota
}

// Reset ends the current cool-down, quota stop included, at once: requests
// waiting in [FixedBudget.Wait] re-check and leave, and new ones do not wait for
// it. It is the operator's way out of a cool-down known to be wrong; the
// next 429 sets a new one. The rate limiter, if any, is left as it is.
func (b *FixedBudget) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.setLocked(time.Time{}, false)
}

// setLocked publishes the cool-down until (a quota stop when quota is
// set) and wakes the requests waiting in waitCoolDown, so that they
// re-check it. b.mu must be held.
func (b *FixedBudget) setLocked(until time.Time, quota bool) {
	old := b.cool.Load()
	b.cool.Store(&coolDown{until: until, quota: quota, changed: make(chan struct{})})
	close(old.changed)
}

// Wait blocks until a request may leave: after the cool-down (plus a
// per-waiter jitter of up to a tenth of the remaining wait, so waiters are
// released spread out rather than all at once) and after a token of the rate
// limiter, if any. It fails at once, without waiting, with a
// *[RateLimitError] when the remaining cool-down is longer than
// maxWait (maxWait <= 0 means no cap), when it is a quota stop, or when the wait
// would outlive ctx's deadline; it returns ctx's error if ctx ends while it
// waits. A cool-down extended during the wait is re-checked against these
// rules at once; one ended by [FixedBudget.Reset] releases the wait at once.
func (b *FixedBudget) Wait(ctx context.Context, maxWait time.Duration) error {
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
		return &RateLimitError{}
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if err := waitToken(ctx, b.clock, r, now, d); err != nil {
		return err
	}
	// A 429 may have arrived while this request waited for its token.
	return b.waitCoolDown(ctx, maxWait)
}

// leaveAt implements quickBudget: no cool-down at now, and a token of the
// limiter (if any) at once.
func (b *FixedBudget) leaveAt(ctx context.Context, now time.Time) bool {
	if ctx.Err() != nil || b.cool.Load().until.After(now) {
		return false
	}
	// AllowN takes the token exactly when ReserveN would give it without
	// a delay, and takes nothing otherwise.
	return b.limiter == nil || b.limiter.AllowN(now, 1)
}

// budgetClock implements quickBudget.
func (b *FixedBudget) budgetClock() clock.Clock { return b.clock }

// waitToken waits d on c for the token of reservation r, taken at now. It
// cancels r (so the token goes back) and fails at once with a
// *[RateLimitError] when the wait would outlive ctx's deadline, and
// cancels r and returns ctx's error when ctx ends during the wait.
func waitToken(ctx context.Context, c clock.Clock, r *rate.Reservation, now time.Time, d time.Duration) error {
	if clock.Outlives(ctx, c, d) {
		r.CancelAt(now)
		return &RateLimitError{RetryAfter: d, Until: now.Add(d), DeadlineExceeded: true}
	}
	if err := clock.Sleep(ctx, c, d); err != nil {
		r.CancelAt(c.Now())
		return err
	}
	return nil
}

// waitCoolDown waits out the cool-down, re-checking whenever it moves or
// is reset.
func (b *FixedBudget) waitCoolDown(ctx context.Context, maxWait time.Duration) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		c := b.cool.Load()
		until, quota, changed := c.until, c.quota, c.changed
		remaining := until.Sub(b.clock.Now())
		if remaining <= 0 {
			return nil
		}
		switch {
		case quota:
			return &RateLimitError{RetryAfter: remaining, Until: until, Quota: true}
		case maxWait > 0 && remaining > maxWait:
			return &RateLimitError{RetryAfter: remaining, Until: until, Max: maxWait}
		}
		wait := remaining + b.jitterFor(remaining)
		if clock.Outlives(ctx, b.clock, wait) {
			return &RateLimitError{RetryAfter: remaining, Until: until, DeadlineExceeded: true}
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
func (b *FixedBudget) jitterFor(remaining time.Duration) time.Duration {
	j := b.jitter()
	if !(j > 0) { // also NaN
		return 0
	}
	j = math.Min(j, 1)
	return time.Duration(j * float64(remaining/10))
}
