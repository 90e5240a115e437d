// Command report runs the benchmarks of bench/ and writes bench/RESULTS.md
// (the medians with benchstat's spread, the targets of issues 10 and 15 with
// PASS/MISS, the machine and the command) and bench/throughput.svg (the
// AsyncClient's import throughput against concurrency). Run it from bench/:
//
//	cd bench && go run ./cmd/report          # -count 10
//	cd bench && go run ./cmd/report -quick   # -count 1
//	cd bench && go run ./cmd/report -gate    # exit 1 when a hard gate is missed
//
// The import benchmarks run with SPOTIFY_BENCH_HEAVY=1 (20 ms latency,
// concurrency 1..64, a 100,000-track import). -bench narrows the other
// benchmarks to a go test -bench pattern and -import=false leaves the import
// out, for a quick look:
//
//	cd bench && go run ./cmd/report -count 2 -bench 'AlbumGet|TrackGet' -import=false -out /tmp
//
// -in parses a saved `go test -bench` output instead of running anything.
//
// The edge benchmark of issue 16 (BenchmarkEdge, heavy) runs too, unless
// -edge=false, and writes its section of RESULTS.md and edge.svg; alone,
// it changes only that section:
//
//	cd bench && go run ./cmd/report -bench '' -import=false
//	cd bench && go run ./cmd/report -bench '' -import=false -edge-in /tmp/edge.json
//
// The fleet benchmarks of issue 19 (BenchmarkFleet, heavy, and
// BenchmarkFleetCost) run too, unless -fleet=false, on the Redis server of
// SPOTIFY_TEST_REDIS_URL or a redis-server the report starts, and write
// their section of RESULTS.md (-fleet-in and -fleet-cost-in read saved
// outputs instead).
//
// Every figure is the median over the runs, every ratio the ratio of two
// medians (issue 15's time ratios excepted: the median of the ratios
// BenchmarkPairedCall measures within each run); beside each stands
// benchstat's ± (golang.org/x/perf/benchmath: the 95% confidence interval
// of the median, which needs at least 6 runs).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Benchmark sets: the light ones, and the import ones run heavy.
const (
	lightSet  = "Stages|Chain|AlbumGet|TrackGet|PairedCall|Cache|DecodeAlbum"
	importSet = "Import"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("report: ")
	count := flag.Int("count", 10, "runs of each benchmark (rounds of go test -count 1 for the light set, go test -count for the heavy one); benchstat's spread needs 6 or more")
	quick := flag.Bool("quick", false, "one run of each benchmark (-count 1)")
	bench := flag.String("bench", lightSet, "the benchmarks to run besides the import ones (a go test -bench pattern)")
	imports := flag.Bool("import", true, "run the import benchmarks (heavy: several minutes)")
	gate := flag.Bool("gate", false, "exit with status 1 when a hard gate (issue 15's allocations) is missed or not measured")
	in := flag.String("in", "", "parse this saved go test -bench output instead of running the benchmarks")
	out := flag.String("out", ".", "folder for RESULTS.md and throughput.svg")
	edge := flag.Bool("edge", true, "run the edge benchmark of issue 16 (heavy: about two minutes) and write its section of RESULTS.md and edge.svg")
	edgeIn := flag.String("edge-in", "", "read this saved SPOTIFY_EDGE_OUT file of the edge benchmark instead of running it")
	fleet := flag.Bool("fleet", true, "run the fleet benchmarks of issue 19 (heavy: about two minutes; a Redis server) and write their section of RESULTS.md")
	fleetIn := flag.String("fleet-in", "", "read this saved SPOTIFY_FLEET_OUT file of the fleet benchmark instead of running it")
	fleetCostIn := flag.String("fleet-cost-in", "", "with -fleet-in: this saved go test output of BenchmarkFleetCost")
	flag.Parse()
	if *quick {
		*count = 1
	}
	if *count < 1 {
		log.Fatalf("-count %d: want 1 or more", *count)
	}

	if *in == "" && *bench == "" && !*imports {
		// The edge figures alone: only their section of RESULTS.md changes.
		edgeStep(*edge, *edgeIn, *out)
		fleetStep(*fleet, *fleetIn, *fleetCostIn, *out)
		return
	}
	var raw bytes.Buffer
	var commands []string
	if *in != "" {
		data, err := os.ReadFile(*in)
		if err != nil {
			log.Fatal(err)
		}
		raw.Write(data)
		commands = append(commands, "go run ./cmd/report -in "+*in)
	} else {
		for _, set := range benchSets(*bench, *imports) {
			// The light set runs count rounds of -count 1, so that the two
			// sides of a ratio (a client and raw net/http) are measured
			// side by side in every round: one -count N run measures all N
			// of one side, then all N of the other, and the drift of a
			// shared machine between them lands in the ratio. The heavy
			// set, minutes per run, runs once with -count N.
			rounds, perRound := *count, 1
			if set.heavy {
				rounds, perRound = 1, *count
			}
			for round := range rounds {
				args := []string{"test", "-run", "xxx", "-bench", set.bench, "-benchmem", "-count", fmt.Sprint(perRound), "."}
				cmd := exec.Command("go", args...)
				cmd.Env = os.Environ()
				quoted := make([]string, len(args))
				for i, a := range args {
					quoted[i] = shellQuote(a)
				}
				line := "go " + strings.Join(quoted, " ")
				if set.heavy {
					cmd.Env = append(cmd.Env, "SPOTIFY_BENCH_HEAVY=1")
					line = "SPOTIFY_BENCH_HEAVY=1 " + line
				}
				log.Print(line)
				if round == 0 {
					if rounds > 1 {
						line = fmt.Sprintf("for i in $(seq %d); do %s; done", rounds, line)
					}
					commands = append(commands, line)
				}
				cmd.Stdout = io.MultiWriter(&raw, os.Stderr)
				cmd.Stderr = os.Stderr
				if err := cmd.Run(); err != nil {
					log.Fatalf("%s: %v", line, err)
				}
			}
		}
	}
	results, err := Parse(&raw)
	if err != nil {
		log.Fatal(err)
	}
	if len(results) == 0 {
		log.Fatal("no benchmark lines in the output")
	}
	s := Summarize(results)
	ts := Targets(s)
	md := Markdown(s, ts, machine(), invocation(os.Args[1:]), commands)
	md = ProtocolsInto(md, s) // protocols.go
	if err := os.WriteFile(*out+"/RESULTS.md", []byte(md), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out+"/throughput.svg", []byte(ThroughputSVG(Throughput(s))), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s/RESULTS.md and %s/throughput.svg", *out, *out)
	edgeStep(*edge, *edgeIn, *out)
	fleetStep(*fleet, *fleetIn, *fleetCostIn, *out)
	if *gate {
		if msg := gateMessage(Missed(ts)); msg != "" {
			log.Print(msg)
			os.Exit(1)
		}
		log.Print("every hard gate is met")
	}
}

// invocation is the command line that ran the report, its arguments quoted
// for a shell.
func invocation(args []string) string {
	line := "cd bench && go run ./cmd/report"
	for _, a := range args {
		line += " " + shellQuote(a)
	}
	return line
}

// benchSet is one go test run: a -bench pattern, heavy or not.
type benchSet struct {
	bench string
	heavy bool
}

// benchSets returns the go test runs: the benchmarks matching pattern
// (none when it is empty) and, when imports is set, the import ones heavy.
func benchSets(pattern string, imports bool) []benchSet {
	var sets []benchSet
	if pattern != "" {
		sets = append(sets, benchSet{pattern, false})
	}
	if imports {
		sets = append(sets, benchSet{importSet, true})
	}
	return sets
}

// gateMessage says which hard gates were missed, "" when none was.
func gateMessage(missed []Target) string {
	if len(missed) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d hard gate(s) missed:", len(missed))
	for _, t := range missed {
		meas := t.Measured
		if !t.Known {
			meas = "not measured (" + t.Basis + ")"
		}
		fmt.Fprintf(&b, "\n  %s: %s, goal %s", t.What, meas, t.Goal)
	}
	return b.String()
}

// Machine describes where the benchmarks ran.
type Machine struct {
	CPUs     int
	OS, Arch string
	CPU      string // model name from /proc/cpuinfo, "" when unknown
	Go       string
	Date     time.Time
}

func machine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), OS: runtime.GOOS, Arch: runtime.GOARCH, Go: runtime.Version(), Date: time.Now().UTC()}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPU = cpuModel(string(data))
	}
	if out, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		if v := strings.TrimSpace(string(out)); v != "" {
			m.Go = v
		}
	}
	return m
}

// cpuModel returns the first "model name" of a /proc/cpuinfo text.
func cpuModel(cpuinfo string) string {
	for line := range strings.Lines(cpuinfo) {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe
// characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
