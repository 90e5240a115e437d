package spotify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/transport"
)

// coreAlbum is a small album answer for the core tests.
const coreAlbum = `{"id":"a1","name":"Album One","type":"album","uri":"spotify:album:a1"}`

// coreClient returns a client of the fake API with no cache and retries
// that wait a millisecond; the caller gives the auth option (and may turn
// the cache back on with a later WithCache).
func coreClient(t *testing.T, ts *testServer, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithBaseURL(ts.URL + "/v1"), WithCache(nil),
		WithBackoff(func(int) time.Duration { return time.Millisecond })}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// coreScript answers the requests of a route with the given statuses in
// order, then 200 with body; a 200 in the script also answers body.
func coreScript(body string, statuses ...int) http.HandlerFunc {
	var mu sync.Mutex
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		status := http.StatusOK
		if len(statuses) > 0 {
			status, statuses = statuses[0], statuses[1:]
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status == http.StatusOK {
			_, _ = io.WriteString(w, body)
			return
		}
		fmt.Fprintf(w, `{"error":{"status":%d,"message":"scripted %d"}}`, status, status)
	}
}

// coreTokenServer adds a client-credentials token endpoint at /api/token to
// ts that hands out "cc-token-<n>" and counts its requests.
func coreTokenServer(ts *testServer) *atomic.Int32 {
	var n atomic.Int32
	ts.Mux.HandleFunc("/api/token", func(w http.ResponseWriter, r *http.Request) {
		k := n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"cc-token-%d","token_type":"Bearer","expires_in":3600}`, k)
	})
	return &n
}

// coreAPIRequests returns the requests ts received outside the token
// endpoint.
func coreAPIRequests(ts *testServer) []recorded {
	var out []recorded
	for _, r := range ts.requests() {
		if r.Path != "/api/token" {
			out = append(out, r)
		}
	}
	return out
}

func TestCoreNewClientConflictingAuth(t *testing.T) {
	_, err := NewClient(WithAccessToken("tok"), WithClientCredentials("id", "secret"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithAccessToken")
	assert.Contains(t, err.Error(), "WithClientCredentials")
	assert.NotContains(t, err.Error(), "secret")
}

func TestCoreNewClientNoCredentials(t *testing.T) {
	t.Setenv(auth.EnvClientID, "")
	t.Setenv(auth.EnvClientSecret, "")
	_, err := NewClient()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SPOTIFY_SDK_CLIENT_ID")
	assert.Contains(t, err.Error(), "SPOTIFY_SDK_CLIENT_SECRET")
}

func TestCoreNewClientFromEnvironment(t *testing.T) {
	t.Setenv(auth.EnvClientID, "env-id")
	t.Setenv(auth.EnvClientSecret, "env-secret")
	ts := newTestServer(t)
	tokens := coreTokenServer(ts)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum))
	c := coreClient(t, ts, WithTokenURL(ts.URL+"/api/token"))

	a, err := c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	assert.Equal(t, "Album One", a.Name)
	assert.Equal(t, int32(1), tokens.Load(), "one token request")
	api := coreAPIRequests(ts)
	require.Len(t, api, 1)
	assert.Equal(t, "Bearer cc-token-1", api[0].Header.Get("Authorization"))
	for _, r := range ts.requests() {
		if r.Path == "/api/token" {
			assert.Contains(t, string(r.Body), "grant_type=client_credentials")
		}
	}
}

func TestCoreNewClientFromClientCredentials(t *testing.T) {
	ts := newTestServer(t)
	tokens := coreTokenServer(ts)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum))
	c, err := NewClientFromClientCredentials("my-id", "my-secret",
		WithBaseURL(ts.URL+"/v1"), WithTokenURL(ts.URL+"/api/token"), WithCache(nil))
	require.NoError(t, err)
	defer c.Close()

	_, err = c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	assert.Equal(t, int32(1), tokens.Load())
	api := coreAPIRequests(ts)
	require.Len(t, api, 1)
	assert.Equal(t, "Bearer cc-token-1", api[0].Header.Get("Authorization"))
}

func TestCoreNewClientBadOptions(t *testing.T) {
	noop := transport.Stage{Name: "noop", Wrap: func(next http.RoundTripper) http.RoundTripper { return next }}
	cases := []struct {
		name string
		opt  Option
		want []string
		not  string
	}{
		{"timeout", WithTimeout(0), []string{"WithTimeout"}, ""},
		{"negative timeout", WithTimeout(-time.Second), []string{"WithTimeout"}, ""},
		{"retries", WithMaxRetries(-1), []string{"WithMaxRetries"}, ""},
		{"http base", WithBaseURL("http://example.com/v1"), []string{"WithBaseURL", "loopback", "https"}, ""},
		{"relative base", WithBaseURL("/v1"), []string{"WithBaseURL", "https"}, ""},
		{"user info", WithBaseURL("https://user:hunter2@api.example.com/v1"), []string{"WithBaseURL", "user info"}, "hunter2"},
		{"http token URL", WithTokenURL("http://accounts.example.com/api/token"), []string{"WithTokenURL", "loopback"}, ""},
		{"concurrency", WithConcurrency(0), []string{"WithConcurrency"}, ""},
		{"middleware without placement", WithMiddleware(noop, Placement{}), []string{"WithMiddleware", "noop", "Before"}, ""},
		{"middleware without name", WithMiddleware(transport.Stage{Wrap: noop.Wrap}, Before("retry")), []string{"WithMiddleware"}, ""},
		{"empty token", WithAccessToken(" "), []string{"WithAccessToken"}, ""},
		{"nil provider", WithAuthProvider(nil), []string{"WithAuthProvider"}, ""},
		{"rate", WithRateLimit(0, 1), []string{"WithRateLimit"}, ""},
		{"max retry after", WithMaxRetryAfter(0), []string{"WithMaxRetryAfter"}, ""},
		{"user agent", WithUserAgent("a\r\nX-Evil: 1"), []string{"WithUserAgent"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewClient(WithAccessToken("tok"), tc.opt)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			if tc.not != "" {
				assert.NotContains(t, err.Error(), tc.not)
			}
		})
	}
}

func TestCoreNewClientLoopbackBaseURLs(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080/v1", "http://localhost/v1", "http://[::1]:9/v1", "https://api.example.com/v1/"} {
		c, err := NewClient(WithAccessToken("tok"), WithBaseURL(u))
		require.NoError(t, err, u)
		require.NoError(t, c.Close())
	}
}

// coreCountingStage counts the requests that pass through it.
func coreCountingStage(name string, n *atomic.Int32) transport.Stage {
	return transport.Stage{Name: name, Wrap: func(next http.RoundTripper) http.RoundTripper {
		return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			n.Add(1)
			return next.RoundTrip(req)
		})
	}}
}

func TestCoreCloneSendsItsOwnToken(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum))
	c := coreClient(t, ts, WithAccessToken("parent"))
	clone, err := c.Clone(WithAccessToken("other"))
	require.NoError(t, err)
	same, err := c.Clone()
	require.NoError(t, err)

	for _, cl := range []*Client{c, clone, same} {
		_, err := cl.Albums.Get(context.Background(), "a1", nil)
		require.NoError(t, err)
	}
	reqs := ts.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "Bearer parent", reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "Bearer other", reqs[1].Header.Get("Authorization"))
	assert.Equal(t, "Bearer parent", reqs[2].Header.Get("Authorization"), "a clone without auth options keeps the parent's")
}

func TestCoreCloneRejectsOtherOptions(t *testing.T) {
	ts := newTestServer(t)
	c := coreClient(t, ts, WithAccessToken("parent"))
	for _, o := range []Option{WithTimeout(time.Second), WithCache(nil), WithMaxRetries(1), WithUserAgent("x")} {
		_, err := c.Clone(WithAccessToken("other"), o)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "Clone")
	}
	_, err := c.Clone(WithAccessToken("a"), WithAccessToken("b"))
	require.Error(t, err, "conflicting auth options fail a clone too")
}

func TestCoreCloneSharesTheBudget(t *testing.T) {
	ts := newTestServer(t)
	var mu sync.Mutex
	var arrivals []time.Time
	first := true
	ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		limited := first
		first = false
		mu.Unlock()
		if limited {
			w.Header().Set("Retry-After", "0.3")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, coreAlbum)
	})
	c := coreClient(t, ts, WithAccessToken("parent"), WithMaxRetryAfter(5*time.Second))
	clone, err := c.Clone(WithAccessToken("other"))
	require.NoError(t, err)

	// The parent's call takes the 429 and gives up (no retries for it);
	// the cool-down it recorded holds the clone back.
	_, err = c.Albums.Get(WithCallRetries(context.Background(), 0), "a1", nil)
	require.ErrorIs(t, err, ErrRateLimited)
	start := time.Now()
	_, err = clone.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond, "the clone waited for the parent's cool-down")
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, arrivals, 2)
	assert.GreaterOrEqual(t, arrivals[1].Sub(arrivals[0]), 250*time.Millisecond, "nothing is sent during the cool-down")
	reqs := ts.requests()
	assert.Equal(t, "Bearer other", reqs[1].Header.Get("Authorization"))
}

func TestCoreCloneDoesNotShareCacheEntries(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "private, max-age=60")
		_, _ = io.WriteString(w, coreAlbum)
	})
	c, err := NewClient(WithAccessToken("parent"), WithBaseURL(ts.URL+"/v1")) // default cache on
	require.NoError(t, err)
	defer c.Close()
	clone, err := c.Clone(WithAccessToken("other"))
	require.NoError(t, err)

	var m1, m2, m3 ResponseMeta
	_, err = c.Albums.Get(WithResponseCapture(context.Background(), &m1), "a1", nil)
	require.NoError(t, err)
	a, err := c.Albums.Get(WithResponseCapture(context.Background(), &m2), "a1", nil)
	require.NoError(t, err)
	assert.Equal(t, "Album One", a.Name)
	assert.False(t, m1.FromCache)
	assert.True(t, m2.FromCache, "the second call is served from the cache")
	assert.Equal(t, http.StatusOK, m2.StatusCode)
	require.Len(t, ts.requests(), 1)

	_, err = clone.Albums.Get(WithResponseCapture(context.Background(), &m3), "a1", nil)
	require.NoError(t, err)
	assert.False(t, m3.FromCache, "another user's entry is not served to the clone")
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer other", reqs[1].Header.Get("Authorization"))
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
