package middleware

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

// doubling is a backoff of unit << attempt, without jitter.
func doubling(unit time.Duration) Backoff {
	return func(n int) time.Duration { return unit << n }
}

func repeat(n int, s testtransport.Step) []testtransport.Step {
	out := make([]testtransport.Step, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// A burst of five 429s with a 50 ms Retry-After is waited out with the
// default options (3 retries): 429s do not count against MaxRetries, and
// each wait is at least the backoff of its place in the streak.
func TestRetry429BurstSucceedsWithDefaults(t *testing.T) {
	steps := append(repeat(5, retryStatus(429, "Retry-After", "0.05")), retryStatus(200))
	h := newRetryHarness(RetryOptions{Backoff: DefaultBackoff}, steps...)
	resp, err := h.do(retryRequest(t, context.Background(), http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 6, h.tt.Len())
	require.Len(t, h.gaps, 5)
	for k, gap := range h.gaps {
		// DefaultBackoff(k) lies in [250 ms << k, 500 ms << k).
		assert.GreaterOrEqual(t, gap, 250*time.Millisecond<<k, "wait after 429 number %d", k+1)
	}
}

// 429s and other retries are counted apart: MaxRetries 1 allows one 503
// whatever the 429s around it.
func TestRetry429DoesNotConsumeMaxRetries(t *testing.T) {
	h := newRetryHarness(RetryOptions{MaxRetries: 1},
		retryStatus(429), retryStatus(429), retryStatus(503), retryStatus(429), retryStatus(200))
	resp, err := h.do(retryRequest(t, context.Background(), http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 5, h.tt.Len())

	h = newRetryHarness(RetryOptions{MaxRetries: 1},
		retryStatus(503), retryStatus(429), retryStatus(503), retryStatus(200))
	resp, err = h.do(retryRequest(t, context.Background(), http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 503, resp.StatusCode, "the second 503 is past MaxRetries")
	assert.Equal(t, 3, h.tt.Len())
}

// A stream of 429s with Retry-After: 0 ends after the bounded number of
// 429 retries with an error that matches ErrRateLimited and carries the
// figures, each retry after the backoff; the metric counts the retries.
func TestRetry429StreamEndsWithErrRateLimited(t *testing.T) {
	o := newOtelHarness(t)
	h := newRetryHarness(RetryOptions{Backoff: func(int) time.Duration { return 100 * time.Millisecond }, MeterProvider: o.mp},
		repeat(20, testtransport.Respond(429, `{"error":{"status":429}}`, "Retry-After", "0"))...)
	start := h.fc.Now()
	resp, err := h.do(retryRequest(t, context.Background(), http.MethodGet))
	require.Nil(t, resp)
	require.ErrorIs(t, err, ErrRateLimited)
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.True(t, rl.Exhausted)
	assert.Equal(t, DefaultMaxRateLimitRetries+1, rl.Count, "429s met")
	assert.Equal(t, time.Second, rl.Waited)
	assert.Equal(t, time.Duration(0), rl.RetryAfter)
	assert.Equal(t, 429, rl.StatusCode)
	assert.Equal(t, `{"error":{"status":429}}`, string(rl.Body))
	assert.Contains(t, err.Error(), "11 answers 429")
	assert.Equal(t, DefaultMaxRateLimitRetries+1, h.tt.Len())
	assert.Equal(t, repeatDuration(DefaultMaxRateLimitRetries, 100*time.Millisecond), h.gaps, "the backoff between them, not zero")
	assert.Equal(t, time.Second, h.fc.Now().Sub(start))
	assert.Zero(t, h.tt.Unclosed())

	sum := o.metrics(t)["spotify.client.rate_limit.retries"].Data.(metricdata.Sum[int64])
	require.Len(t, sum.DataPoints, 1)
	assert.Equal(t, int64(DefaultMaxRateLimitRetries), sum.DataPoints[0].Value)

	// A bound of its own.
	h = newRetryHarness(RetryOptions{MaxRateLimitRetries: 2}, repeat(5, retryStatus(429))...)
	_, err = h.do(retryRequest(t, context.Background(), http.MethodGet))
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 3, rl.Count)
	assert.Equal(t, 3, h.tt.Len())
}

func repeatDuration(n int, d time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

// With retries off a 429 is returned at once, as every other answer.
func TestRetry429NotRetriedWithRetriesOff(t *testing.T) {
	zero := 0
	for name, tc := range map[string]struct {
		opts RetryOptions
		ctx  context.Context
	}{
		"option":   {RetryOptions{MaxRetries: -1}, context.Background()},
		"per call": {RetryOptions{}, withOverrides(context.Background(), transport.Overrides{MaxRetries: &zero})},
	} {
		h := newRetryHarness(tc.opts, retryStatus(429, "Retry-After", "1"), retryStatus(200))
		start := h.fc.Now()
		resp, err := h.do(retryRequest(t, tc.ctx, http.MethodGet))
		require.NoError(t, err, name)
		assert.Equal(t, 429, resp.StatusCode, name)
		resp.Body.Close()
		assert.Equal(t, 1, h.tt.Len(), name)
		assert.Equal(t, start, h.fc.Now(), "%s: no wait", name)
	}
	// MaxRateLimitRetries negative retries no 429, other retries still run.
	h := newRetryHarness(RetryOptions{MaxRateLimitRetries: -1}, retryStatus(503), retryStatus(429), retryStatus(200))
	_, err := h.do(retryRequest(t, context.Background(), http.MethodGet))
	require.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, 2, h.tt.Len())
}

// After k consecutive 429s the wait is max(Retry-After, Backoff(k-1)); any
// other answer starts the streak again, and a 429 without a Retry-After
// gets the backoff.
func TestRetry429WaitIsTheLongerOfRetryAfterAndBackoff(t *testing.T) {
	h := newRetryHarness(RetryOptions{Backoff: doubling(time.Second)},
		retryStatus(429, "Retry-After", "3"), retryStatus(429, "Retry-After", "3"), retryStatus(429, "Retry-After", "3"),
		retryStatus(200))
	resp, err := h.do(retryRequest(t, context.Background(), http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, []time.Duration{3 * time.Second, 3 * time.Second, 4 * time.Second}, h.gaps)

	h = newRetryHarness(RetryOptions{Backoff: doubling(time.Second)},
		retryStatus(429, "Retry-After", "0"), retryStatus(429, "Retry-After", "0"), retryStatus(503),
		retryStatus(429, "Retry-After", "0"), retryStatus(200))
	resp, err = h.do(retryRequest(t, context.Background(), http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, time.Second, time.Second}, h.gaps)

	// No Retry-After: the budget's default cool-down (1 s) or the backoff,
	// whichever is longer.
	h = newRetryHarness(RetryOptions{Backoff: doubling(3 * time.Second)}, retryStatus(429), retryStatus(200))
	resp, err = h.do(retryRequest(t, context.Background(), http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, []time.Duration{3 * time.Second}, h.gaps)
}

// The throttle budget: the waits after a call's 429s never add up to more
// than MaxRateLimitWait, nor reach past the context's deadline.
func TestRetry429ThrottleBudget(t *testing.T) {
	h := newRetryHarness(RetryOptions{MaxRateLimitWait: 5 * time.Second}, repeat(5, retryStatus(429, "Retry-After", "2"))...)
	_, err := h.do(retryRequest(t, context.Background(), http.MethodGet))
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.True(t, rl.Exhausted)
	assert.Equal(t, 3, rl.Count)
	assert.Equal(t, 4*time.Second, rl.Waited, "a third wait of 2 s would pass 5 s")
	assert.Equal(t, 2*time.Second, rl.RetryAfter)
	assert.Equal(t, 3, h.tt.Len())

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h = newRetryHarness(RetryOptions{Backoff: func(int) time.Duration { return 3 * time.Second }},
		repeat(10, retryStatus(429, "Retry-After", "0"))...)
	_, err = h.do(retryRequest(t, ctx, http.MethodGet))
	require.ErrorAs(t, err, &rl)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 4, h.tt.Len(), "three waits of 3 s fit in 10 s, a fourth does not")
	assert.Equal(t, 9*time.Second, rl.Waited)
}

// The counts live on the call record, shared by its views: a call (or a
// coalesced flight serving several callers) that already used its 429
// retries has none left on another pass through the stage.
func TestRetry429BudgetIsTheCallRecords(t *testing.T) {
	ctx, call := transport.StartCall(context.Background(), transport.CallSpec{})
	h := newRetryHarness(RetryOptions{MaxRateLimitRetries: 4}, repeat(3, retryStatus(429))...)
	h.tt.Append(retryStatus(200))
	resp, err := h.do(retryRequest(t, ctx, http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	n, _ := call.ThrottleRetries()
	assert.Equal(t, 3, n)

	h = newRetryHarness(RetryOptions{MaxRateLimitRetries: 4}, repeat(3, retryStatus(429))...)
	_, err = h.do(retryRequest(t, ctx, http.MethodGet))
	require.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, 2, h.tt.Len(), "one 429 retry was left")
}
