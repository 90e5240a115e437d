package clock

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFakeTimersFireInOrder(t *testing.T) {
	f := NewFake()
	start := f.Now()
	a := f.NewTimer(2 * time.Second)
	b := f.NewTimer(time.Second)
	assert.Equal(t, 2, f.Timers())
	f.Advance(1500 * time.Millisecond)
	select {
	case at := <-b.C():
		assert.Equal(t, start.Add(time.Second), at)
	default:
		t.Fatal("timer b should have fired")
	}
	select {
	case <-a.C():
		t.Fatal("timer a fired early")
	default:
	}
	assert.True(t, f.AdvanceToNext())
	<-a.C()
	assert.False(t, f.AdvanceToNext())
	assert.False(t, a.Stop())
}

func TestFakeStopAndZeroTimer(t *testing.T) {
	f := NewFake()
	tm := f.NewTimer(time.Minute)
	assert.True(t, tm.Stop())
	assert.Equal(t, 0, f.Timers())
	z := f.NewTimer(0)
	<-z.C()
	f.Set(f.Now().Add(-time.Hour))
	assert.Equal(t, NewFake().Now(), f.Now(), "Set never moves backwards")
}

func TestSleepAndBlockUntil(t *testing.T) {
	f := NewFake()
	done := make(chan error, 1)
	go func() { done <- Sleep(context.Background(), f, time.Hour) }()
	require.True(t, f.BlockUntil(1))
	f.Advance(time.Hour)
	require.NoError(t, <-done)

	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- Sleep(ctx, f, time.Hour) }()
	require.True(t, f.BlockUntil(1))
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	assert.NoError(t, Sleep(context.Background(), nil, 0))
	assert.ErrorIs(t, Sleep(ctx, f, time.Second), context.Canceled)
}

func TestOutlives(t *testing.T) {
	f := NewFake()
	assert.False(t, Outlives(context.Background(), f, time.Hour))
	ctx, cancel := context.WithDeadline(context.Background(), f.Now().Add(time.Minute))
	defer cancel()
	assert.True(t, Outlives(ctx, f, 2*time.Minute))
	assert.False(t, Outlives(ctx, f, 30*time.Second))
	assert.False(t, OutlivesDeadline(time.Time{}, false, f, time.Hour), "no deadline is never outlived")
	assert.True(t, OutlivesDeadline(f.Now().Add(time.Minute), true, f, 2*time.Minute))
	assert.False(t, OutlivesDeadline(f.Now().Add(time.Minute), true, f, 30*time.Second))
	assert.Equal(t, Real, Or(nil))
	assert.WithinDuration(t, time.Now(), Real.Now(), time.Second)
	rt := Real.NewTimer(time.Millisecond)
	<-rt.C()
	assert.False(t, rt.Stop())
}
