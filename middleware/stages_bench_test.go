package middleware

import (
	"context"
	"net/http"
	"testing"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/transport"
)

// benchStageURL is the URL of the stage benchmarks: a client's read.
const benchStageURL = "https://api.spotify.com/v1/tracks/11dFghVXANMlKmJXsNCbNl"

// BenchmarkStageHot measures the stages that keep nothing per request
// with one request sent again and again, so that the loop costs little
// besides the stage. Each stage alone with a request per call, and the
// whole chain, are bench's BenchmarkStages.
func BenchmarkStageHot(b *testing.B) {
	life, stop := context.WithCancel(context.Background())
	defer stop()
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody}
	next := transport.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
	for _, c := range []struct {
		name string
		mw   transport.Middleware
	}{
		{"next", func(next http.RoundTripper) http.RoundTripper { return next }},
		{"ratelimit", RateLimit(RateLimitOptions{Budget: NewAdaptiveBudget(AdaptiveBudgetOptions{})})},
		{"ratelimit-fixed", RateLimit(RateLimitOptions{Budget: NewFixedBudget(BudgetOptions{})})},
		{"bulkhead", Concurrency(BulkheadOptions{})},
		{"breaker", Breaker(BreakerOptions{})},
	} {
		b.Run(c.name, func(b *testing.B) {
			rt := c.mw(next)
			ctx, _ := transport.StartCall(context.Background(), transport.CallSpec{
				Route: "/tracks/{id}", Principal: "user:bench", Lifetime: life})
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, benchStageURL, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				resp, err := rt.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				_ = resp.Body.Close()
			}
		})
	}
}

// BenchmarkStageKeyed measures the stages that key a request (cache, then
// coalesce, as in a client's chain) with one request given a new call
// record each time, so that the key is computed once per call as in a
// client.
func BenchmarkStageKeyed(b *testing.B) {
	life, stop := context.WithCancel(context.Background())
	defer stop()
	for _, c := range []struct {
		name string
		mw   transport.Middleware
	}{
		{"next", func(next http.RoundTripper) http.RoundTripper { return next }},
		{"cache", Cache(CacheOptions{Store: cache.NewLRU(cache.LRUOptions{})})},
		{"coalesce", Coalesce(CoalesceOptions{Context: life})},
		{"cache+coalesce", func(next http.RoundTripper) http.RoundTripper {
			return Cache(CacheOptions{Store: cache.NewLRU(cache.LRUOptions{})})(Coalesce(CoalesceOptions{Context: life})(next))
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			// One response, given a new buffered body each time: the
			// stages replace its Body and Request, never its Header.
			resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{
				"Content-Type":  {"application/json; charset=utf-8"},
				"Cache-Control": {"private, max-age=0"},
			}}
			data := []byte(`{"id":"11dFghVXANMlKmJXsNCbNl"}`)
			rt := c.mw(transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
				resp.Body, resp.Request = transport.NewBufferedBody(data), req
				return resp, nil
			}))
			req := benchClientRead(b, benchStageURL)
			b.ReportAllocs()
			for b.Loop() {
				ctx, _ := transport.StartCall(context.Background(), transport.CallSpec{
					Route: "/tracks/{id}", Principal: "user:bench", Lifetime: life})
				resp, err := rt.RoundTrip(req.WithContext(ctx))
				if err != nil {
					b.Fatal(err)
				}
				_ = resp.Body.Close()
			}
		})
	}
}

// benchClientRead is a GET of url with the headers a client's read
// carries.
func benchClientRead(b *testing.B, url string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header["User-Agent"] = []string{"spotify-go"}
	req.Header["Accept"] = []string{"application/json"}
	return req
}
