package spotifytest

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The user side of the accounts service: GET /authorize logs a test user
// in and redirects with a code; POST /api/token exchanges the code
// (grant_type=authorization_code, verified against the PKCE challenge or
// with the client secret) for an access token and a refresh token, and
// refreshes (grant_type=refresh_token), rotating the refresh token unless
// WithRefreshRotation(false).
//
// Errors follow the accounts service (RFC 6749 §5.2, 400 with
// {"error","error_description"}): a bad, spent, expired or foreign code
// answers invalid_grant "Invalid authorization code" (a code is spent by
// any exchange that names it, so a failed exchange cannot be retried with
// the same code); a wrong PKCE verifier invalid_grant "code_verifier was
// incorrect"; a rotated (spent) refresh token invalid_grant "Refresh
// token revoked"; an unknown one invalid_grant "Invalid refresh token".

// codeLifetime is how long an authorization code can be exchanged.
const codeLifetime = 10 * time.Minute

// userConfig holds the options of the user side.
type userConfig struct {
	login      string // WithUser: the id of the user /authorize logs in
	noRotation bool   // WithRefreshRotation(false)
}

// WithUser sets the test user that GET /authorize logs in: an id of the
// catalogue's users (see [Catalog.IDs] with [KindUser]). Without it the
// first user logs in. NewServer panics when the catalogue has no such
// user. [Server.SetLoginUser] changes it later.
func WithUser(id string) Option {
	return func(c *config) {
		if id == "" {
			panic("spotifytest: WithUser: empty user id")
		}
		c.user.login = id
	}
}

// WithRefreshRotation sets whether a refresh issues a new refresh token
// and spends the old one (true, the default, as Spotify does for PKCE
// clients). With false the refresh token stays valid; the refresh answer
// carries it on every other refresh and omits it otherwise, as Spotify's
// answers sometimes do, so that a client must keep the old one.
func WithRefreshRotation(on bool) Option { return func(c *config) { c.user.noRotation = !on } }

// scopeNames are the scopes /authorize accepts.
var scopeNames = []string{
	"ugc-image-upload", "user-read-playback-state", "user-modify-playback-state",
	"user-read-currently-playing", "app-remote-control", "streaming",
	"playlist-read-private", "playlist-read-collaborative", "playlist-modify-private",
	"playlist-modify-public", "user-follow-modify", "user-follow-read",
	"user-read-playback-position", "user-top-read", "user-read-recently-played",
	"user-library-modify", "user-library-read", "user-read-email", "user-read-private",
	"user-personalized", "user-soa-link", "user-soa-unlink", "soa-manage-entitlements",
	"soa-manage-partner", "soa-create-partner",
}

// AllScopes returns every scope the accounts service grants, space
// separated, for tests that want a token that may do anything.
func AllScopes() string { return strings.Join(scopeNames, " ") }

// authCode is an issued authorization code.
type authCode struct {
	app       string
	user      int
	scopes    string
	redirect  string
	challenge string // S256 challenge, or "" without PKCE
	expires   time.Time
}

// refreshGrant is what a refresh token stands for.
type refreshGrant struct {
	app    string
	user   int
	scopes string
	public bool // issued to a PKCE client: it may refresh without a secret
	spent  bool // rotated away: answers "Refresh token revoked"
	uses   int  // refreshes without rotation
}

// userState is the accounts' per-user state; accounts.mu guards it.
type userState struct {
	login   int  // the user /authorize logs in
	deny    bool // /authorize answers access_denied
	codes   map[string]*authCode
	refresh map[string]*refreshGrant
}

// newUserState resolves WithUser against the catalogue cfg describes (a
// Catalog holds nothing, so building one here is free).
func newUserState(cfg *config) userState {
	st := userState{codes: map[string]*authCode{}, refresh: map[string]*refreshGrant{}}
	if cfg.user.login != "" {
		u, ok := newCatalog(cfg.seed, cfg.artists).lookup(kUser, cfg.user.login)
		if !ok {
			panic(fmt.Sprintf("spotifytest: WithUser(%q): no such user in the catalogue", cfg.user.login))
		}
		st.login = u
	}
	return st
}

// SetLoginUser sets the user that GET /authorize logs in from now on (an
// id of the catalogue's users). The empty id makes the user refuse:
// /authorize then redirects with error=access_denied.
func (s *Server) SetLoginUser(id string) error {
	a := s.accounts
	if id == "" {
		a.mu.Lock()
		a.users.deny = true
		a.mu.Unlock()
		return nil
	}
	u, ok := s.cat.lookup(kUser, id)
	if !ok {
		return fmt.Errorf("spotifytest: SetLoginUser(%q): no such user", id)
	}
	a.mu.Lock()
	a.users.login, a.users.deny = u, false
	a.mu.Unlock()
	return nil
}

// LoginUser returns the id of the user GET /authorize logs in.
func (s *Server) LoginUser() string {
	s.accounts.mu.Lock()
	u := s.accounts.users.login
	s.accounts.mu.Unlock()
	return s.cat.encodeID(kUser, u)
}

// UserToken issues an access token of the default app for the login user
// with the given scopes, skipping the authorization dance, for tests that
// send raw requests or pass it to spotify.WithAccessToken.
func (s *Server) UserToken(scopes ...string) string {
	s.accounts.mu.Lock()
	u := s.accounts.users.login
	s.accounts.mu.Unlock()
	return s.accounts.issue(ClientID, u, strings.Join(scopes, " "), s.now())
}

// SetPlaying makes the user with userID play the track with trackID from
// its album (its playback state, currently playing track and queue answer
// 200), or, with trackID "", play nothing (they answer 204). Users play
// nothing until set or until a player command starts playback
// (player_state.go); on a player that commands have written, the track is
// a new play (on the first device when none is active) and "" unloads
// the item.
func (s *Server) SetPlaying(userID, trackID string) error {
	u, ok := s.cat.lookup(kUser, userID)
	if !ok {
		return fmt.Errorf("spotifytest: SetPlaying: no user %q", userID)
	}
	t := -1
	if trackID != "" {
		if t, ok = s.cat.lookup(kTrack, trackID); !ok {
			return fmt.Errorf("spotifytest: SetPlaying: no track %q", trackID)
		}
	}
	s.setPlaying(u, t)
	return nil
}

// handleAuthorize answers GET /authorize: the user (see SetLoginUser)
// consents at once, and the answer is a 302 to redirect_uri with code and
// state, or with error (access_denied, invalid_scope,
// unsupported_response_type, invalid_request) and state. An unknown
// client_id or a missing or relative redirect_uri answers 400 with an
// OAuth error instead, since there is nowhere safe to redirect (Spotify
// shows an error page).
func handleAuthorize(c *call) {
	a := c.s.accounts
	q := c.q
	client := a.app(q.Get("client_id"))
	if client == nil {
		writeOAuthError(c.w, http.StatusBadRequest, "invalid_client", "Invalid client")
		return
	}
	redirect := q.Get("redirect_uri")
	ru, err := url.Parse(redirect)
	if redirect == "" || err != nil || !ru.IsAbs() || ru.Fragment != "" {
		writeOAuthError(c.w, http.StatusBadRequest, "invalid_client", "Invalid redirect URI")
		return
	}
	back := func(kvs ...string) {
		rq := ru.Query()
		for i := 0; i+1 < len(kvs); i += 2 {
			rq.Set(kvs[i], kvs[i+1])
		}
		if st := q.Get("state"); st != "" {
			rq.Set("state", st)
		}
		ru.RawQuery = rq.Encode()
		c.w.Header().Set("Location", ru.String())
		c.w.Header().Set("Cache-Control", "no-store")
		c.w.WriteHeader(http.StatusFound)
	}
	if q.Get("response_type") != "code" {
		back("error", "unsupported_response_type")
		return
	}
	scopes := strings.Fields(strings.ReplaceAll(q.Get("scope"), ",", " "))
	for _, sc := range scopes {
		if !slices.Contains(scopeNames, sc) {
			back("error", "invalid_scope")
			return
		}
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case challenge == "" && method == "":
	case method != "S256":
		back("error", "invalid_request", "error_description", "code_challenge_method must be S256")
		return
	case len(challenge) < 43 || len(challenge) > 128:
		back("error", "invalid_request", "error_description", "code_challenge must be 43 to 128 characters")
		return
	}
	if sd := q.Get("show_dialog"); sd != "" && sd != "true" && sd != "false" {
		back("error", "invalid_request", "error_description", "show_dialog must be true or false")
		return
	}
	code := newOpaque("AQ", 96)
	now := c.s.now()
	a.mu.Lock()
	if a.users.deny {
		a.mu.Unlock()
		back("error", "access_denied")
		return
	}
	for k, ac := range a.users.codes { // forget expired codes
		if now.After(ac.expires) {
			delete(a.users.codes, k)
		}
	}
	a.users.codes[code] = &authCode{
		app: client.id, user: a.users.login, scopes: strings.Join(scopes, " "),
		redirect: redirect, challenge: challenge, expires: now.Add(codeLifetime),
	}
	a.mu.Unlock()
	back("code", code)
}

// s256 returns the PKCE S256 challenge of verifier (RFC 7636 §4.2).
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// grantAuthorizationCode exchanges a code for an access and a refresh
// token. A code issued with a PKCE challenge needs the matching
// code_verifier, with or without the secret; a code without one needs the
// secret.
func grantAuthorizationCode(a *accounts, c *call, client *app, public bool) {
	form := c.r.PostForm
	code := form.Get("code")
	now := c.s.now()
	a.mu.Lock()
	ac := a.users.codes[code]
	delete(a.users.codes, code) // single use, whatever happens next
	a.mu.Unlock()
	bad := func(kind, desc string) { writeOAuthError(c.w, http.StatusBadRequest, kind, desc) }
	switch {
	case ac == nil || ac.app != client.id:
		bad("invalid_grant", "Invalid authorization code")
		return
	case !now.Before(ac.expires):
		bad("invalid_grant", "Authorization code expired")
		return
	case form.Get("redirect_uri") != ac.redirect:
		bad("invalid_grant", "Invalid redirect URI")
		return
	}
	if ac.challenge != "" {
		v := form.Get("code_verifier")
		if v == "" {
			bad("invalid_request", "code_verifier required")
			return
		}
		if s256(v) != ac.challenge {
			bad("invalid_grant", "code_verifier was incorrect")
			return
		}
	} else if public {
		bad("invalid_client", "Invalid client secret")
		return
	}
	access := a.issue(client.id, ac.user, ac.scopes, now)
	refresh := newOpaque("AQ", 96)
	a.mu.Lock()
	a.users.refresh[refresh] = &refreshGrant{app: client.id, user: ac.user, scopes: ac.scopes, public: public}
	a.mu.Unlock()
	writeTokenAnswer(c.w, access, a.cfg.tokenLifetime, ac.scopes, refresh)
}

// grantRefreshToken issues a new access token for a refresh token, and
// with rotation a new refresh token, spending the old one.
func grantRefreshToken(a *accounts, c *call, client *app, public bool) {
	old := c.r.PostForm.Get("refresh_token")
	bad := func(kind, desc string) { writeOAuthError(c.w, http.StatusBadRequest, kind, desc) }
	if old == "" {
		bad("invalid_request", "refresh_token must be supplied")
		return
	}
	a.mu.Lock()
	g := a.users.refresh[old]
	switch {
	case g == nil || g.app != client.id:
		a.mu.Unlock()
		bad("invalid_grant", "Invalid refresh token")
		return
	case g.spent:
		a.mu.Unlock()
		bad("invalid_grant", "Refresh token revoked")
		return
	case public && !g.public:
		a.mu.Unlock()
		bad("invalid_client", "Invalid client secret")
		return
	}
	var next string
	if a.cfg.user.noRotation {
		g.uses++
		if g.uses%2 == 0 {
			next = old
		}
	} else {
		g.spent = true
		next = newOpaque("AQ", 96)
		ng := *g
		ng.spent, ng.uses = false, 0
		a.users.refresh[next] = &ng
	}
	user, scopes := g.user, g.scopes
	a.mu.Unlock()
	access := a.issue(client.id, user, scopes, c.s.now())
	writeTokenAnswer(c.w, access, a.cfg.tokenLifetime, scopes, next)
}

// me checks that the request carries a user token holding one of scopes
// (any user token when none is given) and returns the user. An app
// (client credentials) token answers 401 "Unauthorized.", as Spotify
// answers /v1/me for one (spotify/web-api#806,
// jwilsson/spotify-web-api-php#222); a missing scope answers 403
// "Insufficient client scope".
func (c *call) me(scopes ...string) (int, bool) {
	if c.tok == nil || c.tok.user < 0 {
		c.fail(http.StatusUnauthorized, "Unauthorized.")
		return 0, false
	}
	if len(scopes) > 0 && !c.tok.hasAny(scopes) {
		c.fail(http.StatusForbidden, "Insufficient client scope")
		return 0, false
	}
	return c.tok.user, true
}

// has reports whether the token was granted scope.
func (t *token) has(scope string) bool {
	for s := range strings.FieldsSeq(t.scopes) {
		if s == scope {
			return true
		}
	}
	return false
}
