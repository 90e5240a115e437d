package main

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// Result is one line of `go test -bench` output.
type Result struct {
	Name   string             // without the -GOMAXPROCS suffix: "BenchmarkStages/full"
	N      int64              // iterations
	Values map[string]float64 // by unit: "ns/op", "B/op", "allocs/op", "req/s", ...
}

// Parse reads the benchmark lines of r (the standard format: name,
// iterations, then value-unit pairs) and skips every other line.
func Parse(r io.Reader) ([]Result, error) {
	var out []Result
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		if res, ok := ParseLine(sc.Text()); ok {
			out = append(out, res)
		}
	}
	return out, sc.Err()
}

// ParseLine parses one benchmark line; ok is false for any other line.
func ParseLine(line string) (res Result, ok bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
		return Result{}, false
	}
	n, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return Result{}, false
	}
	res = Result{Name: f[0], N: n, Values: map[string]float64{}}
	if i := strings.LastIndexByte(f[0], '-'); i > 0 {
		if p, err := strconv.Atoi(f[0][i+1:]); err == nil && p > 0 {
			res.Name = f[0][:i]
		}
	}
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return Result{}, false
		}
		res.Values[f[i+1]] = v
	}
	return res, true
}

// Summary holds, per benchmark name, the median of each unit over the runs
// and its spread.
type Summary struct {
	Names   []string // in order of first appearance
	Medians map[string]map[string]float64
	Spreads map[string]map[string]Spread
	Runs    map[string]int
}

// Summarize takes the median and the spread of every unit of every
// benchmark.
func Summarize(results []Result) Summary {
	s := Summary{Medians: map[string]map[string]float64{}, Spreads: map[string]map[string]Spread{}, Runs: map[string]int{}}
	vals := map[string]map[string][]float64{}
	for _, r := range results {
		if vals[r.Name] == nil {
			vals[r.Name] = map[string][]float64{}
			s.Names = append(s.Names, r.Name)
		}
		s.Runs[r.Name]++
		for u, v := range r.Values {
			vals[r.Name][u] = append(vals[r.Name][u], v)
		}
	}
	for name, units := range vals {
		m, sp := map[string]float64{}, map[string]Spread{}
		for u, vs := range units {
			sp[u] = NewSpread(vs)
			m[u] = sp[u].Median
		}
		s.Medians[name], s.Spreads[name] = m, sp
	}
	return s
}

// Spread returns the median of unit for name with its spread, and whether
// it was measured.
func (s Summary) Spread(name, unit string) (Spread, bool) {
	v, ok := s.Spreads[name][unit]
	return v, ok
}

// Get returns the median of unit for name, and whether it was measured.
func (s Summary) Get(name, unit string) (float64, bool) {
	v, ok := s.Medians[name][unit]
	return v, ok
}
