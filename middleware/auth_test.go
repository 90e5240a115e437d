package middleware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
)

// rotatingProvider hands out "tok-N"; Invalidate of the current token moves
// to the next one. It records its calls.
type rotatingProvider struct {
	mu          sync.Mutex
	n           int
	calls       int
	invalidated []string
	err         error // returned by Token when set
	errAfter    int   // Token fails from this call on (1-based); 0 = never
}

func (p *rotatingProvider) Token(context.Context) (*auth.Token, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	if p.err != nil && (p.errAfter == 0 || p.calls >= p.errAfter) {
		return nil, p.err
	}
	return &auth.Token{AccessToken: fmt.Sprintf("tok-%d", p.n), TokenType: "Bearer"}, nil
}

func (p *rotatingProvider) Invalidate(failed *auth.Token) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.invalidated = append(p.invalidated, failed.AccessToken)
	if failed.AccessToken == fmt.Sprintf("tok-%d", p.n) {
		p.n++
	}
}

func (p *rotatingProvider) Calls() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls
}

func authStage(p auth.Provider, host string, next http.RoundTripper) http.RoundTripper {
	return Auth(AuthOptions{Provider: p, Host: host})(next)
}

func TestAuthSetsTokenOnCloneOnly(t *testing.T) {
	tt := testtransport.New().AppendResponse(200, "ok")
	p := &rotatingProvider{}
	req, err := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer caller-set")
	req.Header.Set("X-Caller", "kept")

	resp, err := authStage(p, "api.spotify.com", tt).RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()

	sent := tt.Requests()[0]
	assert.Equal(t, "Bearer tok-0", sent.Header.Get("Authorization"), "the stage owns Authorization")
	assert.Equal(t, "kept", sent.Header.Get("X-Caller"))
	assert.Equal(t, "Bearer caller-set", req.Header.Get("Authorization"), "the caller's request is untouched")
	assert.NotSame(t, req, sent.Request)
}

func TestAuthHostAndScheme(t *testing.T) {
	cases := []struct {
		host, url string
		want      bool
	}{
		{"api.spotify.com", "https://api.spotify.com/v1/me", true},
		{"api.spotify.com", "https://API.Spotify.com:443/v1/me", true},
		{"api.spotify.com", "https://api.spotify.com./v1/me", true},
		{"https://api.spotify.com/v1", "https://api.spotify.com/v1/me", true},
		{"api.spotify.com:443", "https://api.spotify.com/v1/me", true},
		{"api.spotify.com", "http://api.spotify.com/v1/me", false},    // plain http to a remote host
		{"api.spotify.com", "https://api.spotify.com:8443/v1", false}, // another port
		{"api.spotify.com", "https://evil.example/v1/me", false},
		{"api.spotify.com", "https://api.spotify.com.evil.example/v1", false},
		{"api.spotify.com", "https://accounts.spotify.com/api/token", false},
		{"", "https://api.spotify.com/v1/me", false}, // no host configured: nowhere
		{"127.0.0.1:8080", "http://127.0.0.1:8080/v1/me", true},
		{"127.0.0.1:8080", "http://127.0.0.1:8081/v1/me", false},
		{"127.0.0.1", "http://127.0.0.1:8080/v1/me", false},
		{"localhost:9", "http://LOCALHOST:9/v1", true},
		{"[::1]:9", "http://[::1]:9/v1", true},
		{"10.0.0.1:80", "http://10.0.0.1/v1", false}, // plain http off loopback
	}
	for _, c := range cases {
		t.Run(c.host+" "+c.url, func(t *testing.T) {
			tt := testtransport.New().AppendResponse(200, "ok")
			p := &rotatingProvider{}
			req, err := http.NewRequest(http.MethodGet, c.url, nil)
			require.NoError(t, err)
			resp, err := authStage(p, c.host, tt).RoundTrip(req)
			require.NoError(t, err)
			resp.Body.Close()
			got := tt.Requests()[0].Header.Get("Authorization")
			if c.want {
				assert.Equal(t, "Bearer tok-0", got)
				assert.Equal(t, 1, p.Calls())
			} else {
				assert.Empty(t, got)
				assert.Zero(t, p.Calls(), "no token is fetched for a request that will not carry it")
			}
		})
	}

	// A nil provider passes everything through.
	tt := testtransport.New().AppendResponse(200, "ok")
	req, _ := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	resp, err := authStage(nil, "api.spotify.com", tt).RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Empty(t, tt.Requests()[0].Header.Get("Authorization"))
}

// postRequest is a replayable POST with a counted body.
func postRequest(t *testing.T) (*http.Request, *testtransport.Body) {
	t.Helper()
	body, getBody := testtransport.NewRequestBody(`{"uris":["spotify:track:1"]}`)
	req, err := http.NewRequest(http.MethodPost, "https://api.spotify.com/v1/playlists/p/items", body)
	require.NoError(t, err)
	req.GetBody = getBody
	return req, body
}

func TestAuth401InvalidatesAndReplaysOnce(t *testing.T) {
	tt := testtransport.New().
		AppendResponse(401, `{"error":{"status":401,"message":"The access token expired"}}`).
		AppendResponse(201, `{"snapshot_id":"s"}`)
	p := &rotatingProvider{}
	req, body := postRequest(t)

	resp, err := authStage(p, "api.spotify.com", tt).RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()

	assert.Equal(t, 201, resp.StatusCode)
	reqs := tt.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer tok-0", reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "Bearer tok-1", reqs[1].Header.Get("Authorization"))
	assert.Equal(t, string(reqs[0].Body), string(reqs[1].Body), "the body is replayed")
	assert.Equal(t, []string{"tok-0"}, p.invalidated, "exactly the rejected token is invalidated, once")
	assert.Equal(t, 2, p.Calls())
	first := tt.Bodies()[0]
	assert.True(t, first.Drained())
	assert.Equal(t, 1, first.Closes(), "the 401 is drained and closed")
	assert.Equal(t, 1, body.Closes(), "the caller's body is closed once")
	assert.Empty(t, req.Header.Get("Authorization"))
}

func TestAuthSecond401IsReturned(t *testing.T) {
	tt := testtransport.New().AppendResponse(401, "no").Repeat()
	p := &rotatingProvider{}
	req, _ := postRequest(t)
	resp, err := authStage(p, "api.spotify.com", tt).RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
	assert.Equal(t, 2, tt.Len(), "one replay, no third request")
	assert.Equal(t, []string{"tok-0"}, p.invalidated)
}

// stuckProvider hands out the same token whatever is invalidated.
type stuckProvider struct{ rotatingProvider }

func (p *stuckProvider) Invalidate(failed *auth.Token) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.invalidated = append(p.invalidated, failed.AccessToken)
}

// A provider that answers the invalidation with the rejected token again
// gets no replay: the 401 is returned, readable, and the replay's body is
// closed.
func TestAuth401WithoutNewTokenIsNotReplayed(t *testing.T) {
	tt := testtransport.New().AppendResponse(401, "expired").Repeat()
	p := &stuckProvider{}
	req, body := postRequest(t)
	replayBody, _ := testtransport.NewRequestBody(`{"uris":["spotify:track:1"]}`)
	req.GetBody = func() (io.ReadCloser, error) { return replayBody, nil }

	resp, err := authStage(p, "api.spotify.com", tt).RoundTrip(req)
	require.NoError(t, err)
	assert.Equal(t, 401, resp.StatusCode)
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, "expired", string(data), "the 401 is handed back unread")
	assert.Equal(t, 1, tt.Len(), "no replay with the same token")
	assert.Equal(t, []string{"tok-0"}, p.invalidated)
	assert.Equal(t, 2, p.Calls())
	assert.Equal(t, 1, body.Closes(), "the caller's body is closed once")
	assert.Equal(t, 1, replayBody.Closes(), "the unsent replay's body is closed")
}

func TestAuth401PassesThrough(t *testing.T) {
	t.Run("no invalidator", func(t *testing.T) {
		tt := testtransport.New().AppendResponse(401, "no").Repeat()
		req, _ := postRequest(t)
		resp, err := authStage(auth.NewStatic("static"), "api.spotify.com", tt).RoundTrip(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, 401, resp.StatusCode)
		assert.Equal(t, 1, tt.Len())
		assert.Equal(t, "Bearer static", tt.Requests()[0].Header.Get("Authorization"))
	})
	t.Run("body not replayable", func(t *testing.T) {
		tt := testtransport.New().AppendResponse(401, "no").Repeat()
		p := &rotatingProvider{}
		req, err := http.NewRequest(http.MethodPost, "https://api.spotify.com/v1/x", io.NopCloser(strings.NewReader("once")))
		require.NoError(t, err)
		resp, err := authStage(p, "api.spotify.com", tt).RoundTrip(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, 401, resp.StatusCode)
		assert.Equal(t, 1, tt.Len())
		assert.Empty(t, p.invalidated)
	})
}

func TestAuthProviderError(t *testing.T) {
	boom := errors.New("token endpoint down")
	tt := testtransport.New().AppendResponse(200, "ok").Repeat()
	p := &rotatingProvider{err: boom}
	req, body := postRequest(t)
	resp, err := authStage(p, "api.spotify.com", tt).RoundTrip(req)
	require.Nil(t, resp)
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, boom)
	assert.Zero(t, tt.Len(), "nothing is sent")
	assert.Equal(t, 1, body.Closes(), "the request body is closed")

	// The provider fails when asked for the replay's token.
	tt = testtransport.New().AppendResponse(401, "expired")
	p = &rotatingProvider{err: boom, errAfter: 2}
	req, _ = postRequest(t)
	resp, err = authStage(p, "api.spotify.com", tt).RoundTrip(req)
	require.Nil(t, resp)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 1, tt.Len())
	assert.Zero(t, tt.Unclosed(), "the 401 is closed")

	// A provider that returns neither a token nor an error.
	tt = testtransport.New().AppendResponse(200, "ok")
	req, _ = http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	_, err = authStage(nilProvider{}, "api.spotify.com", tt).RoundTrip(req)
	require.ErrorAs(t, err, &ae)
	assert.Zero(t, tt.Len())
}

type nilProvider struct{}

func (nilProvider) Token(context.Context) (*auth.Token, error) { return nil, nil }

func TestAuthProviderFromContextWins(t *testing.T) {
	next := testtransport.New().AppendResponse(200, "ok").Repeat()
	rt := Auth(AuthOptions{Provider: auth.NewStatic("default-token"), Host: "api.spotify.com"})(next)
	req, err := http.NewRequestWithContext(withProvider(context.Background(), auth.NewStatic("user-token")), http.MethodGet, "https://api.spotify.com/v1/me", nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "Bearer user-token", next.Requests()[0].Header.Get("Authorization"))

	// A stage built without a provider still uses one from the context.
	bare := Auth(AuthOptions{Host: "api.spotify.com"})(next)
	req, _ = http.NewRequestWithContext(withProvider(context.Background(), auth.NewStatic("ctx-only")), http.MethodGet, "https://api.spotify.com/v1/me", nil)
	resp, err = bare.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "Bearer ctx-only", next.Requests()[1].Header.Get("Authorization"))
}
