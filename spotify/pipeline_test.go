package spotify

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/transport"
)

func TestPipelineOrderIsPinned(t *testing.T) {
	got := NewPipeline(PipelineOptions{}).Names()
	assert.Equal(t, []string{
		"tracing", "cache", "coalesce", "retry", "ratelimit", "bulkhead",
		"breaker", "timeout", "attempt", "download", "auth",
	}, got)
}

// fakeSpotify serves a token endpoint and an API route on loopback. Tokens
// are "SECRET-TOKEN-<n>"; the API answers from script (status codes in
// order, then 200) and checks the bearer token.
type fakeSpotify struct {
	srv         *httptest.Server
	tokenCalls  atomic.Int32
	apiCalls    atomic.Int32
	tokenDelay  time.Duration
	mu          sync.Mutex
	script      []int
	quotaBodies bool
}

func newFakeSpotify(t *testing.T, script ...int) *fakeSpotify {
	f := &fakeSpotify{script: script}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSpotify) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/token" {
		n := f.tokenCalls.Add(1)
		time.Sleep(f.tokenDelay)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"SECRET-TOKEN-%d","token_type":"Bearer","expires_in":3600}`, n)
		return
	}
	f.apiCalls.Add(1)
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer SECRET-TOKEN-") {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	f.mu.Lock()
	status := http.StatusOK
	if len(f.script) > 0 {
		status, f.script = f.script[0], f.script[1:]
	}
	f.mu.Unlock()
	switch status {
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "0")
		if f.quotaBodies {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, `{"error":{"status":429,"message":"Quota exceeded","reason":"QUOTA_EXCEEDED"}}`)
			return
		}
	}
	w.WriteHeader(status)
	if status == http.StatusOK {
		_, _ = io.WriteString(w, `{"id":"4iV5W9uYEdYUVa79Axb7Rh","name":"Track"}`)
	}
}

func (f *fakeSpotify) host() string { return strings.TrimPrefix(f.srv.URL, "http://") }

func (f *fakeSpotify) clientCredentials(t *testing.T) *auth.ClientCredentials {
	t.Helper()
	p, err := auth.NewClientCredentials(auth.ClientCredentialsConfig{
		ClientID: "client-id", ClientSecret: "SECRET-CLIENT-SECRET", TokenURL: f.srv.URL + "/api/token"})
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func fastBackoff(int) time.Duration { return time.Millisecond }

func send(t *testing.T, rt http.RoundTripper, ctx context.Context, url string) (int, error) {
	t.Helper()
	if transport.CallFrom(ctx) == nil {
		ctx, _ = transport.StartCall(ctx, transport.CallSpec{Route: "/tracks/{id}"})
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

func TestPipelineHundredRequestsOneTokenRequest(t *testing.T) {
	f := newFakeSpotify(t)
	f.tokenDelay = 50 * time.Millisecond // every request arrives while the token is being fetched
	rt := NewPipeline(PipelineOptions{Provider: f.clientCredentials(t), APIHost: f.host()}).Then(nil)

	var wg sync.WaitGroup
	var ok atomic.Int32
	for range 100 {
		wg.Go(func() {
			status, err := send(t, rt, context.Background(), f.srv.URL+"/v1/tracks/4iV5W9uYEdYUVa79Axb7Rh")
			if err == nil && status == http.StatusOK {
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int32(100), ok.Load())
	assert.Equal(t, int32(1), f.tokenCalls.Load(), "100 concurrent requests must cause exactly one token request")
}

func TestPipelineRecoversFromFaultsWithoutLeakingTheToken(t *testing.T) {
	// 503, a 429 with Retry-After 0, then a 401 (the token was revoked):
	// retry absorbs the first two, auth refreshes once and replays.
	f := newFakeSpotify(t, 503, 429, 401)
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	rt := NewPipeline(PipelineOptions{
		Provider: f.clientCredentials(t), APIHost: f.host(), Backoff: fastBackoff,
		TracerProvider: tp, MeterProvider: mp, Logger: logger,
	}).Then(nil)
	ctx, info := transport.StartCall(context.Background(), transport.CallSpec{Route: "/tracks/{id}"})
	status, err := send(t, rt, ctx, f.srv.URL+"/v1/tracks/4iV5W9uYEdYUVa79Axb7Rh?market=SE")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, int32(2), f.tokenCalls.Load(), "one token, then one refresh after the 401")
	assert.Equal(t, int32(4), f.apiCalls.Load(), "503, 429, 401 and the replay")
	assert.Equal(t, 1, info.Stats().RateLimited)

	var all strings.Builder
	for _, s := range spans.Ended() {
		fmt.Fprintf(&all, "%s %v %v %v\n", s.Name(), s.Attributes(), s.Events(), s.Status())
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	fmt.Fprintf(&all, "%+v\n", rm)
	all.WriteString(logs.String())
	require.NotEmpty(t, spans.Ended())
	require.NotEmpty(t, logs.String())
	assert.Contains(t, all.String(), "GET /tracks/{id}")
	assert.NotContains(t, all.String(), "SECRET", "a token or secret reached a span, a metric or a log line")
}

func TestPipelineQuotaStopFailsFastForEveryone(t *testing.T) {
	f := newFakeSpotify(t, 429)
	f.quotaBodies = true
	budget := middleware.NewFixedBudget(middleware.BudgetOptions{})
	opts := PipelineOptions{Provider: auth.NewStatic("SECRET-TOKEN-static"), APIHost: f.host(), Budget: budget, Backoff: fastBackoff}
	a := NewPipeline(opts).Then(nil)
	b := NewPipeline(opts).Then(nil) // a second client of the same app

	_, err := send(t, a, context.Background(), f.srv.URL+"/v1/tracks/x")
	require.Error(t, err)
	assert.ErrorIs(t, err, middleware.ErrQuotaExceeded)
	assert.NotContains(t, err.Error(), "SECRET")

	_, err = send(t, b, context.Background(), f.srv.URL+"/v1/tracks/y")
	assert.ErrorIs(t, err, middleware.ErrQuotaExceeded, "the other client shares the quota stop")
	assert.Equal(t, int32(1), f.apiCalls.Load(), "nothing is sent during a quota stop")
}

func TestErrorReason(t *testing.T) {
	assert.Equal(t, "QUOTA_EXCEEDED", reasonOf([]byte(`{"error":{"status":429,"message":"m","reason":"QUOTA_EXCEEDED"}}`)))
	assert.Equal(t, "", reasonOf([]byte(`{"error":"invalid_client"}`)))
	assert.Equal(t, "", reasonOf(nil))
	assert.Equal(t, "", reasonOf([]byte(`not json`)))
}

// TestClientTimesCallsAndAttemptsOnItsClock: WithClock reaches the tracing
// and attempt stages and the token requests' tracing, so every measured
// duration (call and attempt metrics, the attempt's log line) reads the
// injected clock. The fake transport moves the fake clock by 1 s for the
// token request and 3 s for the API request, and the real time spent is
// microseconds.
func TestClientTimesCallsAndAttemptsOnItsClock(t *testing.T) {
	fake := clock.NewFake()
	token := testtransport.Respond(http.StatusOK, `{"access_token":"tok","token_type":"Bearer","expires_in":3600}`,
		"Content-Type", "application/json")
	album := testtransport.Respond(http.StatusOK, coreAlbum, "Content-Type", "application/json")
	rt := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if req.URL.Path == "/api/token" {
			fake.Advance(time.Second)
			return token(req)
		}
		fake.Advance(3 * time.Second)
		return album(req)
	})
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := NewClient(WithClientCredentials("id", "secret"), WithHTTPClient(&http.Client{Transport: rt}),
		WithClock(fake), WithMeterProvider(mp), WithLogger(logger), WithCache(nil))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })

	_, err = c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	sums := map[string]float64{} // metric name and url.template → sum of durations
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			h, ok := m.Data.(metricdata.Histogram[float64])
			if !ok {
				continue
			}
			for _, dp := range h.DataPoints {
				route, _ := dp.Attributes.Value("url.template")
				sums[m.Name+" "+route.AsString()] += dp.Sum
			}
		}
	}
	assert.InDelta(t, 4.0, sums["spotify.client.call.duration /albums/{id}"], 1e-9,
		"the call (its token request included) on the fake clock; got %v", sums)
	assert.InDelta(t, 4.0, sums["http.client.request.duration /albums/{id}"], 1e-9,
		"the attempt on the fake clock; got %v", sums)
	assert.InDelta(t, 1.0, sums["spotify.client.call.duration /api/token"], 1e-9,
		"the token request on the fake clock; got %v", sums)
	assert.Contains(t, logs.String(), `"duration":4000000000`, "the attempt's log line on the fake clock")
}

// TestClientWithPropagator: the propagator of WithPropagator writes the
// trace context into every attempt; without it, the global one (which
// writes nothing until one is installed) is used.
func TestClientWithPropagator(t *testing.T) {
	tp := sdktrace.NewTracerProvider()
	for _, tc := range []struct {
		name string
		opts []Option
		want bool
	}{
		{"given", []Option{WithPropagator(propagation.TraceContext{})}, true},
		{"default", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := testtransport.New().AppendResponse(http.StatusOK, coreAlbum, "Content-Type", "application/json")
			opts := append([]Option{WithAccessToken("tok"), WithHTTPClient(&http.Client{Transport: fake}),
				WithTracerProvider(tp), WithCache(nil)}, tc.opts...)
			c, err := NewClient(opts...)
			require.NoError(t, err)
			t.Cleanup(func() { _ = c.Close() })
			_, err = c.Albums.Get(context.Background(), "a1", nil)
			require.NoError(t, err)
			reqs := fake.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tc.want, reqs[0].Header.Get("Traceparent") != "", "traceparent: %q", reqs[0].Header.Get("Traceparent"))
		})
	}
}

// TestNewPipelineTimesOnItsClock: a hand-built chain passes its Clock to
// the tracing and attempt stages too.
func TestNewPipelineTimesOnItsClock(t *testing.T) {
	fake := clock.NewFake()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	answer := testtransport.Respond(http.StatusOK, "{}")
	rt := NewPipeline(PipelineOptions{Clock: fake, MeterProvider: mp}).Then(
		transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			fake.Advance(2 * time.Second)
			return answer(req)
		}))
	status, err := send(t, rt, context.Background(), "https://api.spotify.com/v1/tracks/x")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	got := map[string]float64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if h, ok := m.Data.(metricdata.Histogram[float64]); ok {
				for _, dp := range h.DataPoints {
					got[m.Name] += dp.Sum
				}
			}
		}
	}
	assert.InDelta(t, 2.0, got["spotify.client.call.duration"], 1e-9, "%v", got)
	assert.InDelta(t, 2.0, got["http.client.request.duration"], 1e-9, "%v", got)
}

// A 429 cool-down is waited out before a bulkhead slot is taken: with a
// cool-down in force and two slots, ten calls wait on the budget's clock
// while the bulkhead has no slot held, then all go, at most two at once.
// With the bulkhead above the ratelimit stage, two of them would hold the
// slots through the whole cool-down and the other eight would queue behind
// them.
func TestPipelineCoolDownIsWaitedBeforeTheBulkhead(t *testing.T) {
	fc := clock.NewFake()
	budget := middleware.NewFixedBudget(middleware.BudgetOptions{Clock: fc, Jitter: func() float64 { return 0 }})
	bulkhead := middleware.NewBulkhead(2)
	budget.CoolDown(10*time.Second, false)
	var sentAt []time.Time
	var mu sync.Mutex
	base := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		sentAt = append(sentAt, fc.Now())
		mu.Unlock()
		return testtransport.Respond(http.StatusOK, "{}")(req)
	})
	start := fc.Now()
	rt := NewPipeline(PipelineOptions{Budget: budget, Bulkhead: bulkhead, Clock: fc, Timeout: -1}).Then(base)

	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			status, err := send(t, rt, context.Background(), fmt.Sprintf("https://api.spotify.com/v1/tracks/t%d", i))
			assert.NoError(t, err)
			assert.Equal(t, http.StatusOK, status)
		})
	}
	require.Eventually(t, func() bool { return fc.Timers() >= 10 }, 5*time.Second, time.Millisecond,
		"every call waits on the budget's cool-down")
	assert.Zero(t, bulkhead.InFlight(), "no call holds a slot while it waits")
	assert.Zero(t, bulkhead.MaxInFlight())
	assert.Empty(t, sentAt)

	fc.Advance(10 * time.Second)
	wg.Wait()
	require.Len(t, sentAt, 10)
	for _, at := range sentAt {
		assert.Equal(t, start.Add(10*time.Second), at, "sent once the cool-down ended")
	}
	assert.LessOrEqual(t, bulkhead.MaxInFlight(), 2)
	assert.Zero(t, bulkhead.InFlight())
}

// outcomeBudget is a middleware.Budget of the test's own, as an adaptive
// or shared budget would be: it lets every attempt go and records every
// outcome it is told.
type outcomeBudget struct {
	mu       sync.Mutex
	outcomes []middleware.Outcome
}

func (b *outcomeBudget) Wait(ctx context.Context, _ time.Duration) error { return ctx.Err() }
func (b *outcomeBudget) Observe(_ context.Context, o middleware.Outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.outcomes = append(b.outcomes, o)
}
func (b *outcomeBudget) Until() (time.Time, bool) { return time.Time{}, false }
func (b *outcomeBudget) Reset()                   {}

// WithBudget takes any Budget: the client's chain asks it before every
// attempt and tells it the outcome of each, with the Retry-After read once;
// the call's *Error reads the same value from the call record.
func TestClientTellsItsBudgetEveryOutcome(t *testing.T) {
	const limited = `{"error":{"status":429,"message":"API rate limit exceeded"}}`
	tt := testtransport.New().
		Append(testtransport.Respond(http.StatusTooManyRequests, limited, "Retry-After", "1.5", "Content-Type", "application/json")).
		Append(testtransport.Respond(http.StatusOK, coreAlbum, "Content-Type", "application/json")).
		Append(testtransport.Respond(http.StatusTooManyRequests, limited, "Retry-After", "4", "Content-Type", "application/json"))
	b := &outcomeBudget{}
	c, err := NewClient(WithAccessToken("tok"), WithHTTPClient(&http.Client{Transport: tt}),
		WithBudget(b), WithCache(nil), WithBackoff(func(int) time.Duration { return 0 }))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })

	_, err = c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err, "the 429 is retried with no wait of retry's own (the backoff is 0): its Retry-After is the budget's, and this one does not wait")
	_, err = c.Albums.Get(WithCallRetries(context.Background(), 0), "a1", nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 4*time.Second, e.RetryAfter)

	require.Len(t, b.outcomes, 3)
	assert.Equal(t, []int{429, 200, 429}, []int{b.outcomes[0].Status, b.outcomes[1].Status, b.outcomes[2].Status})
	assert.Equal(t, 1500*time.Millisecond, b.outcomes[0].RetryAfter)
	assert.True(t, b.outcomes[0].HasRetryAfter)
	assert.False(t, b.outcomes[1].HasRetryAfter)
	assert.Equal(t, 4*time.Second, b.outcomes[2].RetryAfter)
}
