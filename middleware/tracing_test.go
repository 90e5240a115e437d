package middleware

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

// otelHarness holds an SDK tracer and meter provider that record in memory.
type otelHarness struct {
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newOtelHarness(t *testing.T) *otelHarness {
	t.Helper()
	h := &otelHarness{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	h.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans))
	h.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	t.Cleanup(func() {
		_ = h.tp.Shutdown(context.Background())
		_ = h.mp.Shutdown(context.Background())
	})
	return h
}

// metrics collects the recorded metrics by name.
func (h *otelHarness) metrics(t *testing.T) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, h.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// ended returns the ended spans of the given kind.
func (h *otelHarness) ended(kind trace.SpanKind) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range h.spans.Ended() {
		if s.SpanKind() == kind {
			out = append(out, s)
		}
	}
	return out
}

// twoAttempts is a retry-like stage for tests: it sends the request as attempt 0,
// discards that answer, and returns attempt 1.
func twoAttempts(next http.RoundTripper) http.RoundTripper {
	return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		call := transport.CallFrom(req.Context())
		resp, err := next.RoundTrip(req.Clone(req.Context()))
		if err == nil {
			transport.DrainAndClose(resp)
		}
		return next.RoundTrip(req.Clone(transport.WithCall(req.Context(), call.ForAttempt(1))))
	})
}

// attrsOf returns a span's attributes as a map.
func spanAttrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// chainFor builds tracing → twoAttempts → attempt → base with the harness.
func (h *otelHarness) chainFor(base http.RoundTripper, ao AttemptOptions) http.RoundTripper {
	ao.TracerProvider, ao.MeterProvider = h.tp, h.mp
	return Tracing(TracingOptions{TracerProvider: h.tp, MeterProvider: h.mp})(twoAttempts(Attempt(ao)(base)))
}

// albumRequest is a GET of an album whose call record names the route, and
// returns that record.
func albumRequest(t *testing.T) (*http.Request, *transport.Call) {
	t.Helper()
	ctx, call := transport.StartCall(context.Background(), transport.CallSpec{Route: "/albums/{id}"})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.spotify.com/v1/albums/4aawyAB9vmqN3uQ7FjRGTy?market=SE", nil)
	require.NoError(t, err)
	return req, call
}

// albumReq is albumRequest without the record.
func albumReq(t *testing.T) *http.Request {
	t.Helper()
	req, _ := albumRequest(t)
	return req
}

func TestTracingCallAndAttemptSpans(t *testing.T) {
	t.Parallel()
	h := newOtelHarness(t)
	fake := testtransport.New().AppendResponse(503, "busy").AppendResponse(200, `{"id":"x"}`)
	req, info := albumRequest(t)
	resp, err := h.chainFor(fake, AttemptOptions{}).RoundTrip(req)
	require.NoError(t, err)
	_, _ = io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())

	calls := h.ended(trace.SpanKindInternal)
	attempts := h.ended(trace.SpanKindClient)
	require.Len(t, calls, 1)
	require.Len(t, attempts, 2)
	call := calls[0]
	assert.Equal(t, "GET /albums/{id}", call.Name())
	ca := spanAttrs(call)
	assert.Equal(t, "GET", ca["http.request.method"].AsString())
	assert.Equal(t, "/albums/{id}", ca["url.template"].AsString())
	assert.Equal(t, "api.spotify.com", ca["server.address"].AsString())
	assert.Equal(t, int64(200), ca["http.response.status_code"].AsInt64())
	assert.Equal(t, int64(2), ca["spotify.attempts"].AsInt64())
	assert.NotContains(t, ca, attribute.Key("error.type"))
	assert.Equal(t, codes.Unset, call.Status().Code)
	assert.Equal(t, 2, info.Stats().Attempts)

	for i, s := range attempts {
		assert.Equal(t, "GET /albums/{id}", s.Name())
		assert.Equal(t, call.SpanContext().SpanID(), s.Parent().SpanID(), "attempt %d parent", i)
		assert.Equal(t, call.SpanContext().TraceID(), s.SpanContext().TraceID())
	}
	a0, a1 := spanAttrs(attempts[0]), spanAttrs(attempts[1])
	assert.NotContains(t, a0, attribute.Key("http.request.resend_count"))
	assert.Equal(t, int64(1), a1["http.request.resend_count"].AsInt64())
	assert.Equal(t, int64(503), a0["http.response.status_code"].AsInt64())
	assert.Equal(t, "503", a0["error.type"].AsString())
	assert.Equal(t, codes.Error, attempts[0].Status().Code)
	assert.Equal(t, int64(200), a1["http.response.status_code"].AsInt64())
	assert.Equal(t, "https://api.spotify.com/v1/albums/4aawyAB9vmqN3uQ7FjRGTy", a1["url.full"].AsString())
	assert.Equal(t, int64(443), a1["server.port"].AsInt64())
	assert.Equal(t, 0, fake.Unclosed())
}

func TestTracingSpanEndsOnBodyClose(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"close", "eof"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			h := newOtelHarness(t)
			fake := testtransport.New().AppendResponse(200, "a").AppendResponse(200, "b")
			resp, err := h.chainFor(fake, AttemptOptions{}).RoundTrip(albumReq(t))
			require.NoError(t, err)
			assert.Empty(t, h.ended(trace.SpanKindInternal), "call span ended before the body was closed")
			assert.Len(t, h.ended(trace.SpanKindClient), 1, "only the discarded attempt has ended")
			if how == "close" {
				require.NoError(t, resp.Body.Close())
			} else {
				b, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				assert.Equal(t, "b", string(b))
			}
			assert.Len(t, h.ended(trace.SpanKindInternal), 1)
			assert.Len(t, h.ended(trace.SpanKindClient), 2)
			_ = resp.Body.Close()
			assert.Len(t, h.spans.Ended(), 3, "a second close ends nothing more")
		})
	}
}

func TestTracingErrorPath(t *testing.T) {
	t.Parallel()
	h := newOtelHarness(t)
	boom := errors.New("connection reset")
	fake := testtransport.New().AppendError(boom).Repeat()
	resp, err := h.chainFor(fake, AttemptOptions{}).RoundTrip(albumReq(t))
	require.Nil(t, resp)
	require.Same(t, boom, err)

	calls := h.ended(trace.SpanKindInternal)
	require.Len(t, calls, 1)
	assert.Equal(t, codes.Error, calls[0].Status().Code)
	assert.Equal(t, "connection reset", calls[0].Status().Description)
	assert.Equal(t, "*errors.errorString", spanAttrs(calls[0])["error.type"].AsString())
	assert.NotContains(t, spanAttrs(calls[0]), attribute.Key("http.response.status_code"))
	attempts := h.ended(trace.SpanKindClient)
	require.Len(t, attempts, 2)
	for _, s := range attempts {
		assert.Equal(t, codes.Error, s.Status().Code)
		assert.Equal(t, "*errors.errorString", spanAttrs(s)["error.type"].AsString())
	}
	m := h.metrics(t)
	dp := m["spotify.client.calls"].Data.(metricdata.Sum[int64]).DataPoints
	require.Len(t, dp, 1)
	v, ok := dp[0].Attributes.Value("error.type")
	assert.True(t, ok)
	assert.Equal(t, "*errors.errorString", v.AsString())
}

func TestTracingNilResponseBecomesError(t *testing.T) {
	t.Parallel()
	h := newOtelHarness(t)
	nilRT := transport.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return nil, nil })
	rt := Tracing(TracingOptions{TracerProvider: h.tp, MeterProvider: h.mp})(nilRT)
	resp, err := rt.RoundTrip(albumReq(t))
	assert.Nil(t, resp)
	require.Error(t, err)
	require.Len(t, h.spans.Ended(), 1)
	assert.Equal(t, codes.Error, h.spans.Ended()[0].Status().Code)
}

func TestTracingHTTPErrorStatusAndUnknownRoute(t *testing.T) {
	t.Parallel()
	h := newOtelHarness(t)
	fake := testtransport.New().AppendResponse(404, "no")
	rt := Tracing(TracingOptions{TracerProvider: h.tp, MeterProvider: h.mp})(fake)
	req, err := http.NewRequest(http.MethodDelete, "https://api.spotify.com/v1/me/tracks?ids=abc", nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Len(t, h.spans.Ended(), 1)
	s := h.spans.Ended()[0]
	assert.Equal(t, "DELETE", s.Name(), "no route: the method only, never the raw path")
	assert.Equal(t, codes.Error, s.Status().Code)
	assert.Empty(t, s.Status().Description)
	a := spanAttrs(s)
	assert.Equal(t, "404", a["error.type"].AsString())
	assert.NotContains(t, a, attribute.Key("url.template"))
	assert.NotContains(t, a, attribute.Key("spotify.attempts"), "no call record on the context")
}

func TestTracingMetrics(t *testing.T) {
	t.Parallel()
	h := newOtelHarness(t)
	clk := clock.NewFake()
	slow := func(d time.Duration, status int) testtransport.Step {
		return func(req *http.Request) (*http.Response, error) {
			clk.Advance(d)
			return testtransport.Respond(status, "x")(req)
		}
	}
	fake := testtransport.New().Append(slow(time.Second, 429)).Append(slow(2*time.Second, 200))
	rt := Tracing(TracingOptions{TracerProvider: h.tp, MeterProvider: h.mp, Clock: clk})(
		twoAttempts(Attempt(AttemptOptions{TracerProvider: h.tp, MeterProvider: h.mp, Clock: clk})(fake)))
	resp, err := rt.RoundTrip(albumReq(t))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	m := h.metrics(t)
	calls := m["spotify.client.calls"]
	assert.Equal(t, "{call}", calls.Unit)
	sum := calls.Data.(metricdata.Sum[int64])
	require.Len(t, sum.DataPoints, 1)
	assert.Equal(t, int64(1), sum.DataPoints[0].Value)
	want := attribute.NewSet(
		attribute.String("http.request.method", "GET"),
		attribute.String("url.template", "/albums/{id}"),
		attribute.Int("http.response.status_code", 200))
	assert.True(t, want.Equals(&sum.DataPoints[0].Attributes), "got %v", sum.DataPoints[0].Attributes.Encoded(attribute.DefaultEncoder()))

	cd := m["spotify.client.call.duration"]
	assert.Equal(t, "s", cd.Unit)
	hist := cd.Data.(metricdata.Histogram[float64])
	require.Len(t, hist.DataPoints, 1)
	assert.Equal(t, uint64(1), hist.DataPoints[0].Count)
	assert.InDelta(t, 3.0, hist.DataPoints[0].Sum, 1e-9)

	ad := m["http.client.request.duration"].Data.(metricdata.Histogram[float64])
	var n uint64
	var total float64
	for _, dp := range ad.DataPoints {
		n += dp.Count
		total += dp.Sum
		port, _ := dp.Attributes.Value("server.port")
		assert.Equal(t, int64(443), port.AsInt64())
		addr, _ := dp.Attributes.Value("server.address")
		assert.Equal(t, "api.spotify.com", addr.AsString())
	}
	assert.Equal(t, uint64(2), n)
	assert.InDelta(t, 3.0, total, 1e-9)
	assert.Len(t, ad.DataPoints, 2, "429 and 200 are two attribute sets")
}

func TestTracingConcurrentCalls(t *testing.T) {
	t.Parallel()
	h := newOtelHarness(t)
	fake := testtransport.New().AppendResponse(200, "ok").Repeat()
	rt := h.chainFor(fake, AttemptOptions{})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			resp, err := rt.RoundTrip(albumReq(t))
			if assert.NoError(t, err) {
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
		})
	}
	wg.Wait()
	assert.Len(t, h.ended(trace.SpanKindInternal), 16)
	assert.Len(t, h.ended(trace.SpanKindClient), 32)
	assert.Equal(t, 0, fake.Unclosed())
}
