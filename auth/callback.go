package auth

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

var (
	// ErrStateMismatch is returned by [ParseCallback] when the callback's
	// state is missing or differs from the one sent: the answer does not
	// belong to this login (a stale tab, or a forged request).
	ErrStateMismatch = errors.New("auth: state mismatch in the authorization callback: the answer does not belong to this login attempt; start the login again")

	// ErrAccessDenied matches (with errors.Is) a [*CallbackError] whose
	// Code is "access_denied": the user declined the authorization.
	ErrAccessDenied = errors.New("auth: access_denied")

	// ErrMissingCode is returned by [ParseCallback] for a callback that has
	// neither a code nor an error.
	ErrMissingCode = errors.New("auth: the authorization callback has no code")
)

// CallbackError is returned by [ParseCallback] when the authorization server
// redirected back with an error instead of a code.
type CallbackError struct {
	// Code is the OAuth "error" parameter, such as "access_denied".
	Code string
	// Description is the "error_description" parameter, if any.
	Description string
}

// Error returns, for example, "auth: authorization failed: access_denied
// (the user declined the authorization)".
func (e *CallbackError) Error() string {
	msg := "auth: authorization failed: " + e.Code
	switch {
	case e.Description != "":
		msg += " (" + e.Description + ")"
	case e.Code == "access_denied":
		msg += " (the user declined the authorization)"
	}
	return msg
}

// Is reports whether target is [ErrAccessDenied] and Code is "access_denied".
func (e *CallbackError) Is(target error) bool {
	return target == ErrAccessDenied && e.Code == "access_denied"
}

// ParseCallback checks the authorization server's redirect and returns the
// authorization code. raw is the full callback URL or its query string
// (with or without the leading "?"); expectedState is the state of the
// [AuthRequest] that started the login, and must not be empty. An "error"
// parameter gives a [*CallbackError] (errors.Is matches [ErrAccessDenied]
// when the user declined); a missing or different state gives
// [ErrStateMismatch]. The state is checked before anything else is
// trusted.
func ParseCallback(raw, expectedState string) (string, error) {
	if expectedState == "" {
		return "", errors.New("auth: ParseCallback needs the state sent with the authorization URL")
	}
	query := raw
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		query = raw[i+1:]
	}
	if i := strings.IndexByte(query, '#'); i >= 0 {
		query = query[:i]
	}
	v, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("auth: unparsable authorization callback: %w", err)
	}
	if v.Get("state") != expectedState {
		return "", ErrStateMismatch
	}
	if code := v.Get("error"); code != "" {
		return "", &CallbackError{Code: clip(code), Description: clip(v.Get("error_description"))}
	}
	code := v.Get("code")
	if code == "" {
		return "", ErrMissingCode
	}
	return code, nil
}
