package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

// summary is what the import prints at the end.
type summary struct {
	o           options
	src         *source
	counts      counts
	st          snapshotStats
	elapsed     time.Duration
	missing     int64
	interrupted bool
	check       *check // emulator mode only
}

func (s summary) print(w io.Writer) {
	c := s.counts
	items := c.artists + c.albums + c.tracks
	status := "done"
	if s.interrupted {
		status = "interrupted (files hold complete lines only)"
	}
	fmt.Fprintf(w, "\nimport %s: %s\n", status, s.o.out)
	fmt.Fprintf(w, "  artists      %8d\n", c.artists)
	fmt.Fprintf(w, "  albums       %8d\n", c.albums)
	fmt.Fprintf(w, "  tracks       %8d", c.tracks)
	if s.missing > 0 {
		fmt.Fprintf(w, "   (%d ids unknown to the API)", s.missing)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  requests     %8d   (%d calls, %d cache hits)\n", s.st.requests, s.st.calls, s.st.cacheHits)
	fmt.Fprintf(w, "  retries      %8d   (%d attempts)\n", max(s.st.attempts-s.st.requests, 0), s.st.attempts)
	fmt.Fprintf(w, "  429s absorbed%8d\n", s.st.limited)
	fmt.Fprintf(w, "  elapsed      %8s\n", s.elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "  throughput   %8.0f items/s   (%.0f requests/s)\n",
		float64(items)/s.elapsed.Seconds(), float64(s.st.requests)/s.elapsed.Seconds())
	fmt.Fprintf(w, "  latency      p50 %s   p99 %s   (per request, retries included)\n", s.st.p50, s.st.p99)
	if s.check != nil {
		fmt.Fprintf(w, "  exactly-once %s: %d expected tracks, %d delivered once, %d missing, %d duplicated, %d unexpected\n",
			s.check.verdict(), s.check.expected, s.check.once, s.check.missing, s.check.duplicated, s.check.unexpected)
	}
}

// check compares tracks.jsonl with the emulator's ground truth.
type check struct {
	expected, once, missing, duplicated, unexpected int
}

func (c *check) pass() bool {
	return c.missing == 0 && c.duplicated == 0 && c.unexpected == 0 && c.once == c.expected
}

func (c *check) verdict() string {
	if c.pass() {
		return "PASS"
	}
	return "FAIL"
}

// verify reads the tracks file back, line by line, and counts every
// expected id: each must appear exactly once, and nothing else may.
func verify(path string, truth []string) (*check, error) {
	seen := make(map[string]uint32, len(truth))
	for _, id := range truth {
		seen[id] = 0
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c := &check{expected: len(truth)}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var t struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			return nil, fmt.Errorf("%s: a line is not a track: %w", path, err)
		}
		n, ok := seen[t.ID]
		if !ok {
			c.unexpected++
			continue
		}
		seen[t.ID] = n + 1
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, n := range seen {
		switch {
		case n == 0:
			c.missing++
		case n == 1:
			c.once++
		default:
			c.duplicated++
		}
	}
	return c, nil
}
