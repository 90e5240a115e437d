package redisbudget

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/redistest"
	"github.com/spotifysdk/spotify-go/middleware"
)

// newAdaptiveFleet returns n Budgets of one app over adaptive local
// Budgets, on the Redis at url (the test server when "").
func newAdaptiveFleet(t *testing.T, url string, n int, o Options) []*Budget {
	t.Helper()
	if url == "" {
		url = redistest.URL(t)
		redistest.Client(t)
	}
	if o.Prefix == "" {
		o.Prefix = redistest.Prefix(t)
	}
	o.URL, o.App = url, "app-1"
	if o.Logger == nil {
		o.Logger = discard()
	}
	out := make([]*Budget, n)
	for i := range out {
		o := o
		o.Local = middleware.NewAdaptiveBudget(middleware.AdaptiveBudgetOptions{Jitter: func() float64 { return 0 }})
		b, err := New(o)
		require.NoError(t, err)
		t.Cleanup(func() { _ = b.Close() })
		out[i] = b
	}
	return out
}

// cutAfterLoad tells b of n answers over the last 500 ms and then a 429
// asking for 1 s: its adaptive local Budget learns a window of 1 s (the
// whole second counts as half a second, on average) and cuts to
// 0.95·n per second.
func cutAfterLoad(b *Budget, n int) {
	now := time.Now()
	for i := range n {
		b.Observe(context.Background(), middleware.Outcome{Status: 200,
			At: now.Add(-500*time.Millisecond + time.Duration(i)*500*time.Millisecond/time.Duration(n))})
	}
	b.Observe(context.Background(), tooMany(clock.Real, time.Second))
}

// TestRateShared: the cut of one worker is the fleet's: it is published
// as its rate times the workers seen, with the learned window, and a
// worker that never met a 429 adopts the fleet's rate divided by the
// workers it counts. Without the sharing the second worker would stay
// unthrottled until its own 429.
func TestRateShared(t *testing.T) {
	fleet := newAdaptiveFleet(t, "", 2, Options{})
	b1, b2 := fleet[0], fleet[1]
	for _, b := range fleet { // each reports itself
		_, err := timedWait(b, 0)
		require.NoError(t, err)
	}
	cutAfterLoad(b1, 20)
	own := b1.adaptive.State()
	require.True(t, own.Throttled)
	assert.InDelta(t, 19, own.Cut, 0.5)
	rate, workers := b1.SharedRate()
	assert.Equal(t, 2, workers)
	assert.InDelta(t, 2*own.Cut, rate, 1e-4, "the fleet's rate: the cut times the workers")

	require.False(t, b2.adaptive.State().Throttled)
	_, _ = b2.Until() // reads Redis
	st := b2.adaptive.State()
	require.True(t, st.Throttled, "adopted")
	assert.InDelta(t, own.Cut, st.Cut, 1e-4, "the fleet's rate over two workers")
	assert.InDelta(t, own.Window, st.Window, float64(time.Millisecond), "the window the fleet learned")
	assert.Zero(t, st.Cuts)
	rate, workers = b2.SharedRate()
	assert.InDelta(t, 2*own.Cut, rate, 1e-4)
	assert.Equal(t, 2, workers)

	// Paced: after the shared cool-down, ten requests take nine tokens at
	// about 19 per second.
	start := time.Now()
	for range 10 {
		require.NoError(t, b2.Wait(context.Background(), 0))
	}
	took := time.Since(start)
	assert.GreaterOrEqual(t, took, 900*time.Millisecond+9*time.Second/21, "the cool-down, then paced")
}

// TestRateSameEventSums: the cuts of two workers that met 429s of one
// event make one fleet rate, the sum of theirs (a worker's own cut
// times the workers is only the first estimate: the first 429s split the
// window unevenly), and both take it: each paces at its half.
func TestRateSameEventSums(t *testing.T) {
	fleet := newAdaptiveFleet(t, "", 2, Options{})
	b1, b2 := fleet[0], fleet[1]
	for _, b := range fleet {
		_, err := timedWait(b, 0)
		require.NoError(t, err)
	}
	cutAfterLoad(b1, 20)
	r1, _ := b1.SharedRate()
	assert.InDelta(t, 2*b1.adaptive.State().Cut, r1, 1e-4, "first estimate: its cut times the workers")
	cutAfterLoad(b2, 40)
	_, _ = b1.Until() // reads the refined rate
	r1, _ = b1.SharedRate()
	r2, _ := b2.SharedRate()
	assert.InDelta(t, 0.95*(20+40), r1, 0.01, "the sum of the two cuts")
	assert.InDelta(t, r1, r2, 1e-4)
	for _, b := range fleet {
		assert.InDelta(t, r1/2, b.adaptive.State().Cut, 1e-4)
	}
}

// TestRateWorkersExpire: a worker that stops reporting is no longer
// counted after three heartbeats.
func TestRateWorkersExpire(t *testing.T) {
	fleet := newAdaptiveFleet(t, "", 3, Options{Heartbeat: 100 * time.Millisecond})
	for _, b := range fleet {
		_, _ = b.Until()
	}
	_, _ = fleet[0].Until()
	_, n := fleet[0].SharedRate()
	assert.Equal(t, 3, n)
	deadline := time.Now().Add(500 * time.Millisecond)
	for time.Now().Before(deadline) {
		_, _ = fleet[0].Until()
		_, _ = fleet[1].Until()
		time.Sleep(20 * time.Millisecond)
	}
	_, n = fleet[0].SharedRate()
	assert.Equal(t, 2, n, "the silent worker expired")
}

// TestRateKeysExpire: every key the rate sharing writes has an expiry.
func TestRateKeysExpire(t *testing.T) {
	fleet := newAdaptiveFleet(t, "", 2, Options{})
	for _, b := range fleet {
		_, _ = b.Until()
	}
	cutAfterLoad(fleet[0], 20)
	c := redistest.Client(t)
	keys, err := c.Keys(context.Background(), strings.SplitN(fleet[0].key, ":", 2)[0]+":*").Result()
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{fleet[0].key, fleet[0].rateKey, fleet[0].workersKey}, keys)
	for _, k := range keys {
		assert.Positive(t, c.PTTL(context.Background(), k).Val(), k)
	}
}

// TestRateKeptWhenRedisAway: a worker that learned the fleet's rate
// through Redis keeps pacing at it when Redis goes away: it falls back to
// its local twin paced at the last shared rate divided by the workers it
// saw, not unthrottled.
func TestRateKeptWhenRedisAway(t *testing.T) {
	rs := redistest.StartServer(t)
	fleet := newAdaptiveFleet(t, rs.URL(), 2, Options{Timeout: 100 * time.Millisecond})
	b1, b2 := fleet[0], fleet[1]
	for _, b := range fleet {
		_, _ = b.Until()
	}
	cutAfterLoad(b1, 20)
	_, _ = b2.Until() // adopts
	rs.Stop()
	start := time.Now()
	for range 10 {
		require.NoError(t, b2.Wait(context.Background(), 0))
	}
	took := time.Since(start)
	assert.GreaterOrEqual(t, took, 900*time.Millisecond+9*time.Second/21, "the last shared cool-down, then paced at 19 per second")
	assert.True(t, b2.health.Down())
}

// discard is a logger that writes nowhere.
func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestRateUnmeasuredNotPublished: a worker whose first answers were 429s
// (the others filled the window) cut to a guess, the minimum rate in the
// assumed window: it publishes nothing, and takes the fleet's rate once a
// worker that measured one publishes it.
func TestRateUnmeasuredNotPublished(t *testing.T) {
	fleet := newAdaptiveFleet(t, "", 2, Options{})
	b1, b2 := fleet[0], fleet[1]
	for _, b := range fleet {
		_, _ = b.Until()
	}
	b1.Observe(context.Background(), tooMany(clock.Real, time.Second))
	require.True(t, b1.adaptive.State().Throttled)
	rate, _ := b1.SharedRate()
	assert.Zero(t, rate, "nothing published")
	exists, err := redistest.Client(t).Exists(context.Background(), b1.rateKey).Result()
	require.NoError(t, err)
	assert.Zero(t, exists)

	cutAfterLoad(b2, 20)
	_, _ = b1.Until()
	st := b1.adaptive.State()
	assert.InDelta(t, b2.adaptive.State().Cut, st.Cut, 1e-4, "the fleet's rate over two workers")
	assert.InDelta(t, time.Second, st.Window, float64(time.Millisecond), "the window the fleet learned")
}
