package transport

import (
	"context"
	"net/http"
	"strings"
	"time"
)

type ctxKey int

const (
	principalKey ctxKey = iota
	idempotentKey
	routeKey
	overridesKey
	attemptKey
	callInfoKey
)

// WithPrincipal records on ctx whose data the request's response is: the
// cache and the coalescing stage share responses only within one principal,
// and skip requests that have none.
func WithPrincipal(ctx context.Context, principal string) context.Context {
	return context.WithValue(ctx, principalKey, principal)
}

// Principal returns the principal set by [WithPrincipal], or "".
func Principal(ctx context.Context) string {
	p, _ := ctx.Value(principalKey).(string)
	return p
}

// WithIdempotent marks whether the request's operation may be replayed after
// an answer that does not prove it was not applied (a 5xx, a broken
// connection). The service layer sets it from its operation registry.
func WithIdempotent(ctx context.Context, idempotent bool) context.Context {
	return context.WithValue(ctx, idempotentKey, idempotent)
}

// Idempotent reports whether req may be replayed. Without a mark it falls
// back to the method: GET, HEAD, OPTIONS, PUT and DELETE yes, others no.
func Idempotent(req *http.Request) bool {
	if v, ok := req.Context().Value(idempotentKey).(bool); ok {
		return v
	}
	return IdempotentMethod(req.Method)
}

// IdempotentMethod is the replay rule of a method alone: GET, HEAD,
// OPTIONS, PUT and DELETE (and "", which net/http sends as GET) may be
// replayed, POST (an append) and others may not.
func IdempotentMethod(method string) bool {
	switch strings.ToUpper(method) {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, "":
		return true
	}
	return false
}

// WithRoute records the route template of the request ("/albums/{id}"), which
// names spans and metrics without the ids of the URL.
func WithRoute(ctx context.Context, template string) context.Context {
	return context.WithValue(ctx, routeKey, template)
}

// Route returns the route template set by [WithRoute], or "".
func Route(ctx context.Context) string {
	r, _ := ctx.Value(routeKey).(string)
	return r
}

// Overrides are per-call changes to the chain's configuration. The zero value
// changes nothing.
type Overrides struct {
	// NoCache makes the cache stage neither serve nor store this call, and
	// the coalescing stage not share it.
	NoCache bool
	// MaxRetries, when set, replaces the retry stage's limit for this call:
	// 0 means no retry.
	MaxRetries *int
	// Timeout, when positive, replaces the per-attempt timeout.
	Timeout time.Duration
	// Header holds extra request headers for this call.
	Header http.Header
}

// IsZero reports whether o changes nothing.
func (o Overrides) IsZero() bool {
	return !o.NoCache && o.MaxRetries == nil && o.Timeout == 0 && len(o.Header) == 0
}

// WithOverrides attaches per-call overrides to ctx. A later call replaces an
// earlier one.
func WithOverrides(ctx context.Context, o Overrides) context.Context {
	return context.WithValue(ctx, overridesKey, o)
}

// OverridesFrom returns the overrides attached to ctx, or the zero value.
func OverridesFrom(ctx context.Context) Overrides {
	o, _ := ctx.Value(overridesKey).(Overrides)
	return o
}

// WithAttempt records the attempt number (0 for the first send) on ctx. The
// retry stage sets it on every attempt it makes.
func WithAttempt(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, attemptKey, n)
}

// Attempt returns the attempt number of the request: 0 for the first send,
// 1 for the first retry, and so on.
func Attempt(ctx context.Context) int {
	n, _ := ctx.Value(attemptKey).(int)
	return n
}
