package middleware

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"testing"
	"time"
	"weak"

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
	// 100 answers in the first half second, then a 429 whose slot frees in
	// 1.5 s: a window of 2 s holding 100 requests, 50 per second.
	serve(b, fc, 100, 500*time.Millisecond)
	observe429(b, fc, 1500*time.Millisecond)
	r, throttled := b.Rate()
	require.True(t, throttled)
	assert.InDelta(t, cutFactor*50, r, 0.01)
	until, quota := b.Until()
	assert.Equal(t, fc.Now().Add(1500*time.Millisecond), until)
	assert.False(t, quota)

	// Two requests: the first after the cool-down, the second one token
	// (1/(cutFactor·50) s) later.
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
	assert.Equal(t, 1500*time.Millisecond, left[0])
	assert.InDelta(t, float64(1500*time.Millisecond)+float64(time.Second)/(cutFactor*50), float64(left[1]), float64(time.Millisecond))

	// A Retry-After in whole seconds is taken as rounded up: a 429 after
	// 100 answers in 1.5 s with Retry-After 1 teaches a window of 2 s.
	b = newTestAdaptive(fc, AdaptiveBudgetOptions{})
	serve(b, fc, 100, 1500*time.Millisecond)
	observe429(b, fc, time.Second)
	r, _ = b.Rate()
	assert.InDelta(t, cutFactor*50, r, 0.01)
}

// From the end of the cool-down the rate regrows: back at the peak after
// regrowSpan (0.4) learned windows, flat around it, then above it (fast up to the best
// peak of late, slowly beyond it); a 429 of the same event does not cut again, a later one does.
func TestAdaptiveBudgetRegrowsAlongACubic(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{})
	serve(b, fc, 100, 500*time.Millisecond)
	observe429(b, fc, 1500*time.Millisecond) // window 2 s, peak 50/s, cut to cutFactor of it
	// Another 429 before the cool-down's end is the same event.
	regrow := b.regrow
	fc.Advance(500 * time.Millisecond)
	observe429(b, fc, 1500*time.Millisecond)
	assert.Equal(t, regrow, b.regrow, "no second cut")
	at := func(d time.Duration) float64 {
		fc.Set(b.regrow.Add(d))
		r, _ := b.Rate()
		return r
	}
	assert.InDelta(t, cutFactor*50, at(-time.Millisecond), 1e-9, "cut until the cool-down ends")
	assert.InDelta(t, cutFactor*50, at(0), 1e-9)
	// The window is 2 s: the time unit of the regrowth is 0.8 s.
	assert.Greater(t, at(400*time.Millisecond), 49.0, "concave: most of the way back after half a unit")
	assert.Less(t, at(400*time.Millisecond), 50.0)
	assert.InDelta(t, 50, at(800*time.Millisecond), 1e-9, "the peak after one unit")
	assert.InDelta(t, 50, at(900*time.Millisecond), 2, "flat around it")
	assert.InDelta(t, 62.5, at(1600*time.Millisecond), 1e-9, "a quarter above one unit after the peak: slowly above the best peak")

	// A later one cuts, measuring over the learned window.
	fc.Set(regrow.Add(3 * time.Second))
	serve(b, fc, 60, 2*time.Second)
	observe429(b, fc, time.Second)
	r, _ := b.Rate()
	assert.InDelta(t, cutFactor*30, r, 1, "60 answers in the last 2 s")

	// One that comes less than a window after the regrowth began measures
	// since then, when that is lower: the limit fell.
	fc.Set(b.regrow.Add(500 * time.Millisecond))
	serve(b, fc, 2, 0) // 2 in the half second since it began; 17 or so in the window
	observe429(b, fc, time.Second)
	r, _ = b.Rate()
	assert.InDelta(t, cutFactor*4, r, 0.01)
	// Above this peak, up to the best one of late (50), the regrowth is
	// fast: twice the peak a quarter unit (0.2 s) after it.
	fc.Set(b.regrow.Add(time.Second))
	r, _ = b.Rate()
	assert.InDelta(t, 8, r, 0.01)
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
	serve(b, fc, 100, 500*time.Millisecond)
	observe429(b, fc, 1500*time.Millisecond)
	observe429(b, fc, 1500*time.Millisecond) // same event
	m := o.metrics(t)
	assert.Equal(t, int64(1), m["spotify.client.rate_limit.cooldowns"].Data.(metricdata.Sum[int64]).DataPoints[0].Value)
	assert.Equal(t, int64(2), m["spotify.client.rate_limit.throttled"].Data.(metricdata.Sum[int64]).DataPoints[0].Value)
	g := m["spotify.client.rate_limit.rate"].Data.(metricdata.Gauge[float64]).DataPoints
	require.Len(t, g, 1)
	assert.InDelta(t, cutFactor*50, g[0].Value, 0.01)
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
// Retry-After, 64 workers per client, the limit halved during window 4 and
// restored during window 8), averaged over six runs that differ in
// latency, jitter and the moments of the changes, the adaptive budget
// keeps 429s at 2% or less, uses 90% of the window or more, and is back at
// 85% or more of the new limit in the second full window after each
// change; the fixed budget of the old default answers 429 to several
// times as many requests.
func TestAdaptiveBudgetAtTheEdgeOfARollingWindow(t *testing.T) {
	adaptive := func(fc *clock.Fake) Budget {
		return NewAdaptiveBudget(AdaptiveBudgetOptions{Clock: fc, Jitter: func() float64 { return 0.5 }})
	}
	fixed := func(fc *clock.Fake) Budget { return NewFixedBudget(BudgetOptions{Clock: fc}) }
	for _, tc := range []struct {
		B       int
		W       time.Duration
		clients int
	}{{150, 10 * time.Second, 1}, {300, 10 * time.Second, 1}, {500, 10 * time.Second, 4}, {3000, 30 * time.Second, 1}} {
		name := fmt.Sprintf("B=%d W=%v clients=%d", tc.B, tc.W, tc.clients)
		const runs = 6
		var limited, steady, halved, restored, fixedLimited float64
		for seed := 1; seed <= runs; seed++ {
			W := tc.W
			cfg := simConfig{B: tc.B, W: W, Workers: 64, Clients: tc.clients, Seed: seed,
				Latency: time.Duration(10+7*seed) * time.Millisecond, Duration: 12 * W,
				Changes: []simChange{{4*W + time.Duration(seed)*W/7, tc.B / 2}, {8*W + time.Duration(seed)*W/5, tc.B}}, NewBudget: adaptive}
			ws := simulate(cfg)
			l, st := simSummary(ws, W, 4, 8)
			limited += l / runs
			steady += st / runs
			halved += float64(ws[6].OK) / (ws[6].Capacity * W.Seconds()) / runs
			restored += float64(ws[10].OK) / (ws[10].Capacity * W.Seconds()) / runs
			cfg.NewBudget = fixed
			l, _ = simSummary(simulate(cfg), W, 4, 8)
			fixedLimited += l / runs
		}
		t.Logf("%s: 429 %.2f%% (fixed budget %.2f%%), steady %.1f%% of B/W, second window after halving %.1f%%, after restoring %.1f%%",
			name, 100*limited, 100*fixedLimited, 100*steady, 100*halved, 100*restored)
		assert.LessOrEqual(t, limited, 0.02, name)
		assert.GreaterOrEqual(t, steady, 0.90, name)
		assert.GreaterOrEqual(t, halved, 0.85, name)
		assert.GreaterOrEqual(t, restored, 0.85, name)
		assert.Greater(t, fixedLimited, 3*limited, "%s: the fixed budget overruns the window more", name)
	}
}

// The heavy edge benchmark's scenario on the simulated window: B = 300 per
// W = 10 s for 10 windows, B halved at the start of window 4 and restored
// at the start of window 7, 64 in flight, the emulator's whole-second
// Retry-After. Over all windows after the first, the halving and the
// restoring included, every run (latency 1 to 21 ms, seeded random
// jitter) answers at most 2% of its attempts 429 and serves 90% of B/W or
// more. A regrowth that takes a whole window to get back to the measured
// rate served 84% to 85% here.
func TestAdaptiveBudgetEdgeBenchmarkScenario(t *testing.T) {
	const W = 10 * time.Second
	for seed := 1; seed <= 6; seed++ {
		jitter := rand.New(rand.NewPCG(uint64(seed), 7))
		ws := simulate(simConfig{B: 300, W: W, Workers: 64, Seed: seed,
			Latency: time.Duration(1+4*(seed-1)) * time.Millisecond, Duration: 10 * W,
			Changes: []simChange{{4 * W, 150}, {7 * W, 300}},
			NewBudget: func(fc *clock.Fake) Budget {
				return NewAdaptiveBudget(AdaptiveBudgetOptions{Clock: fc, Jitter: jitter.Float64})
			}})
		limited, served := simSummary(ws, W)
		per := make([]string, len(ws))
		for i, w := range ws {
			per[i] = fmt.Sprintf("%d/%d", w.OK, w.Limited)
		}
		t.Logf("seed %d: 429 %.2f%%, %.1f%% of B/W after the first window (ok/429 per window: %v)", seed, 100*limited, 100*served, per)
		assert.LessOrEqual(t, limited, 0.02, "seed %d", seed)
		assert.GreaterOrEqual(t, served, 0.90, "seed %d", seed)
		// Re-converged within two windows of each change: the second
		// window after it serves 90% of its new B or more. A probe above
		// a restored limit whose cut measured the ramp-up (the whole
		// learned window) dipped it to 85%.
		for _, second := range []struct{ i, b int }{{5, 150}, {8, 300}} {
			assert.GreaterOrEqual(t, ws[second.i].OK, second.b*9/10, "seed %d: window %d", seed, second.i)
		}
	}
}

// A 429 whose Retry-After is under a second (a burst limiter's, a
// proxy's, a chaos fault's) sets its cool-down and cuts nothing: 429s of
// that kind arriving at random must not pace every later request. One of a
// second or more, or one without a Retry-After, cuts.
func TestAdaptiveBudgetSubSecondRetryAfterOnlyCoolsDown(t *testing.T) {
	fc := clock.NewFake()
	b := newTestAdaptive(fc, AdaptiveBudgetOptions{})
	for range 20 {
		serve(b, fc, 100, 500*time.Millisecond)
		observe429(b, fc, 50*time.Millisecond)
		until, _ := b.Until()
		assert.Equal(t, fc.Now().Add(50*time.Millisecond), until, "the cool-down is set")
	}
	_, throttled := b.Rate()
	assert.False(t, throttled, "twenty sub-second 429s cut nothing")

	observe429(b, fc, 999*time.Millisecond)
	_, throttled = b.Rate()
	assert.False(t, throttled, "999 ms is still under a second")

	b.Observe(context.Background(), Outcome{Status: http.StatusTooManyRequests, At: fc.Now()})
	r, throttled := b.Rate()
	assert.True(t, throttled, "a 429 without a Retry-After cuts")
	assert.Less(t, r, 200.0)

	b2 := newTestAdaptive(fc, AdaptiveBudgetOptions{})
	serve(b2, fc, 100, 500*time.Millisecond)
	observe429(b2, fc, time.Second)
	_, throttled = b2.Rate()
	assert.True(t, throttled, "a whole second cuts")
}

// The rate gauge does not keep its budget alive: once a budget is garbage,
// it is collected and its gauge reports no more.
func TestAdaptiveGaugeLeavesWithItsBudget(t *testing.T) {
	o := newOtelHarness(t)
	points := func() int {
		g, ok := o.metrics(t)["spotify.client.rate_limit.rate"]
		if !ok {
			return 0
		}
		return len(g.Data.(metricdata.Gauge[float64]).DataPoints)
	}
	live := func() weak.Pointer[AdaptiveBudget] {
		b := NewAdaptiveBudget(AdaptiveBudgetOptions{MeterProvider: o.mp})
		require.Equal(t, 1, points(), "a live budget's rate is reported")
		return weak.Make(b)
	}()
	require.Eventually(t, func() bool {
		runtime.GC()
		return live.Value() == nil
	}, 5*time.Second, 10*time.Millisecond, "the meter keeps the budget alive")
	require.Eventually(t, func() bool {
		runtime.GC()
		return points() == 0
	}, 5*time.Second, 10*time.Millisecond, "the gauge still reports a budget that is gone")
}
