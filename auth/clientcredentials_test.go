package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/clock"
)

const (
	testID     = "0123456789abcdef0123456789abcdef"
	testSecret = "s3cr3t-fedcba9876543210fedcba98"
)

// tokenServer is a fake accounts service. It checks the client-credentials
// request and answers with answer (or a fresh token when answer is nil).
type tokenServer struct {
	*httptest.Server
	requests atomic.Int32
	mu       sync.Mutex
	answer   func(w http.ResponseWriter, r *http.Request, n int32)
	gate     chan struct{} // when set, each request waits for a value
	users    []string      // Basic auth user of each request
}

func newTokenServer(t *testing.T) *tokenServer {
	t.Helper()
	ts := &tokenServer{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := ts.requests.Add(1)
		user, pass, ok := r.BasicAuth()
		ts.mu.Lock()
		ts.users = append(ts.users, user)
		answer, gate := ts.answer, ts.gate
		ts.mu.Unlock()
		if gate != nil {
			<-gate
		}
		if r.Method != http.MethodPost || !ok || pass == "" ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" ||
			r.PostFormValue("grant_type") != "client_credentials" {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		if answer != nil {
			answer(w, r, n)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"at-%d","token_type":"Bearer","expires_in":3600}`, n)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) respond(f func(w http.ResponseWriter, r *http.Request, n int32)) {
	ts.mu.Lock()
	ts.answer = f
	ts.mu.Unlock()
}

func newCC(t *testing.T, cfg ClientCredentialsConfig) *ClientCredentials {
	t.Helper()
	if cfg.ClientID == "" {
		cfg.ClientID = testID
	}
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = testSecret
	}
	cc, err := NewClientCredentials(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	return cc
}

func TestClientCredentialsOneRequestForManyCallers(t *testing.T) {
	verifyNoLeaks(t)
	ts := newTokenServer(t)
	ts.gate = make(chan struct{})
	fc := clock.NewFake()
	cc := newCC(t, ClientCredentialsConfig{TokenURL: ts.URL, Clock: fc})

	const callers = 100
	var wg sync.WaitGroup
	toks := make(chan *Token, callers)
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := cc.Token(context.Background())
			assert.NoError(t, err)
			toks <- tok
		}()
	}
	require.Eventually(t, func() bool { return ts.requests.Load() == 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(10 * time.Millisecond)
	close(ts.gate)
	wg.Wait()
	close(toks)
	for tok := range toks {
		assert.Equal(t, "at-1", tok.AccessToken)
		assert.Equal(t, fc.Now().Add(time.Hour), tok.Expiry)
	}
	assert.Equal(t, int32(1), ts.requests.Load())

	// Expired: the next call fetches again, once.
	fc.Advance(time.Hour)
	tok, err := cc.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-2", tok.AccessToken)
	require.NoError(t, cc.Close())
}

func TestClientCredentialsEnvAndOverride(t *testing.T) {
	ts := newTokenServer(t)
	t.Setenv(EnvClientID, "env-id")
	t.Setenv(EnvClientSecret, "env-secret")

	cc, err := NewClientCredentials(ClientCredentialsConfig{TokenURL: ts.URL})
	require.NoError(t, err)
	defer cc.Close()
	assert.Equal(t, "app:env-id", cc.Identity())
	_, err = cc.Token(context.Background())
	require.NoError(t, err)

	cc2, err := NewClientCredentials(ClientCredentialsConfig{ClientID: "explicit-id", TokenURL: ts.URL})
	require.NoError(t, err)
	defer cc2.Close()
	assert.Equal(t, "app:explicit-id", cc2.Identity(), "an explicit value wins over the env var")
	_, err = cc2.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"env-id", "explicit-id"}, ts.users)
}

func TestClientCredentialsMissing(t *testing.T) {
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvClientSecret, "")
	_, err := NewClientCredentials(ClientCredentialsConfig{})
	require.ErrorIs(t, err, ErrMissingCredentials)
	assert.Equal(t, "auth: client credentials need a client id and a client secret: set ClientID/ClientSecret or SPOTIFY_SDK_CLIENT_ID and SPOTIFY_SDK_CLIENT_SECRET", err.Error())

	_, err = NewClientCredentials(ClientCredentialsConfig{ClientID: "id"})
	require.ErrorIs(t, err, ErrMissingCredentials)
	assert.Contains(t, err.Error(), EnvClientSecret)
	assert.NotContains(t, err.Error(), EnvClientID)

	t.Setenv(EnvClientSecret, "from-env")
	_, err = NewClientCredentials(ClientCredentialsConfig{})
	require.ErrorIs(t, err, ErrMissingCredentials)
	assert.Contains(t, err.Error(), EnvClientID)
}

func TestClientCredentialsTokenURL(t *testing.T) {
	for _, u := range []string{"http://accounts.example.com/api/token", "/api/token", "ftp://localhost/x"} {
		_, err := NewClientCredentials(ClientCredentialsConfig{ClientID: "id", ClientSecret: "s", TokenURL: u})
		assert.Error(t, err, u)
	}
	for _, u := range []string{"", "https://accounts.example.com/api/token", "http://localhost:8080/token", "http://127.0.0.1/token", "http://[::1]:9/token"} {
		cc, err := NewClientCredentials(ClientCredentialsConfig{ClientID: "id", ClientSecret: "s", TokenURL: u})
		require.NoError(t, err, u)
		_ = cc.Close()
	}
}

func TestClientCredentialsTokenErrors(t *testing.T) {
	ts := newTokenServer(t)
	cases := []struct {
		name   string
		status int
		body   string
		check  func(t *testing.T, err error)
	}{
		{"oauth invalid_client", 400, `{"error":"invalid_client","error_description":"Invalid client secret"}`, func(t *testing.T, err error) {
			var te *TokenError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, 400, te.StatusCode)
			assert.Equal(t, "invalid_client", te.Code)
			assert.Equal(t, "Invalid client secret", te.Description)
			assert.ErrorIs(t, err, ErrInvalidClient)
			assert.NotErrorIs(t, err, ErrInvalidGrant)
			assert.Equal(t, "auth: token request failed: 400 invalid_client: Invalid client secret", err.Error())
		}},
		{"spotify shape", 401, `{"error":{"status":401,"message":"No token provided"}}`, func(t *testing.T, err error) {
			var te *TokenError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, "", te.Code)
			assert.Equal(t, "No token provided", te.Description)
			assert.Equal(t, "auth: token request failed: 401: No token provided", err.Error())
		}},
		{"echoed secret", 400, `{"error":"invalid_request","error_description":"bad secret ` + testSecret + `"}`, func(t *testing.T, err error) {
			assert.NotContains(t, err.Error(), testSecret)
		}},
		{"429 not retried", 429, `rate limited`, func(t *testing.T, err error) {
			var te *TokenError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, 429, te.StatusCode)
			assert.Equal(t, 5*time.Second, te.RetryAfter)
			assert.Equal(t, "auth: token request failed: 429 Too Many Requests (retry after 5s)", err.Error())
		}},
		{"missing access_token", 200, `{"token_type":"Bearer","expires_in":3600}`, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ErrInvalidTokenResponse)
			assert.Contains(t, err.Error(), "access_token")
		}},
		{"missing expires_in", 200, `{"access_token":"x"}`, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ErrInvalidTokenResponse)
			assert.Contains(t, err.Error(), "expires_in")
		}},
		{"bad expires_in", 200, `{"access_token":"x","expires_in":"soon"}`, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ErrInvalidTokenResponse)
		}},
		{"not json", 200, `<html>`, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ErrInvalidTokenResponse)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := ts.requests.Load()
			ts.respond(func(w http.ResponseWriter, _ *http.Request, _ int32) {
				if c.status == http.StatusTooManyRequests {
					w.Header().Set("Retry-After", "5")
				}
				w.WriteHeader(c.status)
				_, _ = w.Write([]byte(c.body))
			})
			cc := newCC(t, ClientCredentialsConfig{TokenURL: ts.URL, Clock: clock.NewFake()})
			_, err := cc.Token(context.Background())
			require.Error(t, err)
			assert.NotContains(t, err.Error(), testSecret)
			c.check(t, err)
			assert.Equal(t, before+1, ts.requests.Load(), "4xx and bad 2xx are not retried")
		})
	}
}

func TestClientCredentialsExpiresInFloat(t *testing.T) {
	ts := newTokenServer(t)
	ts.respond(func(w http.ResponseWriter, _ *http.Request, _ int32) {
		_, _ = w.Write([]byte(`{"access_token":"float","token_type":"bearer","expires_in":3600.0,"scope":""}`))
	})
	fc := clock.NewFake()
	cc := newCC(t, ClientCredentialsConfig{TokenURL: ts.URL, Clock: fc})
	tok, err := cc.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "float", tok.AccessToken)
	assert.Equal(t, "Bearer", tok.Type())
	assert.Equal(t, fc.Now().Add(time.Hour), tok.Expiry)
}

func TestClientCredentialsRetries5xxAndInvalidate(t *testing.T) {
	verifyNoLeaks(t)
	ts := newTokenServer(t)
	ts.respond(func(w http.ResponseWriter, _ *http.Request, n int32) {
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, `{"access_token":"at-%d","expires_in":3600}`, n)
	})
	fc := clock.NewFake()
	cc := newCC(t, ClientCredentialsConfig{TokenURL: ts.URL, Clock: fc})
	done := make(chan struct{})
	go func() { // the retry's backoff runs on the fake clock
		for {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
				fc.AdvanceToNext()
			}
		}
	}()
	tok, err := cc.Token(context.Background())
	close(done)
	require.NoError(t, err)
	assert.Equal(t, "at-2", tok.AccessToken)

	cc.Invalidate(&Token{AccessToken: "other"})
	again, err := cc.Token(context.Background())
	require.NoError(t, err)
	assert.Same(t, tok, again)
	cc.Invalidate(tok)
	again, err = cc.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-3", again.AccessToken)
	require.NoError(t, cc.Close())
	_, err = cc.Token(context.Background())
	assert.ErrorIs(t, err, ErrClosed)
}

func TestClientCredentialsUsesGivenHTTPClient(t *testing.T) {
	ts := newTokenServer(t)
	var used atomic.Bool
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Store(true)
		return http.DefaultTransport.RoundTrip(r)
	})}
	cc := newCC(t, ClientCredentialsConfig{TokenURL: ts.URL, HTTPClient: client})
	_, err := cc.Token(context.Background())
	require.NoError(t, err)
	assert.True(t, used.Load())
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTokenErrorFallbacks(t *testing.T) {
	e := newTokenError(502, []byte("<html>bad gateway</html>"), nil)
	assert.Equal(t, "auth: token request failed: 502 Bad Gateway", e.Error())
	e = newTokenError(400, []byte(`{"error":"invalid_grant"}`), nil)
	assert.Equal(t, "auth: token request failed: 400 invalid_grant", e.Error())
	assert.True(t, errors.Is(e, ErrInvalidGrant))
	long := newTokenError(400, []byte(`{"error_description":"`+strings.Repeat("é", 600)+`"}`), nil)
	assert.LessOrEqual(t, len(long.Description), maxDescription+3)
}

func TestClientCredentialsCloseReleasesConnections(t *testing.T) {
	ts := newTokenServer(t)
	before := goleak.IgnoreCurrent() // the server's own goroutines
	cc, err := NewClientCredentials(ClientCredentialsConfig{ClientID: testID, ClientSecret: testSecret, TokenURL: ts.URL})
	require.NoError(t, err)
	_, err = cc.Token(context.Background())
	require.NoError(t, err)
	require.NoError(t, cc.Close())
	goleak.VerifyNone(t, before) // no keep-alive connection of the provider's own client is left
}
