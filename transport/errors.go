package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Sentinels for the decisions the stages make themselves. Package spotify
// re-exports them, so errors.Is(err, spotify.ErrRateLimited) holds for these
// errors as for Spotify's 429 responses.
var (
	// ErrRateLimited: the call was refused because of a 429 cool-down (its
	// own or one shared through a budget) that it would not wait out.
	ErrRateLimited = errors.New("rate limited")
	// ErrQuotaExceeded: the app's quota is spent (a 429 the classifier
	// marked as a quota stop). Retrying does not help until the quota resets.
	ErrQuotaExceeded = errors.New("quota exceeded")
	// ErrCircuitOpen: the circuit breaker refused the request without
	// sending it (open, or half-open with its probes in flight).
	ErrCircuitOpen = errors.New("circuit breaker is open")
)

// RateLimitError is returned instead of waiting out a 429 cool-down: when the
// Retry-After is longer than the configured cap, when the wait would outlive
// the context's deadline, or for a quota stop. It matches [ErrRateLimited],
// [ErrQuotaExceeded] when Quota is set, and [context.DeadlineExceeded] when
// DeadlineExceeded is set.
type RateLimitError struct {
	// RetryAfter is how long the server asked to wait, or what is left of a
	// shared cool-down.
	RetryAfter time.Duration
	// Until is when the cool-down ends.
	Until time.Time
	// Max is the cap on waits that RetryAfter exceeded, or 0.
	Max time.Duration
	// Quota reports a quota stop (reason QUOTA_EXCEEDED).
	Quota bool
	// DeadlineExceeded reports that the wait would outlive the context.
	DeadlineExceeded bool
	// StatusCode, Header and Body are those of the 429 response that caused
	// the error, when the stage that returns it saw one (else 0 and nil).
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Error describes the decision without any of the response's content.
func (e *RateLimitError) Error() string {
	what := "rate limited"
	if e.Quota {
		what = "quota exceeded"
	}
	switch {
	case e.DeadlineExceeded:
		return fmt.Sprintf("transport: %s: waiting %v would outlive the context deadline", what, e.RetryAfter.Round(time.Millisecond))
	case e.Max > 0:
		return fmt.Sprintf("transport: %s: Retry-After %v exceeds the %v cap", what, e.RetryAfter.Round(time.Millisecond), e.Max)
	case e.RetryAfter > 0:
		return fmt.Sprintf("transport: %s: Retry-After %v", what, e.RetryAfter.Round(time.Millisecond))
	}
	return "transport: " + what
}

// Is matches the sentinels described on the type.
func (e *RateLimitError) Is(target error) bool {
	switch target {
	case ErrRateLimited:
		return true
	case ErrQuotaExceeded:
		return e.Quota
	case context.DeadlineExceeded:
		return e.DeadlineExceeded
	}
	return false
}

// CircuitOpenError is returned by the breaker stage for a request it refused.
// It matches [ErrCircuitOpen].
type CircuitOpenError struct {
	// Breaker names the breaker (by default the request's host).
	Breaker string
	// State is "open" or "half-open".
	State string
}

// Error names the breaker and its state.
func (e *CircuitOpenError) Error() string {
	return fmt.Sprintf("transport: circuit breaker %q is %s: request not sent", e.Breaker, e.State)
}

// Is matches [ErrCircuitOpen].
func (e *CircuitOpenError) Is(target error) bool { return target == ErrCircuitOpen }

// AttemptTimeoutError is returned when one attempt ran out of its own
// per-attempt time while the call's context was still live. It is retriable
// for idempotent requests, and matches [context.DeadlineExceeded].
type AttemptTimeoutError struct {
	// Timeout is the per-attempt limit that expired.
	Timeout time.Duration
	// Err is the error the attempt failed with.
	Err error
}

// Error gives the attempt's timeout and its error.
func (e *AttemptTimeoutError) Error() string {
	return fmt.Sprintf("transport: attempt timed out after %v: %v", e.Timeout, e.Err)
}

// Unwrap returns the attempt's error.
func (e *AttemptTimeoutError) Unwrap() error { return e.Err }

// Is matches [context.DeadlineExceeded].
func (e *AttemptTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// BodyReadError is returned when a response body could not be read to its
// end (a reset, a truncation): the attempt failed where retry can see it.
type BodyReadError struct {
	// StatusCode is the status of the response whose body failed.
	StatusCode int
	// Err is the read error.
	Err error
}

// Error gives the status and the read error.
func (e *BodyReadError) Error() string {
	return fmt.Sprintf("transport: reading %d response body: %v", e.StatusCode, e.Err)
}

// Unwrap returns the read error.
func (e *BodyReadError) Unwrap() error { return e.Err }

// BodyTooLargeError is returned when a response body exceeds the download
// stage's cap. It is not retried.
type BodyTooLargeError struct {
	// Limit is the cap in bytes.
	Limit int64
}

// Error gives the limit.
func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("transport: response body exceeds the %d-byte limit", e.Limit)
}
