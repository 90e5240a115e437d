package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/spotifysdk/spotify-go/bench
cpu: AMD EPYC
BenchmarkStages/bare-2           	 1608069	       734.0 ns/op	    1116 B/op	       9 allocs/op
BenchmarkStages/full-2           	   93627	     12810 ns/op	    9626 B/op	      64 allocs/op
BenchmarkStages/full-2           	   93627	     12000 ns/op	    9626 B/op	      64 allocs/op
BenchmarkStages/full-2           	   93627	     13000 ns/op	    9626 B/op	      66 allocs/op
BenchmarkAlbumGet/raw-codec-2    	    6000	    186700 ns/op	   53043 B/op	     215 allocs/op
BenchmarkAlbumGet/spotify-go-2   	    6000	    209700 ns/op	   62054 B/op	     308 allocs/op
BenchmarkAlbumGet/zmb3-2         	    2000	    543500 ns/op	  227123 B/op	    2684 allocs/op
BenchmarkImportThroughput/c=64-2 	       1	 2600000 ns/op	        90.00 ideal%	      2880 req/s	  512352 B/op	    4667 allocs/op
BenchmarkImportPeakHeap          	       1	61987573 ns/op	        10.41 peak-heap-MiB
--- BENCH: BenchmarkSomething-2
    bench_test.go:12: a log line
BenchmarkBroken-2 notanumber 12 ns/op
PASS
ok  	github.com/spotifysdk/spotify-go/bench	0.135s
`

func TestParseLine(t *testing.T) {
	r, ok := ParseLine("BenchmarkImportThroughput/c=64-2 \t 1\t 2600000 ns/op\t 90.00 ideal%\t 2880 req/s\t 512352 B/op\t 4667 allocs/op")
	if !ok {
		t.Fatal("not parsed")
	}
	if r.Name != "BenchmarkImportThroughput/c=64" || r.N != 1 {
		t.Fatalf("got %+v", r)
	}
	want := map[string]float64{"ns/op": 2600000, "ideal%": 90, "req/s": 2880, "B/op": 512352, "allocs/op": 4667}
	for u, v := range want {
		if r.Values[u] != v {
			t.Errorf("%s = %v, want %v", u, r.Values[u], v)
		}
	}
	if len(r.Values) != len(want) {
		t.Errorf("values %v", r.Values)
	}
	// No -procs suffix (GOMAXPROCS=1), and a name with a dash in it.
	r, ok = ParseLine("BenchmarkAlbumGet/raw-codec 100 5 ns/op")
	if !ok || r.Name != "BenchmarkAlbumGet/raw-codec" || r.Values["ns/op"] != 5 {
		t.Fatalf("got %+v, %v", r, ok)
	}
	for _, line := range []string{"", "PASS", "goos: linux", "--- BENCH: BenchmarkX-2", "BenchmarkX-2 1 5", "BenchmarkX-2 x 5 ns/op", "BenchmarkX-2 1 five ns/op"} {
		if _, ok := ParseLine(line); ok {
			t.Errorf("ParseLine(%q) parsed", line)
		}
	}
}

func TestParseAndSummarize(t *testing.T) {
	rs, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 9 {
		t.Fatalf("parsed %d lines, want 9", len(rs))
	}
	s := Summarize(rs)
	if s.Runs["BenchmarkStages/full"] != 3 {
		t.Errorf("runs %v", s.Runs)
	}
	if v, _ := s.Get("BenchmarkStages/full", "ns/op"); v != 12810 {
		t.Errorf("median ns/op %v, want 12810", v)
	}
	if v, _ := s.Get("BenchmarkStages/full", "allocs/op"); v != 64 {
		t.Errorf("median allocs %v, want 64", v)
	}
	if s.Names[0] != "BenchmarkStages/bare" || s.Names[1] != "BenchmarkStages/full" {
		t.Errorf("order %v", s.Names)
	}
	ts := Targets(s)
	verdicts := map[string]string{}
	for _, tg := range ts {
		verdicts[tg.What] = tg.Verdict()
	}
	want := map[string]string{
		"full chain cost vs a loopback Albums.Get with the same codec": "MISS", // 12076/186700 = 6.5%
		"allocations of the chain over the bare transport":             "PASS", // 55
		"Albums.Get time vs zmb3/spotify v2.4.3":                       "PASS",
		"Albums.Get bytes vs zmb3/spotify v2.4.3":                      "PASS",
		"import throughput at concurrency 64, 20 ms latency":           "PASS",
		"peak heap during a 100,000-track import":                      "PASS",
	}
	for k, v := range want {
		if verdicts[k] != v {
			t.Errorf("%s: %s, want %s", k, verdicts[k], v)
		}
	}
	if len(Throughput(s)) != 1 {
		t.Errorf("throughput %v", Throughput(s))
	}
	md := Markdown(s, ts, Machine{CPUs: 2, OS: "linux", Arch: "amd64", Go: "go1.26"}, "go run ./cmd/report", []string{"go test"})
	for _, frag := range []string{"| **MISS** |", "6.5% (12,076 ns = 12,810 ±∞ − 734 ±∞, of 186,700 ±∞ ns)", "`Stages/full` | 3 | 12,810 ±∞ |", "90 ±∞ ideal%, 2,880 ±∞ req/s", "| 55 (64 ±∞ − 9 ±∞) | **PASS**",
		"| 15 | allocations of a client Albums.Get over raw net/http + the same codec | ≤ 40 (hard gate) | 93 (308 ±∞ − 215 ±∞) | **MISS** |",
		"| 15 | Tracks.Get time vs raw net/http + the same codec, parallel | ≤ 1.10× | not measured | **n/a** |"} {
		if !strings.Contains(md, frag) {
			t.Errorf("markdown lacks %q:\n%s", frag, md)
		}
	}
	svg := ThroughputSVG(Throughput(s))
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "</svg>") || !strings.Contains(svg, "2,880") {
		t.Errorf("svg:\n%s", svg)
	}
}

func TestCPUModel(t *testing.T) {
	if got := cpuModel("processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags: x\n"); got != "AMD EPYC 7B13" {
		t.Errorf("got %q", got)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"-bench": "-bench", "Stages|Chain": "'Stages|Chain'", "it's": `'it'\''s'`, "": "''"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestThroughputSVGEndLabelsStayInside(t *testing.T) {
	ps := []Point{{Concurrency: 1, ReqPerSec: 48, IdealPct: 96}, {Concurrency: 4, ReqPerSec: 188, IdealPct: 94},
		{Concurrency: 64, ReqPerSec: 2676, IdealPct: 84}}
	svg := ThroughputSVG(ps)
	for _, frag := range []string{`text-anchor="start">48 (96%)`, `text-anchor="middle">188 (94%)`, `text-anchor="end">2,676 (84%)`} {
		if !strings.Contains(svg, frag) {
			t.Errorf("svg lacks %q:\n%s", frag, svg)
		}
	}
}
