// Command report runs the benchmarks of bench/ and writes bench/RESULTS.md
// (the medians, the targets of issue 10 with PASS/MISS, the machine and the
// command) and bench/throughput.svg (the AsyncClient's import throughput
// against concurrency). Run it from bench/:
//
//	cd bench && go run ./cmd/report          # -count 6
//	cd bench && go run ./cmd/report -quick   # -count 1
//
// The import benchmarks run with SPOTIFY_BENCH_HEAVY=1 (20 ms latency,
// concurrency 1..64, a 100,000-track import). -in parses a saved `go test
// -bench` output instead of running anything.
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
	lightSet  = "Stages|Chain|AlbumGet|TrackGet|Cache|DecodeAlbum"
	importSet = "Import"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("report: ")
	count := flag.Int("count", 6, "runs of each benchmark (go test -count)")
	quick := flag.Bool("quick", false, "one run of each benchmark (-count 1)")
	in := flag.String("in", "", "parse this saved go test -bench output instead of running the benchmarks")
	out := flag.String("out", ".", "folder for RESULTS.md and throughput.svg")
	flag.Parse()
	if *quick {
		*count = 1
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
		for _, set := range []struct {
			bench string
			heavy bool
		}{{lightSet, false}, {importSet, true}} {
			args := []string{"test", "-run", "xxx", "-bench", set.bench, "-benchmem", "-count", fmt.Sprint(*count), "."}
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
			commands = append(commands, line)
			cmd.Stdout = io.MultiWriter(&raw, os.Stderr)
			cmd.Stderr = os.Stderr
			if err := cmd.Run(); err != nil {
				log.Fatalf("%s: %v", line, err)
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
	invocation := "cd bench && go run ./cmd/report " + strings.Join(os.Args[1:], " ")
	md := Markdown(s, Targets(s), machine(), strings.TrimSpace(invocation), commands)
	if err := os.WriteFile(*out+"/RESULTS.md", []byte(md), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out+"/throughput.svg", []byte(ThroughputSVG(Throughput(s))), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s/RESULTS.md and %s/throughput.svg", *out, *out)
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
