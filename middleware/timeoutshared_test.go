package middleware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

// TestTimeoutSharedDeadlineFires: on the wall clock, an attempt whose
// context never ends runs on a deadline shared with the attempts of its
// slice of time: it still fails with an *AttemptTimeoutError, no earlier
// than its timeout and at most 1/32 of it later, and the shared context
// reports the attempt's own cause.
func TestTimeoutSharedDeadlineFires(t *testing.T) {
	const d = 64 * time.Millisecond
	seen := make(chan context.Context, 1)
	var reached time.Time // when the attempt reached the stage below
	hang := timeoutHang(seen)
	rt := Timeout(TimeoutOptions{Timeout: d})(testtransport.New().Append(func(req *http.Request) (*http.Response, error) {
		reached = time.Now()
		return hang(req)
	}))

	before := time.Now()
	_, err := rt.RoundTrip(rlRequest(t, context.Background(), nil))
	elapsed := time.Since(before)
	var ate *AttemptTimeoutError
	require.ErrorAs(t, err, &ate)
	assert.Equal(t, d, ate.Timeout)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.GreaterOrEqual(t, elapsed, d, "never before the timeout")

	ctx := <-seen
	require.IsType(t, &sharedAttemptCtx{}, ctx, "the attempt ran on a shared deadline")
	dl, ok := ctx.Deadline()
	require.True(t, ok)
	assert.False(t, dl.Before(before.Add(d)), "the deadline is not before the timeout")
	assert.False(t, dl.After(reached.Add(d+d/sharedDeadlineSlices)), "the deadline is at most a slice late")
	assert.ErrorIs(t, context.Cause(ctx), errAttemptDeadline, "context.Cause finds the slice's cause")
	assert.ErrorIs(t, ctx.Err(), context.DeadlineExceeded)
}

// TestTimeoutSharedDeadlineKeepsValues: the shared attempt context has the
// request's values (its call record) and shares its slice with the other
// attempts that start in it, bound and unbound apart.
func TestTimeoutSharedDeadlineKeepsValues(t *testing.T) {
	life, end := context.WithCancel(context.Background())
	defer end()
	seen := make(chan context.Context, 3)
	tt := testtransport.New()
	for range 3 {
		tt.Append(timeoutCapture(seen, "ok"))
	}
	rt := Timeout(TimeoutOptions{Timeout: time.Hour, Lifetime: life})(tt)
	send := func(ctx context.Context) context.Context {
		resp, err := rt.RoundTrip(rlRequest(t, ctx, nil))
		require.NoError(t, err)
		transport.DrainAndClose(resp)
		return <-seen
	}
	call := transport.NewCall(transport.CallSpec{Route: "/albums/{id}"})
	first := send(transport.WithCall(context.Background(), call))
	second := send(context.Background())
	bound, _ := transport.StartCall(context.Background(), transport.CallSpec{Lifetime: life})
	third := send(bound)

	assert.Same(t, call, transport.CallFrom(first), "the request's values are kept")
	assert.Nil(t, transport.CallFrom(second))
	assert.Equal(t, first.Done(), second.Done(), "one slice for attempts that start together")
	require.IsType(t, &sharedAttemptCtx{}, third, "a call bound to the lifetime shares too")
	assert.NotEqual(t, first.Done(), third.Done(), "the bound share their own slice")
	assert.NoError(t, first.Err(), "the shared deadline outlives the attempt")

	end()
	assert.ErrorIs(t, third.Err(), context.Canceled, "the end of the lifetime ends the bound slice")
	assert.NoError(t, first.Err(), "the unbound slice does not follow the lifetime")
}

// TestTimeoutSharedDeadlineLifetimeEnds: an attempt bound to the lifetime
// fails with the cancellation when the lifetime ends, not a timeout.
func TestTimeoutSharedDeadlineLifetimeEnds(t *testing.T) {
	life, end := context.WithCancel(context.Background())
	seen := make(chan context.Context, 1)
	rt := Timeout(TimeoutOptions{Timeout: time.Hour, Lifetime: life})(testtransport.New().Append(timeoutHang(seen)))
	bound, _ := transport.StartCall(context.Background(), transport.CallSpec{Lifetime: life})
	result := rlSend(rt, rlRequest(t, bound, nil))
	budgetRecv(t, seen)
	end()
	err := budgetRecv(t, result).err
	assert.ErrorIs(t, err, context.Canceled)
	var ate *AttemptTimeoutError
	assert.False(t, errors.As(err, &ate))
}

// TestTimeoutOwnContextOutsideTheShare: a caller's context that can end,
// a per-call timeout, an injected clock and a caller's deadline each give
// the attempt a context of its own.
func TestTimeoutOwnContextOutsideTheShare(t *testing.T) {
	cancellable, cancel := context.WithCancel(context.Background())
	defer cancel()
	for name, tc := range map[string]struct {
		ctx  context.Context
		opts TimeoutOptions
	}{
		"caller can end":   {cancellable, TimeoutOptions{Timeout: time.Hour}},
		"per-call timeout": {withOverrides(context.Background(), transport.Overrides{Timeout: time.Minute}), TimeoutOptions{Timeout: time.Hour}},
		"injected clock":   {context.Background(), TimeoutOptions{Timeout: time.Hour, Clock: clock.NewFake()}},
		// A deadline on a context that cannot end: a shared deadline could
		// come after it, and Deadline would then hide it.
		"caller's later deadline": {&budgetDeadlineCtx{Context: context.Background(), deadline: time.Now().Add(time.Hour + time.Minute)},
			TimeoutOptions{Timeout: time.Hour}},
	} {
		t.Run(name, func(t *testing.T) {
			seen := make(chan context.Context, 1)
			rt := Timeout(tc.opts)(testtransport.New().Append(timeoutCapture(seen, "ok")))
			resp, err := rt.RoundTrip(rlRequest(t, tc.ctx, nil))
			require.NoError(t, err)
			ctx := <-seen
			assert.NotEqual(t, "*middleware.sharedAttemptCtx", fmt.Sprintf("%T", ctx))
			transport.DrainAndClose(resp)
			assert.Error(t, ctx.Err(), "its own context ends with the attempt")
		})
	}
}

// TestTimeoutSharedDeadlineAllocations: an attempt on a shared deadline
// costs the stage two allocations (the request's shallow copy and the
// attempt context) instead of a context, a timer and a cancel func of its
// own; a context derived from it, as net/http derives one per request,
// registers with the slice without an AfterFunc of its own.
func TestTimeoutSharedDeadlineAllocations(t *testing.T) {
	resp := &http.Response{StatusCode: http.StatusOK, Body: transport.NewBufferedBody([]byte("ok"))}
	var got context.Context
	rt := Timeout(TimeoutOptions{Timeout: time.Hour})(transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		got = req.Context()
		return resp, nil
	}))
	req := rlRequest(t, context.Background(), nil)
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	})
	assert.LessOrEqual(t, allocs, 2.0, "allocations of one attempt on a shared deadline")

	require.NotNil(t, cancelCtxKey, "the context package's key was found")
	derive := func(parent context.Context) float64 {
		return testing.AllocsPerRun(200, func() {
			ctx, cancel := context.WithCancel(parent)
			_ = ctx.Done()
			cancel()
		})
	}
	plain, cancel := context.WithCancel(context.Background())
	defer cancel()
	// No more than under a context of the standard library's own; an
	// AfterFunc registration would add its context, closure and stop.
	assert.LessOrEqual(t, derive(got), derive(plain), "allocations of a context derived from the attempt's")
	_, _ = io.Copy(io.Discard, resp.Body)
}

// TestCancelKeyIsVerified: the key learnt from context.Cause is kept only
// if a cancellable context of the standard library's answers it; any other
// (or none) turns the shared deadlines off.
func TestCancelKeyIsVerified(t *testing.T) {
	require.NotNil(t, spiedCancelKey(), "context.Cause asks for a key")
	assert.Equal(t, spiedCancelKey(), verifiedCancelKey(spiedCancelKey()))
	assert.Nil(t, verifiedCancelKey(nil))
	type otherKey struct{}
	assert.Nil(t, verifiedCancelKey(otherKey{}), "a key no cancellable context answers")
}
