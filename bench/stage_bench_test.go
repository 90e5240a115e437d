package bench

import (
	"context"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/transport"
)

// stageCase is one stage alone over the in-memory transport.
type stageCase struct {
	name string
	wrap transport.Middleware
}

// apiHost is the host every stage benchmark sends to.
const apiHost = "api.spotify.com"

// stageCases lists every stage of the default chain, in chain order, each
// taken alone from the real pipeline ([fullCachedChain]), so it is
// configured exactly as a client configures it: no-op telemetry, a cache
// with a store (which misses: the in-memory answer has neither ETag nor
// max-age), no rate limit, a static token.
func stageCases(token *auth.Static) []stageCase {
	chain := fullCachedChain(token)
	names := chain.Names()
	cases := make([]stageCase, 0, len(names))
	for _, name := range names {
		others := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == name })
		cases = append(cases, stageCase{name: name, wrap: chain.Without(others...).Then})
	}
	return cases
}

// fullCachedChain is the default pipeline as a client builds it, with
// no-op telemetry, no rate limit, a static token and the cache on.
func fullCachedChain(token *auth.Static) *transport.Chain {
	return fullChain(token, apiHost, cache.NewLRU(cache.LRUOptions{}))
}

// getWith sends one GET of url with ctx through rt, reads the body to its
// end and closes it.
func getWith(b *testing.B, ctx context.Context, rt http.RoundTripper, url string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		b.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("status %d", resp.StatusCode)
	}
}

// BenchmarkStages measures the chain's cost stage by stage on the in-memory
// transport: the bare transport, each stage alone over it, and the full
// default chain. Every request carries a route and the static token's
// principal, as a client's do, so the cache and coalescing stages take
// their real paths (a cache miss, a one-member flight). Subtract bare from
// a line to get that stage's own cost.
func BenchmarkStages(b *testing.B) {
	const url = "https://api.spotify.com/v1/tracks/11dFghVXANMlKmJXsNCbNl"
	token := auth.NewStatic("bench-token")
	// One record for every request of the loop: the stages' counters add
	// up on it, which costs nothing the measurement should see.
	ctx, _ := transport.StartCall(context.Background(), transport.CallSpec{Route: "/tracks/{id}", Principal: token.Identity()})

	run := func(name string, rt http.RoundTripper) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				getWith(b, ctx, rt, url)
			}
		})
	}
	run("bare", memoryTransport{})
	for _, c := range stageCases(token) {
		run(c.name, c.wrap(memoryTransport{}))
	}
	run("full", fullCachedChain(token).Then(memoryTransport{}))
}
