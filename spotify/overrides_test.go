package spotify

// Tests of the per-call overrides: WithHeader, WithCallRetries,
// WithNoCache, WithCallTimeout (overrides.go).

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/cache"
)

func TestCoreWithHeader(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum))
	c := coreClient(t, ts, WithAccessToken("tok"))
	ctx := WithHeader(context.Background(), "X-Test", "1")
	ctx = WithHeader(ctx, "Authorization", "Bearer stolen")
	ctx = WithHeader(ctx, "authorization", "Bearer stolen")
	_, err := c.Albums.Get(ctx, "a1", nil)
	require.NoError(t, err)
	_, err = c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "1", reqs[0].Header.Get("X-Test"))
	assert.Equal(t, []string{"Bearer tok"}, reqs[0].Header.Values("Authorization"), "WithHeader cannot set Authorization")
	assert.Empty(t, reqs[1].Header.Get("X-Test"), "the header belongs to calls made with ctx only")
}

func TestCoreWithHeaderDoesNotLeakBetweenContexts(t *testing.T) {
	base := WithHeader(context.Background(), "X-A", "1")
	a := WithHeader(base, "X-B", "2")
	b := WithHeader(base, "X-C", "3")
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum))
	c := coreClient(t, ts, WithAccessToken("tok"))
	for _, ctx := range []context.Context{base, a, b} {
		_, err := c.Albums.Get(ctx, "a1", nil)
		require.NoError(t, err)
	}
	reqs := ts.requests()
	require.Len(t, reqs, 3)
	assert.Empty(t, reqs[0].Header.Get("X-B"))
	assert.Equal(t, "2", reqs[1].Header.Get("X-B"))
	assert.Empty(t, reqs[2].Header.Get("X-B"), "a derived context does not change its parent's")
	assert.Equal(t, "1", reqs[2].Header.Get("X-A"))
}

func TestCoreWithCallRetries(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum, 503, 503))
	c := coreClient(t, ts, WithAccessToken("tok"))
	_, err := c.Albums.Get(WithCallRetries(context.Background(), 0), "a1", nil)
	require.ErrorIs(t, err, ErrServer)
	assert.Len(t, ts.requests(), 1, "a 503 is not retried")
	_, err = c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err, "without the override the client's retries apply")
	assert.Len(t, ts.requests(), 3)
}

func TestCoreWithNoCache(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private, max-age=60")
		_, _ = io.WriteString(w, coreAlbum)
	})
	c := coreClient(t, ts, WithAccessToken("tok"), WithCache(cache.NewLRU(cache.LRUOptions{})))
	ctx := context.Background()
	for range 2 {
		_, err := c.Albums.Get(ctx, "a1", nil)
		require.NoError(t, err)
	}
	require.Len(t, ts.requests(), 1, "the cache answers the second call")
	var m ResponseMeta
	_, err := c.Albums.Get(WithResponseCapture(WithNoCache(ctx), &m), "a1", nil)
	require.NoError(t, err)
	assert.False(t, m.FromCache)
	assert.Len(t, ts.requests(), 2, "WithNoCache bypasses the cache")
}

func TestCoreWithCallTimeout(t *testing.T) {
	ts := newTestServer(t)
	release := make(chan struct{})
	ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	// The client's own per-attempt timeout is long: only the call's
	// timeout can end the call soon.
	c := coreClient(t, ts, WithAccessToken("tok"), WithMaxRetries(0), WithTimeout(10*time.Second))
	start := time.Now()
	_, err := c.Albums.Get(WithCallTimeout(context.Background(), 20*time.Millisecond), "a1", nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second, "the call's timeout ended it, not the client's")
	assert.Len(t, ts.requests(), 1)
}
