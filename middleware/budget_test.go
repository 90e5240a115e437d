package middleware

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/internal/clock"
	"github.com/spotifysdk/spotify-go/transport"
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
func budgetWaitAsync(ctx context.Context, b *Budget, maxWait time.Duration) <-chan error {
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
	b := NewBudget(BudgetOptions{Clock: fc})
	require.NoError(t, b.Wait(context.Background(), time.Minute))
	until, quota := b.Until()
	assert.True(t, until.IsZero())
	assert.False(t, quota)
	assert.Zero(t, fc.Timers())
}

func TestBudgetCoolDownKeepsTheLaterDeadline(t *testing.T) {
	fc := clock.NewFake()
	b := NewBudget(BudgetOptions{Clock: fc})
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
	b := NewBudget(BudgetOptions{Clock: fc, Jitter: budgetSeqJitter(0, 0.25, 0.5, 0.75)})
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
	b := NewBudget(BudgetOptions{Clock: fc})
	b.CoolDown(2*time.Second, false)
	waiting := budgetWaitAsync(context.Background(), b, time.Minute)
	require.True(t, fc.BlockUntil(1))

	b.CoolDown(time.Hour, false) // the waiter re-checks at once
	err := budgetRecv(t, waiting)
	var rle *transport.RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.True(t, errors.Is(err, transport.ErrRateLimited))
	assert.False(t, errors.Is(err, transport.ErrQuotaExceeded))
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
	b := NewBudget(BudgetOptions{Clock: fc, Jitter: func() float64 { return 0 }})
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
	b := NewBudget(BudgetOptions{Clock: fc})
	b.CoolDown(2*time.Second, false)
	ctx := budgetDeadlineCtx{Context: context.Background(), deadline: fc.Now().Add(time.Second)}

	err := b.Wait(ctx, time.Minute)
	var rle *transport.RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.True(t, errors.Is(err, context.DeadlineExceeded))
	assert.True(t, errors.Is(err, transport.ErrRateLimited))
	assert.True(t, rle.DeadlineExceeded)
	assert.Equal(t, 2*time.Second, rle.RetryAfter)
	assert.Zero(t, fc.Timers(), "no wait was started")
}

func TestBudgetContextEndsDuringWait(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewBudget(BudgetOptions{Clock: fc})
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
	b := NewBudget(BudgetOptions{Clock: fc})
	b.CoolDown(2*time.Second, false)
	waiting := budgetWaitAsync(context.Background(), b, time.Minute)
	require.True(t, fc.BlockUntil(1))

	b.CoolDown(10*time.Second, true)
	err := budgetRecv(t, waiting)
	assert.ErrorIs(t, err, transport.ErrQuotaExceeded)
	assert.ErrorIs(t, err, transport.ErrRateLimited)

	err = b.Wait(context.Background(), time.Minute)
	var rle *transport.RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.True(t, rle.Quota)
	assert.Equal(t, 10*time.Second, rle.RetryAfter)

	fc.Advance(10 * time.Second)
	assert.NoError(t, b.Wait(context.Background(), time.Minute), "the quota stop ends with its cool-down")
}

func TestBudgetLimiterSpacesRequests(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	b := NewBudget(BudgetOptions{Clock: fc, Rate: 10, Burst: 1})
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
	b := NewBudget(BudgetOptions{Clock: fc, Rate: 1}) // burst 1
	require.NoError(t, b.Wait(context.Background(), 0))

	ctx := budgetDeadlineCtx{Context: context.Background(), deadline: fc.Now().Add(500 * time.Millisecond)}
	err := b.Wait(ctx, 0)
	var rle *transport.RateLimitError
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
	b := NewBudget(BudgetOptions{Clock: fc, Rate: 1})
	require.NoError(t, b.Wait(context.Background(), 0))
	ctx, cancel := context.WithCancel(context.Background())
	waiting := budgetWaitAsync(ctx, b, 0)
	require.True(t, fc.BlockUntil(1))
	cancel()
	assert.ErrorIs(t, budgetRecv(t, waiting), context.Canceled)
}

func TestBudgetDefaultBurst(t *testing.T) {
	assert.Equal(t, 3, NewBudget(BudgetOptions{Rate: 2.5}).limiter.Burst())
	assert.Equal(t, 1, NewBudget(BudgetOptions{Rate: 0.2}).limiter.Burst())
	assert.Equal(t, 7, NewBudget(BudgetOptions{Rate: 2, Burst: 7}).limiter.Burst())
	assert.Nil(t, NewBudget(BudgetOptions{}).limiter)
}
