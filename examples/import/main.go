// Command import is the main job of spotify-go: a backend import of full
// discographies through the AsyncClient.
//
// For each artist it fetches the artist, its albums (paged), each album's
// tracks (paged) and the details of every track (Tracks.GetSeveral in
// batches of 50 for an Extended Quota app, Tracks.Get one by one in
// Development Mode), and writes the records to JSON Lines files under
// -out: artists.jsonl, albums.jsonl and tracks.jsonl.
//
// An artist is a unit of work and of commit. A piece of its work (the
// artist, its album pages, an album's track pages, a track batch) that
// fails after the chain's own retries is tried again with backoff, a few
// times, while the other artists go on; an artist that still fails, or
// fails for good (404, 403), is listed in failures.jsonl and in the
// summary, and the exit status is 3. A complete artist is appended to the
// three files at once and committed by a line in commits.jsonl, so a
// crash never leaves an artist half-counted; -resume DIR continues an
// interrupted or partly failed import, importing only the artists not
// committed there (what a crash left past the last commit, a torn line
// included, is cut off first).
//
// Run it with no credentials and it starts the emulator
// (spotify/spotifytest) in-process and imports the first -size artists of
// its catalogue, then checks against the emulator's ground truth that
// every artist, album and track arrived exactly once:
//
//	go run ./examples/import
//	go run ./examples/import -size 1000 -concurrency 64 -mode dev
//	go run ./examples/import -chaos         # the emulator injects 429s, 5xx, resets and latency
//	go run ./examples/import -chaos=heavy   # a quarter of the requests fail
//	go run ./examples/import -resume out/import-20260101-120000
//
// With SPOTIFY_SDK_CLIENT_ID and SPOTIFY_SDK_CLIENT_SECRET set, it imports
// from Spotify the artists given by -artists (comma-separated ids) or
// -artists-file (one id per line):
//
//	go run ./examples/import -artists 0TnOYISbd1XYRBk9myaseg,1vCWHaC5f2uS3yhpwWbIA6 -mode dev
//
// A progress line on stderr is refreshed a few times a second; at the end
// a summary lists the items, requests, retries, 429s absorbed, cache hits,
// throughput and the p50/p99 request latency (measured by a custom
// middleware stage placed before "retry"). Ctrl-C stops the import cleanly:
// in-flight calls are cancelled, only complete artists are committed, and
// the exit status is 130.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	size        int
	concurrency int
	mode        string
	out         string
	resume      string // the folder of the import to continue
	artists     string
	artistsFile string
	chaos       chaosLevel
	counters    string          // emulator mode: where to write the emulator's counters
	set         map[string]bool // the flags given on the command line
	progress    bool            // draw the progress line
}

func main() {
	var o options
	flag.IntVar(&o.size, "size", 200, "emulator mode: import the first `n` artists of the catalogue (about 50 tracks each)")
	flag.IntVar(&o.concurrency, "concurrency", 16, "calls in flight at a time (spotify.WithConcurrency)")
	flag.StringVar(&o.mode, "mode", "extended", "app mode: `dev` (Development Mode: tracks one by one) or extended (Extended Quota: batches of 50)")
	flag.StringVar(&o.out, "out", "", "output `folder` (default ./out/import-<time>)")
	flag.StringVar(&o.resume, "resume", "", "continue the import in `folder`: import only the artists not complete there (its size, mode and artists are kept)")
	flag.StringVar(&o.artists, "artists", "", "Spotify mode: comma-separated artist `ids`")
	flag.StringVar(&o.artistsFile, "artists-file", "", "Spotify mode: a `file` of artist ids, one per line")
	flag.Var(&o.chaos, "chaos", "emulator mode: inject faults; -chaos is a mild mix (429 bursts, 5xx, resets, truncated bodies, latency), -chaos=heavy a quarter of the requests")
	flag.StringVar(&o.counters, "counters", "", "emulator mode: write what the emulator served to `file` (JSON) at the end")
	flag.Parse()
	if flag.NArg() > 0 {
		// -chaos heavy would make heavy an argument, and the import mild.
		fmt.Fprintf(os.Stderr, "import: unexpected argument %q (flags only; -chaos=heavy takes its value after =)\n", flag.Arg(0))
		os.Exit(2)
	}
	o.set = map[string]bool{}
	flag.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	o.progress = true

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once
	}()

	res, err := run(ctx, o, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "import:", err)
	}
	os.Exit(exitCode(res, err))
}

// Exit statuses besides 0 (all imported, and the check passed when there
// is one) and 1 (an error, or the check failed).
const (
	exitFailed      = 3   // some units failed (2 is a usage error): see failures.jsonl, -resume tries them again
	exitInterrupted = 130 // Ctrl-C: -resume continues
)

// exitCode is the exit status of a run.
func exitCode(res *result, err error) int {
	switch {
	case err != nil:
		return 1
	case res.interrupted:
		return exitInterrupted
	case len(res.failures) > 0:
		return exitFailed
	case res.verified && !res.pass:
		return 1
	}
	return 0
}

// result is what run reports to main and to the test.
type result struct {
	dir         string
	counts      counts        // the records on disk, before this run included
	before      counts        // the records committed before this run (-resume)
	units       int64         // the artists this run committed
	stats       snapshotStats // the requests, attempts, 429s and latency
	retries     int64         // pieces of work the import tried again
	failures    []failure
	interrupted bool
	verified    bool // emulator mode: the ground-truth check ran
	pass        bool
}

// run performs one import and prints its summary on stdout; progress goes
// to stderr when o.progress is set.
func run(ctx context.Context, o options, stdout, stderr io.Writer) (*result, error) {
	if o.size < 1 {
		return nil, fmt.Errorf("-size %d: want at least 1", o.size)
	}
	if o.concurrency < 1 {
		return nil, fmt.Errorf("-concurrency %d: want at least 1", o.concurrency)
	}
	if o.mode != "dev" && o.mode != "extended" {
		return nil, fmt.Errorf("-mode %q: want dev or extended", o.mode)
	}
	var m *manifest
	if o.resume != "" {
		var err error
		if m, err = readManifest(o.resume); err != nil {
			return nil, err
		}
		if err := m.resumeOptions(&o); err != nil {
			return nil, err
		}
	}
	if o.out == "" {
		o.out = filepath.Join("out", "import-"+time.Now().UTC().Format("20060102-150405"))
	}

	src, err := openSource(o, m)
	if err != nil {
		return nil, err
	}
	defer src.close()
	if o.counters != "" && src.srv == nil {
		return nil, fmt.Errorf("-counters %s: needs the emulator", o.counters)
	}

	st := newStats()
	ac, err := newClient(src, o, st)
	if err != nil {
		return nil, err
	}
	defer ac.Close()

	if m == nil {
		if err := writeManifest(o.out, src.manifest(o)); err != nil {
			return nil, err
		}
	}
	com, err := openCommitter(o.out, m != nil, stderr)
	if err != nil {
		return nil, err
	}
	fails, err := openFailures(o.out)
	if err != nil {
		return nil, errors.Join(err, com.close())
	}
	todo := com.pending(src.artistIDs)
	if m != nil {
		fmt.Fprintf(stderr, "resuming %s: %d of %d artists complete; importing the other %d from %s (%s mode, concurrency %d)\n",
			o.out, len(src.artistIDs)-len(todo), len(src.artistIDs), len(todo), src.name, o.mode, o.concurrency)
	} else {
		fmt.Fprintf(stderr, "importing %d artists from %s (%s mode, concurrency %d) into %s\n",
			len(src.artistIDs), src.name, o.mode, o.concurrency, o.out)
	}

	var prog *progress
	if o.progress {
		prog = startProgress(stderr, len(src.artistIDs), com.counts, st)
	}
	start := time.Now()
	im := &importer{ac: ac, batch: o.mode == "extended", conc: o.concurrency, com: com, fails: fails, policy: unitRetry}
	runErr := im.run(ctx, todo)
	closeErr := errors.Join(com.close(), fails.close())
	elapsed := time.Since(start)
	if prog != nil {
		prog.stop()
	}

	res := &result{dir: o.out, counts: com.counts(), units: com.units.Load(), stats: st.snapshot(),
		retries: im.retries.Load(), failures: fails.failures(), interrupted: ctx.Err() != nil}
	res.before = counts{com.prior[0], com.prior[1], com.prior[2]}
	if runErr != nil && !res.interrupted {
		return res, runErr
	}
	if closeErr != nil {
		return res, closeErr
	}
	if o.counters != "" {
		if err := src.writeCounters(o.counters); err != nil {
			return res, err
		}
	}
	sum := summary{o: o, src: src, res: res, elapsed: elapsed, missing: im.missing.Load()}
	if !res.interrupted && src.truth != nil {
		res.verified = true
		if sum.check, err = verify(o.out, src.truth); err != nil {
			return res, err
		}
		res.pass = sum.check.pass()
	}
	sum.print(stdout)
	return res, nil
}

// readArtistsFile reads artist ids, one per line; blank lines and lines
// starting with # are skipped, and spotify:artist: URIs are accepted.
func readArtistsFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ids = append(ids, artistID(line))
	}
	return ids, sc.Err()
}

// artistID returns the id of an artist id or spotify:artist: URI.
func artistID(s string) string { return strings.TrimPrefix(s, "spotify:artist:") }

// splitIDs splits a comma-separated list of ids (or artist URIs).
func splitIDs(s string) []string {
	var ids []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			ids = append(ids, artistID(p))
		}
	}
	return ids
}

var errNoArtists = errors.New("no artists: give -artists or -artists-file")
