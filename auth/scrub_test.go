package auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Secrets with characters that every encoding spells differently, so that
// the raw, query-escaped, path-escaped and form-encoded forms all differ.
const (
	hostileSecret  = "s3cr/t+k&y=v lue~ü"
	hostileRefresh = "AQ/refresh+token=v&x y"
	hostileCode    = "AQ/auth+code=v&x y"
	// A PKCE verifier is made of unreserved characters only (RFC 7636
	// §4.1), so all its forms are the same.
	hostileVerifier = "verifier-0123456789_abcdefghijklmnopqrstuvwxyz.ABC~"
)

// echoForm is how a hostile token endpoint repeats what it received.
type echoForm struct {
	name string
	echo func(r *http.Request, body []byte) string
}

// echoForms repeats the request in each form a secret can take: as it was
// sent (the form body, the Authorization header, the whole request), and
// decoded or re-encoded by the server.
var echoForms = []echoForm{
	{"raw", func(r *http.Request, body []byte) string {
		vals, _ := url.ParseQuery(string(body))
		out := fmt.Sprint(vals)
		if _, pass, ok := r.BasicAuth(); ok {
			p, _ := url.QueryUnescape(pass)
			out += " secret=" + p
		}
		return out
	}},
	{"query-escaped", func(r *http.Request, body []byte) string {
		out := "got "
		vals, _ := url.ParseQuery(string(body))
		for _, vs := range vals {
			out += url.QueryEscape(vs[0]) + " "
		}
		if user, pass, ok := r.BasicAuth(); ok {
			out += user + ":" + pass // as sent: form-urlencoded before base64
		}
		return out
	}},
	{"path-escaped", func(r *http.Request, body []byte) string {
		out := "got "
		vals, _ := url.ParseQuery(string(body))
		for _, vs := range vals {
			out += url.PathEscape(vs[0]) + " "
		}
		if _, pass, ok := r.BasicAuth(); ok {
			p, _ := url.QueryUnescape(pass)
			out += url.PathEscape(p)
		}
		return out
	}},
	{"form-encoded", func(_ *http.Request, body []byte) string { return "body was " + string(body) }},
	{"basic header", func(r *http.Request, _ []byte) string { return "Authorization: " + r.Header.Get("Authorization") }},
	{"basic re-encoded", func(r *http.Request, _ []byte) string {
		user, pass, ok := r.BasicAuth()
		if !ok {
			return "no basic"
		}
		u, _ := url.QueryUnescape(user)
		p, _ := url.QueryUnescape(pass)
		return base64.StdEncoding.EncodeToString([]byte(u+":"+p)) + " " +
			base64.RawURLEncoding.EncodeToString([]byte(user+":"+pass)) + " " +
			base64.URLEncoding.EncodeToString([]byte(u+":"+p))
	}},
	{"whole request", func(r *http.Request, body []byte) string {
		r.Body = io.NopCloser(bytes.NewReader(body))
		dump, _ := httputil.DumpRequest(r, true)
		// Keep the interesting end: the description is clipped.
		h := r.Header.Get("Authorization")
		return h + " " + string(body) + " " + string(dump[:min(len(dump), 200)])
	}},
}

// hostileServer is a token endpoint that answers every request with a 400
// whose error_description (and error_uri) echo the request in one form.
type hostileServer struct {
	*httptest.Server
	mu   sync.Mutex
	echo string // the last echo sent
}

// hostileTokenServer starts a hostileServer that echoes in the form f.
func hostileTokenServer(t *testing.T, f echoForm) *hostileServer {
	t.Helper()
	h := &hostileServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		echo := f.echo(r, body)
		h.mu.Lock()
		h.echo = echo
		h.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"error": "invalid_request", "error_description": echo, "error_uri": "https://x.example/?echo=" + url.QueryEscape(echo),
		})
	}))
	t.Cleanup(h.Close)
	return h
}

// lastEcho returns the last echo the server sent.
func (h *hostileServer) lastEcho() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.echo
}

// secretForms returns every spelling of the secrets that must never show:
// raw, query-escaped (which is also the form encoding), path-escaped, and
// the Basic credentials of id and secret.
func secretForms(id, secret string, others ...string) map[string]string {
	out := map[string]string{}
	for _, v := range append([]string{secret}, others...) {
		if v == "" {
			continue
		}
		out["raw "+v] = v
		out["query-escaped "+v] = url.QueryEscape(v)
		out["path-escaped "+v] = url.PathEscape(v)
	}
	if secret != "" {
		for _, cred := range []string{id + ":" + secret, url.QueryEscape(id) + ":" + url.QueryEscape(secret)} {
			out["basic "+cred] = base64.StdEncoding.EncodeToString([]byte(cred))
			out["basic url "+cred] = base64.RawURLEncoding.EncodeToString([]byte(cred))
		}
	}
	return out
}

// echoFormsExcept returns echoForms without the named ones: those that
// repeat nothing secret in a flow (the form of a client credentials
// request holds no secret; a PKCE request has no Basic header).
func echoFormsExcept(names ...string) []echoForm {
	var out []echoForm
	for _, f := range echoForms {
		if !slices.Contains(names, f.name) {
			out = append(out, f)
		}
	}
	return out
}

// assertScrubbed checks that the server did echo a secret, that err holds
// none of forms in any printing a log line or a report might use, and that
// the echo reached it, redacted.
func assertScrubbed(t *testing.T, srv *hostileServer, err error, forms map[string]string) {
	t.Helper()
	echoed := false
	for _, form := range forms {
		echoed = echoed || strings.Contains(srv.lastEcho(), form)
	}
	require.True(t, echoed, "the server's echo holds no secret: %q", srv.lastEcho())
	require.Error(t, err)
	var te *TokenError
	require.ErrorAs(t, err, &te)
	var line bytes.Buffer
	slog.New(slog.NewJSONHandler(&line, nil)).Error("token", "err", err, "token_error", te)
	out := err.Error() + "\n" + fmt.Sprintf("%v %+v %#v %+v %#v", err, err, err, te, *te) + "\n" + line.String() + "\n" + printings(err)
	for name, form := range forms {
		assert.NotContains(t, out, form, "%s leaked:\n%s", name, out)
	}
	assert.Contains(t, te.Description, "[REDACTED]", "the echo reached the error, redacted")
}

func TestTokenErrorScrubsEchoedClientCredentials(t *testing.T) {
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvClientSecret, "")
	for _, f := range echoFormsExcept("form-encoded") {
		t.Run(f.name, func(t *testing.T) {
			srv := hostileTokenServer(t, f)
			cc, err := NewClientCredentials(ClientCredentialsConfig{ClientID: testID, ClientSecret: hostileSecret, TokenURL: srv.URL})
			require.NoError(t, err)
			defer cc.Close()
			_, err = cc.Token(context.Background())
			assertScrubbed(t, srv, err, secretForms(testID, hostileSecret))
		})
	}
}

func TestTokenErrorScrubsEchoedAuthorizationCode(t *testing.T) {
	for _, f := range echoForms {
		t.Run(f.name, func(t *testing.T) {
			srv := hostileTokenServer(t, f)
			a := newHostileAC(t, srv, hostileSecret, nil)
			_, err := a.Exchange(context.Background(), hostileCode, "")
			assertScrubbed(t, srv, err, secretForms(testID, hostileSecret, hostileCode))
		})
	}
}

func TestTokenErrorScrubsEchoedCodeVerifier(t *testing.T) {
	for _, f := range echoFormsExcept("basic header", "basic re-encoded") {
		t.Run(f.name, func(t *testing.T) {
			srv := hostileTokenServer(t, f)
			a := newHostileAC(t, srv, "", nil) // PKCE: no secret
			_, err := a.Exchange(context.Background(), hostileCode, hostileVerifier)
			assertScrubbed(t, srv, err, secretForms(testID, "", hostileCode, hostileVerifier))
		})
	}
}

func TestTokenErrorScrubsEchoedRefreshToken(t *testing.T) {
	for _, f := range echoForms {
		t.Run(f.name, func(t *testing.T) {
			srv := hostileTokenServer(t, f)
			store := NewMemoryStore()
			require.NoError(t, store.Save(context.Background(), &StoredToken{
				Token:    Token{AccessToken: "expired-access", RefreshToken: hostileRefresh, Expiry: time.Now().Add(-time.Hour)},
				FamilyID: "f",
			}))
			a := newHostileAC(t, srv, hostileSecret, store)
			_, err := a.Token(context.Background())
			assertScrubbed(t, srv, err, secretForms(testID, hostileSecret, hostileRefresh))
		})
	}
}

// newHostileAC returns an authorization code provider against srv's token
// endpoint.
func newHostileAC(t *testing.T, srv *hostileServer, secret string, store TokenStore) *AuthorizationCode {
	t.Helper()
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvClientSecret, "")
	t.Setenv(EnvRedirectURI, "")
	a, err := NewAuthorizationCode(AuthorizationCodeConfig{
		ClientID: testID, ClientSecret: Secret(secret), RedirectURI: testRedirect, TokenURL: srv.URL, Store: store,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.Close() })
	return a
}
