// Command import is the main job of spotify-go: a backend import of full
// discographies through the AsyncClient.
//
// For each artist it fetches the artist, its albums (paged), each album's
// tracks (paged) and the details of every track (Tracks.GetSeveral in
// batches of 50 for an Extended Quota app, Tracks.Get one by one in
// Development Mode), and streams the records to JSON Lines files as they
// arrive: artists.jsonl, albums.jsonl and tracks.jsonl under -out. Records
// pass through bounded channels to one writer goroutine per file, so
// memory stays flat however large the import.
//
// Run it with no credentials and it starts the emulator
// (spotify/spotifytest) in-process and imports the first -size artists of
// its catalogue, then checks against the emulator's ground truth that
// every track arrived exactly once:
//
//	go run ./examples/import
//	go run ./examples/import -size 1000 -concurrency 64 -mode dev
//	go run ./examples/import -chaos   # the emulator injects 429s, 5xx, resets and latency
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
// in-flight calls are cancelled and the files are flushed and closed with
// complete lines only.
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
	artists     string
	artistsFile string
	chaos       bool
	progress    bool // draw the progress line
}

func main() {
	var o options
	flag.IntVar(&o.size, "size", 200, "emulator mode: import the first `n` artists of the catalogue (about 50 tracks each)")
	flag.IntVar(&o.concurrency, "concurrency", 16, "calls in flight at a time (spotify.WithConcurrency)")
	flag.StringVar(&o.mode, "mode", "extended", "app mode: `dev` (Development Mode: tracks one by one) or extended (Extended Quota: batches of 50)")
	flag.StringVar(&o.out, "out", "", "output `folder` (default ./out/import-<time>)")
	flag.StringVar(&o.artists, "artists", "", "Spotify mode: comma-separated artist `ids`")
	flag.StringVar(&o.artistsFile, "artists-file", "", "Spotify mode: a `file` of artist ids, one per line")
	registerChaosFlag(flag.CommandLine, &o.chaos)
	flag.Parse()
	o.progress = true

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once
	}()

	res, err := run(ctx, o, os.Stdout, os.Stderr)
	switch {
	case err != nil:
		fmt.Fprintln(os.Stderr, "import:", err)
		os.Exit(1)
	case res.interrupted:
		os.Exit(130)
	case res.verified && !res.pass:
		os.Exit(1)
	}
}

// result is what run reports to main and to the test.
type result struct {
	dir         string
	counts      counts
	stats       snapshotStats // the requests, attempts, 429s and latency
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
	if o.out == "" {
		o.out = filepath.Join("out", "import-"+time.Now().UTC().Format("20060102-150405"))
	}

	src, err := openSource(o)
	if err != nil {
		return nil, err
	}
	defer src.close()

	st := newStats()
	ac, err := newClient(src, o, st)
	if err != nil {
		return nil, err
	}
	defer ac.Close()

	sinks, err := openSinks(o.out, o.concurrency)
	if err != nil {
		return nil, err
	}

	fmt.Fprintf(stderr, "importing %d artists from %s (%s mode, concurrency %d) into %s\n",
		len(src.artistIDs), src.name, o.mode, o.concurrency, o.out)

	var prog *progress
	if o.progress {
		prog = startProgress(stderr, len(src.artistIDs), sinks, st)
	}
	start := time.Now()
	im := &importer{ac: ac, batch: o.mode == "extended", conc: o.concurrency, sinks: sinks, st: st}
	runErr := im.run(ctx, src.artistIDs)
	closeErr := sinks.close() // flush what arrived, complete lines only
	elapsed := time.Since(start)
	if prog != nil {
		prog.stop()
	}

	res := &result{dir: o.out, counts: sinks.counts(), stats: st.snapshot(), interrupted: ctx.Err() != nil}
	if runErr != nil && !res.interrupted {
		return res, runErr
	}
	if closeErr != nil {
		return res, closeErr
	}
	sum := summary{o: o, src: src, counts: res.counts, st: res.stats, elapsed: elapsed, missing: im.missing.Load()}
	if !res.interrupted && src.truth != nil {
		res.verified = true
		sum.check, err = verify(filepath.Join(o.out, "tracks.jsonl"), src.truth)
		if err != nil {
			return res, err
		}
		res.pass = sum.check.pass()
	}
	sum.interrupted = res.interrupted
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
