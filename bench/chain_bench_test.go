package bench

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/transport"
)

// trackBody stands for a small API answer (about the size of a track).
var trackBody = `{"id":"11dFghVXANMlKmJXsNCbNl","name":"Cut To The Feeling","popularity":63,"duration_ms":207959,"explicit":false,"type":"track","uri":"spotify:track:11dFghVXANMlKmJXsNCbNl"}` + strings.Repeat(" ", 2500)

// memoryTransport answers every request in memory with trackBody, so a
// benchmark through it measures the chain and nothing else.
type memoryTransport struct{}

func (memoryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(strings.NewReader(trackBody)),
		ContentLength: int64(len(trackBody)),
		Request:       req,
	}, nil
}

// fullChain is the default pipeline as a client builds it for the API at
// host, with no-op telemetry, no rate limit, token as the provider and store
// as the cache (nil turns caching off).
func fullChain(token auth.Provider, host string, store cache.Store) *transport.Chain {
	return spotify.NewPipeline(spotify.PipelineOptions{
		Provider:       token,
		APIHost:        host,
		Cache:          store,
		TracerProvider: tracenoop.NewTracerProvider(),
		MeterProvider:  metricnoop.NewMeterProvider(),
	})
}

// get sends one GET of url through rt with a route and no principal (see
// getWith).
func get(b *testing.B, rt http.RoundTripper, url string) {
	ctx, _ := transport.StartCall(context.Background(), transport.CallSpec{Route: "/tracks/{id}"})
	getWith(b, ctx, rt, url)
}

// BenchmarkChain measures one GET through the bare transport and through the
// full default chain, in memory (the chain's own cost) and over loopback
// (the cost next to a real round trip).
func BenchmarkChain(b *testing.B) {
	const url = "https://api.spotify.com/v1/tracks/11dFghVXANMlKmJXsNCbNl"
	b.Run("memory/bare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			get(b, memoryTransport{}, url)
		}
	})
	b.Run("memory/chain", func(b *testing.B) {
		rt := fullChain(auth.NewStatic("bench-token"), "api.spotify.com", nil).Then(memoryTransport{})
		b.ReportAllocs()
		for b.Loop() {
			get(b, rt, url)
		}
	})

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, trackBody)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	loop := srv.URL + "/v1/tracks/11dFghVXANMlKmJXsNCbNl"
	b.Run("loopback/bare", func(b *testing.B) {
		base := transport.NewBase(transport.BaseOptions{})
		defer base.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			get(b, base, loop)
		}
	})
	b.Run("loopback/chain", func(b *testing.B) {
		base := transport.NewBase(transport.BaseOptions{})
		defer base.CloseIdleConnections()
		rt := fullChain(auth.NewStatic("bench-token"), host, nil).Then(base)
		b.ReportAllocs()
		for b.Loop() {
			get(b, rt, loop)
		}
	})
}
