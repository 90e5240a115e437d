package middleware

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

// timeoutHang is a step that waits for its request's context to end and
// reports what it saw on the channel.
func timeoutHang(seen chan<- context.Context) testtransport.Step {
	return func(req *http.Request) (*http.Response, error) {
		ctx := req.Context()
		seen <- ctx
		<-ctx.Done()
		return nil, ctx.Err()
	}
}

// timeoutCapture is a step that answers 200 with body and hands over the
// request's context.
func timeoutCapture(seen chan<- context.Context, body string) testtransport.Step {
	return func(req *http.Request) (*http.Response, error) {
		seen <- req.Context()
		return testtransport.Respond(http.StatusOK, body)(req)
	}
}

func TestTimeoutAttemptRunsOutOfTime(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	seen := make(chan context.Context, 1)
	tt := testtransport.New().Append(timeoutHang(seen))
	rt := Timeout(TimeoutOptions{Timeout: 2 * time.Second, Clock: fc})(tt)
	start := fc.Now()

	result := rlSend(rt, rlRequest(t, context.Background(), nil))
	ctx := budgetRecv(t, seen)
	dl, ok := ctx.Deadline()
	require.True(t, ok, "the attempt's deadline is visible")
	assert.Equal(t, start.Add(2*time.Second), dl)
	require.True(t, fc.BlockUntil(1))
	fc.Advance(2 * time.Second)

	r := budgetRecv(t, result)
	assert.Nil(t, r.resp)
	var ate *AttemptTimeoutError
	require.ErrorAs(t, r.err, &ate)
	assert.Equal(t, 2*time.Second, ate.Timeout)
	assert.ErrorIs(t, r.err, context.DeadlineExceeded)
	assert.ErrorIs(t, ate.Err, context.DeadlineExceeded, "the attempt saw a deadline, not a cancellation")
	assert.ErrorIs(t, ctx.Err(), context.DeadlineExceeded)
	assert.Zero(t, fc.Timers())
}

func TestTimeoutCallerContextEnded(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	seen := make(chan context.Context, 1)
	tt := testtransport.New().Append(timeoutHang(seen))
	rt := Timeout(TimeoutOptions{Timeout: 2 * time.Second, Clock: fc})(tt)

	// Already cancelled: nothing is sent, the body is closed.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	reqBody, _ := testtransport.NewRequestBody("payload")
	_, err := rt.RoundTrip(rlRequest(t, ctx, reqBody))
	assert.ErrorIs(t, err, context.Canceled)
	var ate *AttemptTimeoutError
	assert.False(t, errors.As(err, &ate))
	assert.Equal(t, 1, reqBody.Closes())
	assert.Zero(t, tt.Len())

	// Cancelled during the attempt: the caller's error, as it is.
	ctx, cancel = context.WithCancel(context.Background())
	result := rlSend(rt, rlRequest(t, ctx, nil))
	budgetRecv(t, seen)
	cancel()
	r := budgetRecv(t, result)
	assert.ErrorIs(t, r.err, context.Canceled)
	assert.False(t, errors.As(r.err, &ate))
	assert.Zero(t, fc.Timers())
}

func TestTimeoutCoversBodyDownload(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	seen := make(chan context.Context, 2)
	tt := testtransport.New().Append(timeoutCapture(seen, "hello world")).Append(timeoutCapture(seen, "slow body"))
	rt := Timeout(TimeoutOptions{Timeout: 2 * time.Second, Clock: fc})(tt)

	resp, err := rt.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	ctx := <-seen
	fc.Advance(time.Second)
	require.NoError(t, ctx.Err(), "the attempt lives on after RoundTrip returned")
	buf := make([]byte, 5)
	_, err = io.ReadFull(resp.Body, buf)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(buf))
	require.NoError(t, ctx.Err(), "the attempt lives while the body is read")
	require.NoError(t, resp.Body.Close())
	assert.ErrorIs(t, ctx.Err(), context.Canceled, "closing the body ends the attempt")
	assert.Zero(t, fc.Timers())

	// The deadline runs while the body is downloaded.
	resp, err = rt.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	ctx = <-seen
	fc.Advance(2 * time.Second)
	require.Eventually(t, func() bool { return errors.Is(ctx.Err(), context.DeadlineExceeded) },
		5*time.Second, time.Millisecond)
	require.NoError(t, resp.Body.Close())
}

func TestTimeoutOverrideAndDefaults(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	cases := []struct {
		name     string
		timeout  time.Duration
		override time.Duration
		want     time.Duration // 0: no deadline
	}{
		{"default", 0, 0, 30 * time.Second},
		{"configured", 5 * time.Second, 0, 5 * time.Second},
		{"override wins", 30 * time.Second, time.Second, time.Second},
		{"none", -1, 0, 0},
		{"override of none", -1, 3 * time.Second, 3 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			seen := make(chan context.Context, 1)
			tt := testtransport.New().Append(timeoutCapture(seen, "ok"))
			rt := Timeout(TimeoutOptions{Timeout: tc.timeout, Clock: fc})(tt)
			ctx := context.Background()
			if tc.override != 0 {
				ctx = withOverrides(ctx, transport.Overrides{Timeout: tc.override})
			}
			resp, err := rt.RoundTrip(rlRequest(t, ctx, nil))
			require.NoError(t, err)
			dl, ok := (<-seen).Deadline()
			if tc.want == 0 {
				assert.False(t, ok)
			} else {
				require.True(t, ok)
				assert.Equal(t, fc.Now().Add(tc.want), dl)
			}
			transport.DrainAndClose(resp)
		})
	}
}

func TestTimeoutOverrideFires(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	seen := make(chan context.Context, 1)
	tt := testtransport.New().Append(timeoutHang(seen))
	rt := Timeout(TimeoutOptions{Clock: fc})(tt)
	ctx := withOverrides(context.Background(), transport.Overrides{Timeout: time.Second})
	result := rlSend(rt, rlRequest(t, ctx, nil))
	budgetRecv(t, seen)
	require.True(t, fc.BlockUntil(1))
	fc.Advance(time.Second)
	var ate *AttemptTimeoutError
	require.ErrorAs(t, budgetRecv(t, result).err, &ate)
	assert.Equal(t, time.Second, ate.Timeout)
}

func TestTimeoutParentDeadlineEarlier(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	seen := make(chan context.Context, 1)
	tt := testtransport.New().Append(timeoutCapture(seen, "ok"))
	rt := Timeout(TimeoutOptions{Timeout: 5 * time.Second, Clock: fc})(tt)
	parent := &budgetDeadlineCtx{Context: context.Background(), deadline: fc.Now().Add(time.Second)}
	resp, err := rt.RoundTrip(rlRequest(t, parent, nil))
	require.NoError(t, err)
	got := <-seen
	dl, ok := got.Deadline()
	require.True(t, ok)
	assert.Equal(t, parent.deadline, dl)
	assert.Same(t, parent, got.(*budgetDeadlineCtx), "no attempt context under an earlier deadline")
	assert.Zero(t, fc.Timers(), "no attempt timer under an earlier deadline")
	transport.DrainAndClose(resp)
}

// TestTimeoutParentDeadlineLater: a caller's deadline after the attempt's
// own still gets an attempt context, whose deadline fires first.
func TestTimeoutParentDeadlineLater(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	seen := make(chan context.Context, 1)
	tt := testtransport.New().Append(timeoutHang(seen))
	rt := Timeout(TimeoutOptions{Timeout: time.Second, Clock: fc})(tt)
	parent := &budgetDeadlineCtx{Context: context.Background(), deadline: fc.Now().Add(5 * time.Second)}
	result := make(chan error, 1)
	go func() {
		_, err := rt.RoundTrip(rlRequest(t, parent, nil))
		result <- err
	}()
	dl, ok := (<-seen).Deadline()
	require.True(t, ok)
	assert.Equal(t, fc.Now().Add(time.Second), dl)
	fc.Advance(time.Second)
	var ate *AttemptTimeoutError
	require.ErrorAs(t, <-result, &ate)
}

// TestTimeoutRealClock: on the wall clock, an attempt whose caller's
// context can end gets a deadline and a context of its own, ended with the
// attempt (the shared deadlines of the others: timeoutshared_test.go).
func TestTimeoutRealClock(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	seen := make(chan context.Context, 2)
	tt := testtransport.New().Append(timeoutHang(seen)).Append(timeoutCapture(seen, "ok"))
	rt := Timeout(TimeoutOptions{Timeout: 20 * time.Millisecond})(tt)
	parent, cancel := context.WithCancel(context.Background())
	defer cancel()

	before := time.Now()
	_, err := rt.RoundTrip(rlRequest(t, parent, nil))
	var ate *AttemptTimeoutError
	require.ErrorAs(t, err, &ate)
	assert.Equal(t, 20*time.Millisecond, ate.Timeout)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	dl, ok := (<-seen).Deadline()
	require.True(t, ok)
	assert.WithinDuration(t, before.Add(20*time.Millisecond), dl, 10*time.Millisecond)

	resp, err := rt.RoundTrip(rlRequest(t, parent, nil))
	require.NoError(t, err)
	ctx := <-seen
	require.NoError(t, ctx.Err())
	require.NoError(t, resp.Body.Close())
	assert.ErrorIs(t, ctx.Err(), context.Canceled)
}

// TestTimeoutEndsAtOnceOnBufferedBody: a body already in memory (the
// download stage's) leaves nothing for the deadline to bound, so an
// attempt with a context of its own ends when RoundTrip returns, no timer
// is left, and the body is returned as it is (no hook) with the same
// bytes. (The caller's context can end: on the wall clock, one that cannot
// would share a deadline, which the attempt does not end.)
func TestTimeoutEndsAtOnceOnBufferedBody(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	for _, fake := range []bool{true, false} {
		var c transport.Clock
		fc := clock.NewFake()
		if fake {
			c = fc
		}
		seen := make(chan context.Context, 1)
		buffered := func(req *http.Request) (*http.Response, error) {
			seen <- req.Context()
			resp, err := testtransport.Respond(http.StatusOK, "hello world")(req)
			if err == nil {
				data, _ := io.ReadAll(resp.Body)
				resp.Body = transport.NewBufferedBody(data)
			}
			return resp, err
		}
		// A bare RoundTripperFunc: testtransport wraps the bodies it gives.
		rt := Timeout(TimeoutOptions{Timeout: 2 * time.Second, Clock: c})(transport.RoundTripperFunc(buffered))
		parent, cancel := context.WithCancel(context.Background())
		resp, err := rt.RoundTrip(rlRequest(t, parent, nil))
		require.NoError(t, err)
		ctx := <-seen
		assert.ErrorIs(t, ctx.Err(), context.Canceled, "the attempt ended with its download")
		assert.NotErrorIs(t, ctx.Err(), context.DeadlineExceeded)
		assert.Zero(t, fc.Timers())
		require.IsType(t, &transport.BufferedBody{}, resp.Body, "no hook on a body in memory")
		data, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, "hello world", string(data))
		require.NoError(t, resp.Body.Close())
		cancel()
	}
}
