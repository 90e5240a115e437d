package spotifytest

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The accounts service: POST /api/token issues opaque bearer tokens, and
// every /v1 request must carry a live one.
//
// Grants are a table (accounts.grants): client_credentials here,
// authorization_code (with PKCE or a client secret) and refresh_token in
// accounts_user.go, with GET /authorize. A token records its user and
// scopes so that scope checks (403) can read them.

// app is a registered client.
type app struct{ id, secret string }

// token is an issued access token.
type token struct {
	app     string
	user    int    // index of the user the token acts for, or -1 for an app token
	scopes  string // space-separated, as granted
	expires time.Time
}

// grantFunc serves one grant_type: it answers the request itself (the
// token answer or an OAuth error). public is true when the client sent
// its id without a secret (a PKCE client); the grant decides whether that
// is enough.
type grantFunc func(a *accounts, c *call, client *app, public bool)

type accounts struct {
	cfg    *config
	grants map[string]grantFunc

	mu        sync.Mutex
	tokens    map[string]*token
	lastSweep time.Time
	users     userState // accounts_user.go; under mu
}

func newAccounts(cfg *config) *accounts {
	a := &accounts{
		cfg:    cfg,
		tokens: map[string]*token{},
		grants: map[string]grantFunc{
			"client_credentials": grantClientCredentials,
			"authorization_code": grantAuthorizationCode,
			"refresh_token":      grantRefreshToken,
		},
	}
	a.users = newUserState(cfg)
	return a
}

// handleToken answers POST /api/token.
func handleToken(c *call) {
	a := c.s.accounts
	if err := c.r.ParseForm(); err != nil {
		writeOAuthError(c.w, http.StatusBadRequest, "invalid_request", "Invalid request body")
		return
	}
	form := c.r.PostForm
	id, secret, basic := c.r.BasicAuth()
	if !basic {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	grant := form.Get("grant_type")
	if grant == "" {
		writeOAuthError(c.w, http.StatusBadRequest, "unsupported_grant_type", "grant_type parameter is missing")
		return
	}
	serve, ok := a.grants[grant]
	if !ok {
		writeOAuthError(c.w, http.StatusBadRequest, "unsupported_grant_type", "grant_type parameter is invalid")
		return
	}
	client := a.app(id)
	// A PKCE client sends client_id in the form and no secret; the
	// client-credentials grant always needs the secret.
	public := !basic && secret == "" && grant != "client_credentials"
	switch {
	case client == nil:
		writeOAuthError(c.w, http.StatusBadRequest, "invalid_client", "Invalid client")
	case !public && client.secret != secret:
		writeOAuthError(c.w, http.StatusBadRequest, "invalid_client", "Invalid client secret")
	default:
		serve(a, c, client, public)
	}
}

// grantClientCredentials issues an app token.
func grantClientCredentials(a *accounts, c *call, client *app, _ bool) {
	tok := a.issue(client.id, -1, "", c.s.now())
	writeTokenAnswer(c.w, tok, a.cfg.tokenLifetime, "", "")
}

// writeTokenAnswer writes {"access_token","token_type":"Bearer",
// "expires_in"[,"scope"][,"refresh_token"]}; expires_in is the lifetime
// in whole seconds, rounded up.
func writeTokenAnswer(w http.ResponseWriter, access string, life time.Duration, scope, refresh string) {
	j := newJW()
	j.obj()
	j.ks("access_token", access)
	j.ks("token_type", "Bearer")
	j.ki("expires_in", int((life+time.Second-1)/time.Second))
	if scope != "" {
		j.ks("scope", scope)
	}
	if refresh != "" {
		j.ks("refresh_token", refresh)
	}
	j.objEnd()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, j.b)
	j.free()
}

// app returns the registered app id, or nil.
func (a *accounts) app(id string) *app {
	for i := range a.cfg.apps {
		if a.cfg.apps[i].id == id {
			return &a.cfg.apps[i]
		}
	}
	return nil
}

// issue stores and returns a new access token.
func (a *accounts) issue(appID string, user int, scopes string, now time.Time) string {
	s := newOpaque("BQ", 64)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sweep(now)
	a.tokens[s] = &token{app: appID, user: user, scopes: scopes, expires: now.Add(a.cfg.tokenLifetime)}
	return s
}

// sweep forgets tokens that expired over an hour ago (an expired token
// still answers "expired" for that hour, then "Invalid access token"). It
// runs at most once a minute; a.mu is held.
func (a *accounts) sweep(now time.Time) {
	if now.Sub(a.lastSweep) < time.Minute {
		return
	}
	a.lastSweep = now
	for k, t := range a.tokens {
		if now.Sub(t.expires) > time.Hour {
			delete(a.tokens, k)
		}
	}
}

// authenticate checks the bearer token of a /v1 request. On failure it
// returns the status (401, or 400 for another scheme) and Spotify's
// message.
func (a *accounts) authenticate(r *http.Request, now time.Time) (*token, int, string) {
	h := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(h, " ")
	switch {
	case h == "":
		return nil, http.StatusUnauthorized, "No token provided"
	case !strings.EqualFold(scheme, "Bearer"):
		return nil, http.StatusBadRequest, "Only valid bearer authentication supported"
	}
	a.mu.Lock()
	tok := a.tokens[strings.TrimSpace(cred)]
	a.mu.Unlock()
	switch {
	case tok == nil:
		return nil, http.StatusUnauthorized, "Invalid access token"
	case !now.Before(tok.expires):
		return nil, http.StatusUnauthorized, "The access token expired"
	}
	return tok, 0, ""
}

// newOpaque returns prefix + n random bytes in unpadded base64url, the
// look of Spotify's tokens.
func newOpaque(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// Token issues an app (client credentials) access token of the default
// app, for tests that send raw requests.
func (s *Server) Token() string { return s.accounts.issue(ClientID, -1, "", s.now()) }
