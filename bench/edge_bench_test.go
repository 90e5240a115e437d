package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
	"github.com/spotifysdk/spotify-go/transport"
)

// The edge benchmark: Albums.Get at concurrency 64 against the emulator's
// rolling rate window (B requests per W, with its computed whole-second
// Retry-After), which the client is not told. Midway the emulator halves B
// and later restores it. It runs four setups at once, each on an emulator
// of its own: the default client (an adaptive budget), four independent
// clients (four budgets, 16 calls in flight each, one app), and the same
// two with the fixed budget that was the default before (WithAdaptiveRate
// (nil): 429 cool-downs only).
//
// With SPOTIFY_BENCH_HEAVY set: B = 300 per W = 10 s, 10 windows, halved
// at window 4 and restored at window 7. Otherwise a CI-sized run: B = 50
// per W = 1 s, 6 windows, halved at 2 and restored at 4 (the whole-second
// Retry-After is a whole window there, so its figures are no measure of
// the budget). With SPOTIFY_EDGE_OUT set, the figures of every setup,
// window by window, are written there as JSON for cmd/report.

// edgeSize is the size of a run.
type edgeSize struct {
	B       int
	W       time.Duration
	Windows int
	Halve   int // the window at whose start B is halved
	Restore int // the window at whose start B is restored
}

func edgeSizeFor() edgeSize {
	if heavy() {
		return edgeSize{B: 300, W: 10 * time.Second, Windows: 10, Halve: 4, Restore: 7}
	}
	return edgeSize{B: 50, W: time.Second, Windows: 6, Halve: 2, Restore: 4}
}

// edgeProbe counts the attempts that left the budget, by window and
// answer, as a per-attempt stage below the ratelimit stage.
type edgeProbe struct {
	start  time.Time
	w      time.Duration
	slices int // per window
	client int
	run    *edgeRecorder
}

// edgeRecorder holds a run's counts.
type edgeRecorder struct {
	mu      sync.Mutex
	windows []EdgeWindow
	slices  []int
}

func (p *edgeProbe) stage() transport.Stage {
	return transport.Stage{Name: "edge-probe", Wrap: func(next http.RoundTripper) http.RoundTripper {
		return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			sent := time.Since(p.start)
			resp, err := next.RoundTrip(req)
			i := int(sent / p.w)
			s := int(sent * time.Duration(p.slices) / p.w)
			p.run.mu.Lock()
			defer p.run.mu.Unlock()
			if i >= len(p.run.windows) {
				return resp, err
			}
			w := &p.run.windows[i]
			w.Sent++
			switch {
			case err != nil:
			case resp.StatusCode == http.StatusTooManyRequests:
				w.Limited++
			default:
				w.OK++
				w.PerClient[p.client]++
				p.run.slices[s]++
			}
			return resp, err
		})
	}}
}

// runEdge runs one setup for the windows of sz and returns what it
// measured.
func runEdge(b *testing.B, setup string, clients int, adaptive bool, sz edgeSize) EdgeRun {
	const concurrency, slices = 64, 4
	srv := spotifytest.NewServer(spotifytest.WithRateLimit(sz.B, sz.W))
	defer srv.Close()
	ids := srv.Catalog().IDs(spotifytest.KindAlbum, 2000)
	rec := &edgeRecorder{windows: make([]EdgeWindow, sz.Windows), slices: make([]int, sz.Windows*slices)}
	for i := range rec.windows {
		rec.windows[i].PerClient = make([]int, clients)
	}
	start := time.Now()
	cs := make([]*spotify.Client, clients)
	for i := range cs {
		p := &edgeProbe{start: start, w: sz.W, slices: slices, client: i, run: rec}
		opts := append(srv.ClientOptions(),
			spotify.WithClientCredentials(spotifytest.ClientID, spotifytest.ClientSecret),
			spotify.WithCache(nil), // every call reaches the emulator
			spotify.WithConcurrency(concurrency/clients),
			spotify.WithMiddleware(p.stage(), spotify.After(middleware.StageRateLimit)))
		if !adaptive {
			opts = append(opts, spotify.WithAdaptiveRate(nil))
		}
		c, err := spotify.NewClient(opts...)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		cs[i] = c
	}
	run := EdgeRun{Setup: setup, Clients: clients, Adaptive: adaptive, B: sz.B, W: sz.W, Concurrency: concurrency,
		Changes: []EdgeChange{{sz.Halve, sz.B / 2}, {sz.Restore, sz.B}}}
	// New calls start until the last window ends; the calls then in
	// flight finish (a call's context bounds it at a few minutes).
	end := start.Add(time.Duration(sz.Windows) * sz.W)
	time.AfterFunc(time.Until(start.Add(time.Duration(sz.Halve)*sz.W)), func() { srv.SetRateLimit(sz.B/2, sz.W) })
	time.AfterFunc(time.Until(start.Add(time.Duration(sz.Restore)*sz.W)), func() { srv.SetRateLimit(sz.B, sz.W) })
	var failed atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	for i, c := range cs {
		for range concurrency / clients {
			wg.Go(func() {
				for time.Now().Before(end) {
					id := ids[int(next.Add(1))%len(ids)]
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
					_, err := c.Albums.Get(ctx, id, nil)
					cancel()
					if err != nil && failed.Add(1) <= 3 {
						b.Logf("%s client %d: %v", setup, i, err)
					}
				}
			})
		}
	}
	wg.Wait()
	run.Failed = int(failed.Load())
	rec.mu.Lock()
	defer rec.mu.Unlock()
	run.Windows = rec.windows
	for i := range run.Windows {
		bw := sz.B
		for _, ch := range run.Changes {
			if i >= ch.Window {
				bw = ch.B
			}
		}
		run.Windows[i].Capacity = float64(bw) / sz.W.Seconds()
	}
	for _, n := range rec.slices {
		run.Slices = append(run.Slices, float64(n)*slices/sz.W.Seconds())
	}
	return run
}

// edgeFigures sums the windows after the first: the share of attempts
// answered 429, and the successful attempts per second over B/W.
func edgeFigures(r EdgeRun) (limited, ofCapacity float64) {
	sent, lim, ok, capa := 0, 0, 0, 0.0
	for _, w := range r.Windows[1:] {
		sent, lim, ok = sent+w.Sent, lim+w.Limited, ok+w.OK
		capa += w.Capacity * r.W.Seconds()
	}
	if sent == 0 || capa == 0 {
		return 0, 0
	}
	return float64(lim) / float64(sent), float64(ok) / capa
}

func BenchmarkEdge(b *testing.B) {
	sz := edgeSizeFor()
	setups := []struct {
		name     string
		clients  int
		adaptive bool
	}{{"adaptive", 1, true}, {"adaptive-4-clients", 4, true}, {"fixed", 1, false}, {"fixed-4-clients", 4, false}}
	for range b.N {
		runs := make([]EdgeRun, len(setups))
		var wg sync.WaitGroup
		for i, s := range setups {
			wg.Go(func() { runs[i] = runEdge(b, s.name, s.clients, s.adaptive, sz) })
		}
		wg.Wait()
		for _, r := range runs {
			limited, ofCap := edgeFigures(r)
			b.Logf("%s: %.2f%% of attempts 429, %d failed, %.1f%% of B/W after the first window", r.Setup, 100*limited, r.Failed, 100*ofCap)
		}
		limited, ofCap := edgeFigures(runs[0])
		b.ReportMetric(100*limited, "pct429")
		b.ReportMetric(100*ofCap, "pctBW")
		b.ReportMetric(float64(runs[0].Failed), "failed")
		if out := os.Getenv("SPOTIFY_EDGE_OUT"); out != "" {
			data, err := json.MarshalIndent(runs, "", "  ")
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(out, data, 0o644); err != nil {
				b.Fatal(fmt.Errorf("SPOTIFY_EDGE_OUT: %w", err))
			}
		}
	}
}
