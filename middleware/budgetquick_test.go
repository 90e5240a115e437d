package middleware

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/clock"
)

// budgetWaitsNot reports whether b.Wait(ctx, maxWait) returns nil at once,
// without starting a timer on fc: what quickBudget.leaveAt must answer. A
// Wait that starts a timer is ended by cancelling its context.
func budgetWaitsNot(t *testing.T, b Budget, ctx context.Context, fc *clock.Fake, maxWait time.Duration) bool {
	t.Helper()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	timers := fc.Timers()
	go func() { done <- b.Wait(wctx, maxWait) }()
	blocked := make(chan struct{})
	go func() {
		if fc.BlockUntil(timers + 1) {
			close(blocked)
		}
	}()
	select {
	case err := <-done:
		return err == nil
	case <-blocked:
		cancel()
		<-done
		return false
	}
}

// TestBudgetLeaveAtAgreesWithWait drives twin budgets through the same
// outcomes and clock moves, and checks at every step that the fast path
// of the ratelimit stage (leaveAt) lets an attempt leave exactly when Wait
// would return nil at once (an adaptive budget that paces leaves every
// decision to Wait): with and without a cool-down, a quota stop, a
// rate limiter with tokens left or spent, a 429 that made an adaptive
// budget pace, an imposed rate, and an ended context.
func TestBudgetLeaveAtAgreesWithWait(t *testing.T) {
	type twin struct {
		quick quickBudget
		wait  Budget
	}
	type step struct {
		do    func(b Budget, fc *clock.Fake) // applied to both budgets, nil for none
		check bool                           // compare leaveAt and Wait after do
	}
	status := func(code int, ra time.Duration, quota bool) func(Budget, *clock.Fake) {
		return func(b Budget, fc *clock.Fake) {
			b.Observe(context.Background(), Outcome{Status: code, RetryAfter: ra, HasRetryAfter: ra > 0, Quota: quota, At: fc.Now()})
		}
	}
	advance := func(d time.Duration) func(Budget, *clock.Fake) {
		return func(_ Budget, fc *clock.Fake) { fc.Advance(d) }
	}
	reset := func(b Budget, _ *clock.Fake) { b.Reset() }
	check := step{check: true}
	fixed := func(o BudgetOptions) func(*clock.Fake) Budget {
		return func(fc *clock.Fake) Budget { o.Clock = fc; return NewFixedBudget(o) }
	}
	adaptive := func(o AdaptiveBudgetOptions) func(*clock.Fake) Budget {
		return func(fc *clock.Fake) Budget { o.Clock = fc; return NewAdaptiveBudget(o) }
	}
	for _, tc := range []struct {
		name  string
		make  func(*clock.Fake) Budget
		steps []step
	}{
		{"fixed-idle", fixed(BudgetOptions{}), []step{check, check, {do: status(200, 0, false), check: true}}},
		{"fixed-cool-down", fixed(BudgetOptions{}), []step{
			{do: status(429, 2*time.Second, false), check: true},
			{do: advance(time.Second), check: true},
			{do: advance(time.Second), check: true},
			{do: advance(time.Nanosecond), check: true},
		}},
		{"fixed-no-retry-after", fixed(BudgetOptions{}), []step{
			{do: status(429, 0, false), check: true}, {do: advance(time.Second), check: true},
		}},
		{"fixed-quota", fixed(BudgetOptions{}), []step{
			{do: status(429, time.Hour, true), check: true}, {do: reset, check: true},
		}},
		{"fixed-limiter", fixed(BudgetOptions{Rate: 1, Burst: 2}), []step{
			check, check, check, {do: advance(500 * time.Millisecond), check: true},
			{do: advance(500 * time.Millisecond), check: true}, check,
		}},
		{"fixed-limiter-cool-down", fixed(BudgetOptions{Rate: 10}), []step{
			check, {do: status(429, 3*time.Second, false), check: true}, {do: advance(3 * time.Second), check: true},
		}},
		{"adaptive-idle", adaptive(AdaptiveBudgetOptions{}), []step{
			check, {do: status(200, 0, false), check: true}, check,
		}},
		{"adaptive-max-rate", adaptive(AdaptiveBudgetOptions{MaxRate: 1, Burst: 1}), []step{
			check, check, {do: advance(time.Second), check: true},
		}},
		{"adaptive-cut", adaptive(AdaptiveBudgetOptions{}), []step{
			{do: status(200, 0, false)}, {do: advance(time.Second)}, {do: status(200, 0, false)},
			{do: status(429, 2*time.Second, false), check: true},
			{do: advance(2 * time.Second), check: true},
			{do: advance(time.Minute), check: true}, check,
			{do: reset, check: true},
		}},
		{"adaptive-sub-second-retry-after", adaptive(AdaptiveBudgetOptions{}), []step{
			{do: status(429, 500*time.Millisecond, false), check: true},
			{do: advance(500 * time.Millisecond), check: true}, check,
		}},
		{"adaptive-quota", adaptive(AdaptiveBudgetOptions{}), []step{
			{do: status(429, time.Hour, true), check: true}, {do: reset, check: true},
		}},
		{"adaptive-imposed", adaptive(AdaptiveBudgetOptions{}), []step{
			check, {do: func(b Budget, _ *clock.Fake) { b.(*AdaptiveBudget).Impose(2, 10*time.Second, 0) }, check: true},
			{do: advance(time.Minute), check: true}, check,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			qc, wc := clock.NewFake(), clock.NewFake()
			tw := twin{quick: tc.make(qc).(quickBudget), wait: tc.make(wc)}
			require.Same(t, qc, tw.quick.budgetClock())
			for i, s := range tc.steps {
				if s.do != nil {
					s.do(tw.quick.(Budget), qc)
					s.do(tw.wait, wc)
				}
				if !s.check {
					continue
				}
				// A pacing adaptive budget leaves every decision to Wait: its
				// leaveAt may only say false then.
				ab, isAdaptive := tw.quick.(*AdaptiveBudget)
				paced := isAdaptive && ab.paced.Load()
				want := budgetWaitsNot(t, tw.wait, context.Background(), wc, time.Minute)
				got := tw.quick.leaveAt(context.Background(), qc.Now())
				if paced {
					require.False(t, got, "step %d: paced", i)
				} else {
					require.Equal(t, want, got, "step %d", i)
				}
				if !got {
					// leaveAt took nothing; the stage now calls Wait, as the
					// twin did.
					budgetWaitsNot(t, tw.quick.(Budget), context.Background(), qc, time.Minute)
				}
			}
			ended, cancel := context.WithCancel(context.Background())
			cancel()
			require.False(t, tw.quick.leaveAt(ended, qc.Now()), "an ended context waits for nothing but fails")
		})
	}
}

// TestRateLimitQuickPathNeedsTheBudgetsClock checks that the stage decides
// with leaveAt only on the clock its budget decides on.
func TestRateLimitQuickPathNeedsTheBudgetsClock(t *testing.T) {
	next := http.RoundTripper(nil)
	fc, other := clock.NewFake(), clock.NewFake()
	for _, tc := range []struct {
		name  string
		o     RateLimitOptions
		quick bool
	}{
		{"fixed-own-clock", RateLimitOptions{Budget: NewFixedBudget(BudgetOptions{Clock: fc})}, true},
		{"adaptive-own-clock", RateLimitOptions{Budget: NewAdaptiveBudget(AdaptiveBudgetOptions{Clock: fc})}, true},
		{"same-clock", RateLimitOptions{Budget: NewFixedBudget(BudgetOptions{Clock: fc}), Clock: fc}, true},
		{"wall-clocks", RateLimitOptions{Budget: NewAdaptiveBudget(AdaptiveBudgetOptions{}), Clock: clock.Real}, true},
		{"other-clock", RateLimitOptions{Budget: NewFixedBudget(BudgetOptions{Clock: fc}), Clock: other}, false},
		{"private", RateLimitOptions{}, true},
		{"uncomparable-clock", RateLimitOptions{Budget: NewFixedBudget(BudgetOptions{Clock: funcClock{fc.Now}}), Clock: funcClock{fc.Now}}, false},
	} {
		rt := RateLimit(tc.o)(next).(*rateLimitTransport)
		require.Equal(t, tc.quick, rt.quick != nil, tc.name)
	}
}

// funcClock is a clock whose type cannot be compared.
type funcClock struct{ now func() time.Time }

func (c funcClock) Now() time.Time                       { return c.now() }
func (c funcClock) NewTimer(d time.Duration) clock.Timer { return clock.Real.NewTimer(d) }
