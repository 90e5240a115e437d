package tokenretry

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
)

const form = "grant_type=client_credentials"

func newTokenRequest(t *testing.T, ctx context.Context) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://accounts.example/api/token", strings.NewReader(form))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// advanceWhenWaiting fires the fake clock's timers as the retrier starts
// them, until done is closed.
func advanceWhenWaiting(fc *clock.Fake, done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		default:
		}
		if fc.Timers() > 0 {
			fc.AdvanceToNext()
			continue
		}
		time.Sleep(time.Millisecond)
	}
}

func TestRetries503ThenSucceeds(t *testing.T) {
	defer goleak.VerifyNone(t)
	fc := clock.NewFake()
	tt := testtransport.New().
		AppendResponse(http.StatusServiceUnavailable, "busy").
		AppendResponse(http.StatusOK, `{"access_token":"x"}`)
	rt := New(tt, Options{Clock: fc, Backoff: func(int) time.Duration { return time.Second }})

	done := make(chan struct{})
	go advanceWhenWaiting(fc, done)
	start := fc.Now()
	resp, err := rt.RoundTrip(newTokenRequest(t, context.Background()))
	close(done)
	require.NoError(t, err)
	defer resp.Body.Close()

	assert.Equal(t, http.StatusOK, resp.StatusCode)
	reqs := tt.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, form, string(reqs[0].Body))
	assert.Equal(t, form, string(reqs[1].Body), "the form body is replayed through GetBody")
	assert.Equal(t, "application/x-www-form-urlencoded", reqs[1].Header.Get("Content-Type"))
	assert.True(t, tt.Bodies()[0].Drained(), "the discarded 503 is drained")
	assert.Equal(t, 1, tt.Bodies()[0].Closes(), "the discarded 503 is closed")
	assert.Equal(t, time.Second, fc.Now().Sub(start), "the backoff ran on the injected clock")
}

func TestDoesNotRetry4xx(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusTooManyRequests} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			tt := testtransport.New().AppendResponse(status, `{"error":"invalid_client"}`, "Retry-After", "1").Repeat()
			rt := New(tt, Options{Clock: clock.NewFake()})
			resp, err := rt.RoundTrip(newTokenRequest(t, context.Background()))
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, status, resp.StatusCode)
			assert.Equal(t, 1, tt.Len())
		})
	}
}

func TestRetriesConnectionErrorsUpToMax(t *testing.T) {
	connErr := &url.Error{Op: "Post", URL: "https://accounts.example/api/token", Err: errors.New("connection reset by peer")}
	tt := testtransport.New().AppendError(connErr).Repeat()
	rt := New(tt, Options{Backoff: func(int) time.Duration { return 0 }})
	_, err := rt.RoundTrip(newTokenRequest(t, context.Background()))
	require.ErrorIs(t, err, connErr)
	assert.Equal(t, 3, tt.Len(), "the first attempt and two retries")

	tt = testtransport.New().AppendResponse(http.StatusBadGateway, "").Repeat()
	rt = New(tt, Options{MaxRetries: -1})
	resp, err := rt.RoundTrip(newTokenRequest(t, context.Background()))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode, "the last 5xx is returned as a response")
	assert.Equal(t, 1, tt.Len(), "a negative MaxRetries sends once")
}

func TestBackoffHonoursContext(t *testing.T) {
	defer goleak.VerifyNone(t)
	fc := clock.NewFake()
	tt := testtransport.New().AppendResponse(http.StatusServiceUnavailable, "").Repeat()
	rt := New(tt, Options{Clock: fc, Backoff: func(int) time.Duration { return time.Minute }})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := rt.RoundTrip(newTokenRequest(t, ctx))
		errc <- err
	}()
	require.True(t, fc.BlockUntil(1))
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled)
	assert.Equal(t, 1, tt.Len())
	assert.Zero(t, tt.Unclosed())

	// A wait that would outlive the deadline is not started: the 503 is returned.
	dl, cancel2 := context.WithTimeout(context.Background(), time.Hour)
	defer cancel2()
	tt = testtransport.New().AppendResponse(http.StatusServiceUnavailable, "").Repeat()
	rt = New(tt, Options{Backoff: func(int) time.Duration { return 2 * time.Hour }})
	resp, err := rt.RoundTrip(newTokenRequest(t, dl))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, 1, tt.Len())
}

func TestNoRetryWithoutGetBody(t *testing.T) {
	tt := testtransport.New().AppendResponse(http.StatusServiceUnavailable, "").Repeat()
	rt := New(tt, Options{Backoff: func(int) time.Duration { return 0 }})
	req := newTokenRequest(t, context.Background())
	req.GetBody = nil
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 1, tt.Len())
}

func TestDefaultBackoff(t *testing.T) {
	for n, want := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second} {
		d := DefaultBackoff(n)
		assert.GreaterOrEqual(t, d, want/2)
		assert.Less(t, d, want)
	}
}

type idleCloser struct {
	http.RoundTripper
	closed bool
}

func (c *idleCloser) CloseIdleConnections() { c.closed = true }

func TestCloseIdleConnectionsReachesBase(t *testing.T) {
	base := &idleCloser{RoundTripper: testtransport.New()}
	(&http.Client{Transport: New(base, Options{})}).CloseIdleConnections()
	assert.True(t, base.closed)
}
