package main

import (
	"encoding/json"
	"fmt"
	"html"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spotifysdk/spotify-go/bench"
)

// The edge benchmark (issue 16): BenchmarkEdge writes what each setup
// measured, window by window, to SPOTIFY_EDGE_OUT; this file runs it, turns
// it into a section of RESULTS.md (the figures and the targets with
// PASS/MISS) and draws edge.svg (successful requests per second over time,
// with the limit).

// The shape of BenchmarkEdge's figures.
type (
	EdgeRun    = bench.EdgeRun
	EdgeChange = bench.EdgeChange
	EdgeWindow = bench.EdgeWindow
)

// Section markers of the edge figures in RESULTS.md.
const (
	edgeBegin = "<!-- edge:begin -->"
	edgeEnd   = "<!-- edge:end -->"
)

// runEdge runs BenchmarkEdge once, heavy, and returns its setups and the
// command line.
func runEdge() ([]EdgeRun, string, error) {
	f, err := os.CreateTemp("", "edge-*.json")
	if err != nil {
		return nil, "", err
	}
	f.Close()
	defer os.Remove(f.Name())
	args := []string{"test", "-run", "xxx", "-bench", "^BenchmarkEdge$", "-benchtime", "1x", "."}
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "SPOTIFY_BENCH_HEAVY=1", "SPOTIFY_EDGE_OUT="+f.Name())
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	line := "SPOTIFY_BENCH_HEAVY=1 go " + strings.Join(args, " ")
	log.Print(line)
	if err := cmd.Run(); err != nil {
		return nil, line, fmt.Errorf("%s: %w", line, err)
	}
	runs, err := readEdge(f.Name())
	return runs, line, err
}

// readEdge reads the JSON BenchmarkEdge wrote.
func readEdge(path string) ([]EdgeRun, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var runs []EdgeRun
	if err := json.Unmarshal(data, &runs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(runs) == 0 {
		return nil, fmt.Errorf("%s: no setups", path)
	}
	return runs, nil
}

// EdgeFigures are the figures of one setup.
type EdgeFigures struct {
	// Limited is the share of attempts answered 429 in the windows after
	// the first.
	Limited float64
	// OfCapacity is the successful attempts over B/W in the windows after
	// the first; Steady the same without the windows in which B changed
	// (the server's window is over-full for half of the window after a
	// halving, whatever the client does).
	OfCapacity, Steady float64
	// First is the first window: successes over B/W, and 429s over
	// attempts.
	FirstOK, FirstLimited float64
	// Second holds, per change of B, the successes over the new B/W in the
	// second window after it: the rate has re-converged when it is 90% or
	// more.
	Second []float64
	// Shares is each client's share of the successes after the first
	// window.
	Shares []float64
}

// figuresOf computes the figures of r.
func figuresOf(r EdgeRun) EdgeFigures {
	var f EdgeFigures
	if len(r.Windows) == 0 {
		return f
	}
	changed := map[int]bool{}
	for _, c := range r.Changes {
		changed[c.Window] = true
		if i := c.Window + 1; i < len(r.Windows) {
			f.Second = append(f.Second, ratio(float64(r.Windows[i].OK), r.Windows[i].Capacity*r.W.Seconds()))
		}
	}
	w0 := r.Windows[0]
	f.FirstOK = ratio(float64(w0.OK), w0.Capacity*r.W.Seconds())
	f.FirstLimited = ratio(float64(w0.Limited), float64(w0.Sent))
	sent, lim, ok, capa, sok, scapa := 0, 0, 0, 0.0, 0, 0.0
	per := make([]int, r.Clients)
	for i, w := range r.Windows[1:] {
		sent, lim, ok = sent+w.Sent, lim+w.Limited, ok+w.OK
		capa += w.Capacity * r.W.Seconds()
		if !changed[i+1] {
			sok += w.OK
			scapa += w.Capacity * r.W.Seconds()
		}
		for c, n := range w.PerClient {
			if c < len(per) {
				per[c] += n
			}
		}
	}
	f.Limited = ratio(float64(lim), float64(sent))
	f.OfCapacity, f.Steady = ratio(float64(ok), capa), ratio(float64(sok), scapa)
	for _, n := range per {
		f.Shares = append(f.Shares, ratio(float64(n), float64(ok)))
	}
	return f
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

// EdgeMarkdown returns the section of RESULTS.md for runs, between its
// markers.
func EdgeMarkdown(runs []EdgeRun, command string) string {
	var b strings.Builder
	b.WriteString(edgeBegin + "\n## At the edge of the rate window (issue 16)\n\n")
	r0 := runs[0]
	fmt.Fprintf(&b, "`Albums.Get` at concurrency %d against the emulator's rolling window of B = %d requests per W = %v "+
		"(its computed Retry-After: whole seconds until a slot frees), which the client is not told; %d windows; ",
		r0.Concurrency, r0.B, r0.W, len(r0.Windows))
	for i, c := range r0.Changes {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "B = %d from window %d", c.B, c.Window)
	}
	b.WriteString(". Every setup ran at the same time on an emulator of its own (one app each). " +
		"\"adaptive\" is the default client (`middleware.AdaptiveBudget`); \"fixed\" is the budget that was the default " +
		"before (`WithAdaptiveRate(nil)`: 429 cool-downs only); \"4 clients\" are four independent clients of one app, " +
		"a budget each, 16 calls in flight each. Figures over the windows after the first; \"steady\" leaves out the " +
		"windows in which B changed; \"2nd window\" is the second window after each change, over its new B/W. " +
		"Taken on a busy 2-core machine. Chart: [edge.svg](edge.svg). Command: `" + command + "`.\n\n")
	b.WriteString("| setup | 429s / attempts | failed calls | successes / B·W | steady | first window: successes, 429s | 2nd window after each change | share of successes per client |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | --- | --- | --- |\n")
	for _, r := range runs {
		f := figuresOf(r)
		second := make([]string, len(f.Second))
		for i, v := range f.Second {
			second[i] = pct(v)
		}
		shares := make([]string, len(f.Shares))
		for i, v := range f.Shares {
			shares[i] = pct(v)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s, %s | %s | %s |\n", r.Setup, pct(f.Limited), r.Failed,
			pct(f.OfCapacity), pct(f.Steady), pct(f.FirstOK), pct(f.FirstLimited), strings.Join(second, ", "), strings.Join(shares, ", "))
	}
	b.WriteString("\n" + verdictTable(16, edgeTargets(runs)))
	b.WriteString("\n" + edgeEnd + "\n")
	return b.String()
}

// edgeTarget is one target of issue 16 or 19 and its verdict.
type edgeTarget struct {
	what, goal, measured string
	met                  bool
}

// verdictTable is the table of the targets ts of issue n, with PASS or
// MISS for each.
func verdictTable(n int, ts []edgeTarget) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| target (issue %d) | goal | measured | verdict |\n| --- | --- | --- | --- |\n", n)
	for _, t := range ts {
		v := "MISS"
		if t.met {
			v = "PASS"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", t.what, t.goal, t.measured, v)
	}
	return b.String()
}

// edgeTargets checks the targets on the adaptive setups.
func edgeTargets(runs []EdgeRun) []edgeTarget {
	var ts []edgeTarget
	for _, r := range runs {
		if !r.Adaptive {
			continue
		}
		f := figuresOf(r)
		if r.Clients == 1 {
			worst := 1.0
			for _, v := range f.Second {
				worst = min(worst, v)
			}
			ts = append(ts,
				edgeTarget{r.Setup + ": 429s", "≤ 2% of attempts", pct(f.Limited), f.Limited <= 0.02},
				edgeTarget{r.Setup + ": failed calls", "0", fmt.Sprint(r.Failed), r.Failed == 0},
				edgeTarget{r.Setup + ": successes per second", "≥ 90% of B/W (every window after the first, the changes included)", pct(f.OfCapacity), f.OfCapacity >= 0.9},
				edgeTarget{r.Setup + ": re-convergence", "≥ 90% of the new B/W in the 2nd window after each change", pct(worst), worst >= 0.9})
			continue
		}
		ts = append(ts,
			edgeTarget{r.Setup + ": 429s", "≤ 5% of attempts", pct(f.Limited), f.Limited <= 0.05},
			edgeTarget{r.Setup + ": failed calls", "0", fmt.Sprint(r.Failed), r.Failed == 0})
	}
	return ts
}

// EdgeSVG draws the successful requests per second over time of the
// single-client setups, with B/W as a dashed step line.
func EdgeSVG(runs []EdgeRun) string {
	const w, h, left, right, top, bottom = 720, 400, 70, 30, 40, 60
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="15" text-anchor="middle">Successful requests per second at the edge of the rate window</text>`+"\n", w/2)
	var shown []EdgeRun
	for _, r := range runs {
		if len(r.Slices) > 0 {
			shown = append(shown, r)
		}
	}
	if len(shown) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">no run measured</text>`+"\n</svg>\n", w/2, h/2)
		return b.String()
	}
	r0 := shown[0]
	total := r0.W.Seconds() * float64(len(r0.Windows))
	ymax := 0.0
	for _, r := range shown {
		for _, v := range r.Slices {
			ymax = max(ymax, v)
		}
		for _, wd := range r.Windows {
			ymax = max(ymax, wd.Capacity)
		}
	}
	ymax = niceCeil(ymax)
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	x := func(sec float64) float64 { return left + pw*sec/total }
	y := func(v float64) float64 { return top + ph*(1-v/ymax) }
	for k := 0; k <= 5; k++ {
		v := ymax * float64(k) / 5
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", left, y(v), w-right, y(v))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", left-8, y(v)+4, html.EscapeString(num(v)))
	}
	for i := range len(r0.Windows) + 1 {
		sec := r0.W.Seconds() * float64(i)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x(sec), h-bottom+18, num(sec))
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", left, top, left, h-bottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", left, h-bottom, w-right, h-bottom)
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">seconds (one tick per window)</text>`+"\n", left+pw/2, h-bottom+40)
	fmt.Fprintf(&b, `<text x="18" y="%.1f" text-anchor="middle" transform="rotate(-90 18 %.1f)">successful requests/s</text>`+"\n", top+ph/2, top+ph/2)
	// B/W, a step per window.
	var steps []string
	for i, wd := range r0.Windows {
		s0, s1 := r0.W.Seconds()*float64(i), r0.W.Seconds()*float64(i+1)
		steps = append(steps, fmt.Sprintf("%.1f,%.1f %.1f,%.1f", x(s0), y(wd.Capacity), x(s1), y(wd.Capacity)))
	}
	fmt.Fprintf(&b, `<polyline fill="none" stroke="#999" stroke-width="1.5" stroke-dasharray="6 4" points="%s"/>`+"\n", strings.Join(steps, " "))
	colors := []string{"#1db954", "#3b6fd6", "#d65b3b", "#b03bd6"}
	for k, r := range shown {
		step := total / float64(len(r.Slices))
		var pts []string
		for i, v := range r.Slices {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(step*(float64(i)+0.5)), y(v)))
		}
		c := colors[k%len(colors)]
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", c, strings.Join(pts, " "))
		ly := top + 10 + 18*k
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/><text x="%d" y="%d">%s</text>`+"\n",
			w-right-190, ly, w-right-160, ly, c, w-right-154, ly+4, html.EscapeString(r.Setup))
	}
	ly := top + 10 + 18*len(shown)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999" stroke-width="1.5" stroke-dasharray="6 4"/><text x="%d" y="%d">B/W</text>`+"\n",
		w-right-190, ly, w-right-160, ly, w-right-154, ly+4)
	b.WriteString("</svg>\n")
	return b.String()
}

// writeEdge writes the edge section into the RESULTS.md in dir (replacing
// its old one) and edge.svg beside it.
func writeEdge(dir string, runs []EdgeRun, command string) error {
	path := filepath.Join(dir, "RESULTS.md")
	doc, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.WriteFile(path, []byte(withSection(string(doc), edgeBegin, edgeEnd, EdgeMarkdown(runs, command))), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "edge.svg"), []byte(EdgeSVG(runs)), 0o644)
}

// edgeStep runs the edge benchmark (or reads its saved JSON, in) and
// writes its section and chart into dir; it does nothing when neither is
// asked for.
func edgeStep(run bool, in, dir string) {
	var runs []EdgeRun
	var command string
	var err error
	switch {
	case in != "":
		command = "go run ./cmd/report -edge-in " + in
		runs, err = readEdge(in)
	case run:
		runs, command, err = runEdge()
	default:
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	if err := writeEdge(dir, runs, command); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote the edge section of %s/RESULTS.md and %s/edge.svg", dir, dir)
}
