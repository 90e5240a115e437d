package main

import (
	"fmt"
	"html"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Target is one of the targets of issues 10 and 15 with its measured
// figure.
type Target struct {
	Issue    int // the issue that set it
	What     string
	Goal     string
	Measured string
	Basis    string // how the figure was computed
	Known    bool   // the benchmarks it needs were measured
	Pass     bool
	Gate     bool // a hard gate: -gate makes the report fail when it is not met
}

// Verdict is PASS, MISS or "n/a" when the figure is missing.
func (t Target) Verdict() string {
	switch {
	case !t.Known:
		return "n/a"
	case t.Pass:
		return "PASS"
	}
	return "MISS"
}

// Targets computes the targets of issues 10 and 15 from the medians of s.
func Targets(s Summary) []Target {
	return append(issue10Targets(s), issue15Targets(s)...)
}

// issue10Targets computes issue 10's targets: the chain's cost, the
// comparison with zmb3/spotify and the import.
func issue10Targets(s Summary) []Target {
	var ts []Target

	full, ok1 := s.Spread("BenchmarkStages/full", "ns/op")
	bare, ok2 := s.Spread("BenchmarkStages/bare", "ns/op")
	album, ok3 := s.Spread("BenchmarkAlbumGet/raw-codec", "ns/op")
	t := Target{Issue: 10, What: "full chain cost vs a loopback Albums.Get with the same codec", Goal: "≤ 5%",
		Basis: "(Stages/full − Stages/bare) / AlbumGet/raw-codec, ns/op", Known: ok1 && ok2 && ok3 && album.Median > 0}
	if t.Known {
		d := full.Median - bare.Median
		r := d / album.Median * 100
		t.Measured, t.Pass = fmt.Sprintf("%.1f%% (%s ns = %s − %s, of %s ns)", r, num(d), full, bare, album), r <= 5
	}
	ts = append(ts, t)

	fa, ok1 := s.Spread("BenchmarkStages/full", "allocs/op")
	ba, ok2 := s.Spread("BenchmarkStages/bare", "allocs/op")
	t = Target{Issue: 10, What: "allocations of the chain over the bare transport", Goal: "≤ 60",
		Basis: "Stages/full − Stages/bare, allocs/op", Known: ok1 && ok2}
	if t.Known {
		d := fa.Median - ba.Median
		t.Measured, t.Pass = fmt.Sprintf("%s (%s − %s)", num(d), fa, ba), d <= 60
	}
	ts = append(ts, t)

	for _, u := range []struct{ unit, label string }{{"ns/op", "time"}, {"B/op", "bytes"}} {
		sg, ok1 := s.Spread("BenchmarkAlbumGet/spotify-go", u.unit)
		zm, ok2 := s.Spread("BenchmarkAlbumGet/zmb3", u.unit)
		t = Target{Issue: 10, What: "Albums.Get " + u.label + " vs zmb3/spotify v2.4.3", Goal: "≤ 0.5×",
			Basis: "AlbumGet/spotify-go / AlbumGet/zmb3, " + u.unit}
		if ok1 && ok2 {
			var r float64
			r, t.Measured, t.Known = Ratio(sg, zm)
			t.Pass = r <= 0.5
		}
		ts = append(ts, t)
	}

	ideal, ok1 := s.Spread("BenchmarkImportThroughput/c=64", "ideal%")
	rps, _ := s.Spread("BenchmarkImportThroughput/c=64", "req/s")
	t = Target{Issue: 10, What: "import throughput at concurrency 64, 20 ms latency", Goal: "≥ 80% of 3,200 req/s",
		Basis: "ImportThroughput/c=64 req/s / (64 / 20 ms)", Known: ok1}
	if t.Known {
		t.Measured, t.Pass = fmt.Sprintf("%.1f%% %s (%s req/s)", ideal.Median, ideal.Pct(), num(rps.Median)), ideal.Median >= 80
	}
	ts = append(ts, t)

	heap, ok1 := s.Spread("BenchmarkImportPeakHeap", "peak-heap-MiB")
	t = Target{Issue: 10, What: "peak heap during a 100,000-track import", Goal: "< 64 MiB",
		Basis: "ImportPeakHeap peak-heap-MiB (HeapInuse after GC, emulator in-process included)", Known: ok1}
	if t.Known {
		t.Measured, t.Pass = fmt.Sprintf("%.1f MiB %s", heap.Median, heap.Pct()), heap.Median < 64
	}
	ts = append(ts, t)
	return ts
}

// Issue 15's goals: what a client call may add to raw net/http with the
// same codec.
const (
	maxCallAllocs = 40   // allocs/op over raw + codec, the hard gate
	maxCallRatio  = 1.10 // time over raw + codec: the median of the paired runs' ratios
)

// timeTarget is issue 15's time target for call in mode: the median over
// the runs of paired's sdk/raw, the ratio of a client call's time to raw
// net/http's measured call by call in one run (BenchmarkPairedCall). The
// ratio of the medians of the separate lines of bench (one side measured
// a second after the other, so the machine's drift lands in it) stands
// beside it for comparison.
func timeTarget(s Summary, call, mode, bench, paired string) Target {
	t := Target{Issue: 15, What: call + " time vs raw net/http + the same codec, " + mode,
		Goal:  fmt.Sprintf("≤ %.2f×", maxCallRatio),
		Basis: "median of " + paired + " sdk/raw (each run: Σ client call time / Σ raw call time, calls alternating)"}
	r, ok := s.Spread("Benchmark"+paired, "sdk/raw")
	if !ok {
		return t
	}
	t.Known, t.Pass = true, r.Median <= maxCallRatio
	sdk, _ := s.Spread("Benchmark"+paired, "sdk-ns/call")
	raw, _ := s.Spread("Benchmark"+paired, "raw-ns/call")
	t.Measured = fmt.Sprintf("%.3f× %s (%s / %s ns per call)", r.Median, r.Pct(), sdk, raw)
	sg, ok1 := s.Spread("Benchmark"+bench+"/spotify-go", "ns/op")
	rw, ok2 := s.Spread("Benchmark"+bench+"/raw-codec", "ns/op")
	if _, text, ok := Ratio(sg, rw); ok1 && ok2 && ok {
		t.Measured += "; unpaired " + bench + ": " + text
	}
	return t
}

// issue15Targets computes issue 15's targets: the allocations a client
// Albums.Get and Tracks.Get add to raw net/http with the same codec (the
// hard gates), and their time against it, one call at a time and from
// GOMAXPROCS goroutines ([timeTarget]).
func issue15Targets(s Summary) []Target {
	var ts []Target
	calls := []struct{ bench, pair, call string }{{"AlbumGet", "album", "Albums.Get"}, {"TrackGet", "track", "Tracks.Get"}}
	for _, c := range calls {
		sg, ok1 := s.Spread("Benchmark"+c.bench+"/spotify-go", "allocs/op")
		raw, ok2 := s.Spread("Benchmark"+c.bench+"/raw-codec", "allocs/op")
		t := Target{Issue: 15, What: "allocations of a client " + c.call + " over raw net/http + the same codec",
			Goal: fmt.Sprintf("≤ %d", maxCallAllocs), Gate: true,
			Basis: c.bench + "/spotify-go − " + c.bench + "/raw-codec, allocs/op", Known: ok1 && ok2}
		if t.Known {
			d := sg.Median - raw.Median
			t.Measured, t.Pass = fmt.Sprintf("%s (%s − %s)", num(d), sg, raw), d <= maxCallAllocs
		}
		ts = append(ts, t)
	}
	for _, c := range calls {
		for _, mode := range []struct{ suffix, paired, label string }{{"", "", "sequential"}, {"Parallel", "-parallel", "parallel"}} {
			ts = append(ts, timeTarget(s, c.call, mode.label, c.bench+mode.suffix, "PairedCall/"+c.pair+mode.paired))
		}
	}
	return ts
}

// Missed returns the hard gates of ts that were not met, the unmeasured
// ones included: a gate that was not measured is not known to hold.
func Missed(ts []Target) []Target {
	var out []Target
	for _, t := range ts {
		if t.Gate && (!t.Known || !t.Pass) {
			out = append(out, t)
		}
	}
	return out
}

// Point is one concurrency level of the throughput benchmark.
type Point struct {
	Concurrency int
	ReqPerSec   float64
	IdealPct    float64
}

// Throughput returns the measured levels of BenchmarkImportThroughput in
// increasing concurrency.
func Throughput(s Summary) []Point {
	var ps []Point
	for _, c := range []int{1, 2, 4, 8, 16, 32, 64, 128} {
		name := "BenchmarkImportThroughput/c=" + strconv.Itoa(c)
		if r, ok := s.Get(name, "req/s"); ok {
			ideal, _ := s.Get(name, "ideal%")
			ps = append(ps, Point{c, r, ideal})
		}
	}
	return ps
}

// Markdown renders RESULTS.md.
func Markdown(s Summary, ts []Target, m Machine, invocation string, commands []string) string {
	var b strings.Builder
	b.WriteString("# Benchmark results\n\n")
	b.WriteString("Written by `" + invocation + "`; do not edit by hand. Every figure is the median over the runs; " +
		"a ratio is the ratio of two medians, except issue 15's time ratios: the median of the ratios that BenchmarkPairedCall " +
		"measures call by call within each run. ± is benchstat's spread: how far the 95% confidence interval of a median " +
		"reaches from it (golang.org/x/perf/benchmath, no assumption about the distribution; ±∞: fewer than 6 runs).\n\n")
	b.WriteString("## Targets (issues 10 and 15)\n\n")
	b.WriteString("| issue | target | goal | measured | verdict | computed as |\n| ---: | --- | --- | --- | --- | --- |\n")
	for _, t := range ts {
		meas := t.Measured
		if !t.Known {
			meas = "not measured"
		}
		goal := t.Goal
		if t.Gate {
			goal += " (hard gate)"
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s | **%s** | %s |\n", t.Issue, t.What, goal, meas, t.Verdict(), t.Basis)
	}

	b.WriteString("\n## Machine\n\n")
	cpu := m.CPU
	if cpu == "" {
		cpu = "unknown"
	}
	fmt.Fprintf(&b, "- CPU: %s, %d logical CPUs (runtime.NumCPU)\n", cpu, m.CPUs)
	fmt.Fprintf(&b, "- OS/arch: %s/%s\n", m.OS, m.Arch)
	fmt.Fprintf(&b, "- Go: %s\n", m.Go)
	fmt.Fprintf(&b, "- Date: %s\n", m.Date.Format("2006-01-02 15:04 UTC"))
	b.WriteString("- Commands (run in `bench/`):\n\n```sh\n")
	for _, c := range commands {
		b.WriteString(c + "\n")
	}
	b.WriteString("```\n")

	if ps := Throughput(s); len(ps) > 0 {
		b.WriteString("\n## Import throughput\n\n")
		b.WriteString("AsyncClient `Tracks.Get` against the emulator with latency injected on every request; ideal = concurrency / latency.\n\n")
		b.WriteString("![req/s against concurrency](throughput.svg)\n\n")
		b.WriteString("| concurrency | req/s | % of ideal |\n| ---: | ---: | ---: |\n")
		for _, p := range ps {
			fmt.Fprintf(&b, "| %d | %s | %.1f%% |\n", p.Concurrency, num(p.ReqPerSec), p.IdealPct)
		}
	}

	b.WriteString("\n## All benchmarks\n\n")
	b.WriteString("| benchmark | runs | ns/op | B/op | allocs/op | other |\n| --- | ---: | ---: | ---: | ---: | --- |\n")
	for _, name := range s.Names {
		med := s.Medians[name]
		cell := func(u string) string {
			if v, ok := s.Spread(name, u); ok {
				return v.String()
			}
			return ""
		}
		var other []string
		for _, u := range slices.Sorted(maps.Keys(med)) {
			switch u {
			case "ns/op", "B/op", "allocs/op":
				continue
			}
			other = append(other, fmt.Sprintf("%s %s", s.Spreads[name][u], u))
		}
		fmt.Fprintf(&b, "| `%s` | %d | %s | %s | %s | %s |\n", strings.TrimPrefix(name, "Benchmark"), s.Runs[name],
			cell("ns/op"), cell("B/op"), cell("allocs/op"), strings.Join(other, ", "))
	}
	return b.String()
}

// num formats v with thousands separators: no decimals from 100 up or for
// a whole number, else one (two below 10).
func num(v float64) string {
	neg := v < 0
	a := math.Abs(v)
	var s string
	switch {
	case a >= 100 || a == math.Trunc(a):
		s = strconv.FormatFloat(math.Round(a), 'f', 0, 64)
		for i := len(s) - 3; i > 0; i -= 3 {
			s = s[:i] + "," + s[i:]
		}
	case a >= 10:
		s = strconv.FormatFloat(a, 'f', 1, 64)
	default:
		s = strconv.FormatFloat(a, 'f', 2, 64)
	}
	if neg {
		s = "−" + s
	}
	return s
}

// ThroughputSVG draws req/s against concurrency (log-spaced x axis), with
// the ideal concurrency/latency as a dashed line.
func ThroughputSVG(ps []Point) string {
	const w, h, left, right, top, bottom = 640, 400, 80, 30, 40, 60
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="15" text-anchor="middle">AsyncClient import throughput against the emulator</text>`+"\n", w/2)
	if len(ps) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">no throughput measured</text>`+"\n</svg>\n", w/2, h/2)
		return b.String()
	}
	ymax := 0.0
	ideal := make([]float64, len(ps))
	for i, p := range ps {
		if p.IdealPct > 0 {
			ideal[i] = p.ReqPerSec / p.IdealPct * 100
		}
		ymax = max(ymax, p.ReqPerSec, ideal[i])
	}
	ymax = niceCeil(ymax)
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	x := func(i int) float64 {
		if len(ps) == 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(len(ps)-1)
	}
	y := func(v float64) float64 { return top + ph*(1-v/ymax) }
	// axes and grid
	for k := 0; k <= 5; k++ {
		v := ymax * float64(k) / 5
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", left, y(v), w-right, y(v))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", left-8, y(v)+4, html.EscapeString(num(v)))
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", left, top, left, h-bottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", left, h-bottom, w-right, h-bottom)
	for i, p := range ps {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%d</text>`+"\n", x(i), h-bottom+18, p.Concurrency)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">concurrency</text>`+"\n", left+pw/2, h-bottom+40)
	fmt.Fprintf(&b, `<text x="18" y="%.1f" text-anchor="middle" transform="rotate(-90 18 %.1f)">requests/s</text>`+"\n", top+ph/2, top+ph/2)
	line := func(vals []float64, style string) {
		var pts []string
		for i, v := range vals {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
		}
		fmt.Fprintf(&b, `<polyline fill="none" %s points="%s"/>`+"\n", style, strings.Join(pts, " "))
	}
	line(ideal, `stroke="#999" stroke-width="1.5" stroke-dasharray="6 4"`)
	meas := make([]float64, len(ps))
	for i, p := range ps {
		meas[i] = p.ReqPerSec
	}
	line(meas, `stroke="#1db954" stroke-width="2.5"`)
	for i, p := range ps {
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="#1db954"/>`+"\n", x(i), y(p.ReqPerSec))
		// Labels at the ends lean inwards, so none runs off the chart.
		anchor, dx := "middle", 0.0
		switch {
		case len(ps) > 1 && i == 0:
			anchor, dx = "start", 6
		case len(ps) > 1 && i == len(ps)-1:
			anchor, dx = "end", -6
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="%s">%s (%.0f%%)</text>`+"\n", x(i)+dx, y(p.ReqPerSec)-10, anchor, html.EscapeString(num(p.ReqPerSec)), p.IdealPct)
	}
	// legend
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#1db954" stroke-width="2.5"/><text x="%d" y="%d">measured</text>`+"\n", left+10, top+10, left+40, top+10, left+46, top+14)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999" stroke-width="1.5" stroke-dasharray="6 4"/><text x="%d" y="%d">ideal (concurrency / latency)</text>`+"\n", left+10, top+28, left+40, top+28, left+46, top+32)
	b.WriteString("</svg>\n")
	return b.String()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}
