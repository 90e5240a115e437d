package spotify

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/cache"
)

func TestCoreRequestDoEndpointTheSDKLacks(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("GET /markets", coreScript(`{"markets":["SE","US","JP"]}`))
	var perCall atomic.Int32
	c := coreClient(t, ts, WithAccessToken("tok"), WithMiddleware(coreCountingStage("mine", &perCall), Before("retry")))

	req, err := c.NewRequest(context.Background(), http.MethodGet, "markets", nil)
	require.NoError(t, err)
	var got map[string][]string
	require.NoError(t, c.Do(req, &got))
	assert.Equal(t, []string{"SE", "US", "JP"}, got["markets"])
	reqs := ts.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/markets", reqs[0].Path)
	assert.Equal(t, "Bearer tok", reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "spotify-go/"+Version, reqs[0].Header.Get("User-Agent"))
	assert.Equal(t, int32(1), perCall.Load(), "the request went through the chain")
	assert.Empty(t, req.Header.Get("Authorization"), "the caller's request is not changed")

	// A leading slash, an absolute URL under the base and a nil v work too.
	for _, p := range []string{"/markets", ts.URL + "/v1/markets"} {
		req, err := c.NewRequest(context.Background(), http.MethodGet, p, nil)
		require.NoError(t, err, p)
		require.NoError(t, c.Do(req, nil), p)
	}
	assert.Len(t, ts.requests(), 3)
	for _, r := range ts.requests() {
		assert.Equal(t, "/markets", r.Path)
	}
}

func TestCoreRequestDoSendsJSONBodyAndErrors(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("PUT /me/custom", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	ts.Mux.HandleFunc("GET /nope", coreFail(404, `{"error":{"status":404,"message":"Service not found"}}`))
	c := coreClient(t, ts, WithAccessToken("tok"))

	req, err := c.NewRequest(context.Background(), http.MethodPut, "me/custom", map[string]any{"ids": []string{"a", "b"}})
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, c.Do(req, &v), "a 204 decodes nothing")
	assert.Nil(t, v)
	reqs := ts.requests()
	require.Len(t, reqs, 1)
	assert.JSONEq(t, `{"ids":["a","b"]}`, string(reqs[0].Body))
	assert.Equal(t, "application/json", reqs[0].Header.Get("Content-Type"))

	req, err = c.NewRequest(context.Background(), http.MethodGet, "nope", nil)
	require.NoError(t, err)
	err = c.Do(req, &v)
	assert.ErrorIs(t, err, ErrNotFound)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Service not found", e.Message)
}

func TestCoreRequestRefusesURLsOffTheBase(t *testing.T) {
	ts := newTestServer(t)
	c := coreClient(t, ts, WithAccessToken("tok"))
	for _, u := range []string{
		"https://evil.example.com/v1/markets",
		"https://api.spotify.com/v1/markets",
		ts.URL + "/v2/markets", // same host, not under /v1
		"https://user:pw@" + ts.Listener.Addr().String() + "/v1/markets",
	} {
		_, err := c.NewRequest(context.Background(), http.MethodGet, u, nil)
		require.Error(t, err, u)
		assert.Contains(t, err.Error(), "base URL", u)
		assert.NotContains(t, err.Error(), "pw@", u)
	}
	assert.Empty(t, ts.requests())
}

func TestCoreResponseCapture(t *testing.T) {
	ts := newTestServer(t)
	n := 0
	ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) {
		if n++; n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("X-Extra", "yes")
		_, _ = io.WriteString(w, coreAlbum)
	})
	c := coreClient(t, ts, WithAccessToken("tok"))
	var m ResponseMeta
	_, err := c.Albums.Get(WithResponseCapture(context.Background(), &m), "a1", nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, m.StatusCode)
	assert.Equal(t, `"v1"`, m.ETag)
	assert.Equal(t, "yes", m.Header.Get("X-Extra"))
	assert.Equal(t, 2, m.Attempts)
	assert.False(t, m.FromCache)
	assert.Equal(t, 0, m.RateLimited)
}

func TestCoreResponseCaptureOfAnError(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreFail(429, `{"error":{"status":429,"message":"slow down"}}`, "Retry-After", "0"))
	c := coreClient(t, ts, WithAccessToken("tok"), WithMaxRetries(1))
	var m ResponseMeta
	_, err := c.Albums.Get(WithResponseCapture(context.Background(), &m), "a1", nil)
	require.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, http.StatusTooManyRequests, m.StatusCode)
	assert.Equal(t, 2, m.Attempts)
	assert.Equal(t, 2, m.RateLimited)
}

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

func TestCoreRequestReplayFollowsTheMethod(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("POST /playlists/p1/items", coreScript(`{"snapshot_id":"s"}`, 503))
	ts.Mux.HandleFunc("PUT /me/thing", coreScript(`{}`, 503))
	c := coreClient(t, ts, WithAccessToken("tok"))

	req, err := c.NewRequest(context.Background(), http.MethodPost, "playlists/p1/items", map[string]any{"uris": []string{"spotify:track:t1"}})
	require.NoError(t, err)
	err = c.Do(req, nil)
	assert.ErrorIs(t, err, ErrServer, "a POST (an append) is not replayed after a 503")
	assert.Len(t, ts.requests(), 1)

	req, err = c.NewRequest(context.Background(), http.MethodPut, "me/thing", map[string]any{"a": 1})
	require.NoError(t, err)
	require.NoError(t, c.Do(req, nil), "a PUT is replayed")
	reqs := ts.requests()
	require.Len(t, reqs, 3)
	assert.JSONEq(t, `{"a":1}`, string(reqs[2].Body), "the replay carries the body again")
}

func TestCoreDoRequestBuiltElsewhere(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("GET /markets", coreScript(`{"markets":["SE"]}`))
	c := coreClient(t, ts, WithAccessToken("tok"))

	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, ts.URL+"/v1/markets", nil)
	require.NoError(t, err)
	var got map[string][]string
	require.NoError(t, c.Do(req, &got))
	assert.Equal(t, []string{"SE"}, got["markets"])
	reqs := ts.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "Bearer tok", reqs[0].Header.Get("Authorization"), "the client's auth applies")
	assert.Equal(t, "spotify-go/"+Version, reqs[0].Header.Get("User-Agent"))
	assert.Empty(t, req.Header.Get("User-Agent"), "the caller's request is not changed")

	for _, u := range []string{"https://example.com/v1/markets", ts.URL + "/v1/../admin", ts.URL + "/v2/markets"} {
		other, err := http.NewRequest(http.MethodGet, u, nil)
		require.NoError(t, err)
		err = c.Do(other, &got)
		require.Error(t, err, u)
		assert.Contains(t, err.Error(), "base URL", u)
	}
	assert.Len(t, ts.requests(), 1)

	// A request of one client sent by another of its family keeps its auth.
	clone, err := c.Clone(WithAccessToken("other"))
	require.NoError(t, err)
	req, err = clone.NewRequest(context.Background(), http.MethodGet, "markets", nil)
	require.NoError(t, err)
	require.NoError(t, c.Do(req, nil))
	assert.Equal(t, "Bearer other", ts.requests()[1].Header.Get("Authorization"))
}

func TestCoreCloneAfterClose(t *testing.T) {
	ts := newTestServer(t)
	coreTokenServer(ts)
	c := coreClient(t, ts, WithAccessToken("tok"), WithTokenURL(ts.URL+"/api/token"))
	require.NoError(t, c.Close())
	_, err := c.Clone(WithAccessToken("other"))
	assert.Error(t, err)
	_, err = c.Clone(WithClientCredentials("id", "secret"))
	assert.Error(t, err)
	req, err := c.NewRequest(context.Background(), http.MethodGet, "markets", nil)
	require.NoError(t, err)
	assert.ErrorIs(t, c.Do(req, nil), context.Canceled, "a call after Close fails like a cancelled one")
	assert.Empty(t, ts.requests())
}

func TestCoreUnderBase(t *testing.T) {
	base, err := parseServiceURL("WithBaseURL", "https://api.spotify.com/v1")
	require.NoError(t, err)
	for u, want := range map[string]bool{
		"https://api.spotify.com/v1/albums":        true,
		"https://API.spotify.com/v1/albums?x=1":    true,
		"https://api.spotify.com/v1/":              true,
		"https://api.spotify.com/v1":               false,
		"https://api.spotify.com/v10/albums":       false,
		"https://api.spotify.com/v2/albums":        false,
		"http://api.spotify.com/v1/albums":         false,
		"https://api.spotify.com:8443/v1/albums":   false,
		"https://evil.com/v1/albums":               false,
		"https://api.spotify.com.evil.com/v1/x":    false,
		"https://u:p@api.spotify.com/v1/albums":    false,
		"https://api.spotify.com/v1%2F../x":        false,
		"https://api.spotify.com/v1/../admin":      false,
		"https://api.spotify.com/v1/%2e%2e/admin":  false,
		"https://api.spotify.com/v1/./albums":      false,
		"https://api.spotify.com/other/v1/albums":  false,
		"https://api.spotify.com/v1/albums/a%2Fb":  true,
		"https://api.spotify.com/V1/albums":        false,
		"https://api.spotify.com/v1/albums#frag":   true,
		"https://api.spotify.com//v1/albums":       false,
		"https://api.spotify.com/v1/../v1/albums/": false,
	} {
		parsed, err := url.Parse(u)
		require.NoError(t, err)
		assert.Equal(t, want, underBase(base, parsed), u)
	}
}

func TestCoreResolve(t *testing.T) {
	ts := newTestServer(t)
	c := coreClient(t, ts, WithAccessToken("tok"))
	base := ts.URL + "/v1/"
	for in, want := range map[string]string{
		"markets":                          base + "markets",
		"/markets":                         base + "markets",
		"me/player?market=SE":              base + "me/player?market=SE",
		ts.URL + "/v1/albums/a1":           base + "albums/a1",
		ts.URL + "/v1/x/../albums":         base + "albums",
		"albums/a%2Fb":                     base + "albums/a%2Fb",
		ts.URL + "/v1/search?q=a+b&type=t": base + "search?q=a+b&type=t",
	} {
		u, err := c.resolve(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, u.String(), in)
	}
	for _, in := range []string{"../admin", ts.URL + "/v1/../admin", "https://example.com/v1/x"} {
		_, err := c.resolve(in)
		assert.Error(t, err, in)
	}
}

func TestCoreInvalidateRelated(t *testing.T) {
	ts := newTestServer(t)
	c := coreClient(t, ts, WithAccessToken("tok"))
	paths := func(p string) []string {
		req, err := http.NewRequest(http.MethodPut, ts.URL+"/v1"+p, nil)
		require.NoError(t, err)
		return c.fam.invalidateRelated(req)
	}
	lib := paths("/me/library")
	assert.Contains(t, lib, "/v1/me/tracks")
	assert.Contains(t, lib, "/v1/me/albums")
	assert.Contains(t, lib, "/v1/me/following")
	assert.Equal(t, lib, paths("/me/tracks"))
	assert.Equal(t, lib, paths("/me/following"))
	assert.Equal(t, []string{"/v1/me/playlists"}, paths("/playlists/p1/items"))
	assert.Equal(t, []string{"/v1/me/playlists"}, paths("/me/playlists"))
	assert.Equal(t, []string{"/v1/me/player"}, paths("/me/player/play"))
	assert.Empty(t, paths("/albums/a1"))
	assert.Empty(t, paths("/me/libraryx"))
	assert.Empty(t, paths("/me/tracksx"), "a sibling path is not the library")
	assert.Equal(t, lib, paths("/me/library/contains"))
}

// closeTracker is a request body that records its Close.
type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }

func TestCoreDoAfterCloseClosesTheBody(t *testing.T) {
	ts := newTestServer(t)
	c := coreClient(t, ts, WithAccessToken("tok"))
	require.NoError(t, c.Close())
	body := &closeTracker{Reader: strings.NewReader(`{"a":1}`)}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPut, ts.URL+"/v1/me/thing", body)
	require.NoError(t, err)
	require.ErrorIs(t, c.Do(req, nil), ErrClosed)
	assert.True(t, body.closed, "the refused request's body is closed, as a RoundTripper would")
	assert.Empty(t, ts.requests())
}

func TestCoreDoRefusesAFamilyRequestMovedOffTheBase(t *testing.T) {
	ts := newTestServer(t)
	c := coreClient(t, ts, WithAccessToken("tok"))
	req, err := c.NewRequest(context.Background(), http.MethodGet, "markets", nil)
	require.NoError(t, err)
	req.URL.Path = "/v2/markets" // moved after NewRequest checked it
	err = c.Do(req, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not under the base URL")
	assert.Empty(t, ts.requests())
}

func TestCoreDoTwiceCountsEachSendOnce(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, coreAlbum)
	})
	c := coreClient(t, ts, WithAccessToken("tok"))
	var m ResponseMeta
	req, err := c.NewRequest(WithResponseCapture(context.Background(), &m), http.MethodGet, "albums/a1", nil)
	require.NoError(t, err)
	require.NoError(t, c.Do(req, nil))
	require.NoError(t, c.Do(req, nil))
	assert.Equal(t, 2, m.Attempts, "one attempt per send, not the first send's counted again")
}
