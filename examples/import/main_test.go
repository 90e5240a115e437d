package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/spotify"
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
	res, err := run(t.Context(), options{size: 20, concurrency: 16, mode: "extended", out: t.TempDir(), chaos: chaosMild}, &out, io.Discard)
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

// served is what -counters writes.
type served struct {
	Requests map[string]int `json:"requests"`
	Served   map[string]int `json:"served"`
}

func readCounters(t *testing.T, path string) served {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s served
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// commitsOf returns the artists of the whole lines of commits.jsonl under
// dir, in order, and the last of those commits.
func commitsOf(t *testing.T, dir string) ([]string, commitRec) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, commitsFile))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var last commitRec
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break // a torn line commits nothing
		}
		if err := json.Unmarshal(data[:i], &last); err != nil {
			t.Fatalf("commit line %q: %v", data[:i], err)
		}
		ids = append(ids, last.Artist)
		data = data[i+1:]
	}
	return ids, last
}

// quickRetries makes the chain's and the import's own retries fast for
// the test.
func quickRetries(t *testing.T) {
	old, oldOpts := unitRetry, testClientOptions
	unitRetry = retryPolicy{attempts: 3, base: 5 * time.Millisecond, max: 20 * time.Millisecond}
	testClientOptions = []spotify.Option{spotify.WithBackoff(middleware.ExponentialJitter(time.Millisecond, 5*time.Millisecond))}
	t.Cleanup(func() { unitRetry, testClientOptions = old, oldOpts })
}

// TestImportResumeInterrupted resumes an import cancelled part-way: the
// folder ends up with every record exactly once.
func TestImportResumeInterrupted(t *testing.T) {
	t.Setenv(auth.EnvClientID, "")
	t.Setenv(auth.EnvClientSecret, "")
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		for {
			if b, _ := os.ReadFile(filepath.Join(dir, commitsFile)); bytes.Count(b, []byte("\n")) >= 5 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	res, err := run(ctx, options{size: 60, concurrency: 4, mode: "extended", out: dir}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !res.interrupted || res.units < 5 || res.units >= 60 {
		t.Fatalf("interrupted %v after %d units", res.interrupted, res.units)
	}
	if code := exitCode(res, nil); code != exitInterrupted {
		t.Errorf("exit status %d, want %d", code, exitInterrupted)
	}
	before := res.counts

	var out bytes.Buffer
	// -size and -mode come from the manifest.
	res, err = run(t.Context(), options{size: 200, concurrency: 4, mode: "extended", resume: dir}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !res.pass || res.before != before || res.counts.artists != 60 {
		t.Fatalf("before %+v, after %+v, pass %v\n%s", before, res.counts, res.pass, out.String())
	}
	if !strings.Contains(out.String(), "exactly-once PASS") || !strings.Contains(out.String(), fmt.Sprintf("(%d before this run)", before.tracks)) {
		t.Errorf("summary:\n%s", out.String())
	}
	if code := exitCode(res, nil); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

// TestImportResumeTorn resumes a folder left as a crash in the middle of
// commits leaves it: the last commits lost, a torn commit line and torn
// records. Only the artists not committed are fetched again, and every
// record is there exactly once.
func TestImportResumeTorn(t *testing.T) {
	t.Setenv(auth.EnvClientID, "")
	t.Setenv(auth.EnvClientSecret, "")
	dir := t.TempDir()
	if _, err := run(t.Context(), options{size: 12, concurrency: 4, mode: "extended", out: dir}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	ids, _ := commitsOf(t, dir)
	log := fileString(t, filepath.Join(dir, commitsFile))
	keep := strings.Join(strings.SplitAfter(log, "\n")[:9], "")
	if err := os.WriteFile(filepath.Join(dir, commitsFile), []byte(keep+`{"artist":"`+ids[9]+`","lines":[10,`), 0o644); err != nil {
		t.Fatal(err)
	}
	appendTo(t, filepath.Join(dir, "tracks.jsonl"), `{"id":"`+ids[9])

	counters := filepath.Join(t.TempDir(), "counters.json")
	var out, notes bytes.Buffer
	res, err := run(t.Context(), options{concurrency: 4, resume: dir, counters: counters, size: 1, mode: "extended"}, &out, &notes)
	if err != nil {
		t.Fatal(err)
	}
	if !res.pass || res.units != 3 {
		t.Fatalf("pass %v, %d units\n%s", res.pass, res.units, out.String())
	}
	if !strings.Contains(notes.String(), "dropped a torn last line") || !strings.Contains(notes.String(), "tracks.jsonl: cut") {
		t.Errorf("notes:\n%s", notes.String())
	}
	c := readCounters(t, counters)
	for i, id := range ids {
		want := 0
		if i >= 9 {
			want = 1
		}
		if got := c.Served["spotify:artist:"+id]; got != want {
			t.Errorf("artist %d (%s) fetched %d times, want %d", i, id, got, want)
		}
	}
	for _, name := range outputs {
		readIDs(t, filepath.Join(dir, name)) // whole lines only
	}
}

// TestImportUnitRetry makes one call meet more 503s in a row than the
// chain retries (default options: 3 retries): the import tries its piece
// again and completes, where it used to cancel everything.
func TestImportUnitRetry(t *testing.T) {
	t.Setenv(auth.EnvClientID, "")
	t.Setenv(auth.EnvClientSecret, "")
	quickRetries(t)
	old := heavyChaosPlans
	t.Cleanup(func() { heavyChaosPlans = old })
	// Concurrency 1: the 4 requests in a row are one call's 4 attempts.
	heavyChaosPlans = []spotifytest.FaultPlan{{Route: "GET /v1/albums/{id}/tracks", Kind: spotifytest.Fault503, After: 3, Count: 4}}
	var out bytes.Buffer
	res, err := run(t.Context(), options{size: 3, concurrency: 1, mode: "extended", out: t.TempDir(), chaos: chaosHeavy}, &out, io.Discard)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !res.pass || res.retries < 1 || len(res.failures) > 0 {
		t.Fatalf("pass %v, %d unit retries, failures %v\n%s", res.pass, res.retries, res.failures, out.String())
	}
}

// failingFront puts a server in front of the emulator that answers the
// requests for some artists with a status of its own, as if the API did.
func failingFront(t *testing.T, status map[string]int) {
	t.Helper()
	old := emulatorFront
	t.Cleanup(func() { emulatorFront = old })
	emulatorFront = func(srv *spotifytest.Server) string {
		target, err := url.Parse(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		proxy := httputil.NewSingleHostReverseProxy(target)
		front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, ok := strings.CutPrefix(r.URL.Path, "/v1/artists/")
			if code := status[id]; ok && code != 0 {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(code)
				fmt.Fprintf(w, `{"error":{"status":%d,"message":"%s"}}`, code, http.StatusText(code))
				return
			}
			proxy.ServeHTTP(w, r)
		}))
		t.Cleanup(front.Close)
		return front.URL
	}
}

// TestImportUnitFailure makes two artists fail for good, one with a 404
// (permanent: tried once) and one with 503s that outlast every retry: the
// import finishes the others, lists the two in the summary and the
// failures file, and exits with exitFailed; -resume once the cause is gone
// imports just those two and passes.
func TestImportUnitFailure(t *testing.T) {
	t.Setenv(auth.EnvClientID, "")
	t.Setenv(auth.EnvClientSecret, "")
	quickRetries(t)
	ids := spotifytest.NewServer(spotifytest.WithCatalogSize(spotifytest.DefaultArtists)).Catalog().IDs(spotifytest.KindArtist, 10)
	gone, flaky := ids[3], ids[7]
	failingFront(t, map[string]int{gone: http.StatusNotFound, flaky: http.StatusServiceUnavailable})

	dir := t.TempDir()
	var out bytes.Buffer
	o := options{size: 10, concurrency: 4, mode: "extended", out: dir, counters: filepath.Join(dir, "c1.json")}
	res, err := run(t.Context(), o, &out, io.Discard)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if code := exitCode(res, nil); code != exitFailed {
		t.Errorf("exit status %d, want %d", code, exitFailed)
	}
	if res.counts.artists != 8 || res.pass {
		t.Errorf("%d artists committed, pass %v", res.counts.artists, res.pass)
	}
	var got []failure
	for _, line := range strings.Split(strings.TrimSpace(fileString(t, filepath.Join(dir, failuresFile))), "\n") {
		var f failure
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("failures file: %q: %v", line, err)
		}
		got = append(got, f)
	}
	slices.SortFunc(got, func(a, b failure) int { return strings.Compare(fmt.Sprint(a.Permanent), fmt.Sprint(b.Permanent)) })
	if len(got) != 2 || got[0].Artist != flaky || got[0].Permanent || got[1].Artist != gone || !got[1].Permanent ||
		!strings.Contains(got[0].Error, "gave up after 3 tries") || !strings.Contains(got[1].Error, "404") {
		t.Errorf("failures: %+v", got)
	}
	for _, want := range []string{"done, 2 artists failed", gone + " (permanent): artist " + gone, flaky + " (transient): artist " + flaky, "exactly-once FAIL"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	c := readCounters(t, o.counters)
	if n := c.Requests["GET /v1/artists/{id}"]; n != 8 {
		t.Errorf("the emulator served %d artists, want the 8 in front of no failure", n)
	}

	// The cause is gone.
	emulatorFront = nil
	out.Reset()
	counters := filepath.Join(dir, "c2.json")
	res, err = run(t.Context(), options{size: 10, concurrency: 4, mode: "extended", resume: dir, counters: counters}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if code := exitCode(res, nil); code != 0 || !res.pass || res.units != 2 || len(res.failures) != 0 {
		t.Fatalf("exit %d, pass %v, %d units\n%s", code, res.pass, res.units, out.String())
	}
	c = readCounters(t, counters)
	if len(c.Served) == 0 || c.Served["spotify:artist:"+gone] != 1 || c.Served["spotify:artist:"+flaky] != 1 || c.Requests["GET /v1/artists/{id}"] != 2 {
		t.Errorf("resumed run fetched %v", c.Requests)
	}
	if fileString(t, filepath.Join(dir, failuresFile)) != "" {
		t.Error("the failures file still lists failures")
	}
}
