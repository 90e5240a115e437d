package main

import (
	"fmt"
	"strings"
)

// The protocols section (issue 17): the import throughput and Albums.Get
// over plain HTTP/1.1, HTTP/1.1 over TLS and HTTP/2, from
// BenchmarkImportProtocols and BenchmarkAlbumGetProtocols.

// protocolRows are the protocols of the benchmarks: the name in the
// benchmark names and the label in the report.
var protocolRows = []struct{ name, label string }{
	{"http1", "HTTP/1.1"},
	{"http1-tls", "HTTP/1.1 over TLS"},
	{"http2", "HTTP/2 (over TLS)"},
}

// Issue 17's goals.
const (
	minProtocolIdealPct = 80   // each protocol's import rate, % of ideal
	minH2OverTLS        = 0.95 // HTTP/2's import rate over HTTP/1.1 over TLS's
)

// importProtocolName returns the name of the measured
// BenchmarkImportProtocols line for protocol p ("" when none), and its
// concurrency as written in the name.
func importProtocolName(s Summary, p string) (name, level string) {
	prefix := "BenchmarkImportProtocols/" + p + "/c="
	for _, n := range s.Names {
		if strings.HasPrefix(n, prefix) {
			return n, strings.TrimPrefix(n, prefix)
		}
	}
	return "", ""
}

// ProtocolTargets computes issue 17's targets: each protocol's import rate
// at concurrency 64 and 20 ms latency against the ideal, and HTTP/2's rate
// against HTTP/1.1 over TLS's.
func ProtocolTargets(s Summary) []Target {
	var ts []Target
	rates := map[string]Spread{}
	for _, p := range protocolRows {
		name, level := importProtocolName(s, p.name)
		t := Target{Issue: 17, What: "import throughput over " + p.label + " at concurrency 64, 20 ms latency",
			Goal: fmt.Sprintf("≥ %d%% of 3,200 req/s", minProtocolIdealPct), Basis: "ImportProtocols/" + p.name + "/c=64 ideal%"}
		ideal, ok := s.Spread(name, "ideal%")
		rps, _ := s.Spread(name, "req/s")
		t.Known = ok && level == "64"
		if t.Known {
			rates[p.name] = rps
			t.Measured, t.Pass = fmt.Sprintf("%.1f%% %s (%s req/s)", ideal.Median, ideal.Pct(), num(rps.Median)), ideal.Median >= minProtocolIdealPct
		}
		ts = append(ts, t)
	}
	t := Target{Issue: 17, What: "import throughput over HTTP/2 vs HTTP/1.1 over TLS", Goal: fmt.Sprintf("≥ %.2f×", minH2OverTLS),
		Basis: "ImportProtocols/http2/c=64 / ImportProtocols/http1-tls/c=64, req/s"}
	h2, ok1 := rates["http2"]
	tls, ok2 := rates["http1-tls"]
	if ok1 && ok2 {
		var r float64
		r, t.Measured, t.Known = Ratio(h2, tls)
		t.Pass = r >= minH2OverTLS
	}
	return append(ts, t)
}

// ProtocolsMarkdown renders the protocols section, or "" when none of its
// benchmarks ran.
func ProtocolsMarkdown(s Summary) string {
	var rows []string
	for _, p := range protocolRows {
		imp, level := importProtocolName(s, p.name)
		album := "BenchmarkAlbumGetProtocols/" + p.name
		cells := []string{p.label, "", "", "", "", "", ""}
		if rps, ok := s.Spread(imp, "req/s"); ok {
			ideal, _ := s.Get(imp, "ideal%")
			cells[1] = fmt.Sprintf("%s (c=%s)", rps, level)
			cells[2] = fmt.Sprintf("%.1f%%", ideal)
			if cpu, ok := s.Spread(imp, "cpu-µs/req"); ok {
				cells[3] = cpu.String()
			}
		}
		if ns, ok := s.Spread(album, "ns/op"); ok {
			cells[4] = ns.String()
		}
		if a, ok := s.Spread(album, "allocs/op"); ok {
			cells[5] = a.String()
		}
		if ns, ok := s.Spread(album+"-parallel", "ns/op"); ok {
			cells[6] = ns.String()
		}
		if strings.Join(cells[1:], "") != "" {
			rows = append(rows, "| "+strings.Join(cells, " | ")+" |\n")
		}
	}
	if len(rows) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("## Protocols (issue 17)\n\n")
	b.WriteString("The emulator over plain HTTP/1.1, HTTP/1.1 over TLS and HTTP/2 over TLS (one connection carries every call). " +
		"Import: `BenchmarkImportProtocols`, as the import throughput above at its highest concurrency, a server per protocol; " +
		"CPU µs/req is the process's CPU time per request, client and emulator together (less disturbed by a busy machine than req/s). " +
		"Albums.Get: `BenchmarkAlbumGetProtocols`, a client with its cache off against the emulator, one call at a time and from GOMAXPROCS goroutines.\n\n")
	b.WriteString("| issue | target | goal | measured | verdict | computed as |\n| ---: | --- | --- | --- | --- | --- |\n")
	for _, t := range ProtocolTargets(s) {
		meas := t.Measured
		if !t.Known {
			meas = "not measured"
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s | **%s** | %s |\n", t.Issue, t.What, t.Goal, meas, t.Verdict(), t.Basis)
	}
	b.WriteString("\n| protocol | import req/s | % of ideal | CPU µs/req | Albums.Get ns/op | Albums.Get allocs/op | Albums.Get parallel ns/op |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range rows {
		b.WriteString(r)
	}
	return b.String()
}

// ProtocolsInto returns md with the protocols section inserted before the
// table of all benchmarks (at the end when there is none).
func ProtocolsInto(md string, s Summary) string {
	sec := ProtocolsMarkdown(s)
	if sec == "" {
		return md
	}
	const all = "\n## All benchmarks\n"
	if i := strings.Index(md, all); i >= 0 {
		return md[:i] + "\n" + sec + md[i:]
	}
	return md + "\n" + sec
}
