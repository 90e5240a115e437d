package middleware

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

// The contract test runs every stage of the chain through the rules of
// http.RoundTripper (style-anchors §6): the caller's request is untouched,
// its body is closed exactly once on success and on every error path,
// discarded responses are drained and closed, (nil, nil) never comes back,
// and every wait gives up when the context ends.

const contractURL = "https://api.spotify.com/v1/tracks/abc"

// contractStage builds a fresh instance of one stage per scenario.
type contractStage struct {
	name  string
	build func() transport.Middleware
	// request, when set, builds the caller's request instead of
	// [callerRequest] (a POST), for stages that treat reads differently; a
	// nil *testtransport.Body means a request without a body, whose closes
	// are not counted.
	request func(t *testing.T, ctx context.Context) (*http.Request, *testtransport.Body)
	// waiting, when set, builds the stage in a state where it waits before
	// sending (a backoff, a cool-down, a full bulkhead, a slow token, a
	// flight of another caller), with next as the transport below. ready,
	// when not nil, returns once a request sent meanwhile is waiting.
	waiting func(t *testing.T, next http.RoundTripper) (rt http.RoundTripper, ready func())
}

// newRequest builds the caller's request of the stage on ctx.
func (st contractStage) newRequest(t *testing.T, ctx context.Context) (*http.Request, *testtransport.Body) {
	if st.request != nil {
		return st.request(t, ctx)
	}
	return callerRequest(t, ctx)
}

type blockingProvider struct{}

func (blockingProvider) Token(ctx context.Context) (*auth.Token, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func contractStages() []contractStage {
	quick := func(int) time.Duration { return time.Millisecond }
	return []contractStage{
		{name: StageTracing, build: func() transport.Middleware {
			return Tracing(TracingOptions{TracerProvider: tracenoop.NewTracerProvider(), MeterProvider: metricnoop.NewMeterProvider()})
		}},
		{name: StageCache, build: func() transport.Middleware {
			return Cache(CacheOptions{Store: &cacheTestStore{}})
		}},
		{name: StageCache + "+principal", build: func() transport.Middleware {
			return contractWithPrincipal(Cache(CacheOptions{Store: &cacheTestStore{}}))
		}, request: contractGET, waiting: func(t *testing.T, next http.RoundTripper) (http.RoundTripper, func()) {
			// A store that cannot be reached: Get waits for the context.
			store := &cacheTestStore{blockGet: true}
			return contractWithPrincipal(Cache(CacheOptions{Store: store}))(next), func() {
				require.Eventually(t, func() bool { n, _ := store.counts("Get"); return n > 0 }, time.Second, time.Millisecond)
			}
		}},
		{name: StageCoalesce + "+principal", build: func() transport.Middleware {
			return contractWithPrincipal(Coalesce(CoalesceOptions{}))
		}, request: contractGETNoBody, waiting: contractCoalesceWaiting},
		{name: StageCoalesce, build: func() transport.Middleware {
			return Coalesce(CoalesceOptions{})
		}},
		{name: StageRetry, build: func() transport.Middleware {
			return Retry(RetryOptions{Backoff: quick})
		}, waiting: func(t *testing.T, next http.RoundTripper) (http.RoundTripper, func()) {
			// A 503 for an idempotent request, then an hour of backoff.
			script := testtransport.New().AppendResponse(503, "busy").Repeat()
			return Retry(RetryOptions{Backoff: func(int) time.Duration { return time.Hour }})(script), nil
		}},
		{name: StageBulkhead, build: func() transport.Middleware {
			return Concurrency(BulkheadOptions{Limit: 4})
		}, waiting: func(t *testing.T, next http.RoundTripper) (http.RoundTripper, func()) {
			// One slot, held by a response whose body is still open.
			rt := Concurrency(BulkheadOptions{Limit: 1})(testtransport.New().AppendResponse(200, "held").Repeat())
			req, _ := http.NewRequest(http.MethodGet, contractURL, nil)
			held, err := rt.RoundTrip(req)
			require.NoError(t, err)
			t.Cleanup(func() { held.Body.Close() })
			return rt, nil
		}},
		{name: StageRateLimit, build: func() transport.Middleware {
			return RateLimit(RateLimitOptions{})
		}, waiting: func(t *testing.T, next http.RoundTripper) (http.RoundTripper, func()) {
			b := NewFixedBudget(BudgetOptions{})
			b.CoolDown(30*time.Second, false)
			return RateLimit(RateLimitOptions{Budget: b})(next), nil
		}},
		{name: StageBreaker, build: func() transport.Middleware {
			return Breaker(BreakerOptions{})
		}},
		{name: StageTimeout, build: func() transport.Middleware {
			return Timeout(TimeoutOptions{Timeout: time.Hour})
		}},
		{name: StageAttempt, build: func() transport.Middleware {
			return Attempt(AttemptOptions{TracerProvider: tracenoop.NewTracerProvider(), MeterProvider: metricnoop.NewMeterProvider()})
		}},
		{name: StageDownload, build: func() transport.Middleware {
			return Download(DownloadOptions{})
		}},
		{name: StageAuth, build: func() transport.Middleware {
			return Auth(AuthOptions{Provider: auth.NewStatic("contract-token"), Host: "api.spotify.com"})
		}, waiting: func(t *testing.T, next http.RoundTripper) (http.RoundTripper, func()) {
			return Auth(AuthOptions{Provider: blockingProvider{}, Host: "api.spotify.com"})(next), nil
		}},
	}
}

// contractWithPrincipal runs a stage on requests that carry a principal,
// so the cache and the coalescing stage take their sharing paths; the
// wrapper keeps the contract itself (WithContext keeps the body).
func contractWithPrincipal(stage transport.Middleware) transport.Middleware {
	return func(next http.RoundTripper) http.RoundTripper { return contractPrincipal(stage(next)) }
}

// contractPrincipal sends every request through rt with the contract's
// principal on its context.
func contractPrincipal(rt http.RoundTripper) http.RoundTripper {
	return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return rt.RoundTrip(req.WithContext(withPrincipal(req.Context(), "user:contract")))
	})
}

// contractCoalesceWaiting is a coalescing stage whose flight, started by
// another caller, is blocked below: a request sent meanwhile joins it and
// waits. The other caller leaves at the end of the test.
func contractCoalesceWaiting(t *testing.T, _ http.RoundTripper) (http.RoundTripper, func()) {
	entered := make(chan struct{}, 1)
	co := Coalesce(CoalesceOptions{})(transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		entered <- struct{}{}
		<-req.Context().Done()
		return nil, req.Context().Err()
	}))
	rt := contractPrincipal(co)
	ctx, cancel := context.WithCancel(context.Background())
	first, _ := contractGETNoBody(t, ctx)
	done := make(chan error, 1)
	go func() {
		_, err := rt.RoundTrip(first)
		done <- err
	}()
	budgetRecv(t, entered)
	t.Cleanup(func() {
		cancel()
		assert.ErrorIs(t, budgetRecv(t, done), context.Canceled)
	})
	return rt, func() { requireWaiters(t, co, 2) }
}

type ctxMarker struct{}

// callerRequest is a POST with a counted body and GetBody, a header and a
// context value, so that any change to it shows.
func callerRequest(t *testing.T, ctx context.Context) (*http.Request, *testtransport.Body) {
	t.Helper()
	body, getBody := testtransport.NewRequestBody(`{"uris":["spotify:track:1"]}`)
	req, err := http.NewRequestWithContext(context.WithValue(ctx, ctxMarker{}, "caller"), http.MethodPost, contractURL, body)
	require.NoError(t, err)
	req.GetBody = getBody
	req.Header.Set("X-Caller", "kept")
	return req, body
}

// contractGET is callerRequest as a GET, for the stages that serve reads.
func contractGET(t *testing.T, ctx context.Context) (*http.Request, *testtransport.Body) {
	t.Helper()
	req, body := callerRequest(t, ctx)
	req.Method = http.MethodGet
	return req, body
}

// contractGETNoBody is callerRequest as a GET without a body, which the
// coalescing stage needs to share it.
func contractGETNoBody(t *testing.T, ctx context.Context) (*http.Request, *testtransport.Body) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.WithValue(ctx, ctxMarker{}, "caller"), http.MethodGet, contractURL, nil)
	require.NoError(t, err)
	req.Header.Set("X-Caller", "kept")
	return req, nil
}

// assertClosedOnce checks that the caller's request body, if it had one,
// was closed exactly once.
func assertClosedOnce(t *testing.T, body *testtransport.Body) {
	t.Helper()
	if body != nil {
		assert.Equal(t, 1, body.Closes(), "request body must be closed exactly once")
	}
}

type requestSnapshot struct {
	method, url string
	header      http.Header
	ctx         context.Context
	body        io.ReadCloser
}

func snapshot(r *http.Request) requestSnapshot {
	return requestSnapshot{r.Method, r.URL.String(), r.Header.Clone(), r.Context(), r.Body}
}

func assertUntouched(t *testing.T, before requestSnapshot, r *http.Request) {
	t.Helper()
	assert.Equal(t, before.method, r.Method, "method changed")
	assert.Equal(t, before.url, r.URL.String(), "URL changed")
	assert.Equal(t, before.header, r.Header, "caller's headers changed")
	assert.Equal(t, before.ctx, r.Context(), "caller's context replaced")
	assert.Equal(t, before.body, r.Body, "caller's body replaced")
}

// finish checks the answer of one round trip: never (nil, nil); a response
// is closed by the test like a caller would.
func finish(t *testing.T, resp *http.Response, err error) {
	t.Helper()
	require.False(t, resp == nil && err == nil, "RoundTrip returned (nil, nil)")
	if err == nil {
		require.NotNil(t, resp.Body, "a response without a body")
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
	}
}

func TestContract(t *testing.T) {
	for _, st := range contractStages() {
		t.Run(st.name, func(t *testing.T) {
			t.Run("success", func(t *testing.T) {
				next := testtransport.New().AppendResponse(200, "ok").Repeat()
				rt := st.build()(next)
				req, body := st.newRequest(t, context.Background())
				before := snapshot(req)
				resp, err := rt.RoundTrip(req)
				require.NoError(t, err)
				got, _ := io.ReadAll(resp.Body)
				assert.Equal(t, "ok", string(got))
				require.NoError(t, resp.Body.Close())
				assertUntouched(t, before, req)
				assertClosedOnce(t, body)
				assert.Zero(t, next.Unclosed(), "a response body below was left open")
			})

			t.Run("transport error", func(t *testing.T) {
				next := testtransport.New().AppendError(errors.New("connection reset by peer")).Repeat()
				rt := st.build()(next)
				req, body := st.newRequest(t, context.Background())
				before := snapshot(req)
				resp, err := rt.RoundTrip(req)
				finish(t, resp, err)
				require.Error(t, err)
				assertUntouched(t, before, req)
				assertClosedOnce(t, body)
			})

			t.Run("nil response and nil error below", func(t *testing.T) {
				next := testtransport.New().Append(func(*http.Request) (*http.Response, error) { return nil, nil }).Repeat()
				rt := st.build()(next)
				req, body := st.newRequest(t, context.Background())
				resp, err := rt.RoundTrip(req)
				finish(t, resp, err)
				assertClosedOnce(t, body)
			})

			t.Run("discarded responses are drained and closed", func(t *testing.T) {
				next := testtransport.New().
					AppendResponse(503, strings.Repeat("x", 1000)).
					AppendResponse(429, "slow down", "Retry-After", "0").
					AppendResponse(401, "expired").
					AppendResponse(200, "ok").Repeat()
				rt := st.build()(next)
				req, err := http.NewRequest(http.MethodGet, contractURL, nil)
				require.NoError(t, err)
				resp, err := rt.RoundTrip(req)
				finish(t, resp, err)
				assert.Zero(t, next.Unclosed(), "a discarded response was not closed")
				for i, b := range next.Bodies() {
					assert.LessOrEqual(t, b.Closes(), 1, "body %d closed more than once", i)
				}
			})

			t.Run("context already cancelled", func(t *testing.T) {
				next := testtransport.New().AppendResponse(200, "ok").Repeat()
				rt := st.build()(next)
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				req, body := st.newRequest(t, ctx)
				resp, err := rt.RoundTrip(req)
				finish(t, resp, err)
				require.Error(t, err, "a cancelled call must fail")
				assert.ErrorIs(t, err, context.Canceled)
				assertClosedOnce(t, body)
			})

			t.Run("a blocked request below ends with the context", func(t *testing.T) {
				next := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
					transport.CloseRequestBody(req)
					<-req.Context().Done()
					return nil, req.Context().Err()
				})
				assertReturnsOnCancel(t, st.build()(next), st, nil)
			})

			if st.waiting != nil {
				t.Run("its own wait ends with the context", func(t *testing.T) {
					next := testtransport.New().AppendResponse(200, "ok").Repeat()
					rt, ready := st.waiting(t, next)
					assertReturnsOnCancel(t, rt, st, ready)
				})
			}
		})
	}
}

// assertReturnsOnCancel sends st's request that cannot finish, cancels its
// context once ready returns (nil: after a moment), and expects the stage to
// give up promptly with the context's error and the request body closed
// exactly once.
func assertReturnsOnCancel(t *testing.T, rt http.RoundTripper, st contractStage, ready func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, body := st.newRequest(t, ctx)
	req = req.WithContext(withIdempotent(req.Context(), true))
	type answer struct {
		resp *http.Response
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		resp, err := rt.RoundTrip(req)
		done <- answer{resp, err}
	}()
	if ready != nil {
		ready()
	} else {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case a := <-done:
		finish(t, a.resp, a.err)
		require.Error(t, a.err)
		assert.ErrorIs(t, a.err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Fatal("the stage did not give up when the context was cancelled")
	}
	assertClosedOnce(t, body)
}
