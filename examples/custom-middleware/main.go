// Command custom-middleware shows a user-written stage plugged into the
// SDK's chain twice: an audit log placed before "retry" runs once per
// call, the same audit placed after "retry" runs once per attempt.
//
// It starts the emulator (spotify/spotifytest) in-process and has it
// answer the first request for an album with a 503 (an injected fault), so
// the call takes two attempts:
// the per-call stage logs one line, the per-attempt stage two. The call
// stage also stamps an X-Audit-ID header on the request; the attempt stage
// sees the same id on every attempt, since retry replays the request it
// was given. A call that succeeds at once logs one line in each stage.
//
//	go run ./examples/custom-middleware
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
	"github.com/spotifysdk/spotify-go/transport"
)

// audit returns a stage that logs every request that passes it. With
// stamp set it gives each request an X-Audit-ID first (on a clone: a
// RoundTripper must not change the request it was given).
func audit(name string, stamp bool, out *auditLog) transport.Stage {
	var seq atomic.Int64
	return transport.Stage{Name: name, Wrap: func(next http.RoundTripper) http.RoundTripper {
		return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			if stamp {
				req = req.Clone(req.Context())
				req.Header.Set("X-Audit-ID", fmt.Sprintf("audit-%03d", seq.Add(1)))
			}
			start := time.Now()
			resp, err := next.RoundTrip(req)
			status := "error: " + fmt.Sprint(err)
			if err == nil {
				status = resp.Status
			}
			out.printf(name, "%-14s %s %s  id=%s attempt=%d  -> %s in %s", name, req.Method, req.URL.Path,
				req.Header.Get("X-Audit-ID"), transport.Attempt(req.Context()), status, time.Since(start).Round(time.Microsecond))
			return resp, err
		})
	}}
}

// auditLog is where the audit lines go (stdout, in order).
type auditLog struct {
	w     io.Writer
	mu    sync.Mutex
	lines map[string]int // lines per stage
}

func (l *auditLog) printf(stage, format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lines == nil {
		l.lines = map[string]int{}
	}
	l.lines[stage]++
	fmt.Fprintf(l.w, "  "+format+"\n", args...)
}

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run makes the calls and prints the audit lines on w.
func run(w io.Writer) error {
	srv := spotifytest.NewServer()
	defer srv.Close()
	albumID := srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0]

	// One injected failure: the emulator answers the first album request
	// with a 503.
	srv.InjectFaults(spotifytest.FaultPlan{Route: "GET /v1/albums/{id}", Kind: spotifytest.Fault503, Count: 1})

	out := auditLog{w: w}
	c, err := srv.Client(
		spotify.WithMiddleware(audit("audit-call", true, &out), spotify.Before("retry")),    // once per call
		spotify.WithMiddleware(audit("audit-attempt", false, &out), spotify.After("retry")), // once per attempt
	)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx := context.Background()

	fmt.Fprintln(w, "1. Albums.Get; the first attempt gets a 503, retry sends it again:")
	var meta spotify.ResponseMeta
	album, err := c.Albums.Get(spotify.WithResponseCapture(ctx, &meta), albumID, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   => %q, %d attempts\n\n", album.Name, meta.Attempts)

	fmt.Fprintln(w, "2. Albums.GetTracks; one call, one attempt:")
	page, err := c.Albums.GetTracks(ctx, albumID, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   => %d tracks\n\n", len(page.Items))

	fmt.Fprintf(w, "2 calls, 3 attempts: audit-call (Before \"retry\") logged %d lines, audit-attempt (After \"retry\") %d\n",
		out.lines["audit-call"], out.lines["audit-attempt"])
	return nil
}
