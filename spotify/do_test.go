package spotify

// Tests of the escape hatch: NewRequest and Do (do.go).

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
