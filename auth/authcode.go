package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/spotifysdk/spotify-go/clock"
)

// AuthorizationCode is a [Provider] of a user's tokens, obtained with the
// authorization code flow: with PKCE (S256) for a public client (no client
// secret), or with the client secret for a confidential one.
//
// A login goes [AuthorizationCode.AuthURL] → the user's browser → the
// redirect → [ParseCallback] → [AuthorizationCode.Exchange]; [Login] does
// all of it for command-line programs. From then on Token refreshes the
// token as the other providers do (one early background refresh, callers
// wait only once it has expired), and:
//
//   - every refresh saves the rotated refresh token to the store before the
//     new token is used, and keeps the old refresh token when the response
//     omits one;
//   - with a store that implements [TokenLocker] (the [FileStore]), the
//     refresh holds a [Lease] on the store, re-reads the store, and adopts a
//     newer token saved by another process instead of spending a refresh
//     token that process already rotated; the lease is checked right
//     before the request is sent, and the new token is saved only if the
//     store still holds the version the lease read;
//   - a refused refresh token (invalid_grant) gives a [*LoginRequiredError],
//     which errors.Is matches to [ErrLoginRequired] and [ErrInvalidGrant];
//     it is not sent again: later calls return the same error without a
//     request, until a login (Exchange) or a newer token in the store.
//
// It implements [Invalidator] and [Identifier] ("user:" + the token family
// id created at exchange and kept in the store), is safe for concurrent
// use, and prints itself with its secrets redacted. Close it when done.
type AuthorizationCode struct {
	clientID     string
	secret       Secret
	redirectURI  string
	scope        string
	authURL      string
	tokenURL     string
	ep           *tokenEndpoint
	r            *refresher
	store        TokenStore
	onToken      func(*Token)
	onStoreError func(error)
	clock        clock.Clock
	ownClient    *http.Client

	mu      sync.Mutex
	held    *StoredToken // the newest token this provider has used or saved
	refused refusal      // the last refresh token the accounts service refused
}

// refusal is a refresh token the accounts service refused (invalid_grant)
// and its error, so that it is not sent again.
type refusal struct {
	refreshToken string
	err          error
}

var (
	_ Provider    = (*AuthorizationCode)(nil)
	_ Invalidator = (*AuthorizationCode)(nil)
	_ Identifier  = (*AuthorizationCode)(nil)
)

// NewAuthorizationCode returns an authorization-code provider. ClientID,
// ClientSecret and RedirectURI left empty are read from
// SPOTIFY_SDK_CLIENT_ID, SPOTIFY_SDK_CLIENT_SECRET and
// SPOTIFY_SDK_REDIRECT_URI; without a secret the provider uses PKCE. A
// missing client id or redirect URI gives an error wrapping
// [ErrMissingCredentials]; a redirect URI Spotify would refuse (such as one
// on "localhost") an error wrapping [ErrInvalidRedirectURI]. The store is
// read once here: a token saved by an earlier run is used (and refreshed)
// without a new login, and a store that cannot be read is an error.
func NewAuthorizationCode(cfg AuthorizationCodeConfig) (*AuthorizationCode, error) {
	id := firstNonEmpty(cfg.ClientID, os.Getenv(EnvClientID))
	secret := Secret(firstNonEmpty(string(cfg.ClientSecret), os.Getenv(EnvClientSecret)))
	redirect := firstNonEmpty(cfg.RedirectURI, os.Getenv(EnvRedirectURI))
	if id == "" {
		return nil, &missingError{"auth: the authorization code flow needs a client id: set ClientID or " + EnvClientID}
	}
	if err := checkRedirectURI(redirect); err != nil {
		return nil, err
	}
	tokenURL := firstNonEmpty(cfg.TokenURL, DefaultTokenURL)
	if err := checkTokenURL(tokenURL); err != nil {
		return nil, err
	}
	authURL := firstNonEmpty(cfg.AuthURL, DefaultAuthURL)
	if err := checkTokenURL(authURL); err != nil {
		return nil, fmt.Errorf("auth: AuthURL: %w", err)
	}
	clk := clockOf(cfg.Clock)
	a := &AuthorizationCode{
		clientID: id, secret: secret, redirectURI: redirect, scope: normalizeScopes(cfg.Scopes),
		authURL: authURL, tokenURL: redactURL(tokenURL), store: cfg.Store,
		onToken: cfg.OnToken, onStoreError: cfg.OnStoreError, clock: clk,
	}
	if a.store == nil {
		a.store = NewMemoryStore()
	}
	client := cfg.HTTPClient
	if client == nil {
		client = newTokenHTTPClient(clk)
		a.ownClient = client
	}
	a.ep = &tokenEndpoint{url: tokenURL, clientID: id, clientSecret: secret, client: client, clock: clk}
	a.r = newRefresher(a.fetch, refresherOptions{clock: clk, early: cfg.EarlyRefresh, timeout: cfg.RefreshTimeout})

	timeout := cfg.RefreshTimeout
	if timeout <= 0 {
		timeout = DefaultRefreshTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	st, err := a.store.Load(ctx)
	if err != nil {
		return nil, err
	}
	if st != nil {
		if st.FamilyID == "" {
			st.FamilyID = newFamilyID()
		}
		a.held = st
		a.r.store(&st.Token)
	}
	return a, nil
}

func firstNonEmpty(a, b string) string {
	if a = strings.TrimSpace(a); a != "" {
		return a
	}
	return strings.TrimSpace(b)
}

// PKCE reports whether the provider is a public client using PKCE (it has
// no client secret).
func (a *AuthorizationCode) PKCE() bool { return a.secret == "" }

// RedirectURI returns the redirect URI the provider sends.
func (a *AuthorizationCode) RedirectURI() string { return a.redirectURI }

// Token returns the user's current access token, refreshing it when needed.
// Before any login (nothing exchanged, nothing in the store) and after the
// refresh token was refused, it returns a [*LoginRequiredError] (a refused
// refresh token is not sent again). ctx bounds only this caller's wait. The
// returned token must not be modified.
func (a *AuthorizationCode) Token(ctx context.Context) (*Token, error) { return a.r.Token(ctx) }

// Invalidate drops the cached token if it is failed (a token the API
// rejected with 401), so the next Token refreshes; a token already replaced
// is ignored.
func (a *AuthorizationCode) Invalidate(failed *Token) { a.r.Invalidate(failed) }

// Identity returns "user:" followed by the token family id, which is
// created at code exchange and kept in the store through every refresh;
// it is "user:" alone before any login.
func (a *AuthorizationCode) Identity() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.held == nil {
		return "user:"
	}
	return "user:" + a.held.FamilyID
}

// Exchange trades the authorization code of a callback (see
// [ParseCallback]) for the user's token. verifier is the
// [AuthRequest.Verifier] of the login, required with PKCE and ignored
// otherwise (a string variable v passes as auth.Secret(v)). The token,
// with a new token family id, is saved to the store (under a lease on it),
// passed to OnToken and used by Token from then on. If saving fails the
// error says so, and the provider still uses the token.
func (a *AuthorizationCode) Exchange(ctx context.Context, code string, verifier Secret) (*Token, error) {
	if code == "" {
		return nil, ErrMissingCode
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {a.redirectURI}}
	if a.secret == "" {
		if verifier == "" {
			return nil, errors.New("auth: Exchange with PKCE needs the verifier of the AuthRequest that started the login")
		}
		form.Set("code_verifier", string(verifier))
	}
	tok, err := a.ep.request(ctx, form)
	if errors.Is(err, ErrInvalidGrant) {
		return nil, &LoginRequiredError{Err: err, exchange: true}
	}
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken == "" {
		return nil, fmt.Errorf("%w: missing refresh_token", ErrInvalidTokenResponse)
	}
	if tok.Scope == "" {
		tok.Scope = a.scope
	}
	st := &StoredToken{Token: *tok, FamilyID: newFamilyID()}
	saveErr := a.save(ctx, st)
	a.use(st)
	a.r.store(tok)
	if saveErr != nil {
		return nil, fmt.Errorf("auth: the login succeeded but its token was not saved (this provider keeps using it): %w", saveErr)
	}
	return tok, nil
}

// save writes st to the store under a lease on it (see [TokenLocker]).
func (a *AuthorizationCode) save(ctx context.Context, st *StoredToken) error {
	l, err := lease(ctx, a.store)
	if err != nil {
		return err
	}
	defer release(ctx, l)
	return l.Save(ctx, st)
}

// use makes st the newest token and tells OnToken.
func (a *AuthorizationCode) use(st *StoredToken) {
	a.mu.Lock()
	a.held = st
	a.mu.Unlock()
	if a.onToken != nil {
		a.onToken(&st.Token)
	}
}

// newer reports whether the stored token st replaces held: it differs, and
// it does not expire earlier (it was obtained later, by another provider or
// process; an older one is left by a save that failed).
func newer(st, held *StoredToken) bool {
	switch {
	case st == nil:
		return false
	case held == nil:
		return true
	case st.Token.AccessToken == held.Token.AccessToken && st.Token.RefreshToken == held.Token.RefreshToken:
		return false
	}
	return !st.Token.Expiry.Before(held.Token.Expiry)
}

// fetch is the refresher's fetch: under a lease on the store it re-reads
// the store, adopts a newer valid token found there, and otherwise
// refreshes with the newest refresh token and saves the result.
func (a *AuthorizationCode) fetch(ctx context.Context) (*Token, error) {
	l, err := lease(ctx, a.store)
	if err != nil {
		return nil, err
	}
	defer release(ctx, l)
	stored, err := l.Load(ctx)
	if err != nil {
		return nil, err
	}
	return a.refreshLocked(ctx, l, stored, true)
}

// refreshLocked adopts stored (what the store holds now) if it is newer
// and valid, and otherwise refreshes with the newest refresh token, unless
// that one was already refused. retry allows one more try after
// invalid_grant, with a newer token the store holds by then. l is the
// lease on the store: it is checked right before the request is sent, and
// the new token is saved through it (compare-and-set).
func (a *AuthorizationCode) refreshLocked(ctx context.Context, l Lease, stored *StoredToken, retry bool) (*Token, error) {
	a.mu.Lock()
	base, refused := a.held, a.refused
	a.mu.Unlock()
	if newer(stored, base) {
		if stored.FamilyID == "" {
			stored.FamilyID = newFamilyID()
		}
		if !stored.Token.ExpiredAt(a.clock.Now(), DefaultExpirySkew) {
			a.use(stored)
			tok := stored.Token
			return &tok, nil
		}
		base = stored
	}
	if base == nil || base.Token.RefreshToken == "" {
		return nil, &LoginRequiredError{}
	}
	if refused.err != nil && refused.refreshToken == base.Token.RefreshToken {
		return nil, &LoginRequiredError{Err: refused.err}
	}
	if err := l.Valid(ctx); err != nil {
		return nil, fmt.Errorf("auth: refresh not sent: %w", err)
	}
	tok, err := a.ep.request(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {base.Token.RefreshToken}})
	if errors.Is(err, ErrInvalidGrant) {
		a.mu.Lock()
		a.refused = refusal{refreshToken: base.Token.RefreshToken, err: err}
		a.mu.Unlock()
		// A store without a lock (or a writer that ignored it) may have
		// updated the store since it was read: try once more with what it
		// holds now (the lease then saves against that version).
		if retry {
			if again, lerr := l.Load(ctx); lerr == nil && again != nil && again.Token.RefreshToken != base.Token.RefreshToken && newer(again, base) {
				return a.refreshLocked(ctx, l, again, false)
			}
		}
		return nil, &LoginRequiredError{Err: err}
	}
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = base.Token.RefreshToken
	}
	if tok.Scope == "" {
		tok.Scope = base.Token.Scope
	}
	st := &StoredToken{Token: *tok, FamilyID: base.FamilyID}
	if err := l.Save(ctx, st); err != nil && a.onStoreError != nil {
		a.onStoreError(err)
	}
	a.use(st)
	return tok, nil
}

// Close cancels a refresh in flight, waits for it, and closes the idle
// connections of the HTTP client the provider created. It always returns
// nil and may be called more than once.
func (a *AuthorizationCode) Close() error { return closeProvider(a.r, a.ownClient) }

// view shows the provider with its client secret redacted.
func (a *AuthorizationCode) view() view {
	if a == nil {
		return view{}
	}
	return view{name: "auth.AuthorizationCode", fields: []field{
		{"ClientID", a.clientID}, {"ClientSecret", a.secret}, {"PKCE", a.PKCE()},
		{"RedirectURI", redactURL(a.redirectURI)}, {"TokenURL", a.tokenURL}, {"Identity", a.Identity()},
	}}
}

// String prints the provider with its secrets redacted.
func (a *AuthorizationCode) String() string { return a.view().String() }

// Format makes every fmt verb print [AuthorizationCode.String].
func (a *AuthorizationCode) Format(f fmt.State, _ rune) { a.view().format(f) }

// LogValue makes slog print the provider redacted.
func (a *AuthorizationCode) LogValue() slog.Value { return a.view().LogValue() }
