package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spotifysdk/spotify-go/bench"
)

// The fleet figures (issue 19): BenchmarkFleet (four worker processes
// sharing the Budget through Redis, beside four with local Budgets) writes
// its figures to SPOTIFY_FLEET_OUT, and BenchmarkFleetCost measures the
// cost per request of the shared Budget and the Redis cache against their
// local twins; this file runs both on a Redis server (SPOTIFY_TEST_REDIS_URL,
// or a redis-server of its own) and writes their section of RESULTS.md.

// FleetRun is the shape of BenchmarkFleet's figures.
type FleetRun = bench.FleetRun

// Section markers of the fleet figures in RESULTS.md.
const (
	fleetBegin = "<!-- fleet:begin -->"
	fleetEnd   = "<!-- fleet:end -->"
)

// fleetCostRuns is how many runs of BenchmarkFleetCost the report takes
// (benchstat's spread needs 6).
const fleetCostRuns = 6

// fleetStep runs the fleet benchmarks (or reads their saved outputs: in,
// the SPOTIFY_FLEET_OUT JSON, and costIn, the go test output of
// BenchmarkFleetCost) and writes their section into dir's RESULTS.md; it
// does nothing when neither is asked for.
func fleetStep(run bool, in, costIn, dir string) {
	if !run && in == "" {
		return
	}
	var runs []FleetRun
	var cost Summary
	var commands []string
	err := func() error {
		if in != "" {
			data, err := os.ReadFile(in)
			if err != nil {
				return err
			}
			if err := json.Unmarshal(data, &runs); err != nil {
				return fmt.Errorf("%s: %w", in, err)
			}
			commands = append(commands, "go run ./cmd/report -fleet-in "+in)
			if costIn != "" {
				data, err := os.ReadFile(costIn)
				if err != nil {
					return err
				}
				res, err := Parse(bytes.NewReader(data))
				if err != nil {
					return err
				}
				cost = Summarize(res)
				commands[0] += " -fleet-cost-in " + costIn
			}
			return nil
		}
		stop, err := ensureRedis()
		if err != nil {
			return err
		}
		defer stop()
		runs, cost, commands, err = runFleet()
		return err
	}()
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "RESULTS.md")
	doc, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		log.Fatal(err)
	}
	md := FleetMarkdown(runs, cost, commands)
	if err := os.WriteFile(path, []byte(withSection(string(doc), fleetBegin, fleetEnd, md)), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote the fleet section of %s", path)
}

// ensureRedis makes sure SPOTIFY_TEST_REDIS_URL names a Redis server: when
// it is unset it starts a redis-server of its own on a free loopback port,
// without persistence, which stop stops.
func ensureRedis() (stop func(), err error) {
	if os.Getenv("SPOTIFY_TEST_REDIS_URL") != "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir, err := os.MkdirTemp("", "report-redis-*")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("the fleet benchmarks need a Redis server: set SPOTIFY_TEST_REDIS_URL or put redis-server on PATH: %w", err)
	}
	stop = func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		os.RemoveAll(dir)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("redis-server on port %d does not answer", port)
		}
	}
	os.Setenv("SPOTIFY_TEST_REDIS_URL", fmt.Sprintf("redis://127.0.0.1:%d/0", port))
	log.Printf("started redis-server on port %d", port)
	return stop, nil
}

// runFleet runs BenchmarkFleet once, heavy, and BenchmarkFleetCost
// fleetCostRuns times, and returns their figures and command lines.
func runFleet() ([]FleetRun, Summary, []string, error) {
	f, err := os.CreateTemp("", "fleet-*.json")
	if err != nil {
		return nil, Summary{}, nil, err
	}
	f.Close()
	defer os.Remove(f.Name())
	var commands []string
	goTest := func(env []string, args ...string) ([]byte, error) {
		cmd := exec.Command("go", append([]string{"test", "-run", "xxx"}, args...)...)
		cmd.Env = append(os.Environ(), env...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.MultiWriter(&out, os.Stderr), os.Stderr
		line := strings.TrimSpace(strings.Join(env, " ") + " go test -run xxx " + strings.Join(args, " "))
		log.Print(line)
		commands = append(commands, line)
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("%s: %w", line, err)
		}
		return out.Bytes(), nil
	}
	if _, err := goTest([]string{"SPOTIFY_BENCH_HEAVY=1", "SPOTIFY_FLEET_OUT=" + f.Name()},
		"-bench", "^BenchmarkFleet$", "-benchtime", "1x", "."); err != nil {
		return nil, Summary{}, commands, err
	}
	data, err := os.ReadFile(f.Name())
	if err != nil {
		return nil, Summary{}, commands, err
	}
	var runs []FleetRun
	if err := json.Unmarshal(data, &runs); err != nil {
		return nil, Summary{}, commands, fmt.Errorf("SPOTIFY_FLEET_OUT: %w", err)
	}
	out, err := goTest(nil, "-bench", "^BenchmarkFleetCost$", "-benchmem", "-count", strconv.Itoa(fleetCostRuns), ".")
	if err != nil {
		return runs, Summary{}, commands, err
	}
	res, err := Parse(bytes.NewReader(out))
	if err != nil {
		return runs, Summary{}, commands, err
	}
	return runs, Summarize(res), commands, nil
}

// FleetMarkdown renders the fleet section: the two setups side by side,
// the targets of issue 19 with PASS/MISS, and the cost per request.
func FleetMarkdown(runs []FleetRun, cost Summary, commands []string) string {
	var b strings.Builder
	b.WriteString(fleetBegin + "\n## Beyond one process: the Budget shared through Redis (issue 19)\n\n")
	if len(runs) > 0 {
		r0 := runs[0]
		fmt.Fprintf(&b, "%d worker processes of one app call `Albums.Get`, %d calls in flight each, against one emulator "+
			"whose rolling window of B = %d requests per W = %v (its computed Retry-After: whole seconds until a slot "+
			"frees) they are not told; %d windows. \"shared\": each worker's Budget is a `redisbudget.Budget` over a "+
			"`middleware.AdaptiveBudget` (the 429 cool-down and the learned rate shared through one redis-server); "+
			"\"local\": each worker's own `AdaptiveBudget` (the client's default). Both setups ran at the same time, each on "+
			"an emulator of its own, on a busy 2-core machine. 429s and successes are counted from the emulator's served "+
			"log; \"early\" are the requests of any worker that left their Budget after a worker had taken in a 429 "+
			"(stored it in Redis, when shared) and before its deadline (its arrival plus its Retry-After), from the "+
			"workers' own records, except those in flight (their Budget check began before and they left within 100 ms).\n\n",
			r0.Workers, r0.Concurrency, r0.B, r0.W, r0.Windows)
		b.WriteString("| setup | 429s / requests after the first window | successes / B·W after the first window | first window: 429s / requests | early requests (most by) | failed calls | successes per worker |\n")
		b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n")
		for _, r := range runs {
			per := make([]string, len(r.PerWorker))
			for i, n := range r.PerWorker {
				per[i] = strconv.Itoa(n)
			}
			fmt.Fprintf(&b, "| %s | %s (%d of %d) | %s | %s (%d of %d) | %d (%v) | %d | %s |\n", r.Setup,
				pct(r.Rest.LimitedShare()), r.Rest.Limited, r.Rest.Sent, pct(r.Rest.OfCapacity()),
				pct(r.First.LimitedShare()), r.First.Limited, r.First.Sent, r.Early, r.EarliestBy.Round(time.Millisecond),
				r.Failed, strings.Join(per, ", "))
		}
		b.WriteString("\n" + verdictTable(19, fleetTargets(runs)))
	}
	if len(cost.Names) > 0 {
		b.WriteString("\nCost per request against the local twins (measured in one session on the same machine, a busy one; medians with benchstat's ± over the runs): " +
			"the Budget is one Wait and one Observe of a 200, the cache a hit on a 2 KiB entry.\n\n")
		b.WriteString("| benchmark | ns/op | B/op | allocs/op |\n| --- | ---: | ---: | ---: |\n")
		for _, name := range cost.Names {
			row := "| " + strings.TrimPrefix(name, "BenchmarkFleetCost/")
			for _, u := range []string{"ns/op", "B/op", "allocs/op"} {
				if sp, ok := cost.Spread(name, u); ok {
					row += " | " + sp.String()
				} else {
					row += " | –"
				}
			}
			b.WriteString(row + " |\n")
		}
	}
	if len(commands) > 0 {
		b.WriteString("\nCommands: `" + strings.Join(commands, "`, `") + "`.\n")
	}
	b.WriteString("\n" + fleetEnd + "\n")
	return b.String()
}

// fleetTargets checks the Done-when figures of issue 19 on the shared
// setup.
func fleetTargets(runs []FleetRun) []edgeTarget {
	var ts []edgeTarget
	for _, r := range runs {
		if r.Setup != "shared" {
			continue
		}
		ts = append(ts,
			edgeTarget{"shared: 429s (after the first window)", "≤ 1% of requests", pct(r.Rest.LimitedShare()), r.Rest.LimitedShare() <= 0.01},
			edgeTarget{"shared: requests before a Retry-After deadline", "0 beyond those in flight", strconv.Itoa(r.Early), r.Early == 0},
			edgeTarget{"shared: successes per second (after the first window)", "≥ 90% of B/W", pct(r.Rest.OfCapacity()), r.Rest.OfCapacity() >= 0.9})
	}
	return ts
}
