package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/netx"
	"github.com/spotifysdk/spotify-go/internal/retryafter"
	"github.com/spotifysdk/spotify-go/internal/scrub"
	"github.com/spotifysdk/spotify-go/internal/tokenretry"
)

// DefaultTokenURL is Spotify's token endpoint.
const DefaultTokenURL = "https://accounts.spotify.com/api/token"

// defaultHTTPTimeout bounds a whole token request (retries included) on the
// HTTP client a provider creates for itself.
const defaultHTTPTimeout = 30 * time.Second

// maxTokenResponse bounds the body read from the token endpoint.
const maxTokenResponse = 1 << 20

// maxExpiresIn caps expires_in so that the expiry fits a time.Duration.
const maxExpiresIn = 100 * 365 * 24 * time.Hour

// tokenEndpoint posts form-encoded token requests, authenticating the
// client with HTTP Basic auth (RFC 6749 §2.3.1), and parses the answer.
type tokenEndpoint struct {
	url          string
	clientID     string
	clientSecret Secret
	client       *http.Client
	clock        clock.Clock
}

// newTokenHTTPClient returns the client a provider uses when it was given
// none: a 30 s timeout over a clone of http.DefaultTransport wrapped by the
// token retry, and no redirects (the client secret never follows one).
func newTokenHTTPClient(c clock.Clock) *http.Client {
	base := http.DefaultTransport.(*http.Transport).Clone()
	return &http.Client{
		Timeout:   defaultHTTPTimeout,
		Transport: tokenretry.New(base, tokenretry.Options{Clock: c}),
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// checkTokenURL accepts an absolute https URL, or an http URL on a loopback
// host (tests, the emulator): the client secret is never sent in clear
// text over a network.
func checkTokenURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("auth: invalid token URL: %w", err)
	}
	switch {
	case u.Host == "":
		return fmt.Errorf("auth: token URL %q is not absolute", u.Redacted())
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && netx.IsLoopbackHost(u.Hostname()):
		return nil
	}
	return fmt.Errorf("auth: token URL %q must use https (http is accepted only for loopback hosts)", u.Redacted())
}

// closeProvider is the Close of the token-fetching providers: it stops r
// (cancelling a fetch in flight and waiting for it) and closes the idle
// connections of own, the HTTP client the provider created (nil when the
// client came from the config).
func closeProvider(r *refresher, own *http.Client) error {
	err := r.Close()
	if own != nil {
		own.CloseIdleConnections()
	}
	return err
}

// redactURL hides a password in a URL's user info, for printing.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "[unparsable URL]"
	}
	return u.Redacted()
}

// request posts form to the token endpoint and returns the token. A non-2xx
// answer is a [*TokenError].
func (e *tokenEndpoint) request(ctx context.Context, form url.Values) (*Token, error) {
	if e.clientSecret == "" {
		form.Set("client_id", e.clientID) // a public client (PKCE) names itself in the form
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("auth: building token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if e.clientSecret != "" {
		req.SetBasicAuth(url.QueryEscape(e.clientID), url.QueryEscape(string(e.clientSecret)))
	}
	start := e.clock.Now()
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("auth: token request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenResponse+1))
	if err != nil {
		return nil, fmt.Errorf("auth: reading token response: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		te := newTokenError(resp.StatusCode, body, requestSecrets(req, form, e.clientSecret))
		if d, ok := retryafter.FromResponse(resp, e.clock.Now()); ok {
			te.RetryAfter = d
		}
		return nil, te
	}
	if len(body) > maxTokenResponse {
		return nil, fmt.Errorf("%w: body larger than %d bytes", ErrInvalidTokenResponse, maxTokenResponse)
	}
	return parseToken(body, start)
}

// secretFields are the form fields of a token request whose values are
// secrets: the grant (RFC 6749 §4.1.3, §6), the PKCE verifier (RFC 7636
// §4.5) and a client secret sent in the body (§2.3.1).
var secretFields = [...]string{"refresh_token", "code", "code_verifier", "client_secret"}

// requestSecrets returns every secret a token request carried: the client
// secret, the secret fields of its form, and the credentials of its
// headers and URL (the Basic credential, as sent: the base64 of the
// form-urlencoded id and secret).
func requestSecrets(req *http.Request, form url.Values, clientSecret Secret) *scrub.Secrets {
	s := scrub.New(string(clientSecret))
	for _, field := range secretFields {
		s.Add(form[field]...)
	}
	s.AddRequest(req)
	return s
}

// parseToken decodes a successful token response. The expiry is counted
// from start, the moment the request was sent, so it errs on the early
// side. expires_in may be an integer, a float such as 3600.0, or a numeric
// string.
func parseToken(body []byte, start time.Time) (*Token, error) {
	var wire struct {
		AccessToken  string          `json:"access_token"`
		TokenType    string          `json:"token_type"`
		ExpiresIn    json.RawMessage `json:"expires_in"`
		RefreshToken string          `json:"refresh_token"`
		Scope        string          `json:"scope"`
	}
	if err := json.Unmarshal(body, &wire); err != nil {
		return nil, fmt.Errorf("%w: not a JSON object", ErrInvalidTokenResponse)
	}
	if wire.AccessToken == "" {
		return nil, fmt.Errorf("%w: missing access_token", ErrInvalidTokenResponse)
	}
	raw := bytes.TrimSpace(wire.ExpiresIn)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, fmt.Errorf("%w: missing expires_in", ErrInvalidTokenResponse)
	}
	secs, err := strconv.ParseFloat(strings.Trim(string(raw), `"`), 64)
	if err != nil || math.IsNaN(secs) || secs <= 0 {
		return nil, fmt.Errorf("%w: invalid expires_in", ErrInvalidTokenResponse)
	}
	life := maxExpiresIn
	if secs < maxExpiresIn.Seconds() {
		life = time.Duration(secs * float64(time.Second))
	}
	return &Token{
		AccessToken:  wire.AccessToken,
		TokenType:    wire.TokenType,
		RefreshToken: wire.RefreshToken,
		Scope:        wire.Scope,
		Expiry:       start.Add(life),
	}, nil
}
