package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// summary is what the import prints at the end.
type summary struct {
	o       options
	src     *source
	res     *result
	elapsed time.Duration
	missing int64
	check   *check // emulator mode only
}

// maxListed is how many failures the summary lists; the failures file
// has them all.
const maxListed = 10

func (s summary) print(w io.Writer) {
	r := s.res
	c, b := r.counts, r.before
	items := (c.artists - b.artists) + (c.albums - b.albums) + (c.tracks - b.tracks)
	status := "done"
	switch {
	case r.interrupted:
		status = "interrupted (only complete artists are committed; -resume continues)"
	case len(r.failures) > 0:
		status = fmt.Sprintf("done, %d artists failed", len(r.failures))
	}
	fmt.Fprintf(w, "\nimport %s: %s\n", status, s.o.out)
	before := func(n int64) string {
		if b == (counts{}) {
			return ""
		}
		return fmt.Sprintf("   (%d before this run)", n)
	}
	fmt.Fprintf(w, "  artists      %8d%s\n", c.artists, before(b.artists))
	fmt.Fprintf(w, "  albums       %8d%s\n", c.albums, before(b.albums))
	fmt.Fprintf(w, "  tracks       %8d%s", c.tracks, before(b.tracks))
	if s.missing > 0 {
		fmt.Fprintf(w, "   (%d ids unknown to the API)", s.missing)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  requests     %8d   (%d calls, %d cache hits)\n", r.stats.requests, r.stats.calls, r.stats.cacheHits)
	fmt.Fprintf(w, "  retries      %8d   (%d attempts)\n", max(r.stats.attempts-r.stats.requests, 0), r.stats.attempts)
	fmt.Fprintf(w, "  429s absorbed%8d\n", r.stats.limited)
	fmt.Fprintf(w, "  unit retries %8d   (work tried again after the chain's retries)\n", r.retries)
	fmt.Fprintf(w, "  elapsed      %8s\n", s.elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "  throughput   %8.0f items/s   (%.0f requests/s)\n",
		float64(items)/s.elapsed.Seconds(), float64(r.stats.requests)/s.elapsed.Seconds())
	fmt.Fprintf(w, "  latency      p50 %s   p99 %s   (per request, retries included)\n", r.stats.p50, r.stats.p99)
	if n := len(r.failures); n > 0 {
		fmt.Fprintf(w, "  failed       %8d   (in %s; -resume %s tries them again)\n", n, filepath.Join(s.o.out, failuresFile), s.o.out)
		for _, f := range r.failures[:min(n, maxListed)] {
			kind := "transient"
			if f.Permanent {
				kind = "permanent"
			}
			fmt.Fprintf(w, "    %s (%s): %s\n", f.Artist, kind, f.Error)
		}
		if n > maxListed {
			fmt.Fprintf(w, "    ... and %d more\n", n-maxListed)
		}
	}
	if s.check != nil {
		s.check.print(w)
	}
}

// tally compares one output with its ground truth.
type tally struct {
	name                                            string
	expected, once, missing, duplicated, unexpected int
}

func (t tally) pass() bool {
	return t.missing == 0 && t.duplicated == 0 && t.unexpected == 0 && t.once == t.expected
}

// check compares the three outputs with the emulator's ground truth.
type check struct{ artists, albums, tracks tally }

func (c *check) pass() bool { return c.artists.pass() && c.albums.pass() && c.tracks.pass() }

func (c *check) print(w io.Writer) {
	verdict := "PASS"
	if !c.pass() {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "  exactly-once %s: %d artists, %d albums, %d tracks expected; each delivered once: %d, %d, %d\n",
		verdict, c.artists.expected, c.albums.expected, c.tracks.expected, c.artists.once, c.albums.once, c.tracks.once)
	for _, t := range []tally{c.artists, c.albums, c.tracks} {
		if !t.pass() {
			fmt.Fprintf(w, "    %-8s %d missing, %d duplicated, %d unexpected\n", t.name, t.missing, t.duplicated, t.unexpected)
		}
	}
}

// verify reads the three outputs under dir back, line by line, and counts
// every expected id: each must appear exactly once, and nothing else may.
// Nothing is deduplicated: an id written twice is a failure.
func verify(dir string, tr *truth) (*check, error) {
	c := &check{}
	for _, x := range []struct {
		t     *tally
		file  string
		truth []string
	}{{&c.artists, outputs[0], tr.artists}, {&c.albums, outputs[1], tr.albums}, {&c.tracks, outputs[2], tr.tracks}} {
		t, err := verifyFile(filepath.Join(dir, x.file), x.truth)
		if err != nil {
			return nil, err
		}
		*x.t = t
	}
	return c, nil
}

// verifyFile counts the ids of one JSON Lines file against truth.
func verifyFile(path string, truth []string) (tally, error) {
	t := tally{name: filepath.Base(path), expected: len(truth)}
	seen := make(map[string]uint32, len(truth))
	for _, id := range truth {
		seen[id] = 0
	}
	f, err := os.Open(path)
	if err != nil {
		return t, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var rec struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return t, fmt.Errorf("%s: a line is not a record: %w", path, err)
		}
		n, ok := seen[rec.ID]
		if !ok {
			t.unexpected++
			continue
		}
		seen[rec.ID] = n + 1
	}
	if err := sc.Err(); err != nil {
		return t, err
	}
	for _, n := range seen {
		switch {
		case n == 0:
			t.missing++
		case n == 1:
			t.once++
		default:
			t.duplicated++
		}
	}
	return t, nil
}
