package middleware

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/transport"
)

// TracingOptions configures the tracing stage ([Tracing]). The zero value
// uses otel's global providers and the wall clock.
type TracingOptions struct {
	// TracerProvider makes the call spans. Nil means otel.GetTracerProvider(),
	// resolved when the stage is built (otel's global provider forwards to
	// one installed later).
	TracerProvider trace.TracerProvider
	// MeterProvider makes the call metrics. Nil means otel.GetMeterProvider().
	MeterProvider metric.MeterProvider
	// Clock times the calls. Nil means the wall clock.
	Clock transport.Clock
}

// Tracing returns the per-call observability stage: one span per API call
// and the call metrics. It sits above retry, so a call that takes three
// attempts gives one call span whose children are the retry stage's events
// and the attempt stage's three CLIENT spans.
//
// The call span is an INTERNAL span named "{METHOD} {route template}"
// ("GET /albums/{id}", from [transport.Call.Route]; just "GET" when the route is
// unknown: never the raw path, which holds ids). It carries
// http.request.method, url.template, server.address, and at the end
// http.response.status_code, error.type (the status code for 4xx and 5xx,
// the Go error's type name for an error) and, when the context carries a
// [transport.Call], spotify.attempts, spotify.rate_limited and
// spotify.from_cache. Its status is Error for 4xx, 5xx and errors (semconv's
// client rule). It never holds the query, a header or an error's text
// beyond the redacted message of a Go error.
//
// Metrics (instruments created once per stage): spotify.client.calls
// ({call}, a counter) and spotify.client.call.duration (s, a histogram),
// both with http.request.method, url.template, http.response.status_code
// and error.type.
//
// The span and the duration end when the response body is read to its end
// or closed, or at once when the call fails. As with otelhttp, a caller
// that never closes a response body leaks the span.
//
// The stage changes nothing else: the request goes down on a shallow copy
// carrying the span's context, and responses and errors come back as they
// are. It is safe for concurrent use.
func Tracing(o TracingOptions) transport.Middleware {
	m := meterFrom(o.MeterProvider)
	t := &tracingTransport{
		tracer: tracerFrom(o.TracerProvider),
		clock:  clock.Or(o.Clock),
		calls:  newCounter(m, "spotify.client.calls", "{call}", "Spotify API calls made, whatever their attempts."),
		duration: newDurationHistogram(m, "spotify.client.call.duration",
			"Duration of Spotify API calls, retries and waits included, until the response body was closed."),
		startOpts: []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal)},
	}
	return func(next http.RoundTripper) http.RoundTripper {
		c := *t
		c.next = next
		c.names = &spanNames{}
		return &c
	}
}

// tracingTransport is the RoundTripper of the tracing stage.
type tracingTransport struct {
	next      http.RoundTripper
	tracer    trace.Tracer
	clock     transport.Clock
	calls     metric.Int64Counter
	duration  metric.Float64Histogram
	startOpts []trace.SpanStartOption
	names     *spanNames
}

var _ http.RoundTripper = (*tracingTransport)(nil)

// RoundTrip starts the call span, sends the request down with the span in
// its context and ends the span with the response body or the error.
func (t *tracingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if spanless(t.tracer, req.Context()) && !t.calls.Enabled(req.Context()) && !t.duration.Enabled(req.Context()) {
		// No span, no metric: nothing to name, time or hook.
		return transport.CheckResponse(t.next.RoundTrip(req))
	}
	start := t.clock.Now()
	method := semconvMethod(req.Method)
	route := transport.CallFrom(req.Context()).Route()
	ctx, span := startSpan(t.tracer, req.Context(), t.names.name(method, route), t.startOpts)
	if span.IsRecording() {
		attrs := make([]attribute.KeyValue, 0, 3)
		attrs = append(attrs, semconv.HTTPRequestMethodKey.String(method))
		if route != "" {
			attrs = append(attrs, semconv.URLTemplateKey.String(route))
		}
		if req.URL != nil {
			attrs = append(attrs, semconv.ServerAddressKey.String(req.URL.Hostname()))
		}
		span.SetAttributes(attrs...)
	}

	down := req
	if ctx != req.Context() {
		down = req.WithContext(ctx)
	}
	if !span.IsRecording() && !t.calls.Enabled(ctx) && !t.duration.Enabled(ctx) {
		// Nothing would record the call's end: no hook on its body.
		span.End()
		return transport.CheckResponse(t.next.RoundTrip(down))
	}
	resp, err := transport.CheckResponse(t.next.RoundTrip(down))
	if err != nil {
		t.end(ctx, span, start, method, route, 0, err, req.URL)
		return nil, err
	}
	code := resp.StatusCode
	resp.Body = transport.OnClose(resp.Body, func() {
		t.end(ctx, span, start, method, route, code, nil, nil)
	})
	return resp, nil
}

// end records the outcome of a call on its span and metrics, and ends the
// span. code is the status of the answer, or 0 with err set on failure;
// u is the URL of the failed request, whose secrets the error's message
// must not show.
func (t *tracingTransport) end(ctx context.Context, span trace.Span, start time.Time, method, route string, code int, err error, u *url.URL) {
	elapsed := t.clock.Now().Sub(start).Seconds()
	errType := outcomeErrorType(code, err)
	if span.IsRecording() {
		attrs := appendOutcomeAttrs(make([]attribute.KeyValue, 0, 5), code, errType)
		if call := transport.CallFrom(ctx); call != nil {
			s := call.Stats()
			attrs = append(attrs, attrAttempts.Int(s.Attempts))
			if s.RateLimited > 0 {
				attrs = append(attrs, attrRateLimited.Int(s.RateLimited))
			}
			if s.FromCache {
				attrs = append(attrs, attrFromCache.Bool(true))
			}
		}
		span.SetAttributes(attrs...)
		setOutcomeStatus(span, code, err, u)
	}
	span.End()

	if t.calls.Enabled(ctx) || t.duration.Enabled(ctx) {
		set := outcomeAttrs(method, route, code, errType)
		t.calls.Add(ctx, 1, metric.WithAttributeSet(set))
		t.duration.Record(ctx, elapsed, metric.WithAttributeSet(set))
	}
}

// outcomeAttrs returns the metric attributes of a call or an attempt.
func outcomeAttrs(method, route string, code int, errType string, extra ...attribute.KeyValue) attribute.Set {
	attrs := make([]attribute.KeyValue, 0, 4+len(extra))
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(method))
	if route != "" {
		attrs = append(attrs, semconv.URLTemplateKey.String(route))
	}
	if code > 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCodeKey.Int(code))
	}
	if errType != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
	}
	attrs = append(attrs, extra...)
	return attribute.NewSet(attrs...)
}
