package middleware

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/spotifysdk/spotify-go/clock"
)

func newTestAdaptive(fc *clock.Fake, o AdaptiveBudgetOptions) *AdaptiveBudget {
	o.Clock = fc
	if o.Jitter == nil {
		o.Jitter = func() float64 { return 0 }
	}
	return NewAdaptiveBudget(o)
}

// serve tells b of n answered requests spread evenly over d from fc's now,
// and moves fc to the end of d.
func serve(b *AdaptiveBudget, fc *clock.Fake, n int, d time.Duration) {
	for i := range n {
		b.Observe(context.Background(), Outcome{Status: http.StatusOK, At: fc.Now().Add(d * time.Duration(i) / time.Duration(n))})
	}
	fc.Advance(d)
}

func observe429(b *AdaptiveBudget, fc *clock.Fake, ra time.Duration) {
	b.Observe(context.Background(), Outcome{Status: http.StatusTooManyRequests, RetryAfter: ra, HasRetryAfter: true, At: fc.Now()})
}

// Until its first 429 the budget holds nothing back, whatever it has seen.
func TestAdaptiveBudgetUnthrottledUntilFirst429(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{})
	serve(b, fc, 1000, time.Second)
	for range 1000 {
		require.NoError(t, b.Wait(context.Background(), 0))
	}
	assert.Zero(t, fc.Timers(), "no wait")
	_, throttled := b.Rate()
	assert.False(t, throttled)
}

// The first 429 teaches the window (load time plus Retry-After) and cuts
// the rate to cutFactor of the measured rate; requests then wait the
// cool-down and leave paced at that rate.
func TestAdaptiveBudgetFirst429CutsToTheMeasuredRate(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{})
	// 100 answers in the first second, then a 429 whose slot frees in 1 s:
	// a window of 2 s holding 100 requests, 50 per second.
	serve(b, fc, 100, time.Second)
	observe429(b, fc, time.Second)
	r, throttled := b.Rate()
	require.True(t, throttled)
	assert.InDelta(t, cutFactor*50, r, 0.01)
	until, quota := b.Until()
	assert.Equal(t, fc.Now().Add(time.Second), until)
	assert.False(t, quota)

	// Two requests: the first after the cool-down, the second one token
	// (1/45 s) later.
	start := fc.Now()
	var left []time.Duration
	for range 2 {
		done := make(chan error, 1)
		go func() { done <- b.Wait(context.Background(), 0) }()
		for {
			select {
			case err := <-done:
				require.NoError(t, err)
				left = append(left, fc.Now().Sub(start))
			default:
				if !fc.AdvanceToNext() {
					time.Sleep(time.Millisecond)
				}
				continue
			}
			break
		}
	}
	assert.Equal(t, time.Second, left[0])
	assert.InDelta(t, float64(time.Second+time.Second/45), float64(left[1]), float64(time.Millisecond))
}

// From the end of the cool-down the rate regrows: back at the peak after
// one learned window, flat around it, then above it (double one window
// later); a 429 of the same event does not cut again, a later one does.
func TestAdaptiveBudgetRegrowsAlongACubic(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{})
	serve(b, fc, 100, time.Second)
	observe429(b, fc, time.Second) // window 2 s, peak 50/s, cut to 45/s
	// Another 429 before the cool-down's end is the same event.
	regrow := b.regrow
	fc.Advance(500 * time.Millisecond)
	observe429(b, fc, time.Second)
	assert.Equal(t, regrow, b.regrow, "no second cut")
	at := func(d time.Duration) float64 {
		fc.Set(b.regrow.Add(d))
		r, _ := b.Rate()
		return r
	}
	assert.InDelta(t, 45, at(-time.Millisecond), 1e-9, "cut until the cool-down ends")
	assert.InDelta(t, 45, at(0), 1e-9)
	assert.Greater(t, at(time.Second), 49.0, "concave: most of the way back after half a window")
	assert.Less(t, at(time.Second), 50.0)
	assert.InDelta(t, 50, at(2*time.Second), 1e-9, "the peak after one window")
	assert.InDelta(t, 50, at(2500*time.Millisecond), 1, "flat around it")
	assert.InDelta(t, 100, at(4*time.Second), 1e-9, "double one window after the peak")

	// A later one cuts, measuring over the learned window.
	fc.Set(regrow.Add(3 * time.Second))
	serve(b, fc, 60, 2*time.Second)
	observe429(b, fc, time.Second)
	r, _ := b.Rate()
	assert.InDelta(t, cutFactor*30, r, 1, "60 answers in the last 2 s")
}

// MinRate and MaxRate bound the learned rate; with MaxRate the budget paces
// from the start, with its burst.
func TestAdaptiveBudgetBounds(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{MinRate: 10, MaxRate: 20, Burst: 3})
	r, throttled := b.Rate()
	assert.False(t, throttled)
	assert.Equal(t, 20.0, r)
	for range 3 {
		require.NoError(t, b.Wait(context.Background(), 0), "the burst leaves at once")
	}
	d, _, _ := b.reserve(fc.Now())
	assert.Equal(t, 50*time.Millisecond, d, "then one per 1/20 s")

	serve(b, fc, 4, time.Second) // 4 answers in 1 s: 2 per s, below MinRate
	observe429(b, fc, time.Second)
	r, _ = b.Rate()
	assert.Equal(t, 10.0, r, "MinRate")
	fc.Set(b.regrow.Add(time.Hour))
	r, _ = b.Rate()
	assert.Equal(t, 20.0, r, "MaxRate")
}

// A quota 429 stops requests at once and teaches no rate.
func TestAdaptiveBudgetQuotaStop(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{})
	serve(b, fc, 10, time.Second)
	b.Observe(context.Background(), Outcome{Status: 429, RetryAfter: time.Hour, HasRetryAfter: true, Quota: true, At: fc.Now()})
	err := b.Wait(context.Background(), 0)
	require.ErrorIs(t, err, ErrQuotaExceeded)
	_, throttled := b.Rate()
	assert.False(t, throttled)
	b.Reset()
	require.NoError(t, b.Wait(context.Background(), 0))
}

// A request that holds a token when a 429 cuts the rate does not leave on
// it: it waits the new cool-down.
func TestAdaptiveBudgetCutVoidsTheTokensHeld(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{MaxRate: 1, Burst: 1})
	require.NoError(t, b.Wait(context.Background(), 0)) // the burst
	done := make(chan error, 1)
	go func() { done <- b.Wait(context.Background(), 0) }()
	require.True(t, fc.BlockUntil(1), "waiting for its token")
	serve(b, fc, 0, 0)
	b.Observe(context.Background(), Outcome{Status: 200, At: fc.Now()})
	observe429(b, fc, 5*time.Second) // cut; cool-down 5 s
	fc.Advance(time.Second)          // the token is due
	require.True(t, fc.BlockUntil(1), "back to the cool-down")
	select {
	case err := <-done:
		t.Fatalf("left on a void token: %v", err)
	default:
	}
	for {
		select {
		case err := <-done:
			require.NoError(t, err)
			until, _ := b.Until()
			assert.False(t, fc.Now().Before(until), "left after the cool-down")
			return
		default:
			if !fc.AdvanceToNext() {
				time.Sleep(time.Millisecond)
			}
		}
	}
}

// The metrics: the rate gauge, the cuts and the 429s.
func TestAdaptiveBudgetMetrics(t *testing.T) {
	o := newOtelHarness(t)
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{MeterProvider: o.mp})
	serve(b, fc, 100, time.Second)
	observe429(b, fc, time.Second)
	observe429(b, fc, time.Second) // same event
	m := o.metrics(t)
	assert.Equal(t, int64(1), m["spotify.client.rate_limit.cooldowns"].Data.(metricdata.Sum[int64]).DataPoints[0].Value)
	assert.Equal(t, int64(2), m["spotify.client.rate_limit.throttled"].Data.(metricdata.Sum[int64]).DataPoints[0].Value)
	g := m["spotify.client.rate_limit.rate"].Data.(metricdata.Gauge[float64]).DataPoints
	require.Len(t, g, 1)
	assert.InDelta(t, 45, g[0].Value, 0.01)
}

// simSummary sums the windows after the first: the share of requests
// answered 429, and the successes over the capacity in the windows that
// are not the two after a change of the limit (changes at ch windows).
func simSummary(ws []simWindow, W time.Duration, ch ...int) (limited, steady float64) {
	sent, lim, ok, capa := 0, 0, 0, 0.0
	skip := map[int]bool{}
	for _, c := range ch {
		skip[c], skip[c+1] = true, true
	}
	for i, w := range ws[1:] {
		sent += w.Sent
		lim += w.Limited
		if !skip[i+1] {
			ok += w.OK
			capa += w.Capacity * W.Seconds()
		}
	}
	return float64(lim) / float64(sent), float64(ok) / capa
}

// On a simulated rolling window (B per W, the emulator's whole-second
// Retry-After, 64 workers per client, the limit halved at window 4 and
// restored at window 8), the adaptive budget keeps 429s at 2% or less,
// uses 90% of the window or more, and is back at 85% or more in the second
// window after each change; the fixed budget of the old default does not.
func TestAdaptiveBudgetAtTheEdgeOfARollingWindow(t *testing.T) {
	adaptive := func(fc *clock.Fake) Budget {
		return NewAdaptiveBudget(AdaptiveBudgetOptions{Clock: fc, Jitter: func() float64 { return 0.5 }})
	}
	for _, tc := range []struct {
		B       int
		W       time.Duration
		clients int
	}{{150, 10 * time.Second, 1}, {500, 10 * time.Second, 4}, {3000, 30 * time.Second, 1}} {
		name := fmt.Sprintf("B=%d W=%v clients=%d", tc.B, tc.W, tc.clients)
		cfg := simConfig{B: tc.B, W: tc.W, Workers: 64, Clients: tc.clients, Latency: 20 * time.Millisecond,
			Duration: 12 * tc.W, Changes: []simChange{{4 * tc.W, tc.B / 2}, {8 * tc.W, tc.B}}, NewBudget: adaptive}
		ws := simulate(cfg)
		limited, steady := simSummary(ws, tc.W, 4, 8)
		t.Logf("%s: 429 %.2f%%, steady %.1f%% of B/W", name, 100*limited, 100*steady)
		assert.LessOrEqual(t, limited, 0.02, name)
		assert.GreaterOrEqual(t, steady, 0.90, name)
		for _, i := range []int{5, 9} {
			assert.GreaterOrEqual(t, float64(ws[i].OK)/(ws[i].Capacity*tc.W.Seconds()), 0.85, "%s: window %d", name, i)
		}

		cfg.NewBudget = func(fc *clock.Fake) Budget { return NewFixedBudget(BudgetOptions{Clock: fc}) }
		limited, _ = simSummary(simulate(cfg), tc.W, 4, 8)
		t.Logf("%s, fixed budget: 429 %.2f%%", name, 100*limited)
		assert.Greater(t, limited, 0.02, "%s: the fixed budget overruns the window", name)
	}
}

// The answers that arrive during the cool-down are of requests sent
// before the cut, which the server counted: the regrowth starts from a
// peak that includes them.
func TestAdaptiveBudgetCountsTheAnswersInFlightAtTheCut(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{})
	serve(b, fc, 30, time.Second)
	observe429(b, fc, time.Second) // window 2 s; 30 answers so far
	r, _ := b.Rate()
	assert.InDelta(t, cutFactor*15, r, 0.01)
	serve(b, fc, 20, 500*time.Millisecond) // late answers, in the cool-down
	fc.Set(b.regrow)
	r, _ = b.Rate()
	assert.InDelta(t, cutFactor*25, r, 0.01, "50 answers in the learned window")
}
