package spotify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/middleware"
)

// The chunks of one chunked operation share one 429 retry budget: with
// every chunk answered 429 four times before it succeeds, a write of three
// chunks meets twelve 429s, more than the ten one call may retry. It fails
// on the third chunk with ErrRateLimited, the first two applied; with one
// budget per chunk it would have gone through. A single-chunk call keeps
// its own budget.
func TestChunkedWriteSharesOneThrottle(t *testing.T) {
	ts := newTestServer(t)
	var mu sync.Mutex
	seen := map[string]int{}
	ts.Mux.HandleFunc("/me/library", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.RawQuery]++
		n := seen[r.URL.RawQuery]
		mu.Unlock()
		if n <= 4 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	c := newTestClient(t, ts)
	uris := make([]string, 3*libraryMaxURIs)
	for i := range uris {
		uris[i] = fmt.Sprintf("spotify:track:%022d", i)
	}
	err := c.Library.SaveItems(context.Background(), uris, nil)
	require.Error(t, err)
	require.ErrorIs(t, err, ErrRateLimited)
	var chunkErr *ChunkError
	require.ErrorAs(t, err, &chunkErr)
	assert.Len(t, chunkErr.Applied, 2*libraryMaxURIs, "the first two chunks went through")
	var rl *middleware.RateLimitError
	require.True(t, errors.As(err, &rl))
	assert.True(t, rl.Exhausted)
	mu.Lock()
	sent := 0
	for _, n := range seen {
		sent += n
	}
	mu.Unlock()
	// 5 sends each for the first two chunks (4 retries each); the third
	// chunk has what is left of the operation's retries, and its next 429
	// ends it.
	left := middleware.DefaultMaxRateLimitRetries - 2*4
	require.Positive(t, left)
	require.Less(t, left, 4, "the third chunk must run out before its fifth send")
	assert.Equal(t, 2*5+left+1, sent, "DefaultMaxRateLimitRetries 429 retries for the whole operation")

	// One chunk alone has the budget to itself.
	mu.Lock()
	clear(seen)
	mu.Unlock()
	require.NoError(t, c.Library.SaveItems(context.Background(), uris[:libraryMaxURIs], nil))
}
