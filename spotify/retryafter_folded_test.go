package spotify

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A folded Retry-After ("1, 3600") is read as its largest value by every
// reader of the header: the retry stage fails at once above its cap, the
// call's *Error carries the hour, and the shared budget holds the next call
// back, refused without a request. Read as absent, the 429 was retried
// after a short backoff instead.
func TestCoreErrorFoldedRetryAfterIsReadConservatively(t *testing.T) {
	const rateLimited = `{"error":{"status":429,"message":"API rate limit exceeded"}}`
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreFail(http.StatusTooManyRequests, rateLimited, "Retry-After", "1, 3600"))
	c := coreClient(t, ts, WithAccessToken("tok"))

	start := time.Now()
	_, err := c.Albums.Get(context.Background(), "a1", nil)
	assert.Less(t, time.Since(start), 5*time.Second, "fails at once")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusTooManyRequests, e.StatusCode)
	assert.Equal(t, time.Hour, e.RetryAfter)
	assert.Len(t, ts.requests(), 1, "not retried: an hour is above the cap")

	_, err = c.Albums.Get(context.Background(), "a1", nil)
	require.ErrorAs(t, err, &e)
	assert.Zero(t, e.StatusCode, "refused by the budget without a request")
	assert.Greater(t, e.RetryAfter, 59*time.Minute)
	assert.Len(t, ts.requests(), 1)

	// Without retries, the 429's own error carries the largest value too.
	sent, err := coreGetError(t, coreFail(http.StatusTooManyRequests, rateLimited, "Retry-After", "100, 1"), WithMaxRetries(0))
	assert.Equal(t, 1, sent)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 100*time.Second, e.RetryAfter)
}
