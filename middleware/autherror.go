package middleware

import "fmt"

// AuthError is returned by the auth stage when its provider could not supply
// a token. The request was not sent. The retry stage does not retry it (the
// provider has its own small retry for token requests) and the breaker does
// not count it: a token failure says nothing about the API's health.
type AuthError struct {
	// Err is the provider's error (for example an *auth.TokenError).
	Err error
}

// Error says the token could not be had, and why.
func (e *AuthError) Error() string { return fmt.Sprintf("middleware: getting a token: %v", e.Err) }

// Unwrap returns the provider's error.
func (e *AuthError) Unwrap() error { return e.Err }
