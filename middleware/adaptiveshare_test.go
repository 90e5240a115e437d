package middleware

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/clock"
)

// State reads what the budget learned: nothing before the first 429, then
// the cut, the learned window and the count of its own cuts.
func TestAdaptiveBudgetState(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{})
	assert.Equal(t, AdaptiveState{}, b.State())
	serve(b, fc, 100, 500*time.Millisecond)
	observe429(b, fc, 1500*time.Millisecond)
	s := b.State()
	assert.True(t, s.Throttled)
	assert.InDelta(t, cutFactor*50, s.Cut, 0.01)
	assert.InDelta(t, s.Cut, s.Rate, 0.01)
	assert.Equal(t, 2*time.Second, s.Window, "500 ms of load, then a slot frees in 1.5 s")
	assert.Equal(t, 1, s.Cuts)
	assert.True(t, s.Measured)
	observe429(b, fc, 1500*time.Millisecond)
	assert.Equal(t, 1, b.State().Cuts, "a 429 of the same event does not cut")
}

// A 429 met before any answer cuts to the minimum rate in the assumed
// window: a cut that measured nothing.
func TestAdaptiveBudgetStateUnmeasured(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{})
	observe429(b, fc, 2*time.Second)
	s := b.State()
	assert.True(t, s.Throttled)
	assert.False(t, s.Measured)
	assert.Equal(t, DefaultAdaptiveWindow, s.Window)
	assert.InDelta(t, DefaultAdaptiveMinRate, s.Cut, 1e-9)
}

// An imposed rate paces the budget from the first request, as a cut of its
// own would: an unthrottled budget no longer lets everything through;
// the rate holds until the regrowth starts, 429s before then do not cut,
// and from then on it regrows in the imposed window.
func TestAdaptiveBudgetImpose(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{})
	b.Impose(10, 2*time.Second, time.Second)
	s := b.State()
	require.True(t, s.Throttled)
	assert.InDelta(t, 10, s.Rate, 1e-9)
	assert.InDelta(t, 10, s.Cut, 1e-9)
	assert.Equal(t, 2*time.Second, s.Window)
	assert.Zero(t, s.Cuts, "not a cut of its own")

	// Paced: the second request waits a token, 100 ms.
	require.NoError(t, b.Wait(context.Background(), 0))
	done := make(chan error, 1)
	go func() { done <- b.Wait(context.Background(), 0) }()
	for fc.Timers() == 0 {
		time.Sleep(time.Millisecond)
	}
	fc.Advance(100 * time.Millisecond)
	require.NoError(t, <-done)

	observe429(b, fc, 2*time.Second)
	assert.Zero(t, b.State().Cuts, "a 429 before the regrowth starts belongs to the imposed cut")

	fc.Advance(900 * time.Millisecond) // the regrowth starts
	fc.Advance(800 * time.Millisecond) // 0.4 windows on: back to the peak
	assert.InDelta(t, 10/cutFactor, b.State().Rate, 0.01)
	fc.Advance(2 * time.Second) // above the peak
	assert.Greater(t, b.State().Rate, 10/cutFactor+0.1)

	observe429(b, fc, 2*time.Second)
	assert.Equal(t, 1, b.State().Cuts, "a 429 after the regrowth began cuts")
}

// Impose keeps the rate within the budget's bounds and ignores a rate
// that is no rate.
func TestAdaptiveBudgetImposeBounds(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{MinRate: 1, MaxRate: 5})
	b.Impose(0, time.Second, 0)
	assert.False(t, b.State().Throttled, "0 is ignored")
	b.Impose(50, 0, 0)
	s := b.State()
	assert.InDelta(t, 5, s.Rate, 1e-9, "at most MaxRate")
	assert.Equal(t, DefaultAdaptiveWindow, s.Window, "no window given: the assumed one")
	b.Impose(0.01, time.Minute, 0)
	s = b.State()
	assert.InDelta(t, 1, s.Rate, 1e-9, "at least MinRate")
	assert.Equal(t, DefaultAdaptiveWindow, s.Window, "at most the assumed window")
}
