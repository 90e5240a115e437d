package main

import (
	"fmt"
	"strings"
	"testing"
)

// importLines writes n runs of BenchmarkImportProtocols/p/c=level at
// ideal% pct.
func importLines(p string, level, n int, pct float64) string {
	var b strings.Builder
	for range n {
		fmt.Fprintf(&b, "BenchmarkImportProtocols/%s/c=%d-2 \t 20\t 50000000 ns/op\t 190 cpu-µs/req\t %g ideal%%\t %g req/s\n",
			p, level, pct, pct*32)
	}
	return b.String()
}

func TestProtocolTargets(t *testing.T) {
	text := importLines("http1", 64, 6, 85) + importLines("http1-tls", 64, 6, 84) + importLines("http2", 64, 6, 79) +
		runs("BenchmarkAlbumGetProtocols/http2", 6, constant(300000), 440) +
		runs("BenchmarkAlbumGetProtocols/http2-parallel", 6, constant(200000), 440)
	s := summarize(t, text)
	got := map[string]Target{}
	for _, tg := range ProtocolTargets(s) {
		got[tg.What] = tg
	}
	want := map[string]string{
		"import throughput over HTTP/1.1 at concurrency 64, 20 ms latency":          "PASS",
		"import throughput over HTTP/1.1 over TLS at concurrency 64, 20 ms latency": "PASS",
		"import throughput over HTTP/2 (over TLS) at concurrency 64, 20 ms latency": "MISS",
		"import throughput over HTTP/2 vs HTTP/1.1 over TLS":                        "MISS", // 79 / 84 = 0.94
	}
	for what, verdict := range want {
		if got[what].Verdict() != verdict {
			t.Errorf("%s: %s (%s), want %s", what, got[what].Verdict(), got[what].Measured, verdict)
		}
	}

	md := ProtocolsInto("# R\n\n## Machine\n\n## All benchmarks\n\n| x |\n", s)
	if !strings.Contains(md, "## Protocols (issue 17)") || strings.Index(md, "## Protocols") > strings.Index(md, "## All benchmarks") {
		t.Errorf("the section is missing or after the table of all benchmarks:\n%s", md)
	}
	for _, row := range []string{"| HTTP/1.1 | 2,720 ±0% (c=64) | 85.0% | 190 ±0% |", "| HTTP/2 (over TLS) | 2,528 ±0% (c=64) | 79.0% | 190 ±0% | 300,000 ±0% | 440 ±0% | 200,000 ±0% |"} {
		if !strings.Contains(md, row) {
			t.Errorf("no row %q in\n%s", row, md)
		}
	}
}

func TestProtocolTargetsOnlyAtConcurrency64(t *testing.T) {
	s := summarize(t, importLines("http2", 4, 1, 95))
	for _, tg := range ProtocolTargets(s) {
		if tg.Known {
			t.Errorf("%s is known from a light run (c=4): %s", tg.What, tg.Measured)
		}
	}
	if md := ProtocolsInto("x", summarize(t, runs("BenchmarkStages/full", 1, constant(1), 1))); md != "x" {
		t.Errorf("a section without its benchmarks: %q", md)
	}
}
