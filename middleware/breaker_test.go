package middleware

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sony/gobreaker/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

const breakerTestHost = "api.example.test"

// breakerSend sends a GET to host through rt and closes any response body.
func breakerSend(t *testing.T, ctx context.Context, rt http.RoundTripper, host string) (int, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+host+"/v1/me", nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		require.Nil(t, resp)
		return 0, err
	}
	transport.DrainAndClose(resp)
	return resp.StatusCode, nil
}

// breakerStatuses appends one response per status to fake.
func breakerStatuses(fake *testtransport.Transport, statuses ...int) {
	for _, s := range statuses {
		fake.AppendResponse(s, "")
	}
}

// breakerTransitions records OnStateChange calls.
type breakerTransitions struct {
	mu   sync.Mutex
	seen []string
}

func (r *breakerTransitions) record(name, from, to string) {
	r.mu.Lock()
	r.seen = append(r.seen, name+": "+from+" -> "+to)
	r.mu.Unlock()
}

func (r *breakerTransitions) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

func breakerState(rt http.RoundTripper, name string) gobreaker.State {
	return rt.(*breakerTransport).breaker(name).State()
}

func TestBreakerOpensAtRatio(t *testing.T) {
	t.Parallel()
	fake := testtransport.New()
	breakerStatuses(fake, 200, 200, 503, 500)
	rt := Breaker(BreakerOptions{MinRequests: 4, FailureRatio: 0.5})(fake)
	for range 4 {
		_, err := breakerSend(t, context.Background(), rt, breakerTestHost)
		require.NoError(t, err)
	}
	require.Equal(t, gobreaker.StateOpen, breakerState(rt, breakerTestHost))

	// Open: fails fast, sends nothing, closes the request body.
	body, getBody := testtransport.NewRequestBody(`{"name":"x"}`)
	req, err := http.NewRequest(http.MethodPut, "https://"+breakerTestHost+"/v1/playlists/1", body)
	require.NoError(t, err)
	req.GetBody = getBody
	resp, err := rt.RoundTrip(req)
	require.Nil(t, resp)
	require.ErrorIs(t, err, ErrCircuitOpen)
	var coe *CircuitOpenError
	require.ErrorAs(t, err, &coe)
	assert.Equal(t, &CircuitOpenError{Breaker: breakerTestHost, State: "open"}, coe)
	assert.Equal(t, 1, body.Closes(), "refused request body closed")
	assert.Equal(t, 4, fake.Len(), "nothing sent while open")
	assert.Equal(t, 0, fake.Unclosed())
}

func TestBreakerNeedsMinRequests(t *testing.T) {
	t.Parallel()

	t.Run("failures below the minimum", func(t *testing.T) {
		t.Parallel()
		fake := testtransport.New()
		breakerStatuses(fake, 503, 503, 503, 200)
		rt := Breaker(BreakerOptions{MinRequests: 4})(fake)
		for range 3 {
			code, err := breakerSend(t, context.Background(), rt, breakerTestHost)
			require.NoError(t, err)
			require.Equal(t, 503, code)
		}
		assert.Equal(t, gobreaker.StateClosed, breakerState(rt, breakerTestHost))
		code, err := breakerSend(t, context.Background(), rt, breakerTestHost)
		require.NoError(t, err, "the fourth request still goes out")
		assert.Equal(t, 200, code)
		assert.Equal(t, 4, fake.Len())
	})

	t.Run("ratio below the threshold", func(t *testing.T) {
		t.Parallel()
		fake := testtransport.New()
		breakerStatuses(fake, 200, 200, 200, 502, 200)
		rt := Breaker(BreakerOptions{MinRequests: 4})(fake)
		for range 5 {
			_, err := breakerSend(t, context.Background(), rt, breakerTestHost)
			require.NoError(t, err)
		}
		assert.Equal(t, gobreaker.StateClosed, breakerState(rt, breakerTestHost))
	})
}

func TestBreakerCountsFailures(t *testing.T) {
	t.Parallel()
	for name, err := range map[string]error{
		"body read":       &BodyReadError{StatusCode: 200, Err: errors.New("unexpected EOF")},
		"attempt timeout": &AttemptTimeoutError{Timeout: time.Second, Err: context.DeadlineExceeded},
		"reset":           fmt.Errorf("read tcp: %w", syscall.ECONNRESET),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fake := testtransport.New().AppendError(err).AppendError(err)
			rt := Breaker(BreakerOptions{MinRequests: 2})(fake)
			for range 2 {
				_, got := breakerSend(t, context.Background(), rt, breakerTestHost)
				require.ErrorIs(t, got, err, "the error passes through unchanged")
			}
			_, got := breakerSend(t, context.Background(), rt, breakerTestHost)
			require.ErrorIs(t, got, ErrCircuitOpen)
		})
	}
}

func TestBreakerHalfOpen(t *testing.T) {
	t.Parallel()
	const openTimeout = 50 * time.Millisecond

	// tripped returns a breaker stage opened by two 503s, with a script that
	// continues with probe.
	tripped := func(t *testing.T, probe testtransport.Step) (http.RoundTripper, *testtransport.Transport, *breakerTransitions) {
		fake := testtransport.New()
		breakerStatuses(fake, 503, 503)
		fake.Append(probe).AppendResponse(200, "").Repeat()
		rec := &breakerTransitions{}
		rt := Breaker(BreakerOptions{MinRequests: 2, OpenTimeout: openTimeout, OnStateChange: rec.record})(fake)
		for range 2 {
			_, err := breakerSend(t, context.Background(), rt, breakerTestHost)
			require.NoError(t, err)
		}
		_, err := breakerSend(t, context.Background(), rt, breakerTestHost)
		require.ErrorIs(t, err, ErrCircuitOpen)
		time.Sleep(openTimeout + 30*time.Millisecond)
		return rt, fake, rec
	}

	t.Run("successful probe closes", func(t *testing.T) {
		t.Parallel()
		started, release := make(chan struct{}), make(chan struct{})
		rt, fake, rec := tripped(t, func(req *http.Request) (*http.Response, error) {
			close(started)
			<-release
			return testtransport.Respond(200, "ok")(req)
		})
		probeDone := make(chan error, 1)
		go func() {
			_, err := breakerSend(t, context.Background(), rt, breakerTestHost)
			probeDone <- err
		}()
		<-started

		// One probe at a time: a second request is refused, unsent.
		_, err := breakerSend(t, context.Background(), rt, breakerTestHost)
		var coe *CircuitOpenError
		require.ErrorAs(t, err, &coe)
		assert.Equal(t, "half-open", coe.State)
		assert.ErrorIs(t, err, ErrCircuitOpen)
		assert.Equal(t, 3, fake.Len())

		close(release)
		require.NoError(t, <-probeDone)
		assert.Equal(t, gobreaker.StateClosed, breakerState(rt, breakerTestHost))
		code, err := breakerSend(t, context.Background(), rt, breakerTestHost)
		require.NoError(t, err)
		assert.Equal(t, 200, code)
		assert.Equal(t, []string{
			breakerTestHost + ": closed -> open",
			breakerTestHost + ": open -> half-open",
			breakerTestHost + ": half-open -> closed",
		}, rec.list())
	})

	t.Run("failed probe reopens", func(t *testing.T) {
		t.Parallel()
		rt, fake, rec := tripped(t, testtransport.Respond(503, ""))
		code, err := breakerSend(t, context.Background(), rt, breakerTestHost)
		require.NoError(t, err)
		require.Equal(t, 503, code)
		_, err = breakerSend(t, context.Background(), rt, breakerTestHost)
		var coe *CircuitOpenError
		require.ErrorAs(t, err, &coe)
		assert.Equal(t, "open", coe.State)
		assert.Equal(t, 3, fake.Len())
		assert.Equal(t, []string{
			breakerTestHost + ": closed -> open",
			breakerTestHost + ": open -> half-open",
			breakerTestHost + ": half-open -> open",
		}, rec.list())
	})

	t.Run("panicking probe frees its slot", func(t *testing.T) {
		t.Parallel()
		rt, _, _ := tripped(t, func(*http.Request) (*http.Response, error) { panic("boom") })
		require.Panics(t, func() { _, _ = breakerSend(t, context.Background(), rt, breakerTestHost) })
		// The panic counted as a failed probe: the breaker is open again,
		// not stuck half-open with a probe that never finishes.
		assert.Equal(t, gobreaker.StateOpen, breakerState(rt, breakerTestHost))
	})
}

func TestBreakerIgnoresNeutralOutcomes(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		step testtransport.Step
	}{
		{"429", context.Background(), testtransport.Respond(429, "", "Retry-After", "1")},
		{"404", context.Background(), testtransport.Respond(404, "")},
		{"401", context.Background(), testtransport.Respond(401, "")},
		{"403", context.Background(), testtransport.Respond(403, "")},
		{"501", context.Background(), testtransport.Respond(501, "")},
		{"cancelled context", cancelled, testtransport.Respond(503, "")},
		{"auth error", context.Background(), breakerFail(&AuthError{Err: errors.New("token endpoint down")})},
		{"body too large", context.Background(), breakerFail(&BodyTooLargeError{Limit: 10})},
		{"rate limited", context.Background(), breakerFail(&RateLimitError{RetryAfter: time.Hour, Max: time.Minute})},
		{"inner breaker", context.Background(), breakerFail(&CircuitOpenError{Breaker: "x", State: "open"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := testtransport.New().Append(tc.step).Repeat()
			rt := Breaker(BreakerOptions{MinRequests: 4})(fake)
			for range 100 {
				_, _ = breakerSend(t, tc.ctx, rt, breakerTestHost)
			}
			counts := rt.(*breakerTransport).breaker(breakerTestHost).Counts()
			assert.Zero(t, counts.TotalFailures)
			assert.Zero(t, counts.TotalSuccesses)
			assert.Equal(t, uint32(100), counts.TotalExclusions)
			assert.Equal(t, gobreaker.StateClosed, breakerState(rt, breakerTestHost))
			assert.Equal(t, 0, fake.Unclosed())
		})
	}
}

func breakerFail(err error) testtransport.Step {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}
func TestBreakerOutcome(t *testing.T) {
	t.Parallel()
	live := breakerRequest(t, context.Background())
	for _, tc := range []struct {
		status int
		want   error
	}{
		{100, nil}, {200, nil}, {204, nil}, {301, nil}, {304, nil},
		{400, errBreakerExcluded}, {429, errBreakerExcluded}, {499, errBreakerExcluded},
		{500, errBreakerFailure}, {501, errBreakerExcluded}, {502, errBreakerFailure},
		{503, errBreakerFailure}, {504, errBreakerFailure}, {599, errBreakerFailure},
	} {
		got := breakerOutcome(live, &http.Response{StatusCode: tc.status}, nil)
		assert.Equal(t, tc.want, got, "status %d", tc.status)
	}
	for _, tc := range []struct {
		err  error
		want error
	}{
		{errors.New("dial tcp: connection refused"), errBreakerFailure},
		{fmt.Errorf("wrapped: %w", &BodyReadError{Err: errors.New("reset")}), errBreakerFailure},
		{&AttemptTimeoutError{Err: context.DeadlineExceeded}, errBreakerFailure},
		{fmt.Errorf("wrapped: %w", &AuthError{Err: errors.New("x")}), errBreakerExcluded},
		{&BodyTooLargeError{Limit: 1}, errBreakerExcluded},
		{&RateLimitError{Quota: true}, errBreakerExcluded},
		{ErrRateLimited, errBreakerExcluded},
		{context.Canceled, errBreakerExcluded},
		// A live server draining a connection or shedding load on purpose.
		{fmt.Errorf("wrapped: %w", errors.New("http2: Transport received Server's graceful shutdown GOAWAY")), errBreakerExcluded},
		{errors.New("http2: Transport received GOAWAY from server ErrCode:ENHANCE_YOUR_CALM"), errBreakerExcluded},
	} {
		assert.Equal(t, tc.want, breakerOutcome(live, nil, tc.err), "error %v", tc.err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dead := breakerRequest(t, ctx)
	assert.Equal(t, errBreakerExcluded, breakerOutcome(dead, nil, errors.New("reset")))
	assert.Equal(t, errBreakerExcluded, breakerOutcome(dead, &http.Response{StatusCode: 503}, nil))
}

func breakerRequest(t *testing.T, ctx context.Context) *http.Request {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+breakerTestHost+"/", nil)
	require.NoError(t, err)
	return req
}
func TestBreakerPerHost(t *testing.T) {
	t.Parallel()
	fake := testtransport.New().Append(func(req *http.Request) (*http.Response, error) {
		if strings.HasPrefix(req.URL.Host, "down.") {
			return testtransport.Respond(503, "")(req)
		}
		return testtransport.Respond(200, "")(req)
	}).Repeat()
	rec := &breakerTransitions{}
	rt := Breaker(BreakerOptions{MinRequests: 2, OnStateChange: rec.record})(fake)
	for range 2 {
		_, err := breakerSend(t, context.Background(), rt, "down.example.test")
		require.NoError(t, err)
	}
	_, err := breakerSend(t, context.Background(), rt, "down.example.test")
	var coe *CircuitOpenError
	require.ErrorAs(t, err, &coe)
	assert.Equal(t, "down.example.test", coe.Breaker)

	code, err := breakerSend(t, context.Background(), rt, "up.example.test")
	require.NoError(t, err, "another host has its own breaker")
	assert.Equal(t, 200, code)
	assert.Equal(t, []string{"down.example.test: closed -> open"}, rec.list())
}

func TestBreakerCustomKey(t *testing.T) {
	t.Parallel()
	fake := testtransport.New().AppendResponse(503, "").Repeat()
	rt := Breaker(BreakerOptions{MinRequests: 2, Key: func(*http.Request) string { return "everything" }})(fake)
	_, _ = breakerSend(t, context.Background(), rt, "a.example.test")
	_, _ = breakerSend(t, context.Background(), rt, "b.example.test")
	_, err := breakerSend(t, context.Background(), rt, "c.example.test")
	var coe *CircuitOpenError
	require.ErrorAs(t, err, &coe)
	assert.Equal(t, "everything", coe.Breaker)
}

func TestBreakerDisabled(t *testing.T) {
	t.Parallel()
	fake := testtransport.New().AppendResponse(503, "").Repeat()
	rt := Breaker(BreakerOptions{Disabled: true, MinRequests: 1})(fake)
	for range 50 {
		code, err := breakerSend(t, context.Background(), rt, breakerTestHost)
		require.NoError(t, err)
		require.Equal(t, 503, code)
	}
	assert.Equal(t, 50, fake.Len())
	nilnil := transport.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return nil, nil })
	_, err := breakerSend(t, context.Background(), Breaker(BreakerOptions{Disabled: true})(nilnil), breakerTestHost)
	require.Error(t, err, "never (nil, nil)")
}

func TestBreakerConcurrent(t *testing.T) {
	t.Parallel()
	fake := testtransport.New().AppendResponse(200, "").Repeat()
	rt := Breaker(BreakerOptions{})(fake)
	var wg sync.WaitGroup // 32 goroutines over 4 hosts, breakers created lazily
	for i := range 32 {
		wg.Go(func() {
			for range 20 {
				_, err := breakerSend(t, context.Background(), rt, fmt.Sprintf("h%d.example.test", i%4))
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 640, fake.Len())
}

func TestBreakerSettingsDefaults(t *testing.T) {
	t.Parallel()
	st := breakerSettings(BreakerOptions{})
	assert.Equal(t, uint32(1), st.MaxRequests)
	assert.Equal(t, 30*time.Second, st.Interval)
	assert.Equal(t, 3*time.Second, st.BucketPeriod)
	assert.Equal(t, 30*time.Second, st.Timeout)
	assert.Nil(t, st.OnStateChange)
	assert.False(t, st.ReadyToTrip(gobreaker.Counts{TotalFailures: 9}), "under 10 outcomes")
	assert.True(t, st.ReadyToTrip(gobreaker.Counts{TotalFailures: 5, TotalSuccesses: 5}))
	assert.False(t, st.ReadyToTrip(gobreaker.Counts{TotalFailures: 4, TotalSuccesses: 6}))
	assert.False(t, st.ReadyToTrip(gobreaker.Counts{Requests: 100, TotalFailures: 9, TotalExclusions: 90}),
		"in-flight and excluded requests do not count")
}
