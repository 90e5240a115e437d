package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// TestImport runs the import in-process against the emulator, in both app
// modes, and checks exactly-once delivery and the files.
func TestImport(t *testing.T) {
	t.Setenv(auth.EnvClientID, "")
	t.Setenv(auth.EnvClientSecret, "")
	for _, mode := range []string{"extended", "dev"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			var out bytes.Buffer
			res, err := run(t.Context(), options{size: 12, concurrency: 8, mode: mode, out: dir}, &out, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if !res.verified || !res.pass {
				t.Fatalf("exactly-once check: verified %v pass %v\n%s", res.verified, res.pass, out.String())
			}
			if !strings.Contains(out.String(), "exactly-once PASS") {
				t.Errorf("summary lacks the PASS line:\n%s", out.String())
			}
			c := res.counts
			if c.artists != 12 || c.albums < 12*3 || c.tracks < c.albums {
				t.Errorf("counts %+v", c)
			}
			for name, want := range map[string]int64{"artists.jsonl": c.artists, "albums.jsonl": c.albums, "tracks.jsonl": c.tracks} {
				ids := readIDs(t, filepath.Join(dir, name))
				if int64(len(ids)) != want {
					t.Errorf("%s: %d lines, want %d", name, len(ids), want)
				}
				seen := map[string]bool{}
				for _, id := range ids {
					if seen[id] {
						t.Errorf("%s: %s twice", name, id)
					}
					seen[id] = true
				}
			}
		})
	}
}

// TestImportInterrupted cancels an import part-way, as Ctrl-C does, and
// checks that it stops promptly with files of complete lines.
func TestImportInterrupted(t *testing.T) {
	t.Setenv(auth.EnvClientID, "")
	t.Setenv(auth.EnvClientSecret, "")
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	cancelled := make(chan time.Time, 1)
	go func() {
		// Cancel once some tracks were written.
		for {
			if fi, err := os.Stat(filepath.Join(dir, "albums.jsonl")); err == nil && fi.Size() > 0 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cancelled <- time.Now()
		cancel()
	}()
	res, err := run(ctx, options{size: 400, concurrency: 8, mode: "dev", out: dir}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !res.interrupted || res.verified {
		t.Fatalf("interrupted %v verified %v", res.interrupted, res.verified)
	}
	// Timed from the cancellation, not from the start: the emulator's
	// catalogue and the first albums take seconds under -race on a busy
	// machine, the stop itself takes milliseconds.
	if d := time.Since(<-cancelled); d > 5*time.Second {
		t.Errorf("took %v to stop", d)
	}
	for _, name := range []string{"artists.jsonl", "albums.jsonl", "tracks.jsonl"} {
		readIDs(t, filepath.Join(dir, name)) // fails on a partial line
	}
	if res.counts.artists >= 400 {
		t.Errorf("the import ran to the end: %+v", res.counts)
	}
}

// TestImportChaos runs a small import while the emulator injects faults
// (-chaos, plus two 429s that surely fire): every track must still arrive
// exactly once, and the statistics must show the retries and the 429s.
func TestImportChaos(t *testing.T) {
	t.Setenv(auth.EnvClientID, "")
	t.Setenv(auth.EnvClientSecret, "")
	plans := chaosPlans
	t.Cleanup(func() { chaosPlans = plans })
	chaosPlans = append(slices.Clone(plans), spotifytest.FaultPlan{
		Kind: spotifytest.Fault429, After: 10, Count: 2, RetryAfter: 10 * time.Millisecond,
	})
	var out bytes.Buffer
	res, err := run(t.Context(), options{size: 20, concurrency: 16, mode: "extended", out: t.TempDir(), chaos: true}, &out, io.Discard)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !res.pass {
		t.Fatalf("exactly-once check failed:\n%s", out.String())
	}
	st := res.stats
	if st.requests <= 0 || st.attempts <= st.requests {
		t.Errorf("want attempts > requests > 0 (the faults are retried), got %d attempts, %d requests\n%s", st.attempts, st.requests, out.String())
	}
	if st.limited < 2 {
		t.Errorf("429s absorbed %d, want at least the 2 injected\n%s", st.limited, out.String())
	}
	if st.calls < st.requests || st.p50 <= 0 || st.p99 < st.p50 {
		t.Errorf("stats %+v", st)
	}
	for _, want := range []string{
		fmt.Sprintf("requests     %8d   (%d calls, %d cache hits)", st.requests, st.calls, st.cacheHits),
		fmt.Sprintf("retries      %8d   (%d attempts)", st.attempts-st.requests, st.attempts),
		fmt.Sprintf("429s absorbed%8d", st.limited),
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	if n := strings.Count(out.String(), "cache hits"); n != 1 {
		t.Errorf("cache hits printed %d times:\n%s", n, out.String())
	}
}

// readIDs returns the id of every line of a JSON Lines file, failing the
// test on a line that is not a complete JSON object with an id.
func readIDs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Fatalf("%s does not end with a newline", path)
	}
	var ids []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var v struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil || v.ID == "" {
			t.Fatalf("%s: bad line %q: %v", path, sc.Text(), err)
		}
		ids = append(ids, v.ID)
	}
	return ids
}
