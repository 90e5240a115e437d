package spotify

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/transport"
)

// TestRetryCopiesOnlyUnderUserMiddleware: retry's first send is a
// protective clone only when a middleware of the user's sits below it; with
// the client's own stages alone it is the request the client built, which
// saves the clone's allocations. A middleware above retry changes nothing.
func TestRetryCopiesOnlyUnderUserMiddleware(t *testing.T) {
	base := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(`{"id":"4iV5W9uYEdYUVa79Axb7Rh","name":"t"}`)), Request: req}, nil
	})
	passThrough := transport.Stage{Name: "mine", Wrap: func(next http.RoundTripper) http.RoundTripper { return next }}
	allocs := func(opts ...Option) float64 {
		c, err := NewClient(append([]Option{WithAccessToken("test-token"), WithCache(nil),
			WithHTTPClient(&http.Client{Transport: base})}, opts...)...)
		require.NoError(t, err)
		defer c.Close()
		ctx := context.Background()
		return testing.AllocsPerRun(200, func() {
			if _, err := c.Tracks.Get(ctx, "4iV5W9uYEdYUVa79Axb7Rh", nil); err != nil {
				t.Fatal(err)
			}
		})
	}
	own := allocs()
	above := allocs(WithMiddleware(passThrough, Before(middleware.StageRetry)))
	below := allocs(WithMiddleware(passThrough, Before(middleware.StageAuth)))
	assert.Equal(t, own, above, "a middleware above retry keeps the first send uncopied")
	assert.GreaterOrEqual(t, below-own, 3.0, "a middleware below retry gets a clone (request, URL and header)")
}

func TestOnlyOwnBelow(t *testing.T) {
	own := []string{"a", "retry", "b", "c"}
	assert.True(t, onlyOwnBelow(own, own, "retry"))
	assert.True(t, onlyOwnBelow([]string{"x", "a", "retry", "b", "c"}, own, "retry"), "a stage of the user's above")
	assert.False(t, onlyOwnBelow([]string{"a", "retry", "b", "x", "c"}, own, "retry"), "a stage of the user's below")
	assert.False(t, onlyOwnBelow([]string{"a", "b"}, own, "retry"), "no retry stage")
}
