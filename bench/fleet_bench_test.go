package bench

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/middleware/redisbudget"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// The fleet benchmark (issue 19): four worker PROCESSES (this test binary
// started again, running TestFleetWorker) of one app call Albums.Get, 16
// calls in flight each, against ONE emulator whose rolling window of B
// requests per W (its Retry-After computed, whole seconds) they are not
// told. Two setups run side by side, each on an emulator and a Redis key
// prefix of its own: "shared" (each worker's Budget is a
// redisbudget.Budget over an AdaptiveBudget: the 429 cool-down and the
// learned rate shared through Redis) and "local" (each worker's own
// AdaptiveBudget, the default of a client). The figures come from the
// emulator's served log (429s and successes in the first window and in
// the windows after it) and from the workers' own records: every worker
// notes when each request's Budget check began and when it left, and for
// each 429 when it had taken it in (stored it in Redis, when shared) and
// the deadline it names (its arrival plus its Retry-After); a request of
// any worker that left after a 429 was taken in and before its deadline
// is early, unless its check began before and it left within fleetGrace
// (it was in flight: it may have read Redis just before).
//
// With SPOTIFY_BENCH_HEAVY set: B = 300 per W = 10 s, 10 windows;
// otherwise a CI-sized run: B = 40 per W = 2 s, 6 windows. It needs a
// Redis server (SPOTIFY_TEST_REDIS_URL); without one it is skipped, in CI
// it fails. With SPOTIFY_FLEET_OUT set, both setups' figures are written
// there as JSON for cmd/report.

const (
	fleetWorkers     = 4
	fleetConcurrency = 16 // per worker
	// fleetTolerance is how early before a deadline a request that left
	// is not counted: Redis gives the time left in whole milliseconds.
	fleetTolerance = 2 * time.Millisecond
	// fleetGrace is how long after a worker took in a 429 a request whose
	// Budget check began before may leave and still count as in flight:
	// it may have read Redis just before the cool-down was stored (a read
	// takes well under a millisecond on an idle loopback, some
	// milliseconds on a busy machine).
	fleetGrace = 100 * time.Millisecond
	// envFleetWorker holds, in a worker process, its configuration (JSON).
	envFleetWorker = "SPOTIFY_FLEET_WORKER"
)

// fleetSize is the size of a run.
type fleetSize struct {
	B       int
	W       time.Duration
	Windows int
}

func fleetSizeFor() fleetSize {
	if heavy() {
		return fleetSize{B: 300, W: 10 * time.Second, Windows: 10}
	}
	return fleetSize{B: 40, W: 2 * time.Second, Windows: 6} // as TestFleet
}

// fleetWorkerConfig is what a worker process is told.
type fleetWorkerConfig struct {
	Emulator    string   `json:"emulator"` // the emulator's URL
	Redis       string   `json:"redis"`    // "" for a local Budget
	Prefix      string   `json:"prefix"`
	Start       int64    `json:"start"` // Unix ns: when to start new calls
	End         int64    `json:"end"`   // and when to stop
	Concurrency int      `json:"concurrency"`
	IDs         []string `json:"ids"`
	Out         string   `json:"out"` // where it writes its fleetWorkerResult
}

// fleetWorkerResult is what a worker process reports.
type fleetWorkerResult struct {
	OK     int      `json:"ok"`
	Failed int      `json:"failed"`
	Errors []string `json:"errors"` // the first few
	// Left holds, for each request, when its Budget check began and when
	// it left the Budget; Holds the 429s taken in: when, and their
	// deadline (Unix ns).
	Left  [][2]int64 `json:"left"`
	Holds [][2]int64 `json:"holds"`
}

// fleetProbe is a worker's Budget wrapped to note when requests leave
// it and the 429s it takes in.
type fleetProbe struct {
	middleware.Budget
	mu    sync.Mutex
	left  [][2]int64
	holds [][2]int64
}

func (p *fleetProbe) Wait(ctx context.Context, maxWait time.Duration) error {
	start := time.Now().UnixNano()
	err := p.Budget.Wait(ctx, maxWait)
	if err == nil {
		now := time.Now().UnixNano()
		p.mu.Lock()
		p.left = append(p.left, [2]int64{start, now})
		p.mu.Unlock()
	}
	return err
}

func (p *fleetProbe) Observe(ctx context.Context, o middleware.Outcome) {
	p.Budget.Observe(ctx, o)
	if o.Status != http.StatusTooManyRequests || !o.HasRetryAfter {
		return
	}
	now := time.Now()
	at := o.At
	if at.IsZero() {
		at = now
	}
	p.mu.Lock()
	p.holds = append(p.holds, [2]int64{now.UnixNano(), at.Add(o.RetryAfter).UnixNano()})
	p.mu.Unlock()
}

// redisURLFor returns the test Redis server's URL, skipping tb without
// one (failing it in CI).
func redisURLFor(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("SPOTIFY_TEST_REDIS_URL")
	if u == "" {
		const why = "SPOTIFY_TEST_REDIS_URL is not set: the fleet benchmark needs a Redis server " +
			"(start one: redis-server --port 6390 --save ''; then SPOTIFY_TEST_REDIS_URL=redis://127.0.0.1:6390/0)"
		if ci := os.Getenv("CI"); ci == "true" || ci == "1" {
			tb.Fatal(why)
		}
		tb.Skip(why)
	}
	return u
}

// TestFleetWorker is a worker process of the fleet benchmark; run on its
// own (without SPOTIFY_FLEET_WORKER) it is skipped.
func TestFleetWorker(t *testing.T) {
	raw := os.Getenv(envFleetWorker)
	if raw == "" {
		t.Skip("a worker process of BenchmarkFleet and TestFleet, started by them")
	}
	var cfg fleetWorkerConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatal(err)
	}
	res := runFleetWorker(t, cfg)
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg.Out, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// runFleetWorker makes the worker's client and calls Albums.Get from
// cfg.Concurrency goroutines between cfg.Start and cfg.End.
func runFleetWorker(t *testing.T, cfg fleetWorkerConfig) fleetWorkerResult {
	opts := []spotify.Option{
		spotify.WithBaseURL(cfg.Emulator + "/v1"),
		spotify.WithTokenURL(cfg.Emulator + "/api/token"),
		spotify.WithClientCredentials(spotifytest.ClientID, spotifytest.ClientSecret),
		spotify.WithCache(nil), // every call reaches the emulator
		spotify.WithConcurrency(cfg.Concurrency),
	}
	// A client's default Budget, or the same shared through Redis.
	probe := &fleetProbe{Budget: middleware.NewAdaptiveBudget(middleware.AdaptiveBudgetOptions{})}
	if cfg.Redis != "" {
		rb, err := redisbudget.New(redisbudget.Options{URL: cfg.Redis, App: spotifytest.ClientID, Prefix: cfg.Prefix,
			Local: probe.Budget, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))}) // says if Redis went away
		if err != nil {
			t.Fatal(err)
		}
		defer rb.Close()
		// Warm up as a running worker is: a Redis connection for each
		// call in flight, the scripts loaded, the worker reported.
		var wg sync.WaitGroup
		for range cfg.Concurrency {
			wg.Go(func() { _, _ = rb.Until() })
		}
		wg.Wait()
		probe.Budget = rb
	}
	opts = append(opts, spotify.WithBudget(probe))
	c, err := spotify.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	time.Sleep(time.Until(time.Unix(0, cfg.Start)))
	end := time.Unix(0, cfg.End)
	// The run's end cancels the calls still waiting for the Budget (a
	// deadline would make them fail at once instead of waiting).
	run, stop := context.WithCancel(context.Background())
	defer stop()
	time.AfterFunc(time.Until(end), stop)
	var res fleetWorkerResult
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	for range cfg.Concurrency {
		wg.Go(func() {
			for time.Now().Before(end) {
				id := cfg.IDs[int(next.Add(1))%len(cfg.IDs)]
				_, err := c.Albums.Get(run, id, nil)
				mu.Lock()
				switch {
				case run.Err() != nil: // ended by the run's end
				case err != nil:
					res.Failed++
					if len(res.Errors) < 3 {
						res.Errors = append(res.Errors, err.Error())
					}
				default:
					res.OK++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	probe.mu.Lock()
	res.Left, res.Holds = probe.left, probe.holds
	probe.mu.Unlock()
	return res
}

// runFleet runs one setup: an emulator, fleetWorkers worker processes
// sharing the Budget through Redis at redisURL ("" for local Budgets).
func runFleet(tb testing.TB, setup, redisURL string, sz fleetSize) FleetRun {
	srv := spotifytest.NewServer(spotifytest.WithRateLimit(sz.B, sz.W))
	defer srv.Close()
	var p [6]byte
	_, _ = rand.Read(p[:])
	dir := tb.TempDir()
	start := time.Now().Add(2 * time.Second) // the workers have started by then
	cfg := fleetWorkerConfig{Emulator: srv.URL, Redis: redisURL, Prefix: "spotify-go-fleet-" + hex.EncodeToString(p[:]),
		Start: start.UnixNano(), End: start.Add(time.Duration(sz.Windows) * sz.W).UnixNano(),
		Concurrency: fleetConcurrency, IDs: srv.Catalog().IDs(spotifytest.KindAlbum, 500)}
	cmds := make([]*exec.Cmd, fleetWorkers)
	outs := make([]string, fleetWorkers)
	for i := range cmds {
		cfg := cfg
		cfg.Out = fmt.Sprintf("%s/worker-%d.json", dir, i)
		outs[i] = cfg.Out
		raw, err := json.Marshal(cfg)
		if err != nil {
			tb.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestFleetWorker$", "-test.count=1")
		cmd.Env = append(os.Environ(), envFleetWorker+"="+string(raw))
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			tb.Fatal(err)
		}
		cmds[i] = cmd
	}
	run := FleetRun{Setup: setup, Workers: fleetWorkers, B: sz.B, W: sz.W, Windows: sz.Windows,
		Concurrency: fleetConcurrency}
	var errs []error
	var left, holds [][2]int64
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			errs = append(errs, fmt.Errorf("worker %d: %w", i, err))
			continue
		}
		data, err := os.ReadFile(outs[i])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var res fleetWorkerResult
		if err := json.Unmarshal(data, &res); err != nil {
			errs = append(errs, err)
			continue
		}
		run.PerWorker = append(run.PerWorker, res.OK)
		left, holds = append(left, res.Left...), append(holds, res.Holds...)
		run.Failed += res.Failed
		for _, e := range res.Errors {
			tb.Logf("%s worker %d: %s", setup, i, e)
		}
	}
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	fleetCount(&run, srv.Served(), start)
	run.Early, run.EarliestBy = earlyRequests(left, holds)
	return run
}

// fleetCount fills run's counts from the emulator's served log: the
// requests that arrived in the run's windows.
func fleetCount(run *FleetRun, served []spotifytest.Served, start time.Time) {
	var reqs []spotifytest.Served
	for _, s := range served {
		if strings.HasPrefix(s.Route, "GET /v1/") {
			reqs = append(reqs, s)
		}
	}
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].At.Before(reqs[j].At) })
	run.First.Capacity = run.B
	run.Rest.Capacity = run.B * (run.Windows - 1)
	end := start.Add(time.Duration(run.Windows) * run.W)
	for _, s := range reqs {
		if !s.At.Before(end) {
			continue // a call the run's end cancelled may still have left
		}
		c := &run.Rest
		if s.At.Sub(start) < run.W {
			c = &run.First
		}
		c.Sent++
		if s.Status == http.StatusTooManyRequests {
			c.Limited++
		} else {
			c.OK++
		}
	}
}

// earlyRequests counts the requests (left: when their Budget check began
// and when they left it, Unix ns) that left after a 429 was taken in and
// more than fleetTolerance before its deadline (holds), and whose check
// began after the 429 was taken in or that left more than fleetGrace
// after it (the others were in flight); it returns the longest time
// before a deadline one left.
func earlyRequests(left, holds [][2]int64) (int, time.Duration) {
	slices.SortFunc(left, func(a, b [2]int64) int { return cmp.Compare(a[1], b[1]) })
	early := make(map[int]bool)
	by := time.Duration(0)
	for _, h := range holds {
		taken, until := h[0], h[1]-int64(fleetTolerance)
		i, _ := slices.BinarySearchFunc(left, taken+1, func(e [2]int64, t int64) int { return cmp.Compare(e[1], t) })
		for ; i < len(left) && left[i][1] < until; i++ {
			if left[i][0] > taken || left[i][1] > taken+int64(fleetGrace) {
				early[i] = true
				by = max(by, time.Duration(h[1]-left[i][1]))
			}
		}
	}
	return len(early), by
}

// fleetRuns runs both setups side by side.
func fleetRuns(tb testing.TB, sz fleetSize) []FleetRun {
	url := redisURLFor(tb)
	runs := make([]FleetRun, 2)
	var wg sync.WaitGroup
	wg.Go(func() { runs[0] = runFleet(tb, "shared", url, sz) })
	wg.Go(func() { runs[1] = runFleet(tb, "local", "", sz) })
	wg.Wait()
	return runs
}

// logFleet logs the figures of runs.
func logFleet(tb testing.TB, runs []FleetRun) {
	for _, r := range runs {
		tb.Logf("%s: after the first window %.2f%% of %d requests 429, %.1f%% of B/W; first window %d of %d 429; "+
			"%d early (by up to %v); %d failed calls; per worker %v",
			r.Setup, 100*r.Rest.LimitedShare(), r.Rest.Sent, 100*r.Rest.OfCapacity(), r.First.Limited, r.First.Sent,
			r.Early, r.EarliestBy, r.Failed, r.PerWorker)
	}
}

func BenchmarkFleet(b *testing.B) {
	sz := fleetSizeFor()
	for range b.N {
		runs := fleetRuns(b, sz)
		logFleet(b, runs)
		b.ReportMetric(100*runs[0].Rest.LimitedShare(), "pct429")
		b.ReportMetric(100*runs[0].Rest.OfCapacity(), "pctBW")
		b.ReportMetric(float64(runs[0].Early), "early")
		if out := os.Getenv("SPOTIFY_FLEET_OUT"); out != "" {
			data, err := json.MarshalIndent(runs, "", "  ")
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(out, data, 0o644); err != nil {
				b.Fatal(fmt.Errorf("SPOTIFY_FLEET_OUT: %w", err))
			}
		}
	}
}
