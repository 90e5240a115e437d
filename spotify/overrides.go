package spotify

import (
	"context"
	"net/http"
	"time"

	"github.com/spotifysdk/spotify-go/transport"
)

// Per-call overrides (and the response capture) ride on the context as a
// call record the caller brings: every call made with the returned context
// starts its own record with them (Client.callSpec).

// withCallSpec returns ctx with a call record whose facts are those of the
// record on ctx (if any), changed by f.
func withCallSpec(ctx context.Context, f func(*transport.CallSpec)) context.Context {
	s := transport.CallFrom(ctx).Spec()
	f(&s)
	ctx, _ = transport.StartCall(ctx, s)
	return ctx
}

func withOverride(ctx context.Context, f func(*transport.Overrides)) context.Context {
	return withCallSpec(ctx, func(s *transport.CallSpec) {
		if s.Overrides.Header != nil {
			s.Overrides.Header = s.Overrides.Header.Clone()
		}
		f(&s.Overrides)
	})
}

// WithNoCache makes calls neither read nor fill the cache, and not share
// an in-flight request with identical calls.
func WithNoCache(ctx context.Context) context.Context {
	return withOverride(ctx, func(o *transport.Overrides) { o.NoCache = true })
}

// WithCallRetries sets the retries of calls made with ctx (0 = none).
func WithCallRetries(ctx context.Context, n int) context.Context {
	if n < 0 {
		n = 0
	}
	return withOverride(ctx, func(o *transport.Overrides) { o.MaxRetries = &n })
}

// WithCallTimeout sets the per-attempt timeout of calls made with ctx.
func WithCallTimeout(ctx context.Context, d time.Duration) context.Context {
	return withOverride(ctx, func(o *transport.Overrides) { o.Timeout = d })
}

// WithHeader adds a request header to calls made with ctx. Authorization
// cannot be set this way: the auth stage owns it.
func WithHeader(ctx context.Context, key, value string) context.Context {
	return withOverride(ctx, func(o *transport.Overrides) {
		if o.Header == nil {
			o.Header = http.Header{}
		}
		o.Header.Add(key, value)
	})
}
