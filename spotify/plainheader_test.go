package spotify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/transport"
)

// opRequest builds the request of a Tracks.Get of id on ctx as Client.call
// does, with body when it is not nil.
func opRequest(t *testing.T, c *Client, ctx context.Context, id string, body []byte) *http.Request {
	t.Helper()
	cl, err := c.params(opGetTrack, id).call()
	require.NoError(t, err)
	parts, _, err := c.callURL(cl)
	require.NoError(t, err)
	require.NotNil(t, parts, "the fast path builds the URL")
	req, _ := c.newOpRequest(ctx, http.MethodGet, parts, c.callSpec(ctx, cl.op.path, nil, nil), body, "application/json")
	return req
}

func sameMap(a, b http.Header) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// Requests without a body or per-call headers share one header map when
// nothing but the chain's own stages sees them; anything of the user's that
// may hold or change a request gives each its own.
func TestPlainRequestsShareOneHeader(t *testing.T) {
	passThrough := transport.Stage{Name: "mine", Wrap: func(next http.RoundTripper) http.RoundTripper { return next }}
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	redirects := func(*http.Request, []*http.Request) error { return nil }
	for _, tc := range []struct {
		name   string
		opts   []Option
		shared bool
	}{
		{"own stages only", nil, true},
		{"an http.Client without jar or redirect policy", []Option{WithHTTPClient(&http.Client{Transport: http.DefaultTransport})}, true},
		{"a middleware of the user's", []Option{WithMiddleware(passThrough, Before(middleware.StageCache))}, false},
		{"a cookie jar", []Option{WithHTTPClient(&http.Client{Jar: jar})}, false},
		{"a redirect policy", []Option{WithHTTPClient(&http.Client{CheckRedirect: redirects})}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(append([]Option{WithAccessToken("tok"), WithUserAgent("ua/1")}, tc.opts...)...)
			require.NoError(t, err)
			defer c.Close()
			ctx := context.Background()
			a, b := opRequest(t, c, ctx, "a", nil), opRequest(t, c, ctx, "b", nil)
			assert.Equal(t, tc.shared, sameMap(a.Header, b.Header))
			ua := []string{c.fam.ua}
			assert.Equal(t, ua, a.Header["User-Agent"])
			assert.Equal(t, ua, b.Header["User-Agent"])
			if !tc.shared {
				return
			}
			withBody := opRequest(t, c, ctx, "c", []byte(`{}`))
			assert.False(t, sameMap(a.Header, withBody.Header), "a request with a body")
			assert.Equal(t, "application/json", withBody.Header.Get("Content-Type"))
			extra := opRequest(t, c, WithHeader(ctx, "X-Extra", "1"), "d", nil)
			assert.False(t, sameMap(a.Header, extra.Header), "a request with per-call headers")
			assert.Equal(t, "1", extra.Header.Get("X-Extra"))
			assert.Equal(t, http.Header{"User-Agent": ua}, a.Header, "the shared map holds the User-Agent alone")
		})
	}
}

// The shared header survives every stage that adds a header to a request
// (the cache's revalidation, retry's copies, the attempt's trace context,
// auth's token), with calls running at once: under the race detector a
// stage writing into it would be caught, and afterwards it still holds the
// User-Agent alone.
func TestPlainHeaderNeverChanges(t *testing.T) {
	var sends atomic.Int64
	var seen sync.Map // header name -> true, from every request the base got
	base := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		n := sends.Add(1)
		for k := range req.Header {
			seen.Store(k, true)
		}
		h := http.Header{"Content-Type": {"application/json"}, "Cache-Control": {"private, max-age=0"}, "Etag": {`"v1"`}}
		status, body := http.StatusOK, `{"id":"4iV5W9uYEdYUVa79Axb7Rh","name":"t"}`
		switch {
		case req.Header.Get("If-None-Match") == `"v1"`:
			status, body = http.StatusNotModified, ""
		case n%5 == 0:
			status, body = http.StatusServiceUnavailable, `{"error":{"status":503,"message":"busy"}}`
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
	})
	c, err := NewClient(WithAccessToken("tok"), WithUserAgent("ua/1"), WithHTTPClient(&http.Client{Transport: base}),
		WithBackoff(func(int) time.Duration { return 0 }), WithPropagator(propagation.TraceContext{}),
		WithTracerProvider(sdktrace.NewTracerProvider()))
	require.NoError(t, err)
	defer c.Close()
	shared := c.fam.plainHeader
	require.NotNil(t, shared)

	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 25 {
				id := fmt.Sprintf("4iV5W9uYEdYUVa79Axb%03d", g*100+i%3)
				_, _ = c.Tracks.Get(context.Background(), id, nil)
			}
		})
	}
	wg.Wait()
	for _, h := range []string{"Authorization", "Traceparent", "If-None-Match", "User-Agent"} {
		_, ok := seen.Load(h)
		assert.True(t, ok, "no request carried %s: the test did not exercise its stage", h)
	}
	assert.Equal(t, http.Header{"User-Agent": {c.fam.ua}}, shared)
	assert.True(t, sameMap(shared, c.fam.plainHeader))
}
