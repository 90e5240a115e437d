package spotify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/middleware"
)

// coreSecret is the token of the error tests: it must never show in an
// error.
const coreSecret = "SECRET-TOKEN"

// coreFail answers every request with status, the headers and body.
func coreFail(status int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// coreGetError calls Albums.Get against a server answering h and returns
// how many requests were sent and the error.
func coreGetError(t *testing.T, h http.HandlerFunc, opts ...Option) (int, error) {
	t.Helper()
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", h)
	c := coreClient(t, ts, append([]Option{WithAccessToken(coreSecret)}, opts...)...)
	_, err := c.Albums.Get(context.Background(), "a1", nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), coreSecret, "a token reached an error message")
	assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), coreSecret, "a token reached a formatted error")
	return len(ts.requests()), err
}

func TestCoreErrorNotFound(t *testing.T) {
	sent, err := coreGetError(t, coreFail(404, `{"error":{"status":404,"message":"Non existing id"}}`))
	assert.Equal(t, 1, sent)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrServer)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 404, e.StatusCode)
	assert.Equal(t, "Non existing id", e.Message)
	assert.Equal(t, "GET", e.Method)
	assert.Equal(t, "/albums/{id}", e.Route)
	assert.Equal(t, "spotify: GET /albums/{id}: 404 Not Found: Non existing id", e.Error())
}

func TestCoreErrorSentinels(t *testing.T) {
	cases := []struct {
		status int
		want   error
	}{
		{400, ErrBadRequest},
		{401, ErrUnauthorized},
		{403, ErrForbidden},
		{404, ErrNotFound},
		{500, ErrServer},
		{502, ErrServer},
		{503, ErrServer},
		{504, ErrServer},
	}
	all := []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrServer, ErrRateLimited,
		ErrQuotaExceeded, ErrPremiumRequired, ErrNoActiveDevice, ErrUnavailableInDevelopmentMode, ErrInvalidArgument}
	for _, tc := range cases {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			body := fmt.Sprintf(`{"error":{"status":%d,"message":"m%d"}}`, tc.status, tc.status)
			sent, err := coreGetError(t, coreFail(tc.status, body), WithMaxRetries(0))
			assert.Equal(t, 1, sent)
			for _, s := range all {
				assert.Equal(t, s == tc.want, errors.Is(err, s), "errors.Is(%v, %v)", err, s)
			}
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, fmt.Sprintf("m%d", tc.status), e.Message)
			assert.JSONEq(t, body, string(e.Body))
		})
	}
}

func TestCoreErrorReasons(t *testing.T) {
	_, err := coreGetError(t, coreFail(403, `{"error":{"status":403,"message":"Player command failed: Premium required","reason":"PREMIUM_REQUIRED"}}`))
	assert.ErrorIs(t, err, ErrForbidden)
	assert.ErrorIs(t, err, ErrPremiumRequired)
	assert.Contains(t, err.Error(), "PREMIUM_REQUIRED")

	_, err = coreGetError(t, coreFail(404, `{"error":{"status":404,"message":"Player command failed: No active device found","reason":"NO_ACTIVE_DEVICE"}}`))
	assert.ErrorIs(t, err, ErrNotFound)
	assert.ErrorIs(t, err, ErrNoActiveDevice)

	// An OAuth-style body: "error" is a string.
	_, err = coreGetError(t, coreFail(400, `{"error":"invalid_request","error_description":"bad thing"}`))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "invalid_request: bad thing", e.Message)
}

func TestCoreErrorNotJSON(t *testing.T) {
	sent, err := coreGetError(t, coreFail(502, "<html><body>Bad Gateway</body></html>", "Content-Type", "text/html"), WithMaxRetries(0))
	assert.Equal(t, 1, sent)
	assert.ErrorIs(t, err, ErrServer)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 502, e.StatusCode)
	assert.Equal(t, "Bad Gateway", e.Message)
	assert.Contains(t, string(e.Body), "<html>")

	_, err = coreGetError(t, coreFail(404, ""))
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Not Found", e.Message, "an empty body gives the status text")
}

func TestCoreErrorQuotaExceeded(t *testing.T) {
	sent, err := coreGetError(t, coreFail(429, `{"error":{"status":429,"message":"Quota exceeded","reason":"QUOTA_EXCEEDED"}}`, "Retry-After", "30"))
	assert.Equal(t, 1, sent, "a quota stop is not retried")
	assert.ErrorIs(t, err, ErrQuotaExceeded)
	assert.ErrorIs(t, err, ErrRateLimited)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusTooManyRequests, e.StatusCode)
	assert.Equal(t, ReasonQuotaExceeded, e.Reason)
	assert.Equal(t, "Quota exceeded", e.Message)
	assert.Equal(t, 30*time.Second, e.RetryAfter)
	assert.Equal(t, "GET", e.Method)
	assert.Equal(t, "/albums/{id}", e.Route)
	var rl *middleware.RateLimitError
	assert.ErrorAs(t, err, &rl, "the chain's decision is reachable too")
}

func TestCoreErrorQuotaExceededWithoutRetries(t *testing.T) {
	sent, err := coreGetError(t, coreFail(429, `{"error":{"status":429,"message":"Quota exceeded","reason":"QUOTA_EXCEEDED"}}`, "Retry-After", "30"), WithMaxRetries(0))
	assert.Equal(t, 1, sent)
	assert.ErrorIs(t, err, ErrQuotaExceeded)
	assert.ErrorIs(t, err, ErrRateLimited)
}

func TestCoreErrorLongRetryAfter(t *testing.T) {
	start := time.Now()
	sent, err := coreGetError(t, coreFail(429, `{"error":{"status":429,"message":"API rate limit exceeded"}}`, "Retry-After", "3600"))
	assert.Less(t, time.Since(start), 5*time.Second, "fails at once")
	assert.Equal(t, 1, sent)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.NotErrorIs(t, err, ErrQuotaExceeded)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, time.Hour, e.RetryAfter)
	assert.Equal(t, http.StatusTooManyRequests, e.StatusCode)
	assert.Equal(t, "API rate limit exceeded", e.Message)
}

func TestCoreErrorRetryAfterDateReadsTheClientsClock(t *testing.T) {
	// An HTTP-date Retry-After is measured from WithClock's now, not the
	// wall clock's: 30 s after the fake instant, whatever today is.
	clk := clock.NewFake()
	date := clk.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
	sent, err := coreGetError(t, coreFail(429, `{"error":{"status":429,"message":"API rate limit exceeded"}}`, "Retry-After", date),
		WithMaxRetries(0), WithClock(clk))
	assert.Equal(t, 1, sent)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 30*time.Second, e.RetryAfter)
}

func TestCoreErrorBudgetRefusalHasNoStatus(t *testing.T) {
	// A 429 with an hour's Retry-After starts the budget's cool-down; the
	// next call is refused before it is sent: rate limited, but no answer,
	// so no status code.
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreFail(429, `{"error":{"status":429,"message":"API rate limit exceeded"}}`, "Retry-After", "3600"))
	c := coreClient(t, ts, WithAccessToken("tok"))
	_, err := c.Albums.Get(context.Background(), "a1", nil)
	var first *Error
	require.ErrorAs(t, err, &first)
	assert.Equal(t, http.StatusTooManyRequests, first.StatusCode, "the answer that started it")

	_, err = c.Albums.Get(context.Background(), "a1", nil)
	var refused *Error
	require.ErrorAs(t, err, &refused)
	assert.Zero(t, refused.StatusCode, "nothing was sent, nothing answered")
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.NotErrorIs(t, err, ErrQuotaExceeded)
	assert.Positive(t, refused.RetryAfter)
	assert.Len(t, ts.requests(), 1)
}

// 429s do not count against WithMaxRetries: a call retries up to
// middleware.DefaultMaxRateLimitRetries of them, then fails with the
// figures.
func TestCoreErrorRateLimitedAfterRetries(t *testing.T) {
	sent, err := coreGetError(t, coreFail(429, `{"error":{"status":429,"message":"API rate limit exceeded"}}`, "Retry-After", "0"),
		WithMaxRetries(1), WithBackoff(func(int) time.Duration { return time.Millisecond }))
	assert.Equal(t, middleware.DefaultMaxRateLimitRetries+1, sent)
	assert.ErrorIs(t, err, ErrRateLimited)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 429, e.StatusCode)
	var rl *middleware.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, sent, rl.Count)
	assert.True(t, rl.Exhausted)
}

func TestCoreErrorTransport(t *testing.T) {
	ts := newTestServer(t)
	c := coreClient(t, ts, WithAccessToken(coreSecret), WithMaxRetries(0))
	ts.Close() // nothing listens any more
	_, err := c.Albums.Get(context.Background(), "a1", nil)
	require.Error(t, err)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 0, e.StatusCode)
	assert.Equal(t, "/albums/{id}", e.Route)
	assert.NotNil(t, errors.Unwrap(e))
	assert.NotContains(t, err.Error(), coreSecret)
}

func TestCoreErrorDecode(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreFail(200, `{"id":"a1","name":`))
	c := coreClient(t, ts, WithAccessToken(coreSecret))
	_, err := c.Albums.Get(context.Background(), "a1", nil)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/albums/{id}", de.Route)
	assert.Len(t, ts.requests(), 1, "a malformed 200 is not retried")
}

func TestCoreErrorMessages(t *testing.T) {
	e := &Error{StatusCode: 403, Method: "PUT", Route: "/me/player/play", Message: "Premium required", Reason: ReasonPremiumRequired}
	assert.Equal(t, "spotify: PUT /me/player/play: 403 Forbidden: Premium required (PREMIUM_REQUIRED)", e.Error())
	e = &Error{StatusCode: 500, Method: "GET", Route: "/me"}
	assert.Equal(t, "spotify: GET /me: 500 Internal Server Error", e.Error())
	e = &Error{Method: "GET", Route: "/me", err: middleware.ErrCircuitOpen}
	assert.Equal(t, "spotify: GET /me: circuit breaker is open", e.Error())
	assert.ErrorIs(t, e, ErrCircuitOpen)

}

func TestTokenFailureIsUnauthorized(t *testing.T) {
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_client","error_description":"Invalid client secret"}`)
	}))
	defer tokens.Close()
	ts := newTestServer(t)
	c, err := NewClient(WithClientCredentials("id", "SECRET-CLIENT"), WithBaseURL(ts.URL+"/v1"), WithTokenURL(tokens.URL+"/api/token"))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Albums.Get(context.Background(), "a1", nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.NotContains(t, err.Error(), "SECRET-CLIENT")
	assert.Empty(t, ts.requests(), "no API request without a token")
}

func TestDotIDsCannotClimbOutOfTheRoute(t *testing.T) {
	ts := newTestServer(t)
	c := newTestClient(t, ts)
	for _, id := range []string{"..", "."} {
		_, err := c.Albums.Get(context.Background(), id, nil)
		require.Error(t, err, id)
	}
	for _, r := range ts.requests() {
		assert.NotEqual(t, "/", r.Path)
	}
}
