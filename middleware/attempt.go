package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/transport"
)

// AttemptOptions configures the attempt stage ([Attempt]). The zero value
// uses otel's global providers and propagator, the wall clock, and does not
// log.
type AttemptOptions struct {
	// TracerProvider makes the attempt spans. Nil means
	// otel.GetTracerProvider(), resolved when the stage is built.
	TracerProvider trace.TracerProvider
	// MeterProvider makes the attempt metric. Nil means
	// otel.GetMeterProvider().
	MeterProvider metric.MeterProvider
	// Propagator injects the trace context into each attempt's headers. Nil
	// means otel.GetTextMapPropagator() (which does nothing until one is
	// installed).
	Propagator propagation.TextMapPropagator
	// Logger receives one line per attempt at [slog.LevelDebug]. Nil means
	// no logging; a logger whose handler is not enabled for debug costs a
	// call to Enabled per attempt.
	Logger *slog.Logger
	// Clock times the attempts. Nil means the wall clock.
	Clock transport.Clock
}

// Attempt returns the per-attempt observability stage. It sits below retry,
// so it runs once per send of the request, and:
//
//   - counts the send on the call's [transport.Call];
//   - starts a CLIENT span named as the call span ("GET /albums/{id}") with
//     http.request.method, url.full (scheme://host/path: no query, no user
//     information), url.template, server.address, server.port,
//     http.request.resend_count (the [transport.Attempt] number, set only
//     from the first retry on, as semconv says), and at the end
//     http.response.status_code, error.type and, when the answer has one,
//     http.response.header.retry-after; status Error for 4xx, 5xx and errors;
//   - injects the propagator's headers (traceparent...) into a copy of the
//     request, never into the caller's;
//   - records semconv's http.client.request.duration (s) with
//     http.request.method, server.address, server.port, url.template,
//     http.response.status_code and error.type;
//   - logs "spotify attempt" at debug level with the method, the redacted
//     URL, the route, the attempt number, the status (or error), the
//     duration and the request headers, sensitive ones redacted
//     ([SensitiveHeader]).
//
// The span, the duration and the log line end when the response body is read
// to its end or closed, or at once when the attempt fails, so they cover the
// body download. No token, Authorization header, query or secret goes into a
// span, a metric or a log line.
//
// Responses and errors come back as they are. It is safe for concurrent use.
func Attempt(o AttemptOptions) transport.Middleware {
	prop := o.Propagator
	if prop == nil {
		prop = otel.GetTextMapPropagator()
	}
	a := &attemptTransport{
		tracer:    tracerFrom(o.TracerProvider),
		prop:      prop,
		logger:    o.Logger,
		clock:     clock.Or(o.Clock),
		startOpts: []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient)},
		duration: newDurationHistogram(meterFrom(o.MeterProvider), "http.client.request.duration",
			"Duration of HTTP client requests."),
	}
	return func(next http.RoundTripper) http.RoundTripper {
		c := *a
		c.next = next
		c.names = &spanNames{}
		return &c
	}
}

// attemptTransport is the RoundTripper of the attempt stage.
type attemptTransport struct {
	next      http.RoundTripper
	tracer    trace.Tracer
	prop      propagation.TextMapPropagator
	logger    *slog.Logger
	clock     transport.Clock
	duration  metric.Float64Histogram
	startOpts []trace.SpanStartOption
	names     *spanNames
}

var _ http.RoundTripper = (*attemptTransport)(nil)

// attemptInfo is what the end of an attempt needs to know about its start.
type attemptInfo struct {
	ctx     context.Context
	span    trace.Span
	req     *http.Request
	start   time.Time
	method  string
	route   string
	attempt int
	headers slog.Attr // set only when logging
	logging bool
}

// RoundTrip sends one attempt under its own span.
func (a *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	call := transport.CallFrom(ctx)
	call.AddAttempt()
	method, route, attempt := semconvMethod(req.Method), call.Route(), call.Attempt()
	sctx, span := ctx, noSpan
	if !spanless(a.tracer, ctx) {
		sctx, span = startSpan(a.tracer, ctx, a.names.name(method, route), a.startOpts)
		if span.IsRecording() {
			span.SetAttributes(a.requestAttrs(req, method, route, attempt)...)
		}
	}
	r := a.withPropagation(req, sctx)
	logging := a.logs(sctx)
	if !logging && !span.IsRecording() && !a.duration.Enabled(sctx) {
		// Nothing would record the attempt's end: no hook on its body.
		span.End()
		return transport.CheckResponse(a.next.RoundTrip(r))
	}
	in := &attemptInfo{ctx: sctx, span: span, req: r, method: method, route: route, attempt: attempt, logging: logging}
	if logging {
		in.headers = redactedHeaderAttr(r.Header)
	}
	in.start = a.clock.Now()
	resp, err := transport.CheckResponse(a.next.RoundTrip(r))
	if err != nil {
		a.end(in, 0, nil, err)
		return nil, err
	}
	code, header := resp.StatusCode, resp.Header
	resp.Body = transport.OnClose(resp.Body, func() { a.end(in, code, header, nil) })
	return resp, nil
}

// logs reports whether the attempt's debug line is written on ctx.
func (a *attemptTransport) logs(ctx context.Context) bool {
	return a.logger != nil && a.logger.Enabled(ctx, slog.LevelDebug)
}

// withPropagation returns req with the attempt's context ctx and the
// propagator's headers: req itself when neither changes it, else a
// shallow copy; the headers go into a copy of req's, made only if the
// propagator sets something.
func (a *attemptTransport) withPropagation(req *http.Request, ctx context.Context) *http.Request {
	c := carriers.Get().(*lazyHeaderCarrier)
	c.src = req.Header
	a.prop.Inject(ctx, c)
	h := c.dst
	*c = lazyHeaderCarrier{}
	carriers.Put(c)
	if ctx == req.Context() && h == nil {
		return req
	}
	r := req.WithContext(ctx)
	if h != nil {
		r.Header = h
	}
	return r
}

// carriers recycles the carriers of withPropagation: a propagator uses its
// carrier only while Inject runs.
var carriers = sync.Pool{New: func() any { return new(lazyHeaderCarrier) }}

// requestAttrs returns the attempt span's request attributes.
func (a *attemptTransport) requestAttrs(req *http.Request, method, route string, attempt int) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 6)
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(method))
	if route != "" {
		attrs = append(attrs, semconv.URLTemplateKey.String(route))
	}
	if req.URL != nil {
		attrs = append(attrs,
			semconv.URLFullKey.String(RedactURL(req.URL)),
			semconv.ServerAddressKey.String(req.URL.Hostname()),
			semconv.ServerPortKey.Int(urlPort(req.URL)))
	}
	if attempt > 0 {
		attrs = append(attrs, semconv.HTTPRequestResendCountKey.Int(attempt))
	}
	return attrs
}

// end records an attempt's outcome on its span, metric and log line, and
// ends the span. code and header are the answer's, or 0 and nil with err.
func (a *attemptTransport) end(in *attemptInfo, code int, header http.Header, err error) {
	elapsed := a.clock.Now().Sub(in.start)
	errType := outcomeErrorType(code, err)
	if in.span.IsRecording() {
		attrs := appendOutcomeAttrs(make([]attribute.KeyValue, 0, 3), code, errType)
		if ra := header.Values("Retry-After"); len(ra) > 0 {
			attrs = append(attrs, attrRetryAfter.StringSlice(ra))
		}
		in.span.SetAttributes(attrs...)
		setOutcomeStatus(in.span, code, err, in.req.URL)
	}
	in.span.End()

	if a.duration.Enabled(in.ctx) {
		var extra [2]attribute.KeyValue
		n := 0
		if u := in.req.URL; u != nil {
			extra[0] = semconv.ServerAddressKey.String(u.Hostname())
			extra[1] = semconv.ServerPortKey.Int(urlPort(u))
			n = 2
		}
		a.duration.Record(in.ctx, elapsed.Seconds(),
			metric.WithAttributeSet(outcomeAttrs(in.method, in.route, code, errType, extra[:n]...)))
	}
	if in.logging {
		a.log(in, code, err, elapsed)
	}
}

// log writes the attempt's debug line.
func (a *attemptTransport) log(in *attemptInfo, code int, err error, elapsed time.Duration) {
	attrs := []slog.Attr{
		slog.String("method", in.method),
		slog.String("url", RedactURL(in.req.URL)),
		slog.String("route", in.route),
		slog.Int("attempt", in.attempt),
		slog.Int("status", code),
		slog.Duration("duration", elapsed),
		in.headers,
	}
	if err != nil {
		attrs = append(attrs,
			slog.String("error", redactMessage(err.Error(), in.req.URL)),
			slog.String("error_type", otelErrorType(err)))
	}
	a.logger.LogAttrs(in.ctx, slog.LevelDebug, "spotify attempt", attrs...)
}

// lazyHeaderCarrier is a propagation carrier that reads the caller's headers
// and copies them on the first Set, so the caller's request is never
// changed and nothing is copied when the propagator injects nothing.
type lazyHeaderCarrier struct {
	src, dst http.Header
}

func (c *lazyHeaderCarrier) header() http.Header {
	if c.dst != nil {
		return c.dst
	}
	return c.src
}

// Get returns the value of key.
func (c *lazyHeaderCarrier) Get(key string) string { return c.header().Get(key) }

// Set sets key on the copy, making it first.
func (c *lazyHeaderCarrier) Set(key, value string) {
	if c.dst == nil {
		c.dst = c.src.Clone()
		if c.dst == nil {
			c.dst = make(http.Header, 2)
		}
	}
	c.dst.Set(key, value)
}

// Keys lists the header names.
func (c *lazyHeaderCarrier) Keys() []string {
	h := c.header()
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	return keys
}
