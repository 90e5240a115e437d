package middleware

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestErrorsMatchSentinels(t *testing.T) {
	rl := &RateLimitError{RetryAfter: time.Hour, Max: time.Minute}
	assert.ErrorIs(t, rl, ErrRateLimited)
	assert.NotErrorIs(t, rl, ErrQuotaExceeded)
	assert.Contains(t, rl.Error(), "1h0m0s exceeds the 1m0s cap")
	q := &RateLimitError{Quota: true, DeadlineExceeded: true, RetryAfter: time.Second}
	assert.ErrorIs(t, q, ErrQuotaExceeded)
	assert.ErrorIs(t, q, context.DeadlineExceeded)
	assert.Contains(t, q.Error(), "quota exceeded")

	var co error = &CircuitOpenError{Breaker: "api.spotify.com", State: "open"}
	assert.ErrorIs(t, co, ErrCircuitOpen)
	assert.Contains(t, co.Error(), "api.spotify.com")

	at := &AttemptTimeoutError{Timeout: time.Second, Err: context.DeadlineExceeded}
	assert.ErrorIs(t, at, context.DeadlineExceeded)
	br := &BodyReadError{StatusCode: 200, Err: io.ErrUnexpectedEOF}
	assert.ErrorIs(t, br, io.ErrUnexpectedEOF)
	assert.Contains(t, (&BodyTooLargeError{Limit: 10}).Error(), "10-byte")
}
