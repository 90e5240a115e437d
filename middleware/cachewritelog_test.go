package middleware

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/cache"
)

func TestCacheWriteLog(t *testing.T) {
	var l cacheWriteLog
	since := l.current()
	l.add(cache.Invalidation{Path: "/v1/playlists/x/items", Prefixes: []string{"/v1/me/tracks"}})
	assert.True(t, l.touched(since, "/v1/playlists/x"))
	assert.True(t, l.touched(since, "/v1/me/tracks/contains"))
	assert.False(t, l.touched(since, "/v1/playlists/xy"))
	assert.False(t, l.touched(l.current(), "/v1/playlists/x"), "writes before since do not count")
	since = l.current()
	for range cacheWriteLogSize {
		l.add(cache.Invalidation{Path: "/v1/other"})
	}
	assert.False(t, l.touched(since, "/v1/playlists/x"))
	l.add(cache.Invalidation{Path: "/v1/other"})
	assert.True(t, l.touched(since, "/v1/playlists/x"), "more writes than the log holds: assume touched")
}

func TestCacheGETOverlappingAWriteDoesNotStore(t *testing.T) {
	for _, tc := range []struct {
		written string
		stored  bool
	}{{"/playlists/x/items", false}, {"/playlists/other", true}} {
		t.Run(tc.written, func(t *testing.T) {
			h := newCacheHarness(nil)
			h.tt.Append(cacheFresh60).AppendResponse(200, "")
			resp, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/playlists/x"))
			require.NoError(t, err)
			h.do(t, cacheRequest(t, context.Background(), "user:b", http.MethodPost, tc.written))
			_, err = io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, map[bool]int{true: 1, false: 0}[tc.stored], h.store.Len())
		})
	}
}
