package middleware

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/spotifysdk/spotify-go/transport"
)

// BenchmarkCoalesceLone measures the stage for a lone caller, whose
// context can be cancelled or not, under a lifetime context that can end
// or not.
func BenchmarkCoalesceLone(b *testing.B) {
	next := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode:    http.StatusOK,
			Header:        http.Header{"Content-Type": {"application/json"}},
			Body:          io.NopCloser(strings.NewReader(coalesceBody)),
			ContentLength: int64(len(coalesceBody)),
			Request:       req,
		}, nil
	})
	life, stop := context.WithCancel(context.Background())
	defer stop()
	caller, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, c := range []struct {
		name      string
		life, ctx context.Context
	}{
		{"background", nil, context.Background()},
		{"cancellable-caller", nil, caller},
		{"lifetime", life, context.Background()},
		{"lifetime-cancellable-caller", life, caller},
	} {
		b.Run(c.name, func(b *testing.B) {
			rt := Coalesce(CoalesceOptions{Context: c.life})(next)
			ctx := withPrincipal(c.ctx, "alice")
			b.ReportAllocs()
			for b.Loop() {
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, coalesceURL, nil)
				if err != nil {
					b.Fatal(err)
				}
				resp, err := rt.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
		})
	}
}
