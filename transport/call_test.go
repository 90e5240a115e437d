package transport_test

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/transport"
)

type callTestKey struct{}

func TestCallRecordFactsAndNilReceiver(t *testing.T) {
	var none *transport.Call
	none.AddAttempt()
	none.AddRateLimited(time.Second)
	none.AddWait(time.Second)
	none.SetFromCache()
	none.SetRetryAfter(time.Second)
	assert.Equal(t, transport.CallStats{}, none.Stats())
	assert.Equal(t, "", none.Route())
	assert.Equal(t, "", none.Principal())
	assert.Nil(t, none.Provider())
	assert.Nil(t, none.Lifetime())
	assert.Nil(t, none.Capture())
	assert.True(t, none.Overrides().IsZero())
	assert.Equal(t, 0, none.Attempt())
	assert.Equal(t, transport.CallSpec{}, none.Spec())
	assert.Nil(t, transport.CallFrom(context.Background()))
	assert.Equal(t, 0, transport.Attempt(context.Background()))

	n := 0
	idem := false
	spec := transport.CallSpec{
		Route: "/albums/{id}", Principal: "user:abc", Idempotent: &idem, Provider: "p",
		Overrides: transport.Overrides{MaxRetries: &n, Timeout: time.Second}, Capture: 7,
	}
	parent := context.WithValue(context.Background(), callTestKey{}, "caller")
	ctx, call := transport.StartCall(parent, spec)
	assert.Same(t, call, transport.CallFrom(ctx))
	assert.Equal(t, "caller", ctx.Value(callTestKey{}), "the caller's values stay visible")
	assert.Equal(t, "/albums/{id}", call.Route())
	assert.Equal(t, "user:abc", call.Principal())
	assert.Equal(t, "p", call.Provider())
	assert.Equal(t, 7, call.Capture())
	assert.Equal(t, 0, *call.Overrides().MaxRetries)
	assert.False(t, call.Overrides().IsZero())
	got := call.Spec()
	require.NotNil(t, got.Idempotent)
	assert.False(t, *got.Idempotent)
	*got.Idempotent = true // the caller's own copy
	assert.False(t, *call.Spec().Idempotent)
	got.Idempotent = &idem
	assert.Equal(t, spec, got)
	assert.NotContains(t, ctx.(interface{ String() string }).String(), "user:abc")

	// Below another layer the record is still found.
	below := context.WithValue(ctx, callTestKey{}, "stage")
	assert.Same(t, call, transport.CallFrom(below))
	other := transport.NewCall(transport.CallSpec{Route: "/x"})
	assert.Same(t, other, transport.CallFrom(transport.WithCall(below, other)))
}

func TestCallCountersAndAttemptViews(t *testing.T) {
	ctx, call := transport.StartCall(context.Background(), transport.CallSpec{Route: "/me"})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			call.AddAttempt()
			call.AddRateLimited(2 * time.Second)
			call.AddWait(time.Second)
		})
	}
	wg.Wait()
	call.SetFromCache()
	call.SetRetryAfter(3 * time.Second)
	assert.Equal(t, transport.CallStats{Attempts: 8, RateLimited: 8, RetryAfter: 2 * time.Second, FromCache: true, Waited: 8 * time.Second}, call.Stats())
	assert.Equal(t, 3*time.Second, call.RetryAfter())
	assert.Equal(t, 8, call.RateLimited())
	assert.Zero(t, (*transport.Call)(nil).RateLimited())

	// A retry's view: its own attempt number, the call's facts and counters.
	view := call.ForAttempt(2)
	actx := transport.WithCall(ctx, view)
	assert.Equal(t, 2, transport.Attempt(actx))
	assert.Equal(t, 0, transport.Attempt(ctx), "the first send's number is unchanged")
	assert.Equal(t, "/me", transport.CallFrom(actx).Route())
	view.AddAttempt()
	assert.Equal(t, 9, call.Stats().Attempts)
	assert.Equal(t, 1, (*transport.Call)(nil).ForAttempt(1).Attempt())
}

func TestIdempotentMethodAndMark(t *testing.T) {
	for method, want := range map[string]bool{
		"GET": true, "get": true, "HEAD": true, "OPTIONS": true, "PUT": true, "DELETE": true, "": true,
		"POST": false, "PATCH": false, "post": false,
	} {
		assert.Equal(t, want, transport.IdempotentMethod(method), method)
		req, _ := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/x", nil)
		req.Method = method
		assert.Equal(t, want, transport.Idempotent(req), "%s without a mark", method)
		mark := !want
		ctx, _ := transport.StartCall(context.Background(), transport.CallSpec{Idempotent: &mark})
		assert.Equal(t, !want, transport.Idempotent(req.WithContext(ctx)), "%s: the mark wins", method)
		unmarked, _ := transport.StartCall(context.Background(), transport.CallSpec{})
		assert.Equal(t, want, transport.Idempotent(req.WithContext(unmarked)), "%s: a record without a mark", method)
	}
}

func TestStartCallBindsToTheLifetime(t *testing.T) {
	life, end := context.WithCancel(context.Background())
	values := context.WithValue(context.Background(), callTestKey{}, "v")
	ctx, _ := transport.StartCall(values, transport.CallSpec{Lifetime: life})

	assert.Equal(t, "v", ctx.Value(callTestKey{}))
	_, ok := ctx.Deadline()
	assert.False(t, ok)
	assert.True(t, ctx.Done() == life.Done(), "Done must be the lifetime's channel")
	require.NoError(t, ctx.Err())

	child, cancelChild := context.WithTimeout(ctx, time.Hour)
	defer cancelChild()
	end()
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a derived context did not follow the lifetime")
	}
	assert.ErrorIs(t, ctx.Err(), context.Canceled)
	assert.ErrorIs(t, child.Err(), context.Canceled)

	// A caller that can end keeps its own cancellation.
	caller, stop := context.WithCancel(context.Background())
	life2, end2 := context.WithCancel(context.Background())
	defer end2()
	bound, _ := transport.StartCall(caller, transport.CallSpec{Lifetime: life2})
	assert.True(t, bound.Done() == caller.Done())
	stop()
	assert.ErrorIs(t, bound.Err(), context.Canceled)
	// WithCall never binds.
	plain := transport.WithCall(context.Background(), transport.NewCall(transport.CallSpec{Lifetime: life2}))
	assert.Nil(t, plain.Done())
}

func TestStartCallDerivedContextsStartNoGoroutine(t *testing.T) {
	life, end := context.WithCancel(context.Background())
	defer end()
	ctx, _ := transport.StartCall(context.Background(), transport.CallSpec{Lifetime: life})
	before := runtime.NumGoroutine()
	cancels := make([]context.CancelFunc, 0, 100)
	for range 100 {
		_, cancel := context.WithCancel(ctx)
		cancels = append(cancels, cancel)
	}
	// context.WithCancel of a foreign context without AfterFunc starts a
	// goroutine per child; 100 children would show.
	assert.Less(t, runtime.NumGoroutine()-before, 10)
	for _, c := range cancels {
		c()
	}
}

func TestStartCallIsOneAllocation(t *testing.T) {
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() {
		c, call := transport.StartCall(ctx, transport.CallSpec{Route: "/albums/{id}", Principal: "user:x"})
		if transport.CallFrom(c) != call {
			panic("lost")
		}
	})
	assert.Equal(t, 1.0, allocs)
}

// TestCallOverridesKeptAsGiven: the record keeps overrides only when there
// are any, and gives back exactly what it was given, an empty but non-nil
// Header included, in every attempt's view and in Spec.
func TestCallOverridesKeptAsGiven(t *testing.T) {
	n := 2
	for _, o := range []transport.Overrides{
		{}, {NoCache: true}, {MaxRetries: &n}, {Timeout: time.Second}, {Header: http.Header{}},
		{Header: http.Header{"X-A": {"1"}}}, {NoCache: true, MaxRetries: &n, Timeout: time.Minute, Header: http.Header{"X-B": {"2"}}},
	} {
		_, call := transport.StartCall(context.Background(), transport.CallSpec{Route: "/x", Overrides: o})
		for _, view := range []*transport.Call{call, call.ForAttempt(3)} {
			got := view.Overrides()
			assert.Equal(t, o, got)
			assert.Equal(t, o.Header == nil, got.Header == nil, "a nil Header stays nil, an empty one empty")
			assert.Same(t, o.MaxRetries, got.MaxRetries)
			assert.Equal(t, o, view.Spec().Overrides)
		}
		assert.Equal(t, 3, call.ForAttempt(3).Attempt())
	}
}

func TestCallRequestKeyComputedOncePerRequest(t *testing.T) {
	n := 0
	key := func(r *http.Request) string { n++; return r.Method + " " + r.URL.String() }
	req, err := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/albums/x", nil)
	require.NoError(t, err)
	_, call := transport.StartCall(context.Background(), transport.CallSpec{Principal: "user:x"})

	assert.Equal(t, "GET https://api.spotify.com/v1/albums/x", call.RequestKey(req, key))
	assert.Equal(t, "GET https://api.spotify.com/v1/albums/x", call.RequestKey(req, key))
	assert.Equal(t, 1, n, "the second stage gets the first one's key")

	// Another request of the record (a revalidation's clone) is keyed anew,
	// every time, and leaves the first request's key alone.
	other := req.Clone(context.Background())
	other.Header.Set("If-None-Match", `"e"`)
	other.Method = http.MethodHead
	assert.Equal(t, "HEAD https://api.spotify.com/v1/albums/x", call.RequestKey(other, key))
	assert.Equal(t, "HEAD https://api.spotify.com/v1/albums/x", call.RequestKey(other, key))
	assert.Equal(t, 3, n)
	assert.Equal(t, "GET https://api.spotify.com/v1/albums/x", call.RequestKey(req, key))
	assert.Equal(t, 3, n)

	// Without a record the key is computed each time.
	var none *transport.Call
	none.RequestKey(req, key)
	none.RequestKey(req, key)
	assert.Equal(t, 5, n)
	// A view for another attempt keys its own request.
	call.ForAttempt(1).RequestKey(req, key)
	assert.Equal(t, 6, n)
}

func TestCallRequestKeyConcurrent(t *testing.T) {
	_, call := transport.StartCall(context.Background(), transport.CallSpec{})
	reqs := make([]*http.Request, 8)
	for i := range reqs {
		r, err := http.NewRequest(http.MethodGet, "https://h/"+string(rune('a'+i)), nil)
		require.NoError(t, err)
		reqs[i] = r
	}
	key := func(r *http.Request) string { return r.URL.Path }
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			r := reqs[i%len(reqs)]
			assert.Equal(t, r.URL.Path, call.RequestKey(r, key))
		})
	}
	wg.Wait()
}

// Calls given one Throttle count their 429 retries together, views
// included; a call without one counts alone.
func TestThrottleSharedByTheCallsOfAnOperation(t *testing.T) {
	thr := transport.NewThrottle()
	a, b := transport.NewCall(transport.CallSpec{Throttle: thr}), transport.NewCall(transport.CallSpec{Throttle: thr})
	alone := transport.NewCall(transport.CallSpec{})
	a.AddThrottleRetry(time.Second)
	b.ForAttempt(2).AddThrottleRetry(2 * time.Second)
	alone.AddThrottleRetry(time.Minute)
	for _, c := range []*transport.Call{a, b, a.ForAttempt(1)} {
		n, waited := c.ThrottleRetries()
		assert.Equal(t, 2, n)
		assert.Equal(t, 3*time.Second, waited)
	}
	n, waited := alone.ThrottleRetries()
	assert.Equal(t, 1, n)
	assert.Equal(t, time.Minute, waited)
	alone.ForAttempt(1).AddThrottleRetry(time.Second)
	n, _ = alone.ThrottleRetries()
	assert.Equal(t, 2, n, "a view counts on its call's own budget")
}
