package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spotifysdk/spotify-go/internal/scrub"
)

var (
	// ErrMissingCredentials is wrapped by the errors of constructors whose
	// credentials are missing (and by a [Static] made from "").
	ErrMissingCredentials = errors.New("auth: missing credentials")

	// ErrClosed is returned by a provider's Token after its Close.
	ErrClosed = errors.New("auth: provider is closed")

	// ErrInvalidTokenResponse is wrapped by the error for a successful
	// token response that cannot be used (no access_token, no or a bad
	// expires_in, not JSON).
	ErrInvalidTokenResponse = errors.New("auth: invalid token response")

	// ErrInvalidGrant matches (with errors.Is) a [*TokenError] whose Code
	// is "invalid_grant": the authorization code or refresh token was
	// refused (expired, revoked, or already used), so the user must log in
	// again.
	ErrInvalidGrant = errors.New("auth: invalid_grant")

	// ErrInvalidClient matches (with errors.Is) a [*TokenError] whose Code
	// is "invalid_client": the client id or secret was refused.
	ErrInvalidClient = errors.New("auth: invalid_client")
)

// TokenError is returned when the token endpoint answered with a status
// other than 2xx. It carries the OAuth error (RFC 6749 §5.2) or Spotify's
// {"error":{"status":..,"message":..}} body. It never holds the request,
// its body or any of its secrets: where the server echoed one (the client
// secret, the Basic credential, a refresh token, an authorization code, a
// PKCE verifier, raw or in any encoding), its fields read [REDACTED].
type TokenError struct {
	// StatusCode is the HTTP status of the token response.
	StatusCode int
	// Code is the OAuth "error" code, such as "invalid_client" or
	// "invalid_grant"; "" when the body had none.
	Code string
	// Description is the OAuth "error_description", or the "message" of
	// Spotify's error object.
	Description string
	// URI is the OAuth "error_uri", if any.
	URI string
	// RetryAfter is the delay the Retry-After header asked for (for a 429
	// or 503); 0 when absent.
	RetryAfter time.Duration
}

// Error returns, for example, "auth: token request failed: 400
// invalid_client: Invalid client secret".
func (e *TokenError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "auth: token request failed: %d", e.StatusCode)
	switch {
	case e.Code != "" && e.Description != "":
		fmt.Fprintf(&b, " %s: %s", e.Code, e.Description)
	case e.Code != "":
		fmt.Fprintf(&b, " %s", e.Code)
	case e.Description != "":
		fmt.Fprintf(&b, ": %s", e.Description)
	default:
		if text := http.StatusText(e.StatusCode); text != "" {
			fmt.Fprintf(&b, " %s", text)
		}
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Is reports whether target is [ErrInvalidGrant] or [ErrInvalidClient] and
// the error's Code is the matching OAuth code.
func (e *TokenError) Is(target error) bool {
	switch target {
	case ErrInvalidGrant:
		return e.Code == "invalid_grant"
	case ErrInvalidClient:
		return e.Code == "invalid_client"
	}
	return false
}

// maxDescription bounds the description kept from an error body, so a large
// HTML error page does not end up in an error message.
const maxDescription = 512

// newTokenError builds the error of a non-2xx token response from its
// status and body. Every form of every secret of the request (secrets,
// nil for none) is replaced by [REDACTED] in the server's text, in case
// the server echoes its input.
func newTokenError(status int, body []byte, secrets *scrub.Secrets) *TokenError {
	e := &TokenError{StatusCode: status}
	var wire struct {
		Error       json.RawMessage `json:"error"`
		Description string          `json:"error_description"`
		URI         string          `json:"error_uri"`
	}
	if json.Unmarshal(body, &wire) == nil {
		raw := strings.TrimSpace(string(wire.Error))
		switch {
		case strings.HasPrefix(raw, `"`):
			_ = json.Unmarshal(wire.Error, &e.Code)
		case strings.HasPrefix(raw, `{`):
			var obj struct {
				Message string `json:"message"`
			}
			_ = json.Unmarshal(wire.Error, &obj)
			e.Description = obj.Message
		}
		if wire.Description != "" {
			e.Description = wire.Description
		}
		e.URI = wire.URI
	}
	// Scrub first, then clip: a secret cut in two would escape the scrub.
	e.Code = clip(secrets.Replace(e.Code))
	e.Description = clip(secrets.Replace(e.Description))
	e.URI = clip(secrets.Replace(e.URI))
	return e
}

// clip bounds the length of a server's text.
func clip(s string) string {
	if len(s) > maxDescription {
		cut := maxDescription
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

// ErrLoginRequired matches (with errors.Is) a [*LoginRequiredError].
var ErrLoginRequired = errors.New("auth: the user must log in again")

// LoginRequiredError is returned by [AuthorizationCode] when it holds no
// usable grant: nothing was exchanged or stored yet, or the token endpoint
// refused the refresh token or authorization code (invalid_grant: expired,
// revoked, or already used). The user must log in again. errors.Is matches
// [ErrLoginRequired], and [ErrInvalidGrant] when the endpoint refused it.
type LoginRequiredError struct {
	// Err is the [*TokenError] of the refused grant; nil when there was no
	// token to refresh.
	Err      error
	exchange bool
}

// Error explains what happened and that the user must log in again.
func (e *LoginRequiredError) Error() string {
	switch {
	case e.Err == nil:
		return "auth: no user token: the user must log in first (AuthURL and Exchange, or Login)"
	case e.exchange:
		return "auth: the authorization code was refused (" + e.Err.Error() + "); codes are single-use and short-lived: start the login again"
	}
	return "auth: the refresh token was refused (" + e.Err.Error() + "); it was revoked, expired or already used: the user must log in again"
}

// Unwrap returns the refused grant's error.
func (e *LoginRequiredError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrLoginRequired].
func (e *LoginRequiredError) Is(target error) bool { return target == ErrLoginRequired }
