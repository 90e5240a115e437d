package auth

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"
)

// Environment variables read when a client id or secret is not given.
const (
	EnvClientID     = "SPOTIFY_SDK_CLIENT_ID"
	EnvClientSecret = "SPOTIFY_SDK_CLIENT_SECRET"
)

// ClientCredentialsConfig configures [NewClientCredentials]. The zero value
// reads the credentials from the environment and uses the defaults below.
// It prints itself with the secret redacted.
type ClientCredentialsConfig struct {
	// ClientID is the app's client id; "" reads SPOTIFY_SDK_CLIENT_ID.
	ClientID string
	// ClientSecret is the app's client secret; "" reads
	// SPOTIFY_SDK_CLIENT_SECRET. It prints and encodes redacted (see
	// [Secret]).
	ClientSecret Secret
	// TokenURL is the token endpoint; "" means [DefaultTokenURL]. It must
	// be https, or http on a loopback host (tests, an emulator).
	TokenURL string
	// HTTPClient sends the token requests; nil means a client of its own
	// with a 30 s timeout, a small retry of 5xx and connection errors, and
	// no redirects. A client given here should not pass through the API's
	// chain (its auth stage would recurse into this provider).
	HTTPClient *http.Client
	// Clock tells the time for token expiry; nil means the wall clock.
	// Meant for tests; a transport.Clock fits.
	Clock Clock
	// EarlyRefresh is how long before expiry one background refresh starts
	// while callers keep using the current token; 0 means 5 minutes (half
	// the token's lifetime for tokens that live less than twice that), a
	// negative value turns the background refresh off (callers then wait
	// for a new token once the current one has expired).
	EarlyRefresh time.Duration
	// RefreshTimeout bounds one token fetch, retries included, on the wall
	// clock; 0 means 30 s.
	RefreshTimeout time.Duration
}

// ClientCredentials is a [Provider] for the client-credentials flow: app
// tokens, without a user. It caches the token and refreshes it ahead of
// expiry (one background refresh while callers keep the current token;
// callers wait only once it has expired, and then share one request). It
// implements [Invalidator] and [Identifier] ("app:" + client id), is safe
// for concurrent use, and prints itself with the secret redacted. Close it
// when done.
type ClientCredentials struct {
	clientID  string
	tokenURL  string
	secret    Secret
	ep        *tokenEndpoint
	r         *refresher
	ownClient *http.Client
}

var (
	_ Provider    = (*ClientCredentials)(nil)
	_ Invalidator = (*ClientCredentials)(nil)
	_ Identifier  = (*ClientCredentials)(nil)
)

// NewClientCredentials returns a client-credentials provider. A ClientID or
// ClientSecret left empty is read from SPOTIFY_SDK_CLIENT_ID or
// SPOTIFY_SDK_CLIENT_SECRET; a value given in cfg wins over the
// environment. If either is still missing, the error wraps
// [ErrMissingCredentials] and names what to set. No request is sent until
// the first call to Token.
func NewClientCredentials(cfg ClientCredentialsConfig) (*ClientCredentials, error) {
	id := firstNonEmpty(cfg.ClientID, os.Getenv(EnvClientID))
	secret := Secret(firstNonEmpty(string(cfg.ClientSecret), os.Getenv(EnvClientSecret)))
	if err := missingClientCredentials(id, secret); err != nil {
		return nil, err
	}
	tokenURL := cfg.TokenURL
	if tokenURL == "" {
		tokenURL = DefaultTokenURL
	}
	if err := checkTokenURL(tokenURL); err != nil {
		return nil, err
	}
	clk := clockOf(cfg.Clock)
	cc := &ClientCredentials{clientID: id, tokenURL: redactURL(tokenURL), secret: secret}
	client := cfg.HTTPClient
	if client == nil {
		client = newTokenHTTPClient(clk)
		cc.ownClient = client
	}
	cc.ep = &tokenEndpoint{url: tokenURL, clientID: id, clientSecret: secret, client: client, clock: clk}
	cc.r = newRefresher(cc.fetch, refresherOptions{clock: clk, early: cfg.EarlyRefresh, timeout: cfg.RefreshTimeout})
	return cc, nil
}

// missingError is the error for missing credentials; it matches
// ErrMissingCredentials.
type missingError struct{ msg string }

func (e *missingError) Error() string        { return e.msg }
func (e *missingError) Is(target error) bool { return target == ErrMissingCredentials }

func missingClientCredentials(id string, secret Secret) error {
	switch {
	case id == "" && secret == "":
		return &missingError{"auth: client credentials need a client id and a client secret: set ClientID/ClientSecret or " + EnvClientID + " and " + EnvClientSecret}
	case id == "":
		return &missingError{"auth: client credentials need a client id: set ClientID or " + EnvClientID}
	case secret == "":
		return &missingError{"auth: client credentials need a client secret: set ClientSecret or " + EnvClientSecret}
	}
	return nil
}

func (c *ClientCredentials) fetch(ctx context.Context) (*Token, error) {
	return c.ep.request(ctx, url.Values{"grant_type": {"client_credentials"}})
}

// Token returns the current app token, fetching one if there is none or it
// has expired. ctx bounds only this caller's wait: the fetch is shared and
// runs on its own context. The returned token must not be modified. After
// Close it returns [ErrClosed].
func (c *ClientCredentials) Token(ctx context.Context) (*Token, error) { return c.r.Token(ctx) }

// Invalidate drops the cached token if it is failed (a token the API
// rejected with 401), so the next Token fetches a new one; a token already
// replaced is ignored.
func (c *ClientCredentials) Invalidate(failed *Token) { c.r.Invalidate(failed) }

// Identity returns "app:" followed by the client id.
func (c *ClientCredentials) Identity() string { return "app:" + c.clientID }

// Close cancels a token request in flight, waits for it, and closes the
// idle connections of the HTTP client the provider created (never one given
// in the config). It always returns nil and may be called more than once.
func (c *ClientCredentials) Close() error { return closeProvider(c.r, c.ownClient) }

// view shows the provider with its client secret redacted.
func (c *ClientCredentials) view() view {
	if c == nil {
		return view{}
	}
	return view{name: "auth.ClientCredentials", fields: []field{
		{"ClientID", c.clientID}, {"ClientSecret", c.secret}, {"TokenURL", c.tokenURL},
	}}
}

// String prints the provider with the client secret redacted.
func (c *ClientCredentials) String() string { return c.view().String() }

// Format makes every fmt verb print [ClientCredentials.String].
func (c *ClientCredentials) Format(f fmt.State, _ rune) { c.view().format(f) }

// LogValue makes slog print the provider redacted.
func (c *ClientCredentials) LogValue() slog.Value { return c.view().LogValue() }
