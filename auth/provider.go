package auth

import "context"

// Provider supplies access tokens. The auth stage calls Token on every
// attempt of every request, so implementations cache and refresh on their
// own. Implementations are safe for concurrent use; the returned token must
// not be modified.
type Provider interface {
	// Token returns a token that is valid now. ctx bounds the caller's wait;
	// a refresh shared with other callers is not cancelled by it.
	Token(ctx context.Context) (*Token, error)
}

// Invalidator is implemented by providers that can drop a token the API
// rejected with 401, so that the next call to Token fetches a new one.
// Invalidate must drop the token only if it is still the current one, so
// that many concurrent 401s cause one refresh, not one each.
type Invalidator interface {
	Invalidate(failed *Token)
}

// Identifier is implemented by providers that can name whose data their
// tokens reach: "app:<client id>" for client credentials, "user:<family>"
// for a user's tokens, "tok:<hash>" for a static token. The cache and the
// coalescing stage partition responses by it.
type Identifier interface {
	Identity() string
}
