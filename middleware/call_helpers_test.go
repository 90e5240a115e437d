package middleware

import (
	"context"

	"github.com/spotifysdk/spotify-go/transport"
)

// withSpec returns ctx with a new call record: the facts of the record
// already on ctx (if any), changed by f.
func withSpec(ctx context.Context, f func(*transport.CallSpec)) context.Context {
	s := transport.CallFrom(ctx).Spec()
	f(&s)
	ctx, _ = transport.StartCall(ctx, s)
	return ctx
}

func withPrincipal(ctx context.Context, p string) context.Context {
	return withSpec(ctx, func(s *transport.CallSpec) { s.Principal = p })
}

func withRoute(ctx context.Context, r string) context.Context {
	return withSpec(ctx, func(s *transport.CallSpec) { s.Route = r })
}

func withOverrides(ctx context.Context, o transport.Overrides) context.Context {
	return withSpec(ctx, func(s *transport.CallSpec) { s.Overrides = o })
}

func withIdempotent(ctx context.Context, idem bool) context.Context {
	return withSpec(ctx, func(s *transport.CallSpec) { s.Idempotent = &idem })
}

func withProvider(ctx context.Context, p any) context.Context {
	return withSpec(ctx, func(s *transport.CallSpec) { s.Provider = p })
}
