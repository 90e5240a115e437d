package middleware

import (
	"context"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/metric"
	"golang.org/x/time/rate"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/transport"
)

// Defaults of [AdaptiveBudgetOptions].
const (
	// DefaultAdaptiveWindow is the rate window an [AdaptiveBudget] assumes
	// when AdaptiveBudgetOptions.Window is 0: Spotify's rolling 30 s.
	DefaultAdaptiveWindow = 30 * time.Second
	// DefaultAdaptiveMinRate is the lowest rate, in requests per second,
	// an [AdaptiveBudget] cuts to when AdaptiveBudgetOptions.MinRate is 0.
	DefaultAdaptiveMinRate = 0.2
)

// AdaptiveBudgetOptions configures an [AdaptiveBudget]. The zero value is
// the default of every client: no rate until the first 429, any learned
// rate from 0.2 requests per second up, a window of at most 30 s.
type AdaptiveBudgetOptions struct {
	// MinRate is the lowest rate, in requests per second, the budget cuts
	// to; 0 (or less) means [DefaultAdaptiveMinRate].
	MinRate float64
	// MaxRate is the highest rate it lets through, in requests per second,
	// also before the first 429; 0 (or less) means no ceiling (no limiter
	// until the first 429).
	MaxRate float64
	// Burst is how many requests may leave at once at MaxRate before the
	// first 429; 0 means max(1, ceil(MaxRate)). Once the budget has met a
	// 429 the burst is 1: it paces.
	Burst int
	// Window is the longest rate window the budget assumes the server
	// counts in (it learns a shorter one from the first 429's
	// Retry-After); 0 (or less) means [DefaultAdaptiveWindow] (30 s).
	Window time.Duration
	// Clock, Jitter, MaxCoolDown and DefaultRetryAfter are those of the
	// 429 cool-down, as in [BudgetOptions].
	Clock             transport.Clock
	Jitter            func() float64
	MaxCoolDown       time.Duration
	DefaultRetryAfter time.Duration
	// MeterProvider makes the budget's metrics: the current rate (gauge
	// spotify.client.rate_limit.rate, requests per second, 0 while
	// unthrottled), the cuts (counter spotify.client.rate_limit.cooldowns)
	// and the 429s it was told of (counter
	// spotify.client.rate_limit.throttled). Nil means
	// otel.GetMeterProvider().
	MeterProvider metric.MeterProvider
}

// AdaptiveBudget is a [Budget] that learns the request rate the server
// allows from the outcome of every attempt and paces requests to it, so
// that a rolling rate window is used without being overrun. It is given
// no rate and no window.
//
// Until the first 429 it lets every request through (at MaxRate, if one is
// set). A 429 sets the cool-down a [FixedBudget] sets (its Retry-After,
// jittered release, quota stops failing at once, at most MaxCoolDown) and
// cuts the rate: to a fraction of the rate of answered requests measured
// over the window (the first 429 also gives the window: the time since the
// load began plus its Retry-After, the moment a slot frees, at most
// Window; a whole-second Retry-After counts as rounded up), or, when
// lower, over the time since the previous regrowth began (the limit fell).
// From the end of the cool-down the rate regrows along a cubic curve: back
// to the measured rate in 0.4 windows, flat around it, then above it: fast
// up to the best rate measured in the last ten windows (a limit lowered
// and raised again is found again about half a window after the
// regrowth began), slowly beyond it (a limit that stays is probed rarely). Requests leave paced, one token at a time: a rolling window
// frees its slots in the pattern in which they were taken, so a burst
// comes back as a burst of 429s one window later. 429s that arrive before
// the cool-down of the cut they belong to ends are one event: they do not
// cut again.
//
// Not every 429 speaks of the window. One whose Retry-After is under a
// second sets its cool-down and cuts nothing: Spotify's window answers in
// whole seconds, so a shorter wait is a burst limiter's or a proxy's, and
// reading it as a rate would slow every later request for a hiccup. A 429
// without a Retry-After cuts.
//
// One budget serves one app: share it among every client of one app id,
// so that what one client learns paces them all. An AdaptiveBudget is
// safe for concurrent use. Make one with [NewAdaptiveBudget].
type AdaptiveBudget struct {
	cool    *FixedBudget // the 429 cool-down
	clock   clock.Clock
	limiter *rate.Limiter
	min     float64 // requests per second
	max     float64 // 0: none
	burst   int     // before the first 429, at max

	// paced reports that Wait may have to wait for a token: the budget
	// has a MaxRate or has met a 429 (rateState.throttled, which never
	// goes back). Written under mu, read without it by leaveAt.
	paced atomic.Bool

	mu sync.Mutex
	rateState
	gen   int // counts cuts and resets: a token from before one is void
	cuts  int // counts the cuts of Observe (see State)
	limit float64

	metrics *adaptiveMetrics
}

var _ Budget = (*AdaptiveBudget)(nil)

// NewAdaptiveBudget returns a budget configured by o.
func NewAdaptiveBudget(o AdaptiveBudgetOptions) *AdaptiveBudget {
	c := clock.Or(o.Clock)
	b := &AdaptiveBudget{
		cool: NewFixedBudget(BudgetOptions{Clock: c, Jitter: o.Jitter, MaxCoolDown: o.MaxCoolDown,
			DefaultRetryAfter: o.DefaultRetryAfter}),
		clock: c, min: o.MinRate, max: max(o.MaxRate, 0), burst: o.Burst,
	}
	if b.min <= 0 {
		b.min = DefaultAdaptiveMinRate
	}
	if b.max > 0 && b.min > b.max {
		b.min = b.max
	}
	window := o.Window
	if window <= 0 {
		window = DefaultAdaptiveWindow
	}
	b.rateState = newRateState(window)
	b.limit = math.Inf(1)
	b.limiter = rate.NewLimiter(rate.Inf, 1)
	if b.max > 0 {
		if b.burst <= 0 {
			b.burst = max(1, int(math.Min(math.Ceil(b.max), math.MaxInt32)))
		}
		b.limit = b.max
		b.limiter = rate.NewLimiter(rate.Limit(b.max), b.burst)
		b.paced.Store(true)
	}
	b.metrics = newAdaptiveMetrics(o.MeterProvider, b)
	return b
}

// Rate returns the rate the budget lets through now, in requests per
// second, and false while it has met no 429 (it then lets through
// MaxRate, or everything).
func (b *AdaptiveBudget) Rate() (float64, bool) {
	now := b.clock.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.throttled {
		return b.max, false
	}
	return b.rateAt(now, b.min, b.max), true
}

// Observe learns from o: a 429 sets the cool-down (as [FixedBudget.Observe]
// does) and, when it is the first of its event and no quota stop, cuts the
// rate; any other answer counts as a request the server took. An attempt
// that failed without an answer teaches nothing.
func (b *AdaptiveBudget) Observe(ctx context.Context, o Outcome) {
	b.cool.Observe(ctx, o)
	if o.Err != nil || o.Status == 0 {
		return
	}
	at := o.At
	if at.IsZero() {
		at = b.clock.Now()
	}
	if o.Status != http.StatusTooManyRequests {
		b.mu.Lock()
		b.served(at)
		b.mu.Unlock()
		return
	}
	b.metrics.throttled.Add(ctx, 1)
	if o.Quota {
		return
	}
	ra := o.RetryAfter
	if !o.HasRetryAfter {
		ra = b.cool.def
	}
	ra = min(max(ra, 0), b.cool.maxCoolDown)
	if o.HasRetryAfter && ra < minCutRetryAfter {
		// Not a window's answer: the cool-down is all it asks for.
		return
	}
	b.mu.Lock()
	cut := !b.throttled || !at.Before(b.eventEnd)
	if cut {
		rCut := b.cut(at, ra, b.min, b.max)
		b.gen++
		b.cuts++
		b.paced.Store(true)
		// A fresh limiter: the tokens reserved at the old rate are void.
		b.limiter, b.limit = rate.NewLimiter(rate.Limit(rCut), 1), rCut
	}
	b.mu.Unlock()
	if cut {
		b.metrics.cooldowns.Add(ctx, 1)
	}
}

// setLimitLocked sets the limiter's rate and burst. b.mu must be held.
func (b *AdaptiveBudget) setLimitLocked(now time.Time, r float64, burst int) {
	if r == b.limit && burst == b.limiter.Burst() {
		return
	}
	b.limit = r
	b.limiter.SetLimitAt(now, rate.Limit(r))
	b.limiter.SetBurstAt(now, burst)
}

// Until returns the end of the current cool-down and whether it is a
// quota stop (see [FixedBudget.Until]).
func (b *AdaptiveBudget) Until() (time.Time, bool) { return b.cool.Until() }

// Reset ends the current cool-down at once (see [FixedBudget.Reset]); the
// learned rate stays.
func (b *AdaptiveBudget) Reset() {
	b.mu.Lock()
	b.gen++
	b.mu.Unlock()
	b.cool.Reset()
}

// Wait blocks until a request may leave: after the cool-down, under the
// rules of [FixedBudget.Wait], and after a token of the learned rate. A
// 429 that cuts the rate while a request waits for its token voids the
// token: the request waits the new cool-down and a token at the new rate.
// A token wait that would outlive ctx's deadline fails at once with a
// *[RateLimitError] (DeadlineExceeded); ctx's end ends the wait with its
// error.
func (b *AdaptiveBudget) Wait(ctx context.Context, maxWait time.Duration) error {
	for {
		if err := b.cool.waitCoolDown(ctx, maxWait); err != nil {
			return err
		}
		now := b.clock.Now()
		d, r, gen := b.reserve(now)
		if d <= 0 {
			return nil
		}
		if err := waitToken(ctx, b.clock, r, now, d); err != nil {
			return err
		}
		if !b.current(gen) {
			continue // cut while it waited: the token is void
		}
		if until, _ := b.cool.Until(); !until.After(b.clock.Now()) {
			return nil
		}
	}
}

// leaveAt implements quickBudget: no cool-down at now, and no token to
// take (no MaxRate, no 429 met yet), when reserve would give a delay of 0
// without taking anything.
func (b *AdaptiveBudget) leaveAt(ctx context.Context, now time.Time) bool {
	return !b.paced.Load() && ctx.Err() == nil && !b.cool.cool.Load().until.After(now)
}

// budgetClock implements quickBudget.
func (b *AdaptiveBudget) budgetClock() clock.Clock { return b.clock }

// reserve takes a token at now: the delay until it is due (0: at once),
// its reservation and the generation it belongs to.
func (b *AdaptiveBudget) reserve(now time.Time) (time.Duration, *rate.Reservation, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.throttled {
		if b.max <= 0 {
			return 0, nil, b.gen
		}
	} else {
		b.setLimitLocked(now, b.rateAt(now, b.min, b.max), 1)
	}
	r := b.limiter.ReserveN(now, 1)
	if !r.OK() {
		return 0, nil, b.gen // unreachable with burst >= 1
	}
	return r.DelayFrom(now), r, b.gen
}

// current reports whether no cut or reset happened since generation gen.
func (b *AdaptiveBudget) current(gen int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.gen == gen
}
