package main

import (
	"strings"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/bench"
)

// The fleet section shows both setups and checks issue 19's targets on
// the shared one: a 429 share over 1%, an early request or a throughput
// under 90% of B/W is a MISS.
func TestFleetMarkdown(t *testing.T) {
	shared := FleetRun{Setup: "shared", Workers: 4, Concurrency: 16, B: 300, W: 10 * time.Second, Windows: 10,
		Rest:      bench.FleetCounts{Sent: 2800, Limited: 14, OK: 2786, Capacity: 2700},
		PerWorker: []int{700, 690, 705, 691}}
	local := shared
	local.Setup, local.Early, local.Rest.Limited = "local", 12, 100
	md := FleetMarkdown([]FleetRun{shared, local}, Summary{}, []string{"go test"})
	for _, want := range []string{"| shared | 0.5% (14 of 2800) |", "| local | 3.6% (100 of 2800) |",
		"| shared: 429s (after the first window) | ≤ 1% of requests | 0.5% | PASS |",
		"| shared: requests before a Retry-After deadline | 0 beyond those in flight | 0 | PASS |"} {
		if !strings.Contains(md, want) {
			t.Errorf("the section lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "| local: ") {
		t.Errorf("targets checked on the local setup:\n%s", md)
	}
	shared.Early, shared.Rest.Limited = 1, 40
	md = FleetMarkdown([]FleetRun{shared}, Summary{}, nil)
	if n := strings.Count(md, "| MISS |"); n != 2 {
		t.Errorf("%d MISS rows, want 2 (429s, early):\n%s", n, md)
	}
}

// withSection replaces its section and leaves the rest of the document.
func TestWithSection(t *testing.T) {
	doc := withSection("# R\n\nbody\n", fleetBegin, fleetEnd, fleetBegin+"\none\n"+fleetEnd+"\n")
	doc = withSection(doc+"\n## after\n", fleetBegin, fleetEnd, fleetBegin+"\ntwo\n"+fleetEnd+"\n")
	want := "# R\n\nbody\n\n" + fleetBegin + "\ntwo\n" + fleetEnd + "\n## after\n"
	if doc != want {
		t.Errorf("got %q, want %q", doc, want)
	}
}
