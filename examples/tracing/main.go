// Command tracing shows the SDK's OpenTelemetry spans with the OTel SDK:
// one INTERNAL span per API call ("GET /albums/{id}"), under it one
// CLIENT span per attempt (with http.request.resend_count on a retry),
// and a "retry" event on the call span for every retry with its reason
// and wait.
//
// It starts the emulator (spotify/spotifytest) in-process and injects two
// faults: the first album request answers 503, the second 429 with
// Retry-After: 0.2, so the call takes three attempts. The spans are
// printed as an indented tree by a small SpanExporter of this file (the
// OTel SDK's stdout exporter would be another dependency):
//
//	go run ./examples/tracing
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// treeExporter is a SpanExporter that keeps the finished spans and, on
// Shutdown, prints them as an indented tree: name, kind, duration,
// attributes and events, each child under its parent.
type treeExporter struct {
	w     io.Writer
	mu    sync.Mutex
	spans []sdktrace.ReadOnlySpan
}

func (e *treeExporter) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.spans = append(e.spans, spans...)
	return nil
}

func (e *treeExporter) Shutdown(context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	children := map[trace.SpanID][]sdktrace.ReadOnlySpan{}
	ids := map[trace.SpanID]bool{}
	for _, s := range e.spans {
		ids[s.SpanContext().SpanID()] = true
	}
	var roots []sdktrace.ReadOnlySpan
	for _, s := range e.spans {
		if p := s.Parent().SpanID(); s.Parent().IsValid() && ids[p] {
			children[p] = append(children[p], s)
		} else {
			roots = append(roots, s)
		}
	}
	byStart := func(a, b sdktrace.ReadOnlySpan) int { return a.StartTime().Compare(b.StartTime()) }
	var print func(s sdktrace.ReadOnlySpan, depth int)
	print = func(s sdktrace.ReadOnlySpan, depth int) {
		ind := strings.Repeat("    ", depth)
		parent := "none"
		if s.Parent().IsValid() {
			parent = s.Parent().SpanID().String()
		}
		fmt.Fprintf(e.w, "%s%s  [%s]  span %s  parent %s  %s  status %s\n", ind, s.Name(), s.SpanKind(),
			s.SpanContext().SpanID(), parent, s.EndTime().Sub(s.StartTime()).Round(time.Microsecond), s.Status().Code)
		for _, a := range s.Attributes() {
			fmt.Fprintf(e.w, "%s    %s = %s\n", ind, a.Key, a.Value.String())
		}
		for _, ev := range s.Events() {
			fmt.Fprintf(e.w, "%s    event %q at +%s%s\n", ind, ev.Name,
				ev.Time.Sub(s.StartTime()).Round(time.Microsecond), attrs(ev.Attributes))
		}
		kids := children[s.SpanContext().SpanID()]
		slices.SortFunc(kids, byStart)
		for _, c := range kids {
			print(c, depth+1)
		}
	}
	slices.SortFunc(roots, byStart)
	for _, r := range roots {
		print(r, 0)
	}
	e.spans = nil
	return nil
}

func attrs(kv []attribute.KeyValue) string {
	var b strings.Builder
	for _, a := range kv {
		fmt.Fprintf(&b, " %s=%s", a.Key, a.Value.String())
	}
	return b.String()
}

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run makes the calls and prints the spans on w.
func run(w io.Writer) error {
	srv := spotifytest.NewServer()
	defer srv.Close()
	albumID := srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0]

	exp := &treeExporter{w: w}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp)) // export each span as it ends

	// Injected faults: the first album request answers 503, the second 429.
	srv.InjectFaults(
		spotifytest.FaultPlan{Route: "GET /v1/albums/{id}", Kind: spotifytest.Fault503, Count: 1},
		spotifytest.FaultPlan{Route: "GET /v1/albums/{id}", Kind: spotifytest.Fault429, Count: 1, RetryAfter: 200 * time.Millisecond},
	)
	c, err := srv.Client(spotify.WithTracerProvider(tp))
	if err != nil {
		return err
	}
	defer c.Close()

	// The application's own span: the SDK's spans nest under it.
	ctx, span := tp.Tracer("example").Start(context.Background(), "import-one-album")
	// A response capture also attaches the call's counters, which the call
	// span then reports (spotify.attempts, spotify.rate_limited).
	var meta spotify.ResponseMeta
	album, err := c.Albums.Get(spotify.WithResponseCapture(ctx, &meta), albumID, nil)
	if err != nil {
		return err
	}
	page, err := c.Albums.GetTracks(ctx, albumID, &spotify.AlbumTracksOptions{Limit: 5})
	if err != nil {
		return err
	}
	span.End()
	fmt.Fprintf(w, "album %q (%d attempts, %d 429s absorbed), first %d tracks; the spans:\n\n",
		album.Name, meta.Attempts, meta.RateLimited, len(page.Items))
	return tp.Shutdown(context.Background())
}
