package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

func edgeSample() []EdgeRun {
	mk := func(setup string, clients int, adaptive bool, lim int) EdgeRun {
		r := EdgeRun{Setup: setup, Clients: clients, Adaptive: adaptive, B: 100, W: 10 * time.Second, Concurrency: 64,
			Changes: []EdgeChange{{Window: 2, B: 50}, {Window: 4, B: 100}}}
		caps := []float64{10, 10, 5, 5, 10, 10}
		oks := []int{100, 95, 30, 48, 60, 95}
		for i, c := range caps {
			per := make([]int, clients)
			for k := range per {
				per[k] = oks[i] / clients
			}
			r.Windows = append(r.Windows, EdgeWindow{Capacity: c, Sent: oks[i] + lim, Limited: lim, OK: oks[i], PerClient: per})
			for range 4 {
				r.Slices = append(r.Slices, float64(oks[i])/10)
			}
		}
		return r
	}
	return []EdgeRun{mk("adaptive", 1, true, 1), mk("adaptive-4-clients", 4, true, 3), mk("fixed", 1, false, 20)}
}

func near(t *testing.T, what string, want, got float64) {
	t.Helper()
	if math.Abs(want-got) > 1e-9 {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func contains(t *testing.T, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("missing %q in:\n%s", sub, s)
	}
}

func TestEdgeFigures(t *testing.T) {
	f := figuresOf(edgeSample()[0])
	// After the first window: 328 successes and 5 429s of 333 attempts;
	// capacity 100+50+50+100+100 = 400.
	near(t, "limited", 5.0/333, f.Limited)
	near(t, "of capacity", 328.0/400, f.OfCapacity)
	near(t, "steady (without windows 2 and 4)", (95.0+48+95)/(100+50+100), f.Steady)
	near(t, "first ok", 1, f.FirstOK)
	near(t, "first limited", 1.0/101, f.FirstLimited)
	if len(f.Second) != 2 {
		t.Fatalf("second windows: %v", f.Second)
	}
	near(t, "second after the halving", 48.0/50, f.Second[0])
	near(t, "second after the restore", 95.0/100, f.Second[1])
	if len(f.Shares) != 1 || f.Shares[0] != 1 {
		t.Errorf("shares %v", f.Shares)
	}
	if f4 := figuresOf(edgeSample()[1]); len(f4.Shares) != 4 {
		t.Errorf("shares of 4 clients: %v", f4.Shares)
	}
}

func TestEdgeMarkdownAndSection(t *testing.T) {
	md := EdgeMarkdown(edgeSample(), "go test -bench Edge")
	if !strings.HasPrefix(md, edgeBegin) {
		t.Errorf("no begin marker:\n%s", md)
	}
	contains(t, md, "| adaptive: 429s | ≤ 2% of attempts | 1.5% | PASS |")
	contains(t, md, "| adaptive: successes per second | ≥ 90% of B/W (every window after the first, the changes included) | 82.0% | MISS |")
	contains(t, md, "| adaptive-4-clients: 429s | ≤ 5% of attempts | 4.4% | PASS |")
	if strings.Contains(md, "fixed: 429s") {
		t.Error("the targets are the adaptive budget's")
	}

	doc := "# Benchmark results\n\nother rows\n"
	once := withSection(doc, edgeBegin, edgeEnd, md)
	contains(t, once, "other rows")
	contains(t, once, md)
	twice := withSection(once, edgeBegin, edgeEnd, strings.Replace(md, "1.5%", "9.9%", 1))
	if n := strings.Count(twice, edgeBegin); n != 1 {
		t.Errorf("%d sections: replaced, not appended", n)
	}
	contains(t, twice, "9.9%")
	contains(t, twice, "other rows")
}

func TestEdgeSVG(t *testing.T) {
	svg := EdgeSVG(edgeSample())
	if !strings.HasPrefix(svg, "<svg") {
		t.Errorf("not an svg: %.40s", svg)
	}
	if n := strings.Count(svg, "<polyline"); n != 4 {
		t.Errorf("%d lines, want three runs and the limit", n)
	}
	contains(t, svg, "adaptive-4-clients")
	contains(t, EdgeSVG(nil), "no run measured")
}
