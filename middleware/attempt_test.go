package middleware

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

func TestAttemptInjectsPropagationIntoACopy(t *testing.T) {
	t.Parallel()
	h := newOtelHarness(t)
	fake := testtransport.New().AppendResponse(200, "a").AppendResponse(200, "b")
	rt := h.chainFor(fake, AttemptOptions{Propagator: propagation.TraceContext{}})
	req := albumReq(t)
	req.Header.Set("Accept", "application/json")
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	assert.Empty(t, req.Header.Get("traceparent"), "the caller's request is not changed")
	assert.Equal(t, http.Header{"Accept": {"application/json"}}, req.Header)
	attempts := h.ended(trace.SpanKindClient)
	require.Len(t, attempts, 2)
	for i, rec := range fake.Requests() {
		tp := rec.Header.Get("traceparent")
		require.NotEmpty(t, tp, "attempt %d", i)
		assert.Equal(t, fmt.Sprintf("00-%s-%s-01", attempts[i].SpanContext().TraceID(), attempts[i].SpanContext().SpanID()), tp)
		assert.Equal(t, "application/json", rec.Header.Get("Accept"))
	}
}

func TestAttemptNoPropagationKeepsHeaders(t *testing.T) {
	t.Parallel()
	fake := testtransport.New().AppendResponse(200, "a")
	rt := Attempt(AttemptOptions{TracerProvider: tracenoop.NewTracerProvider(), MeterProvider: metricnoop.NewMeterProvider(),
		Propagator: propagation.NewCompositeTextMapPropagator()})(fake)
	req := albumReq(t)
	req.Header.Set("Accept", "application/json")
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.Header{"Accept": {"application/json"}}, fake.Requests()[0].Header)
}

const leakSecret = "SECRET-TOKEN-123"

// leakRequest is a request that carries the secret in every place a careless
// stage could copy it from.
func leakRequest(t *testing.T) *http.Request {
	t.Helper()
	req := albumReq(t)
	req.URL.RawQuery = "access_token=" + leakSecret + "&market=SE"
	req.URL.User = nil
	req.Header.Set("Authorization", "Bearer "+leakSecret)
	req.Header.Set("Proxy-Authorization", "Basic "+leakSecret)
	req.Header.Set("Cookie", "sid="+leakSecret)
	req.Header.Set("X-Client-Secret", leakSecret)
	req.Header.Set("X-Api-Key", leakSecret)
	return req
}

func TestAttemptNoTokenLeak(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		step testtransport.Step
	}{
		{"ok", testtransport.Respond(200, "{}", "Retry-After", "1")},
		{"error quoting the URL", func(req *http.Request) (*http.Response, error) {
			return nil, fmt.Errorf("dial %s: %w", req.URL.String(), errors.New("refused"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newOtelHarness(t)
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			fake := testtransport.New().Append(tc.step).Repeat()
			rt := h.chainFor(fake, AttemptOptions{Logger: logger, Propagator: propagation.TraceContext{}})
			resp, err := rt.RoundTrip(leakRequest(t))
			if err == nil {
				_, _ = io.ReadAll(resp.Body)
				require.NoError(t, resp.Body.Close())
			}

			var dump strings.Builder
			require.Len(t, h.spans.Ended(), 3)
			for _, s := range h.spans.Ended() {
				fmt.Fprintf(&dump, "%s %v %v\n", s.Name(), s.Status(), s.Attributes())
				for _, e := range s.Events() {
					fmt.Fprintf(&dump, "%s %v\n", e.Name, e.Attributes)
				}
			}
			for name, m := range h.metrics(t) {
				fmt.Fprintf(&dump, "%s %+v\n", name, m.Data)
			}
			assert.Equal(t, 2, strings.Count(logs.String(), `"msg":"spotify attempt"`), logs.String())
			assert.Contains(t, logs.String(), `"Authorization":"[REDACTED]"`)
			assert.NotContains(t, dump.String(), leakSecret, dump.String())
			assert.NotContains(t, logs.String(), leakSecret, logs.String())
		})
	}
}

func TestAttemptLogLine(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	fake := testtransport.New().AppendResponse(429, "", "Retry-After", "3")
	rt := Attempt(AttemptOptions{Logger: logger, TracerProvider: tracenoop.NewTracerProvider(), MeterProvider: metricnoop.NewMeterProvider()})(fake)
	req := albumReq(t)
	req = req.WithContext(transport.WithCall(req.Context(), transport.CallFrom(req.Context()).ForAttempt(2)))
	req.Header.Set("Accept-Language", "sv")
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	assert.Empty(t, logs.String(), "the line is written when the body is done")
	require.NoError(t, resp.Body.Close())

	var line map[string]any
	require.NoError(t, json.Unmarshal(logs.Bytes(), &line), logs.String())
	assert.Equal(t, "DEBUG", line["level"])
	assert.Equal(t, "spotify attempt", line["msg"])
	assert.Equal(t, "GET", line["method"])
	assert.Equal(t, "https://api.spotify.com/v1/albums/4aawyAB9vmqN3uQ7FjRGTy", line["url"])
	assert.Equal(t, "/albums/{id}", line["route"])
	assert.EqualValues(t, 2, line["attempt"])
	assert.EqualValues(t, 429, line["status"])
	assert.Contains(t, line, "duration")
	assert.Equal(t, map[string]any{"Accept-Language": "sv"}, line["headers"])
}

func TestAttemptNoLogBelowDebug(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	fake := testtransport.New().AppendResponse(200, "")
	resp, err := Attempt(AttemptOptions{Logger: logger})(fake).RoundTrip(albumReq(t))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Empty(t, logs.String())
}

func TestAttemptRetryAfterAndCallRecord(t *testing.T) {
	t.Parallel()
	h := newOtelHarness(t)
	fake := testtransport.New().AppendResponse(429, "", "Retry-After", "7")
	rt := Attempt(AttemptOptions{TracerProvider: h.tp, MeterProvider: h.mp})(fake)
	req, info := albumRequest(t)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, 1, info.Stats().Attempts)
	require.Len(t, h.spans.Ended(), 1)
	s := h.spans.Ended()[0]
	assert.Equal(t, trace.SpanKindClient, s.SpanKind())
	a := spanAttrs(s)
	assert.Equal(t, []string{"7"}, a["http.response.header.retry-after"].AsStringSlice())
	assert.Equal(t, "429", a["error.type"].AsString())
	assert.NotContains(t, a, attribute.Key("http.request.resend_count"))
	dp := h.metrics(t)["http.client.request.duration"].Data.(metricdata.Histogram[float64]).DataPoints
	require.Len(t, dp, 1)
	v, _ := dp[0].Attributes.Value("url.template")
	assert.Equal(t, "/albums/{id}", v.AsString())
}

func TestAttemptCanceledErrorType(t *testing.T) {
	t.Parallel()
	h := newOtelHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fake := testtransport.New().AppendResponse(200, "")
	req := albumReq(t)
	resp, err := Attempt(AttemptOptions{TracerProvider: h.tp, MeterProvider: h.mp})(fake).RoundTrip(req.WithContext(ctx))
	assert.Nil(t, resp)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, "context.Canceled", spanAttrs(h.spans.Ended()[0])["error.type"].AsString())
}

// TestTracingAttemptAllocs measures a call through both stages with the
// no-op providers (and a no-op transport), which is the cost of the stages
// when no SDK is installed.
func TestTracingAttemptAllocs(t *testing.T) {
	resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody}
	base := transport.RoundTripperFunc(func(*http.Request) (*http.Response, error) {
		r := *resp
		return &r, nil
	})
	baseAllocs := testing.AllocsPerRun(200, func() {
		r, _ := base.RoundTrip(nil)
		_ = r.Body.Close()
	})
	tp, mp := tracenoop.NewTracerProvider(), metricnoop.NewMeterProvider()
	prop := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	for _, tc := range []struct {
		name string
		rt   http.RoundTripper
		max  float64
	}{
		{"tracing", Tracing(TracingOptions{TracerProvider: tp, MeterProvider: mp})(base), 4},
		{"attempt", Attempt(AttemptOptions{TracerProvider: tp, MeterProvider: mp, Propagator: prop})(base), 5},
		{"both", Tracing(TracingOptions{TracerProvider: tp, MeterProvider: mp})(
			Attempt(AttemptOptions{TracerProvider: tp, MeterProvider: mp, Propagator: prop})(base)), 9},
		// otel's global providers and propagator (reported only: another
		// test could install an SDK globally).
		{"both, otel globals", Tracing(TracingOptions{})(Attempt(AttemptOptions{})(base)), -1},
	} {
		req := albumReq(t)
		allocs := testing.AllocsPerRun(500, func() {
			r, err := tc.rt.RoundTrip(req)
			if err != nil {
				panic(err)
			}
			_ = r.Body.Close()
		})
		t.Logf("%s: %.0f allocs per call (the fake transport itself: %.0f)", tc.name, allocs-baseAllocs, baseAllocs)
		if tc.max >= 0 {
			assert.LessOrEqual(t, allocs-baseAllocs, tc.max, tc.name)
		}
	}
}

func BenchmarkTracingAttemptNoop(b *testing.B) {
	base := transport.RoundTripperFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody}, nil
	})
	tp, mp := tracenoop.NewTracerProvider(), metricnoop.NewMeterProvider()
	rt := Tracing(TracingOptions{TracerProvider: tp, MeterProvider: mp})(
		Attempt(AttemptOptions{TracerProvider: tp, MeterProvider: mp, Propagator: propagation.TraceContext{}})(base))
	req, _ := http.NewRequestWithContext(withRoute(context.Background(), "/albums/{id}"),
		http.MethodGet, "https://api.spotify.com/v1/albums/x", nil)
	b.ReportAllocs()
	for b.Loop() {
		r, _ := rt.RoundTrip(req)
		_ = r.Body.Close()
	}
}
