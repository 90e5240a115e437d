package auth

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// EnvRedirectURI is read when [AuthorizationCodeConfig.RedirectURI] is empty.
const EnvRedirectURI = "SPOTIFY_SDK_REDIRECT_URI"

// DefaultAuthURL is Spotify's authorization endpoint.
const DefaultAuthURL = "https://accounts.spotify.com/authorize"

// ErrInvalidRedirectURI is wrapped by the error of [NewAuthorizationCode] for
// a redirect URI Spotify would refuse.
var ErrInvalidRedirectURI = errors.New("auth: invalid redirect URI")

// AuthorizationCodeConfig configures [NewAuthorizationCode]. It prints
// itself with the client secret redacted.
type AuthorizationCodeConfig struct {
	// ClientID is the app's client id; "" reads SPOTIFY_SDK_CLIENT_ID.
	ClientID string
	// ClientSecret is the app's client secret; "" reads
	// SPOTIFY_SDK_CLIENT_SECRET, and if that is empty too the provider is a
	// public client using PKCE (S256), which is what command-line and
	// mobile apps should use. It prints and encodes redacted (see
	// [Secret]).
	ClientSecret Secret
	// RedirectURI is the registered redirect URI; "" reads
	// SPOTIFY_SDK_REDIRECT_URI. It must be https, or http on a loopback IP
	// literal with a port (http://127.0.0.1:8080/callback,
	// http://[::1]:8080/callback): Spotify stopped accepting "localhost"
	// in November 2025.
	RedirectURI string
	// Scopes are the scopes asked for by [AuthorizationCode.AuthURL].
	Scopes []string
	// TokenURL is the token endpoint; "" means [DefaultTokenURL]. It must
	// be https, or http on a loopback host (tests, an emulator).
	TokenURL string
	// AuthURL is the authorization endpoint; "" means [DefaultAuthURL].
	AuthURL string
	// HTTPClient sends the token requests; nil means a client of its own
	// with a 30 s timeout, a small retry of 5xx and connection errors, and
	// no redirects.
	HTTPClient *http.Client
	// Store keeps the user's token across restarts; nil means a
	// [MemoryStore]. A store that also implements [TokenLocker] (the
	// [FileStore] does) is locked across every re-read, refresh and save,
	// so that two processes never spend the same refresh token; the
	// provider then reads and writes through the [Lease].
	Store TokenStore
	// OnToken, if set, is called with every new token (exchange, refresh,
	// or a newer token found in the store), after it was saved. It must
	// not modify the token and should return quickly.
	OnToken func(*Token)
	// OnStoreError, if set, is called when saving a refreshed token fails,
	// including a save refused because another writer saved since the
	// lease read the store ([ErrVersionConflict]). The refreshed token is
	// still used by this provider (the old refresh token has been spent),
	// and saving is tried again at the next refresh.
	OnStoreError func(error)
	// Clock tells the time for token expiry; nil means the wall clock.
	Clock Clock
	// EarlyRefresh is how long before expiry one background refresh starts;
	// 0 means 5 minutes, a negative value turns the background refresh off.
	EarlyRefresh time.Duration
	// RefreshTimeout bounds one refresh (store lock, request and save) on
	// the wall clock; 0 means 30 s.
	RefreshTimeout time.Duration
}

// checkRedirectURI accepts what Spotify accepts since November 2025: an
// absolute https URI, or an http URI whose host is a loopback IP literal.
func checkRedirectURI(raw string) error {
	if raw == "" {
		return &missingError{"auth: the authorization code flow needs a redirect URI: set RedirectURI or " + EnvRedirectURI}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidRedirectURI, err)
	}
	if u.Fragment != "" {
		return fmt.Errorf("%w: %q must not have a fragment", ErrInvalidRedirectURI, u.Redacted())
	}
	host := u.Hostname()
	switch {
	case u.Host == "":
		return fmt.Errorf("%w: %q is not absolute", ErrInvalidRedirectURI, u.Redacted())
	case u.Scheme == "https":
		return nil
	case u.Scheme != "http":
		return fmt.Errorf("%w: %q must use https, or http on a loopback IP address", ErrInvalidRedirectURI, u.Redacted())
	case strings.EqualFold(host, "localhost"):
		return fmt.Errorf("%w: %q uses \"localhost\", which Spotify stopped accepting in November 2025: use http://127.0.0.1:PORT or http://[::1]:PORT (and register that URI in the app's settings)",
			ErrInvalidRedirectURI, u.Redacted())
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: %q must use https; http is accepted only on a loopback IP literal (127.0.0.1 or [::1])", ErrInvalidRedirectURI, u.Redacted())
	}
	return nil
}

// normalizeScopes splits entries on commas and whitespace, drops empty and
// repeated ones, and joins the rest with single spaces.
func normalizeScopes(scopes []string) string {
	seen := make(map[string]bool)
	var out []string
	for _, s := range scopes {
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' }) {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return strings.Join(out, " ")
}
