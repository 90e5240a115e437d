package spotify

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/spotifysdk/spotify-go/internal/scrub"
	"github.com/spotifysdk/spotify-go/middleware"
)

// Sentinels for errors.Is. A *Error matches the sentinel of its status (and
// of its reason, where Spotify sends one); the errors the chain's stages
// return for their own decisions match them too.
var (
	// ErrBadRequest: 400.
	ErrBadRequest = errors.New("spotify: bad request")
	// ErrUnauthorized: 401, an expired, revoked or unknown token; also a
	// call that failed because no token could be obtained (the token
	// endpoint refused the credentials).
	ErrUnauthorized = errors.New("spotify: unauthorized")
	// ErrForbidden: 403.
	ErrForbidden = errors.New("spotify: forbidden")
	// ErrNotFound: 404.
	ErrNotFound = errors.New("spotify: not found")
	// ErrRateLimited: 429, or a shared cool-down the chain would not wait
	// out. It is the same value as middleware.ErrRateLimited.
	ErrRateLimited = middleware.ErrRateLimited
	// ErrQuotaExceeded: a 429 with reason QUOTA_EXCEEDED; the app's quota is
	// spent and retrying does not help. The same value as
	// middleware.ErrQuotaExceeded.
	ErrQuotaExceeded = middleware.ErrQuotaExceeded
	// ErrServer: any 5xx.
	ErrServer = errors.New("spotify: server error")
	// ErrCircuitOpen: the circuit breaker refused the request without
	// sending it. The same value as middleware.ErrCircuitOpen.
	ErrCircuitOpen = middleware.ErrCircuitOpen
	// ErrInvalidArgument: a call's arguments failed validation; no request
	// was sent.
	ErrInvalidArgument = errors.New("spotify: invalid argument")
	// ErrPremiumRequired: a player command needs a Premium account (403
	// with reason PREMIUM_REQUIRED).
	ErrPremiumRequired = errors.New("spotify: premium required")
	// ErrNoActiveDevice: a player command found no active device (404 with
	// reason NO_ACTIVE_DEVICE).
	ErrNoActiveDevice = errors.New("spotify: no active device")
	// ErrUnavailableInDevelopmentMode: the operation was removed for
	// Development Mode apps. A client set to DevelopmentMode refuses such
	// a call without a request (StatusCode 0); with the mode unset, a 403
	// on such an operation matches it as well as ErrForbidden. See
	// [WithAppMode].
	ErrUnavailableInDevelopmentMode = errors.New("spotify: unavailable in development mode")
	// ErrNoMorePages: NextPage was called on the last page.
	ErrNoMorePages = errors.New("spotify: no more pages")
	// ErrEmptyPages: All gave up on a server that kept answering empty
	// pages with a next link; the walk is incomplete.
	ErrEmptyPages = errors.New("spotify: too many empty pages in a row")
)

// Reasons Spotify sends in error bodies.
const (
	ReasonPremiumRequired = "PREMIUM_REQUIRED"
	ReasonNoActiveDevice  = "NO_ACTIVE_DEVICE"
	ReasonQuotaExceeded   = reasonQuotaExceeded
)

// Error is an error answer of the Web API, or a decision of the chain about
// a call (a cool-down it would not wait out, an open circuit). Use
// errors.As to read it and errors.Is with the sentinels to classify it.
type Error struct {
	// StatusCode is the HTTP status (0 when the chain refused the call
	// before any answer, e.g. an open circuit).
	StatusCode int
	// Message is Spotify's error message, or the status text.
	Message string
	// Reason is Spotify's error reason (PREMIUM_REQUIRED, NO_ACTIVE_DEVICE,
	// QUOTA_EXCEEDED, ...), or "".
	Reason string
	// RetryAfter is the server's Retry-After, when it sent one: the value
	// the chain's ratelimit stage parsed once and stored on the call record
	// ([transport.Call.RetryAfter]); the header is not read again here.
	RetryAfter time.Duration
	// Method and Route name the call ("GET", "/albums/{id}").
	Method string
	Route  string
	// Body is the raw error body (capped at 64 KiB), with every form of
	// the credentials the request carried (the bearer token) replaced by
	// [REDACTED].
	Body []byte

	devMode    bool
	authFailed bool
	err        error
}

// Error returns "spotify: GET /albums/{id}: 404 Not Found: non existing id".
func (e *Error) Error() string {
	where := e.Method
	if e.Route != "" {
		where += " " + e.Route
	}
	status := ""
	if e.StatusCode != 0 {
		status = fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	msg := e.Message
	if e.Reason != "" {
		msg += " (" + e.Reason + ")"
	}
	if e.devMode {
		if status == "" {
			return fmt.Sprintf("spotify: %s: unavailable in Development Mode (the client is set to DevelopmentMode): %s", where, appModeNote)
		}
		if msg != "" {
			msg += "; "
		}
		msg += appModeNote
	}
	switch {
	case status != "" && msg != "":
		return fmt.Sprintf("spotify: %s: %s: %s", where, status, msg)
	case status != "":
		return fmt.Sprintf("spotify: %s: %s", where, status)
	case e.err != nil:
		return fmt.Sprintf("spotify: %s: %s", where, causeText(e.err))
	}
	return fmt.Sprintf("spotify: %s: %s", where, msg)
}

// Unwrap returns the chain's error behind e, if any.
func (e *Error) Unwrap() error { return e.err }

// Is matches the sentinel of e's status and reason.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.authFailed
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrQuotaExceeded:
		return e.StatusCode == http.StatusTooManyRequests && e.Reason == ReasonQuotaExceeded
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	case ErrPremiumRequired:
		return e.Reason == ReasonPremiumRequired
	case ErrNoActiveDevice:
		return e.Reason == ReasonNoActiveDevice
	case ErrUnavailableInDevelopmentMode:
		return e.devMode
	}
	return false
}

// newResponseError builds the *Error of a non-2xx answer from its status
// and body (already read). sent is the header of the request as the chain
// sent it ([sentHeader]); every form of its credentials (the bearer token
// the auth stage set) is cut out of the body and the message, in case the
// server echoed it ("the access token X expired"). The header itself is
// not kept.
func newResponseError(method, route string, status int, sent http.Header, body []byte, retryAfter time.Duration) *Error {
	e := &Error{StatusCode: status, Method: method, Route: route, RetryAfter: retryAfter}
	var secrets scrub.Secrets
	secrets.AddHeader(sent)
	body = secrets.Bytes(body) // before the cap, which could cut a secret in two
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	e.Body = body
	message, reason := parseErrorBody(body)
	// Again after decoding: JSON escapes may have hidden a secret.
	e.Message, e.Reason = secrets.Replace(message), secrets.Replace(reason)
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// sentHeader returns the header of the request resp answers as the chain
// sent it: resp.Request, which the base transport sets to the request the
// auth stage handed down, Authorization included. It is nil when resp
// does not say (a stage above may have put the caller's request there, as
// the coalescing stage does; the download stage has scrubbed the body of
// such an answer already).
func sentHeader(resp *http.Response) http.Header {
	if resp.Request == nil {
		return nil
	}
	return resp.Request.Header
}

const maxErrorBody = 64 << 10

// parseErrorBody reads message and reason from {"error":{"status","message",
// "reason"}} or {"error":"…","error_description":"…"}; a body that is not
// JSON gives "" for both.
func parseErrorBody(body []byte) (message, reason string) {
	var obj struct {
		Error struct {
			Message string `json:"message"`
			Reason  string `json:"reason"`
		} `json:"error"`
	}
	if decodeJSON(body, &obj) == nil {
		return obj.Error.Message, obj.Error.Reason
	}
	var oauth struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if decodeJSON(body, &oauth) == nil && oauth.Error != "" {
		if oauth.Description != "" {
			return oauth.Error + ": " + oauth.Description, ""
		}
		return oauth.Error, ""
	}
	return "", ""
}

// fromChainError turns an error of the chain into the call's error: the
// stages' own decisions become an *Error carrying them (so errors.As finds
// both), anything else is wrapped with the call's method and route.
func fromChainError(method, route string, err error) error {
	var rl *middleware.RateLimitError
	if errors.As(err, &rl) {
		// StatusCode is the 429's when one arrived; 0 when the budget
		// refused the call before sending it (errors.Is still finds
		// ErrRateLimited and ErrQuotaExceeded through the wrapped error).
		e := &Error{StatusCode: rl.StatusCode, Method: method, Route: route, RetryAfter: rl.RetryAfter, err: err}
		if len(rl.Body) > 0 {
			e.Message, e.Reason = parseErrorBody(rl.Body)
			e.Body = rl.Body
		}
		if rl.Quota {
			e.Reason = ReasonQuotaExceeded
		}
		if e.Message == "" {
			e.Message = err.Error()
		}
		return e
	}
	var ae *middleware.AuthError
	return &Error{Method: method, Route: route, err: err, authFailed: errors.As(err, &ae)}
}
