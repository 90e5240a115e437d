package spotify

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/transport"
)

// TestNewRequestPathForms sends one endpoint through NewRequest and Do in
// every form of path NewRequest takes: relative to the base URL, with a
// leading slash, starting with the base URL's path (as Spotify's reference
// writes it; the base path is not doubled), and an absolute URL under the
// base. Each reaches /v1/albums/x and gets the registry's route.
func TestNewRequestPathForms(t *testing.T) {
	ts := newTestServer(t)
	raw := rawPaths(ts)
	c := coreClient(t, ts, WithAccessToken("tok"))
	for _, p := range []string{"albums/x", "/albums/x", "/v1/albums/x", ts.URL + "/v1/albums/x"} {
		t.Run(p, func(t *testing.T) {
			raw.reset()
			req, err := c.NewRequest(context.Background(), http.MethodGet, p, nil)
			require.NoError(t, err)
			assert.Equal(t, "/v1/albums/x", req.URL.Path)
			assert.Equal(t, "/albums/{id}", transport.CallFrom(req.Context()).Route(), "the registry knows the endpoint")
			var a Album
			require.NoError(t, c.Do(req, &a))
			assert.Equal(t, "a1", a.ID)
			assert.Equal(t, []string{"/v1/albums/x"}, raw.get())
		})
	}

	// The base path is stripped once, whole segments only; a query stays.
	for p, want := range map[string]string{
		"/v1":                 "/v1/",
		"/v1?market=SE":       "/v1/?market=SE",
		"/v1/albums/x?x=1":    "/v1/albums/x?x=1",
		"/v1/v1/albums/x":     "/v1/v1/albums/x",
		"/v1x/albums":         "/v1/v1x/albums",
		"/v1/me/player/queue": "/v1/me/player/queue",
	} {
		req, err := c.NewRequest(context.Background(), http.MethodGet, p, nil)
		require.NoError(t, err, p)
		assert.Equal(t, want, req.URL.RequestURI(), p)
	}
}

// TestNewRequestUnderADeeperBasePath strips a base path of several
// segments, as a proxy's base URL has.
func TestNewRequestUnderADeeperBasePath(t *testing.T) {
	ts := newTestServer(t)
	raw := rawPaths(ts)
	c := coreClient(t, ts, WithAccessToken("tok"), WithBaseURL(ts.URL+"/proxy/spotify/v1"))
	for _, p := range []string{"albums/x", "/proxy/spotify/v1/albums/x", ts.URL + "/proxy/spotify/v1/albums/x"} {
		req, err := c.NewRequest(context.Background(), http.MethodGet, p, nil)
		require.NoError(t, err, p)
		require.NoError(t, c.Do(req, nil), p)
	}
	assert.Equal(t, []string{"/proxy/spotify/v1/albums/x", "/proxy/spotify/v1/albums/x", "/proxy/spotify/v1/albums/x"}, raw.get())
	_, err := c.NewRequest(context.Background(), http.MethodGet, ts.URL+"/v1/albums/x", nil)
	assert.ErrorContains(t, err, "not under the base URL", "an absolute URL outside the base path is still refused")
}

// pathLog is the paths of the requests a test server received, as sent
// (the test server's own record drops a /v1 prefix).
type pathLog struct {
	mu    sync.Mutex
	paths []string
}

func (l *pathLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.paths = nil
}

func (l *pathLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.paths...)
}

// rawPaths answers every request of ts with coreAlbum and logs its path.
func rawPaths(ts *testServer) *pathLog {
	l := &pathLog{}
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		u, _ := url.ParseRequestURI(r.RequestURI)
		l.mu.Lock()
		l.paths = append(l.paths, u.Path)
		l.mu.Unlock()
		_, _ = io.WriteString(w, coreAlbum)
	})
	return l
}

// TestDoErrorsNameTheRoute checks that the errors of Do name the method
// and the route as the service methods' errors do: the registry's route
// template for an endpoint the SDK knows, the path under the base URL for
// one it lacks; for a request built with NewRequest or http.NewRequest.
func TestDoErrorsNameTheRoute(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("GET /custom/thing", coreFail(404, `{"error":{"status":404,"message":"Service not found"}}`))
	ts.Mux.HandleFunc("GET /albums/x", coreFail(403, `{"error":{"status":403,"message":"no"}}`))
	ts.Mux.HandleFunc("GET /custom/garbled", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "{nope") })
	c := coreClient(t, ts, WithAccessToken("tok"), WithMaxRetries(0))
	ctx := context.Background()

	built := func(t *testing.T, how, path string) *http.Request {
		t.Helper()
		if how == "NewRequest" {
			req, err := c.NewRequest(ctx, http.MethodGet, path, nil)
			require.NoError(t, err)
			return req
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/v1/"+path, nil)
		require.NoError(t, err)
		return req
	}
	for _, how := range []string{"NewRequest", "http.NewRequest"} {
		t.Run(how, func(t *testing.T) {
			var v map[string]any
			err := c.Do(built(t, how, "custom/thing"), &v)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "/custom/thing", e.Route)
			assert.Equal(t, "spotify: GET /custom/thing: 404 Not Found: Service not found", err.Error())

			err = c.Do(built(t, how, "albums/x"), &v)
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "/albums/{id}", e.Route)
			assert.Equal(t, "spotify: GET /albums/{id}: 403 Forbidden: no", err.Error())

			err = c.Do(built(t, how, "custom/garbled"), &v)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "/custom/garbled", de.Route)
			assert.True(t, strings.HasPrefix(err.Error(), "spotify: GET /custom/garbled: decoding the response: "), err.Error())
		})
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://evil.example.com/v1/markets", nil)
	require.NoError(t, err)
	err = c.Do(req, nil)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "spotify: POST https://evil.example.com/v1/markets: not under the base URL"), err.Error())
}

// TestDoAnswerWithoutAnObject checks Do's rule for answers that hold no
// object: with v given, a 204 leaves v as it is and returns nil, while a
// 200 whose body is empty, only whitespace or null is a *DecodeError (a
// 200 claims a body); with v nil, nothing is decoded and all return nil.
func TestDoAnswerWithoutAnObject(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("PUT /custom/none", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	for path, body := range map[string]string{"/custom/empty": "", "/custom/blank": " \n\t", "/custom/null": "null"} {
		ts.Mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, body) })
	}
	c := coreClient(t, ts, WithAccessToken("tok"))
	ctx := context.Background()
	do := func(method, path string, v any) error {
		req, err := c.NewRequest(ctx, method, path, nil)
		require.NoError(t, err)
		return c.Do(req, v)
	}

	v := map[string]any{"kept": true}
	require.NoError(t, do(http.MethodPut, "custom/none", &v))
	assert.Equal(t, map[string]any{"kept": true}, v, "a 204 leaves v as it is")
	for _, p := range []string{"custom/empty", "custom/blank", "custom/null"} {
		err := do(http.MethodGet, p, &v)
		var de *DecodeError
		require.True(t, errors.As(err, &de), "%s: want a *DecodeError, got %v", p, err)
		assert.True(t, de.NoObject, p)
		assert.Equal(t, http.StatusOK, de.Status, p)
		assert.Equal(t, "/"+p, de.Route)
		assert.Contains(t, err.Error(), "spotify: GET /"+p+": the answer (200 OK) holds no object: the body is ", p)
		require.NoError(t, do(http.MethodGet, p, nil), "%s with v nil", p)
	}
}

// A hand-built request with no Method is a GET (as net/http sends it): Do
// finds its operation in the registry, so its error names the route
// template, not the path.
func TestDoEmptyMethodIsAGet(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("GET /albums/x", coreFail(403, `{"error":{"status":403,"message":"no"}}`))
	c := coreClient(t, ts, WithAccessToken("tok"), WithMaxRetries(0))
	req, err := http.NewRequestWithContext(context.Background(), "", ts.URL+"/v1/albums/x", nil)
	require.NoError(t, err)
	req.Method = ""
	var e *Error
	require.ErrorAs(t, c.Do(req, &map[string]any{}), &e)
	assert.Equal(t, "/albums/{id}", e.Route)
}
