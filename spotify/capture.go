package spotify

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/spotifysdk/spotify-go/transport"
)

// ResponseMeta is what a call's response looked like. Attach one with
// [WithResponseCapture]; the client fills it when the call returns. For a
// call that sends several requests (chunked writes, batch gets) it holds the
// last one's status and headers and the sums of the others.
type ResponseMeta struct {
	// StatusCode and Header are those of the (last) response.
	StatusCode int
	Header     http.Header
	// ETag is the response's ETag header.
	ETag string
	// FromCache reports that the cache answered (fresh, or revalidated
	// with a 304).
	FromCache bool
	// Attempts is how many times requests were sent for the call.
	Attempts int
	// RateLimited counts the 429 answers the chain absorbed.
	RateLimited int
	// RetryAfter is the last Retry-After the server sent.
	RetryAfter time.Duration
}

// capture is the capture value of the call record (transport.CallSpec's
// Capture) that WithResponseCapture attaches: the chunks of a batch get run
// concurrently and all record into the same ResponseMeta.
type capture struct {
	mu sync.Mutex
	m  *ResponseMeta
}

// WithResponseCapture makes calls made with ctx fill m.
func WithResponseCapture(ctx context.Context, m *ResponseMeta) context.Context {
	return withCallSpec(ctx, func(s *transport.CallSpec) { s.Capture = &capture{m: m} })
}

// record fills the ResponseMeta captured for call from one request of it.
func record(call *transport.Call, resp *http.Response) {
	c, _ := call.Capture().(*capture)
	if c == nil || c.m == nil {
		return
	}
	s := call.Stats()
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.m
	if resp != nil {
		m.StatusCode = resp.StatusCode
		m.Header = resp.Header.Clone()
		m.ETag = resp.Header.Get("ETag")
	}
	m.FromCache = s.FromCache
	m.Attempts += s.Attempts
	m.RateLimited += s.RateLimited
	if s.RetryAfter > 0 {
		m.RetryAfter = s.RetryAfter
	}
}
