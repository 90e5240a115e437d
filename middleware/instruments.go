package middleware

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"weak"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// instrumentationName is the instrumentation scope of the tracing and
// attempt stages' tracers and meters.
const instrumentationName = "github.com/spotifysdk/spotify-go/middleware"

// Attribute keys of our own (the others are semconv's).
const (
	// attrAttempts is the number of sends of a call (the call span).
	attrAttempts = attribute.Key("spotify.attempts")
	// attrRateLimited is the number of 429 answers a call received.
	attrRateLimited = attribute.Key("spotify.rate_limited")
	// attrFromCache marks a call the cache answered.
	attrFromCache = attribute.Key("spotify.from_cache")
	// attrRetryAfter carries a response's Retry-After header (semconv's
	// http.response.header.<key>, a string array).
	attrRetryAfter = attribute.Key("http.response.header.retry-after")
)

// durationBuckets are the semconv-recommended bucket boundaries (seconds)
// for HTTP client durations.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// tracerFrom returns the stage's tracer from tp, or from the global provider
// when tp is nil.
func tracerFrom(tp trace.TracerProvider) trace.Tracer {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	return tp.Tracer(instrumentationName, trace.WithSchemaURL(semconv.SchemaURL))
}

// startSpan starts a span named name on ctx with tracer. When neither the
// new span nor the one ctx carries records and both have the same span
// context (no SDK installed, a no-op provider), the new span is left out of
// the returned context: what the stages below see on it (a span that does
// not record, with that span context) is the same, and the call saves a
// context layer and a copy of its request. A no-op tracer is not even asked.
func startSpan(tracer trace.Tracer, ctx context.Context, name string, opts []trace.SpanStartOption) (context.Context, trace.Span) {
	if spanless(tracer, ctx) {
		return ctx, noSpan // never the caller's span: the stage ends it
	}
	parent := trace.SpanFromContext(ctx)
	sctx, span := tracer.Start(ctx, name, opts...)
	if !span.IsRecording() && !parent.IsRecording() && span.SpanContext().Equal(parent.SpanContext()) {
		return ctx, span
	}
	return sctx, span
}

// spanless reports whether a stage with tracer would start no span on ctx
// (see startSpan): the tracer is the no-op one and ctx carries no span
// that records. The stage then needs no span name.
func spanless(tracer trace.Tracer, ctx context.Context) bool {
	_, ok := tracer.(tracenoop.Tracer)
	return ok && !trace.SpanFromContext(ctx).IsRecording()
}

// noSpan is a span that does nothing (the trace package's no-op span).
var noSpan = trace.SpanFromContext(context.Background())

// meterFrom returns the stage's meter from mp, or from the global provider
// when mp is nil.
func meterFrom(mp metric.MeterProvider) metric.Meter {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	return mp.Meter(instrumentationName, metric.WithSchemaURL(semconv.SchemaURL))
}

// newDurationHistogram creates a duration histogram in seconds; on failure
// it reports the error to otel's handler and returns a no-op instrument.
func newDurationHistogram(m metric.Meter, name, desc string) metric.Float64Histogram {
	h, err := m.Float64Histogram(name, metric.WithUnit("s"), metric.WithDescription(desc),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	if err != nil {
		otel.Handle(err)
		return metricnoop.Float64Histogram{}
	}
	return h
}

// newCounter creates an Int64Counter; on failure it reports the error to
// otel's handler and returns a no-op instrument.
func newCounter(m metric.Meter, name, unit, desc string) metric.Int64Counter {
	c, err := m.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
	if err != nil {
		otel.Handle(err)
		return metricnoop.Int64Counter{}
	}
	return c
}

// semconvMethod returns the method as semconv wants it in
// http.request.method: the known methods as they are, anything else
// "_OTHER" (which keeps span names and metric cardinality bounded).
func semconvMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch,
		http.MethodHead, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	case "":
		return http.MethodGet
	}
	return "_OTHER"
}

// spanNames caches the span names "{METHOD} {route}" so that a call does not
// build the same string again. It is bounded; past the bound names are
// built on every call. It is safe for concurrent use.
type spanNames struct {
	mu    sync.RWMutex
	names map[nameKey]string
}

type nameKey struct{ method, route string }

// maxSpanNames bounds the cache: the routes of the Spotify API are a few
// hundred at most.
const maxSpanNames = 1024

// name returns the span name of a request with the (normalized) method and
// the route template: "GET /albums/{id}", or just the method when the
// route is unknown (never the raw path, which holds ids). semconv names a
// span of an unknown method "HTTP".
func (s *spanNames) name(method, route string) string {
	if method == "_OTHER" {
		method = "HTTP"
	}
	if route == "" {
		return method
	}
	k := nameKey{method, route}
	s.mu.RLock()
	n, ok := s.names[k]
	s.mu.RUnlock()
	if ok {
		return n
	}
	n = method + " " + route
	s.mu.Lock()
	if s.names == nil {
		s.names = make(map[nameKey]string)
	}
	if len(s.names) < maxSpanNames {
		s.names[k] = n
	}
	s.mu.Unlock()
	return n
}

// statusCodeStrings holds "400" ... "599", the error.type of an HTTP error
// answer, so that recording one does not format a number.
var statusCodeStrings = func() (s [200]string) {
	for i := range s {
		s[i] = strconv.Itoa(400 + i)
	}
	return s
}()

// statusErrorType returns the error.type of an answer with the given
// status: the code as a string for 4xx and 5xx, "" otherwise.
func statusErrorType(code int) string {
	switch {
	case code >= 400 && code < 600:
		return statusCodeStrings[code-400]
	case code >= 600:
		return strconv.Itoa(code)
	}
	return ""
}

// otelErrorType returns the error.type of a Go error: semconv's rule (an
// ErrorType method, else the type name of the error under any fmt.Errorf
// wrapping), with a cancelled context named "context.Canceled" rather than
// "*errors.errorString".
func otelErrorType(err error) string {
	s := semconv.ErrorType(err).Value.AsString()
	if s == "*errors.errorString" && errors.Is(err, context.Canceled) {
		return "context.Canceled"
	}
	return s
}

// outcomeErrorType returns the error.type of the outcome of a call or an
// attempt: err's when err is set, else the status code's ("" for a
// success).
func outcomeErrorType(code int, err error) string {
	if err != nil {
		return otelErrorType(err)
	}
	return statusErrorType(code)
}

// appendOutcomeAttrs appends the span attributes of an outcome to attrs:
// the status code (when code > 0) and error.type (when errType is set).
func appendOutcomeAttrs(attrs []attribute.KeyValue, code int, errType string) []attribute.KeyValue {
	if code > 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCodeKey.Int(code))
	}
	if errType != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
	}
	return attrs
}

// setOutcomeStatus sets the status of span for an outcome: Error with err's
// message, the secrets of u cut out, on failure; Error with no description
// for an error status ([spanStatus]); nothing otherwise.
func setOutcomeStatus(span trace.Span, code int, err error, u *url.URL) {
	switch {
	case err != nil:
		span.SetStatus(codes.Error, redactMessage(err.Error(), u))
	case spanStatus(code) == codes.Error:
		span.SetStatus(codes.Error, "")
	}
}

// spanStatus returns the span status of an HTTP answer: Error for 4xx and
// 5xx (semconv's rule for client spans, used for the call span too), with
// no description, as semconv asks; Unset otherwise.
func spanStatus(code int) codes.Code {
	if code >= 400 {
		return codes.Error
	}
	return codes.Unset
}

// adaptiveMetrics are the instruments of an AdaptiveBudget.
type adaptiveMetrics struct {
	cooldowns metric.Int64Counter
	throttled metric.Int64Counter
}

// newAdaptiveMetrics creates the instruments of b on mp's meter, with a
// gauge that reads b's current rate when collected. The gauge's callback
// holds b weakly and is unregistered once b is garbage: a program that
// makes many clients, each with a budget of its own, does not keep every
// budget alive in its meter.
func newAdaptiveMetrics(mp metric.MeterProvider, b *AdaptiveBudget) *adaptiveMetrics {
	m := meterFrom(mp)
	am := &adaptiveMetrics{
		cooldowns: newCounter(m, "spotify.client.rate_limit.cooldowns", "{cooldown}",
			"Rate cuts of an adaptive budget, one per 429 event."),
		throttled: newCounter(m, "spotify.client.rate_limit.throttled", "{response}",
			"429 answers an adaptive budget was told of."),
	}
	gauge, err := m.Float64ObservableGauge("spotify.client.rate_limit.rate", metric.WithUnit("{request}/s"),
		metric.WithDescription("The request rate an adaptive budget lets through; 0 while it has met no 429 and has no ceiling."))
	if err != nil {
		otel.Handle(err)
		return am
	}
	live := weak.Make(b)
	reg, err := m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		if b := live.Value(); b != nil {
			r, _ := b.Rate()
			o.ObserveFloat64(gauge, r)
		}
		return nil
	}, gauge)
	if err != nil {
		otel.Handle(err)
		return am
	}
	runtime.AddCleanup(b, func(reg metric.Registration) { _ = reg.Unregister() }, reg)
	return am
}
