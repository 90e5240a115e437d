package middleware

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/retryafter"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
)

// budgetDeadlineCtx shows a deadline on the fake clock's time line without a
// runtime timer (the fake clock's instants are unrelated to the wall clock).
type budgetDeadlineCtx struct {
	context.Context
	deadline time.Time
}

func (c budgetDeadlineCtx) Deadline() (time.Time, bool) { return c.deadline, true }

// budgetSeqJitter returns the values of seq in turn, safely for concurrent use.
func budgetSeqJitter(seq ...float64) func() float64 {
	var mu sync.Mutex
	i := 0
	return func() float64 {
		mu.Lock()
		defer mu.Unlock()
		v := seq[i%len(seq)]
		i++
		return v
	}
}

// budgetWaitAsync runs b.Wait on its own goroutine.
func budgetWaitAsync(ctx context.Context, b *FixedBudget, maxWait time.Duration) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- b.Wait(ctx, maxWait) }()
	return ch
}

// budgetRecv returns the value from ch, failing the test if it takes more than
// a few real seconds (the waits under test use the fake clock).
func budgetRecv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for a result")
		panic("unreachable")
	}
}

func TestBudgetNoCoolDownDoesNotWait(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc})
	require.NoError(t, b.Wait(context.Background(), time.Minute))
	until, quota := b.Until()
	assert.True(t, until.IsZero())
	assert.False(t, quota)
	assert.Zero(t, fc.Timers())
}

func TestBudgetCoolDownKeepsTheLaterDeadline(t *testing.T) {
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc})
	start := fc.Now()
	b.CoolDown(5*time.Second, false)
	b.CoolDown(time.Second, true) // earlier: ignored, quota flag included
	until, quota := b.Until()
	assert.Equal(t, start.Add(5*time.Second), until)
	assert.False(t, quota)

	b.CoolDown(10*time.Second, true)
	until, quota = b.Until()
	assert.Equal(t, start.Add(10*time.Second), until)
	assert.True(t, quota)
}

func TestBudgetJitterSpreadsRelease(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc, Jitter: budgetSeqJitter(0, 0.25, 0.5, 0.75)})
	b.CoolDown(2*time.Second, false)
	deadline, _ := b.Until()

	const n = 4
	released := make(chan time.Time, n)
	errs := make(chan error, n)
	for range n {
		go func() {
			if err := b.Wait(context.Background(), time.Minute); err != nil {
				errs <- err
				return
			}
			released <- fc.Now()
		}()
	}
	require.True(t, fc.BlockUntil(n))

	var times []time.Time
	for range n {
		require.True(t, fc.AdvanceToNext())
		select {
		case at := <-released:
			times = append(times, at)
		case err := <-errs:
			t.Fatalf("Wait: %v", err)
		case <-time.After(5 * time.Second):
			t.Fatal("no waiter released")
		}
	}
	for i, at := range times {
		assert.False(t, at.Before(deadline), "waiter %d released before the deadline", i)
		assert.True(t, at.Before(deadline.Add(200*time.Millisecond)), "waiter %d released after deadline + wait/10", i)
		if i > 0 {
			assert.True(t, at.After(times[i-1]), "waiters %d and %d released at the same time", i-1, i)
		}
	}
	assert.Equal(t, deadline.Add(150*time.Millisecond), times[n-1])
}

func TestBudgetAboveCapFailsAtOnce(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc})
	b.CoolDown(2*time.Second, false)
	waiting := budgetWaitAsync(context.Background(), b, time.Minute)
	require.True(t, fc.BlockUntil(1))

	b.CoolDown(time.Hour, false) // the waiter re-checks at once
	err := budgetRecv(t, waiting)
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.True(t, errors.Is(err, ErrRateLimited))
	assert.False(t, errors.Is(err, ErrQuotaExceeded))
	assert.Equal(t, time.Hour, rle.RetryAfter)
	assert.Equal(t, time.Minute, rle.Max)
	assert.Equal(t, fc.Now().Add(time.Hour), rle.Until)
	assert.Zero(t, fc.Timers(), "the waiter's timer is stopped")

	// A new arrival fails at once too; without a cap it would wait.
	err = b.Wait(context.Background(), time.Minute)
	require.ErrorAs(t, err, &rle)
	assert.Equal(t, time.Hour, rle.RetryAfter)
}

func TestBudgetExtendedCoolDownKeepsWaiting(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc, Jitter: func() float64 { return 0 }})
	b.CoolDown(2*time.Second, false)
	waiting := budgetWaitAsync(context.Background(), b, time.Minute)
	require.True(t, fc.BlockUntil(1))

	fc.Advance(time.Second)
	b.CoolDown(5*time.Second, false) // deadline moves from +1s to +5s
	require.Eventually(t, func() bool {
		at, ok := fc.NextDeadline()
		return ok && at.Equal(fc.Now().Add(5*time.Second))
	}, 5*time.Second, time.Millisecond, "the waiter re-arms its timer for the new deadline")
	fc.Advance(2 * time.Second)
	select {
	case err := <-waiting:
		t.Fatalf("released before the extended deadline: %v", err)
	default:
	}
	fc.Advance(3 * time.Second)
	require.NoError(t, budgetRecv(t, waiting))
}

func TestBudgetWaitOutlivingDeadlineFailsAtOnce(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc})
	b.CoolDown(2*time.Second, false)
	ctx := budgetDeadlineCtx{Context: context.Background(), deadline: fc.Now().Add(time.Second)}

	err := b.Wait(ctx, time.Minute)
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.True(t, errors.Is(err, context.DeadlineExceeded))
	assert.True(t, errors.Is(err, ErrRateLimited))
	assert.True(t, rle.DeadlineExceeded)
	assert.Equal(t, 2*time.Second, rle.RetryAfter)
	assert.Zero(t, fc.Timers(), "no wait was started")
}

func TestBudgetContextEndsDuringWait(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc})
	b.CoolDown(2*time.Second, false)
	ctx, cancel := context.WithCancel(context.Background())
	waiting := budgetWaitAsync(ctx, b, time.Minute)
	require.True(t, fc.BlockUntil(1))
	cancel()
	assert.ErrorIs(t, budgetRecv(t, waiting), context.Canceled)
	assert.Zero(t, fc.Timers())
}

func TestBudgetQuotaCoolDownFailsWaitersAtOnce(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc})
	b.CoolDown(2*time.Second, false)
	waiting := budgetWaitAsync(context.Background(), b, time.Minute)
	require.True(t, fc.BlockUntil(1))

	b.CoolDown(10*time.Second, true)
	err := budgetRecv(t, waiting)
	assert.ErrorIs(t, err, ErrQuotaExceeded)
	assert.ErrorIs(t, err, ErrRateLimited)

	err = b.Wait(context.Background(), time.Minute)
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.True(t, rle.Quota)
	assert.Equal(t, 10*time.Second, rle.RetryAfter)

	fc.Advance(10 * time.Second)
	assert.NoError(t, b.Wait(context.Background(), time.Minute), "the quota stop ends with its cool-down")
}

func TestBudgetLimiterSpacesRequests(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc, Rate: 10, Burst: 1})
	start := fc.Now()
	done := make(chan error, 1)
	go func() {
		for range 5 {
			if err := b.Wait(context.Background(), time.Minute); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range 4 { // the first token is free
		require.True(t, fc.BlockUntil(1))
		require.True(t, fc.AdvanceToNext())
	}
	require.NoError(t, budgetRecv(t, done))
	assert.InDelta(t, 400*time.Millisecond, fc.Now().Sub(start), float64(time.Millisecond))
}

func TestBudgetLimiterOutlivingDeadlineGivesTokenBack(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc, Rate: 1}) // burst 1
	require.NoError(t, b.Wait(context.Background(), 0))

	ctx := budgetDeadlineCtx{Context: context.Background(), deadline: fc.Now().Add(500 * time.Millisecond)}
	err := b.Wait(ctx, 0)
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.True(t, rle.DeadlineExceeded)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.InDelta(t, time.Second, rle.RetryAfter, float64(time.Millisecond))

	// The cancelled reservation does not delay the next request.
	waiting := budgetWaitAsync(context.Background(), b, 0)
	require.True(t, fc.BlockUntil(1))
	at, _ := fc.NextDeadline()
	assert.InDelta(t, time.Second, at.Sub(fc.Now()), float64(time.Millisecond))
	fc.Advance(time.Second)
	require.NoError(t, budgetRecv(t, waiting))
}

func TestBudgetLimiterHonoursContext(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc, Rate: 1})
	require.NoError(t, b.Wait(context.Background(), 0))
	ctx, cancel := context.WithCancel(context.Background())
	waiting := budgetWaitAsync(ctx, b, 0)
	require.True(t, fc.BlockUntil(1))
	cancel()
	assert.ErrorIs(t, budgetRecv(t, waiting), context.Canceled)
}

func TestBudgetDefaultBurst(t *testing.T) {
	assert.Equal(t, 3, NewFixedBudget(BudgetOptions{Rate: 2.5}).limiter.Burst())
	assert.Equal(t, 1, NewFixedBudget(BudgetOptions{Rate: 0.2}).limiter.Burst())
	assert.Equal(t, 7, NewFixedBudget(BudgetOptions{Rate: 2, Burst: 7}).limiter.Burst())
	assert.Nil(t, NewFixedBudget(BudgetOptions{}).limiter)
}

// A bogus Retry-After (146 years) is stored as at most the ceiling, so the
// clients sharing the budget are held back for a day, not for good; a
// lower ceiling from the options is kept, a higher one is reduced to it.
func TestBudgetCoolDownStoresAtMostTheCeiling(t *testing.T) {
	bogus, ok := retryafter.Parse("99999999999", time.Time{}) // capped at about 146 years
	require.True(t, ok)
	require.Greater(t, bogus, 100*365*24*time.Hour)
	for _, tc := range []struct {
		name string
		opt  time.Duration
		want time.Duration
	}{
		{"default", 0, MaxCoolDown},
		{"negative means default", -time.Hour, MaxCoolDown},
		{"lowered", time.Hour, time.Hour},
		{"above the ceiling", 48 * time.Hour, MaxCoolDown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fc := clock.NewFake()
			b := NewFixedBudget(BudgetOptions{Clock: fc, MaxCoolDown: tc.opt})
			b.CoolDown(bogus, true)
			until, quota := b.Until()
			assert.Equal(t, fc.Now().Add(tc.want), until)
			assert.True(t, quota)

			// A later 429 within the ceiling does not shorten it.
			b.CoolDown(time.Minute, false)
			until, quota = b.Until()
			assert.Equal(t, fc.Now().Add(tc.want), until)
			assert.True(t, quota)

			fc.Advance(tc.want)
			assert.NoError(t, b.Wait(context.Background(), time.Minute), "the clients try again after the ceiling")
		})
	}
	assert.Equal(t, 24*time.Hour, MaxCoolDown, "the documented ceiling")
}

// Through the stages: the call that meets the 146-year Retry-After fails at
// once with the server's value; the other clients of the budget fail fast
// for at most a day, and then get through.
func TestRateLimitBogusRetryAfterDoesNotPoisonTheBudget(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	budget := NewFixedBudget(BudgetOptions{Clock: fc})
	tt := testtransport.New().
		AppendResponse(http.StatusTooManyRequests, "", "Retry-After", "99999999999").
		AppendResponse(http.StatusOK, "ok").Repeat()
	client := func() http.RoundTripper {
		return Retry(RetryOptions{Clock: fc})(RateLimit(RateLimitOptions{Budget: budget})(tt))
	}
	clientA, clientB := client(), client()

	_, err := clientA.RoundTrip(rlRequest(t, context.Background(), nil))
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.Equal(t, http.StatusTooManyRequests, rle.StatusCode)
	assert.Greater(t, rle.RetryAfter, 100*365*24*time.Hour, "the call's error carries the server's value")
	until, _ := budget.Until()
	assert.Equal(t, fc.Now().Add(MaxCoolDown), until, "the budget stores the ceiling")

	_, err = clientB.RoundTrip(rlRequest(t, context.Background(), nil))
	require.ErrorAs(t, err, &rle, "another client fails fast, without sending")
	assert.Zero(t, rle.StatusCode)
	assert.Equal(t, MaxCoolDown, rle.RetryAfter)
	assert.Equal(t, 1, tt.Len())

	fc.Advance(MaxCoolDown)
	resp, err := clientB.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, resp.Body.Close())
	assert.Zero(t, tt.Unclosed())
}

// Reset ends a cool-down at once: a request waiting for it proceeds without
// the clock moving, and a quota stop no longer fails new requests.
func TestBudgetResetReleasesWaiters(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc})
	b.CoolDown(30*time.Second, false)
	waiting := budgetWaitAsync(context.Background(), b, time.Minute)
	require.True(t, fc.BlockUntil(1))

	start := fc.Now()
	b.Reset()
	require.NoError(t, budgetRecv(t, waiting))
	assert.Equal(t, start, fc.Now(), "released without the clock moving")
	assert.Zero(t, fc.Timers(), "the waiter's timer is stopped")
	until, quota := b.Until()
	assert.False(t, until.After(fc.Now()))
	assert.False(t, quota)

	b.CoolDown(time.Hour, true)
	require.ErrorIs(t, b.Wait(context.Background(), time.Minute), ErrQuotaExceeded)
	b.Reset()
	require.NoError(t, b.Wait(context.Background(), time.Minute), "the quota stop is cleared too")

	// A cool-down after a Reset works as before.
	b.CoolDown(2*time.Second, false)
	until, _ = b.Until()
	assert.Equal(t, fc.Now().Add(2*time.Second), until)
}

// A folded Retry-After ("100, 1", or two header lines) sets the cool-down
// from its largest value, not the default of a 429 without one.
func TestRateLimitFoldedRetryAfterIsReadConservatively(t *testing.T) {
	for _, tc := range []struct {
		name    string
		headers []string
	}{
		{"folded", []string{"Retry-After", "100, 1"}},
		{"two lines", []string{"Retry-After", "1", "Retry-After", "100"}},
		{"an invalid member", []string{"Retry-After", "soon, 100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fc := clock.NewFake()
			budget := NewFixedBudget(BudgetOptions{Clock: fc})
			tt := testtransport.New().AppendResponse(http.StatusTooManyRequests, "", tc.headers...)
			rt := RateLimit(RateLimitOptions{Budget: budget, MaxRetryAfter: -1})(tt)
			resp, err := rt.RoundTrip(rlRequest(t, context.Background(), nil))
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			until, _ := budget.Until()
			assert.Equal(t, fc.Now().Add(100*time.Second), until)
		})
	}
}

// Observe turns a 429 into a cool-down measured from when it arrived: its
// Retry-After, the default when it had none, a quota stop when marked;
// other outcomes change nothing.
func TestFixedBudgetObserve(t *testing.T) {
	fc := clock.NewFake()
	b := NewFixedBudget(BudgetOptions{Clock: fc, DefaultRetryAfter: 3 * time.Second})
	ctx := context.Background()
	b.Observe(ctx, Outcome{Status: http.StatusServiceUnavailable, RetryAfter: time.Hour, HasRetryAfter: true, At: fc.Now()})
	b.Observe(ctx, Outcome{Err: errors.New("reset"), At: fc.Now()})
	until, _ := b.Until()
	assert.True(t, until.IsZero(), "only a 429 sets a cool-down")

	b.Observe(ctx, Outcome{Status: http.StatusTooManyRequests, At: fc.Now()})
	until, quota := b.Until()
	assert.Equal(t, fc.Now().Add(3*time.Second), until, "the default without a Retry-After")
	assert.False(t, quota)

	arrived := fc.Now()
	fc.Advance(time.Second)
	b.Observe(ctx, Outcome{Status: http.StatusTooManyRequests, RetryAfter: 10 * time.Second, HasRetryAfter: true, Quota: true, At: arrived})
	until, quota = b.Until()
	assert.Equal(t, arrived.Add(10*time.Second), until, "measured from the answer's arrival")
	assert.True(t, quota)

	b.Reset()
	b.Observe(ctx, Outcome{Status: http.StatusTooManyRequests, RetryAfter: 0, HasRetryAfter: true, At: fc.Now()})
	assert.NoError(t, b.Wait(ctx, time.Minute), "Retry-After: 0 sets no wait, unlike a missing one")
}
