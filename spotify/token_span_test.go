package spotify

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/spotifysdk/spotify-go/auth"
)

// The token request runs on the context of the call that needed it; its
// span must carry its own name, not the call's route.
func TestTokenRequestSpanHasItsOwnRoute(t *testing.T) {
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"tok","token_type":"Bearer","expires_in":3600}`)
	}))
	defer tokens.Close()
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, albumJSON) })
	spans := tracetest.NewSpanRecorder()
	c, err := NewClient(WithClientCredentials("id", "secret"), WithBaseURL(ts.URL+"/v1"), WithTokenURL(tokens.URL+"/api/token"),
		WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	var names []string
	for _, s := range spans.Ended() {
		names = append(names, s.Name())
	}
	assert.Contains(t, names, "POST /api/token")
	assert.NotContains(t, names, "POST /albums/{id}")
	assert.Contains(t, names, "GET /albums/{id}")
}

// hostileTokenEndpoint answers every token request with a 400 whose
// error_description echoes the whole request: its Authorization header,
// that header's Basic credential decoded, and its form body as sent.
func hostileTokenEndpoint(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		user, pass, _ := r.BasicAuth()
		echo := "Authorization: " + r.Header.Get("Authorization") + "; basic " + user + ":" + pass + "; form " + string(body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request", "error_description": echo})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// basicSpellings returns the Basic credentials of id and secret: the
// base64 of "id:secret" and of the two form-urlencoded first (what the
// SDK sends, RFC 6749 §2.3.1).
func basicSpellings(id, secret string) map[string]string {
	out := map[string]string{}
	for _, cred := range []string{id + ":" + secret, url.QueryEscape(id) + ":" + url.QueryEscape(secret)} {
		out["basic "+cred] = base64.StdEncoding.EncodeToString([]byte(cred))
	}
	return out
}

// A token endpoint that echoes the request puts no form of the client
// secret into the call's error, its slog line, the spans (the call's and
// the token request's) or the debug log.
func TestHostileTokenEndpointClientSecretStaysOut(t *testing.T) {
	const id, secret = "client-id", "s3cr/t+k&y=v lue~"
	tokens := hostileTokenEndpoint(t)
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, albumJSON) })
	c, spans, logs := observedClient(t, ts, WithClientCredentials(id, secret), WithTokenURL(tokens.URL+"/api/token"))
	_, err := c.Albums.Get(context.Background(), "a1", nil)
	require.ErrorIs(t, err, ErrUnauthorized)
	require.Contains(t, err.Error(), "[REDACTED]", "the echo reached the error, redacted")
	kept := everythingKept(err, spans, logs)
	forms := secretSpellings(secret)
	for k, v := range basicSpellings(id, secret) {
		forms[k] = v
	}
	for name, form := range forms {
		assert.NotContains(t, kept, form, "%s leaked:\n%s", name, kept)
	}
	var names []string
	for _, s := range spans.Ended() {
		names = append(names, s.Name())
	}
	assert.Contains(t, names, "POST /api/token", "the token request's span was checked too")
}

// The same for a user's refresh token, sent in the form of the refresh.
func TestHostileTokenEndpointRefreshTokenStaysOut(t *testing.T) {
	const id, secret, refresh = "client-id", "client-secret-1", "AQ/refresh+token=v&x y"
	t.Setenv(auth.EnvClientID, "")
	t.Setenv(auth.EnvClientSecret, "")
	t.Setenv(auth.EnvRedirectURI, "")
	tokens := hostileTokenEndpoint(t)
	store := auth.NewMemoryStore()
	require.NoError(t, store.Save(context.Background(), &auth.StoredToken{
		Token:    auth.Token{AccessToken: "expired", RefreshToken: refresh, Expiry: time.Now().Add(-time.Hour)},
		FamilyID: "f",
	}))
	p, err := auth.NewAuthorizationCode(auth.AuthorizationCodeConfig{
		ClientID: id, ClientSecret: secret, RedirectURI: "http://127.0.0.1:8765/callback", TokenURL: tokens.URL, Store: store,
	})
	require.NoError(t, err)
	defer p.Close()
	ts := newTestServer(t)
	c, spans, logs := observedClient(t, ts, WithAuthProvider(p))
	_, err = c.Albums.Get(context.Background(), "a1", nil)
	require.ErrorIs(t, err, ErrUnauthorized)
	require.Contains(t, err.Error(), "[REDACTED]", "the echo reached the error, redacted")
	kept := everythingKept(err, spans, logs)
	forms := secretSpellings(refresh)
	for k, v := range secretSpellings(secret) {
		forms[k] = v
	}
	for k, v := range basicSpellings(id, secret) {
		forms[k] = v
	}
	for name, form := range forms {
		assert.NotContains(t, kept, form, "%s leaked:\n%s", name, kept)
	}
}
