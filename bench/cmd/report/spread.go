package main

import (
	"fmt"
	"slices"

	"golang.org/x/perf/benchmath"
)

// confidence is the level of the intervals the report prints, the one
// benchstat uses by default.
const confidence = 0.95

// Spread is the median of one unit of one benchmark over its runs, with
// the confidence interval of that median as benchstat computes it (no
// assumption about the distribution: order statistics around the median).
type Spread struct {
	Median float64
	Lo, Hi float64 // the interval's bounds; ±Inf when there are too few runs
	Runs   int
}

// NewSpread summarizes the values of one unit over the runs of one
// benchmark with golang.org/x/perf/benchmath. vs is not modified.
func NewSpread(vs []float64) Spread {
	if len(vs) == 0 {
		return Spread{}
	}
	sample := benchmath.NewSample(slices.Clone(vs), &benchmath.DefaultThresholds)
	sum := benchmath.AssumeNothing.Summary(sample, confidence)
	return Spread{Median: sum.Center, Lo: sum.Lo, Hi: sum.Hi, Runs: len(vs)}
}

// Pct is benchstat's "±" figure: how far the interval reaches from the
// median, as a percentage of it ("±3%"); "±∞" when the runs are too few for
// an interval (benchstat needs 6 at 95%), "±?" when the interval crosses 0.
func (s Spread) Pct() string {
	sum := benchmath.Summary{Center: s.Median, Lo: s.Lo, Hi: s.Hi}
	return "±" + sum.PctRangeString()
}

// String renders the median with its spread: "192,259 ±2%".
func (s Spread) String() string {
	return num(s.Median) + " " + s.Pct()
}

// Ratio is a/b of two medians with the spread of each operand beside it:
// "1.19× (228,094 ±3% / 192,259 ±2%)". ok is false when b's median is 0.
func Ratio(a, b Spread) (r float64, text string, ok bool) {
	if b.Median == 0 {
		return 0, "", false
	}
	r = a.Median / b.Median
	return r, fmt.Sprintf("%.2f× (%s / %s)", r, a, b), true
}
