package spotify

import (
	"context"
	"net/http"
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

type captureKey struct{}

// WithResponseCapture makes calls made with ctx fill m.
func WithResponseCapture(ctx context.Context, m *ResponseMeta) context.Context {
	return context.WithValue(ctx, captureKey{}, m)
}

func captureFrom(ctx context.Context) *ResponseMeta {
	m, _ := ctx.Value(captureKey{}).(*ResponseMeta)
	return m
}

// record fills m from one request of the call.
func (m *ResponseMeta) record(resp *http.Response, info *transport.CallInfo) {
	if m == nil {
		return
	}
	if resp != nil {
		m.StatusCode = resp.StatusCode
		m.Header = resp.Header.Clone()
		m.ETag = resp.Header.Get("ETag")
	}
	s := info.Stats()
	m.FromCache = s.FromCache
	m.Attempts += s.Attempts
	m.RateLimited += s.RateLimited
	if s.RetryAfter > 0 {
		m.RetryAfter = s.RetryAfter
	}
}
