package bench

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/transport"
)

// countingTransport is memoryTransport counting its round trips.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return memoryTransport{}.RoundTrip(req)
}

// TestStagesReachTheTransport keeps BenchmarkStages honest: through every
// stage alone and the full chain, each GET reaches the in-memory transport
// (the cache misses, the coalescing flight has one member) and succeeds.
func TestStagesReachTheTransport(t *testing.T) {
	const url = "https://api.spotify.com/v1/tracks/11dFghVXANMlKmJXsNCbNl"
	token := auth.NewStatic("bench-token")
	// One record for every request of the loop: the stages' counters add
	// up on it, which costs nothing the measurement should see.
	ctx, _ := transport.StartCall(context.Background(), transport.CallSpec{Route: "/tracks/{id}", Principal: token.Identity()})
	check := func(name string, wrap func(http.RoundTripper) http.RoundTripper) {
		base := &countingTransport{}
		rt := wrap(base)
		for range 3 {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", name, resp.StatusCode)
			}
		}
		if got := base.n.Load(); got != 3 {
			t.Errorf("%s: 3 GETs made %d round trips", name, got)
		}
	}
	for _, c := range stageCases(token) {
		check(c.name, c.wrap)
	}
	check("full", fullCachedChain(token).Then)
}
