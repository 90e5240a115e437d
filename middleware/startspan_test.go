package middleware

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/transport"
)

func TestStartSpanAddsNoLayerWhenNothingRecords(t *testing.T) {
	ctx := context.Background()
	got, span := startSpan(tracenoop.NewTracerProvider().Tracer("t"), ctx, "GET /x", nil)
	assert.Equal(t, ctx, got)
	assert.False(t, span.IsRecording())

	// A span that does not record but starts a trace of its own (an SDK
	// that samples it out) stays on the context: its ids propagate.
	got, span = startSpan(sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample())).Tracer("t"), ctx, "GET /x", nil)
	assert.False(t, span.IsRecording())
	assert.Equal(t, span.SpanContext(), trace.SpanContextFromContext(got))

	// A recording span is put on the context.
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	got, span = startSpan(tp.Tracer("t"), ctx, "GET /x", nil)
	require.True(t, span.IsRecording())
	assert.Equal(t, span, trace.SpanFromContext(got))
	span.End()

	// Under a caller's recording span a no-op tracer's span is a
	// non-recording child on the context, and the caller's span is never
	// the one returned (the stage ends what it gets).
	parentCtx, parent := tp.Tracer("t").Start(ctx, "caller")
	defer parent.End()
	got, span = startSpan(tracenoop.NewTracerProvider().Tracer("t"), parentCtx, "GET /x", nil)
	assert.False(t, trace.SpanFromContext(got).IsRecording(), "the stages below see a span that does not record")
	assert.NotEqual(t, parent, span)
	got, span = startSpan(tracenoop.NewTracerProvider().Tracer("t"), ctx, "GET /x", nil)
	assert.Equal(t, ctx, got)
	span.End() // a no-op span, not a caller's
}

func TestWithAuthorizationCopiesTheHeader(t *testing.T) {
	req, err := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	require.NoError(t, err)
	req.Header["Accept"] = []string{"a", "b"}
	req.Header["X-Nil"] = nil
	req.Header.Set("Authorization", "Bearer caller")
	ctx, _ := transport.StartCall(context.Background(), transport.CallSpec{Route: "/me"})
	req = req.WithContext(ctx)
	before := req.Header.Clone()

	got := withAuthorization(req, "Bearer tok")
	assert.NotSame(t, req, got)
	assert.Equal(t, http.Header{"Accept": {"a", "b"}, "X-Nil": nil, "Authorization": {"Bearer tok"}}, got.Header)
	assert.Equal(t, before, req.Header, "the caller's header is untouched")
	assert.Equal(t, req.Context(), got.Context())
	got.Header.Add("Accept", "c")
	got.Header.Set("Authorization", "x")
	assert.Equal(t, before, req.Header, "changing the copy leaves the caller's header alone")

	a := &authTransport{}
	v1 := a.authorization(&authTokenForTest)
	assert.Equal(t, "Bearer abc", v1)
	assert.Equal(t, "Bearer def", a.authorization(&authTokenForTest2), "a new token is formatted again")
}

var (
	authTokenForTest  = auth.Token{AccessToken: "abc"}
	authTokenForTest2 = auth.Token{AccessToken: "def", TokenType: "Bearer"}
)
