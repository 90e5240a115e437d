package spotify

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/transport"
)

// TestRetryCopiesOnlyUnderUserMiddleware: retry's first send is a
// protective clone only when a middleware of the user's sits below it; with
// the client's own stages alone it is the request the client built. Seen
// from the base transport: the auth stage's copy shares its request's URL,
// so the base gets the very URL a middleware above retry saw unless retry
// cloned the request (a clone has a URL of its own).
func TestRetryCopiesOnlyUnderUserMiddleware(t *testing.T) {
	for name, tc := range map[string]struct {
		below  bool // a pass-through middleware of the user's below retry
		cloned bool
	}{
		"own stages below retry":      {below: false, cloned: false},
		"user's middleware below too": {below: true, cloned: true},
	} {
		t.Run(name, func(t *testing.T) {
			var above, sent *url.URL
			base := trackBase(func(req *http.Request) { sent = req.URL })
			observe := transport.Stage{Name: "observe", Wrap: func(next http.RoundTripper) http.RoundTripper {
				return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
					above = req.URL
					return next.RoundTrip(req)
				})
			}}
			opts := []Option{WithAccessToken("test-token"), WithCache(nil), WithHTTPClient(&http.Client{Transport: base}),
				WithMiddleware(observe, Before(middleware.StageRetry))}
			if tc.below {
				passThrough := transport.Stage{Name: "mine", Wrap: func(next http.RoundTripper) http.RoundTripper { return next }}
				opts = append(opts, WithMiddleware(passThrough, Before(middleware.StageAuth)))
			}
			c, err := NewClient(opts...)
			require.NoError(t, err)
			defer c.Close()
			_, err = c.Tracks.Get(context.Background(), "4iV5W9uYEdYUVa79Axb7Rh", nil)
			require.NoError(t, err)
			require.NotNil(t, above)
			require.NotNil(t, sent)
			assert.Equal(t, above.String(), sent.String())
			assert.Equal(t, tc.cloned, above != sent, "the base got a clone's URL")
		})
	}
}

func TestOnlyOwnBelow(t *testing.T) {
	own := []string{"a", "retry", "b", "c"}
	assert.True(t, onlyOwnBelow(own, own, "retry"))
	assert.True(t, onlyOwnBelow([]string{"x", "a", "retry", "b", "c"}, own, "retry"), "a stage of the user's above")
	assert.False(t, onlyOwnBelow([]string{"a", "retry", "b", "x", "c"}, own, "retry"), "a stage of the user's below")
	assert.False(t, onlyOwnBelow([]string{"a", "b"}, own, "retry"), "no retry stage")
}

// TestCoalesceSendsTheCallersRequest: the coalescing stage runs a flight on
// its first caller's goroutine with the request the client built, whether
// the caller's context can end or not; the client has bound a context that
// can end to its lifetime already, so the stage needs no copy to bind it.
func TestCoalesceSendsTheCallersRequest(t *testing.T) {
	for name, cancellable := range map[string]bool{"background": false, "cancellable": true} {
		t.Run(name, func(t *testing.T) {
			seen := map[string]*http.Request{}
			observe := func(at string) transport.Stage {
				return transport.Stage{Name: at, Wrap: func(next http.RoundTripper) http.RoundTripper {
					return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
						seen[at] = req
						return next.RoundTrip(req)
					})
				}}
			}
			base := trackBase(nil)
			c, err := NewClient(WithAccessToken("test-token"), WithCache(nil), WithHTTPClient(&http.Client{Transport: base}),
				WithMiddleware(observe("above"), Before(middleware.StageCoalesce)),
				WithMiddleware(observe("below"), Before(middleware.StageRetry)))
			require.NoError(t, err)
			defer c.Close()
			ctx := context.Background()
			if cancellable {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				defer cancel()
			}
			_, err = c.Tracks.Get(ctx, "4iV5W9uYEdYUVa79Axb7Rh", nil)
			require.NoError(t, err)
			require.NotNil(t, seen["above"])
			assert.Same(t, seen["above"], seen["below"], "the flight sent the caller's request, not a copy")
			assert.NotNil(t, seen["below"].Context().Done(), "and Close can still cancel it")
		})
	}
}

// TestTimeoutLendsOnlyToOwnStages: the client lets the timeout stage lend
// an attempt's copy of the request to the stages below (auth then writes
// its header into it instead of copying the request again) only when no
// middleware of the user's sits below the timeout stage. Seen as one
// allocation per call: two clients with a pass-through middleware each,
// one just above the timeout stage and one just below it, differ by the
// auth stage's copy alone (both put a middleware below retry, so both
// clone there). The clients share their pools, so a race build's random
// pool drops fall on both alike.
func TestTimeoutLendsOnlyToOwnStages(t *testing.T) {
	base := trackBase(nil)
	passThrough := transport.Stage{Name: "mine", Wrap: func(next http.RoundTripper) http.RoundTripper { return next }}
	allocs := func(at Placement) float64 {
		c, err := NewClient(WithAccessToken("test-token"), WithCache(nil), WithHTTPClient(&http.Client{Transport: base}),
			WithMiddleware(passThrough, at))
		require.NoError(t, err)
		defer c.Close()
		call := func() {
			if _, err := c.Tracks.Get(context.Background(), "4iV5W9uYEdYUVa79Axb7Rh", nil); err != nil {
				panic(err)
			}
		}
		call()
		return testing.AllocsPerRun(500, call)
	}
	above, below := allocs(Before(middleware.StageTimeout)), allocs(Before(middleware.StageAttempt))
	assert.InDelta(t, 1, below-above, 0.5, "allocations per call: %v with the copy lent, %v without", above, below)
}
