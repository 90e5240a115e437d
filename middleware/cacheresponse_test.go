package middleware

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/transport"
)

func TestCacheStoresStreamedBodiesOnlyWhenReadToTheEnd(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.Append(cacheFresh60).Repeat()
	resp, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a"))
	require.NoError(t, err)
	_, err = io.ReadFull(resp.Body, make([]byte, 3))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Zero(t, h.store.Len(), "a body closed before its end stores nothing")
	_, _, fromCache := h.get(t, "user:a", "/albums/a")
	assert.False(t, fromCache)
	assert.Equal(t, 2, h.tt.Len(), "the next GET goes to the network")
	assert.Equal(t, 1, h.store.Len(), "a body read to io.EOF is stored")

	require.NoError(t, h.store.Delete(context.Background(), requestKey("user:a", cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a"))))
	resp, err = h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a"))
	require.NoError(t, err)
	_, err = io.ReadFull(resp.Body, make([]byte, len("user:a /v1/albums/a")))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Zero(t, h.store.Len(), "every byte read is not io.EOF: a streamed body needs io.EOF")
}

// A body a stage below buffered is stored as soon as it arrives, whatever
// the caller reads of it, and comes back unwrapped, so that its bytes can
// still be taken without a copy; a write during its flight still keeps it
// out.
func TestCacheStoresBufferedBodiesAtOnce(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.Append(cacheFresh60).Append(func(req *http.Request) (*http.Response, error) {
		w, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:b", http.MethodPut, "/albums/b"))
		require.NoError(t, err)
		transport.DrainAndClose(w)
		return cacheFresh60(req)
	}).Append(cacheFresh60).Repeat()
	h.rt = Cache(CacheOptions{Store: h.store, Clock: h.fc})(Download(DownloadOptions{})(h.tt))

	resp, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a"))
	require.NoError(t, err)
	data, ok := transport.BodyBytes(resp.Body)
	require.True(t, ok, "the cache hands back the buffered body")
	assert.Equal(t, "user:a /v1/albums/a", string(data))
	assert.Equal(t, 1, h.store.Len(), "stored before the body is read")
	require.NoError(t, resp.Body.Close())
	_, body, fromCache := h.get(t, "user:a", "/albums/a")
	assert.True(t, fromCache, "a buffered body closed unread is stored")
	assert.Equal(t, "user:a /v1/albums/a", body)

	resp, err = h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/b"))
	require.NoError(t, err)
	_, ok = transport.BodyBytes(resp.Body)
	assert.True(t, ok)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, []string{"user:a /v1/albums/a"}, h.store.entries(), "a write during the flight keeps it out")
}
