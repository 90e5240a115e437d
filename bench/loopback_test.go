package bench

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/spotifysdk/spotify-go/spotify"
)

// The ids the loopback benchmarks ask for. The server answers every album
// id with the album sample and every track id with the track sample; the
// id's prefix picks the caching headers (see sampleServer.serve).
const (
	albumID = "2CWWgbxApjbyByxBBCvGTm"
	trackID = "1zHlj4dQ8ZAtrayhuDDmkY"
	// freshPrefix: Cache-Control: private, max-age=60.
	freshPrefix = "fresh"
	// etagPrefix: an ETag, max-age=0, and a 304 to a matching
	// If-None-Match.
	etagPrefix = "etag"
)

// trackSample returns the recorded 2.7 KB track of ../shared, or, where
// ../shared is absent (outside CI), the project's own track of the same
// shape.
func trackSample(tb testing.TB) []byte {
	return sharedSample(tb, "track.json", generatedTrack)
}

// sampleServer is one httptest server with the album at /v1/albums/{id}
// and the track at /v1/tracks/{id}, counting what it answers.
type sampleServer struct {
	*httptest.Server
	album, track []byte
	requests     atomic.Int64 // every request
	notModified  atomic.Int64 // the 304s among them
}

// newSampleServer starts the server; it is closed when tb ends.
func newSampleServer(tb testing.TB, album, track []byte) *sampleServer {
	s := &sampleServer{album: album, track: track}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/albums/{id}", func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, s.album) })
	mux.HandleFunc("GET /v1/tracks/{id}", func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, s.track) })
	s.Server = httptest.NewServer(mux)
	tb.Cleanup(s.Close)
	return s
}

// serve answers with body. By default, as the issue asks: Cache-Control:
// private, max-age=0 and no ETag, so nothing can be served from a cache.
// An id starting with freshPrefix gets max-age=60; one starting with
// etagPrefix gets an ETag and max-age=0, and a 304 to a matching
// If-None-Match.
func (s *sampleServer) serve(w http.ResponseWriter, r *http.Request, body []byte) {
	s.requests.Add(1)
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	id := r.PathValue("id")
	switch {
	case strings.HasPrefix(id, freshPrefix):
		h.Set("Cache-Control", "private, max-age=60")
	case strings.HasPrefix(id, etagPrefix):
		h.Set("Cache-Control", "private, max-age=0")
		h.Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			s.notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	default:
		h.Set("Cache-Control", "private, max-age=0")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// sdkClient is the SDK's client on s as a user builds it: a static token,
// the base URL, the default cache on, no-op telemetry.
func sdkClient(tb testing.TB, s *sampleServer) *spotify.Client {
	return newSDKClient(tb, s.URL+"/v1")
}

// newSDKClient is the SDK's client on the API at baseURL with sdkClient's
// options and then opts; it is closed when tb ends.
func newSDKClient(tb testing.TB, baseURL string, opts ...spotify.Option) *spotify.Client {
	c, err := spotify.NewClient(append([]spotify.Option{
		spotify.WithAccessToken("bench-token"),
		spotify.WithBaseURL(baseURL),
		spotify.WithTracerProvider(tracenoop.NewTracerProvider()),
		spotify.WithMeterProvider(metricnoop.NewMeterProvider()),
	}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// readBody reads a response body into one buffer sized by Content-Length,
// the way a careful raw caller does.
func readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n > 0 && n < 64<<20 {
		buf := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	return io.ReadAll(resp.Body)
}

// rawGet sends one GET of url with a bearer token through hc and hands the
// 200 answer to decode.
func rawGet(hc *http.Client, url string, decode func(*http.Response) error) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer bench-token")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return decode(resp)
}

// loop runs op b.N times in sequence, failing on the first error, and
// returns the number of calls made.
func loop(b *testing.B, op func() error) int64 {
	b.ReportAllocs()
	var n int64
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return n
}

// loopParallel runs b.N calls over GOMAXPROCS goroutines, each making its
// call with newOp once, and returns the number of calls made.
func loopParallel(b *testing.B, newOp func() func() error) int64 {
	b.ReportAllocs()
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		op := newOp()
		for pb.Next() {
			if err := op(); err != nil {
				b.Error(err)
				return
			}
			n.Add(1)
		}
	})
	return n.Load()
}
