// Package transport is the chain every spotify-go request passes through: a
// named, ordered list of [http.RoundTripper] middlewares in front of a base
// transport.
//
// The unit of composition is [http.RoundTripper], so golang.org/x/oauth2's
// Transport, otelhttp's Transport and any user RoundTripper compose with the
// stages of package middleware:
//
//	chain := transport.NewChain(
//		transport.Stage{Name: "tracing", Wrap: tracing},
//		transport.Stage{Name: "retry", Wrap: retry},
//		transport.Stage{Name: "auth", Wrap: auth},
//	)
//	chain.Insert("retry", transport.Before, transport.Stage{Name: "audit", Wrap: audit})
//	rt := chain.Then(transport.NewBase(transport.BaseOptions{}))
//
// The first stage is the outermost: it sees the request first and the
// response last. A [Chain] is a builder and is not safe to change
// concurrently; the RoundTripper that [Chain.Then] returns is immutable and
// safe for concurrent use.
//
// # The RoundTripper contract
//
// Every stage keeps the contract of [http.RoundTripper]: it never changes the
// caller's request (it clones it), it closes the request body on every early
// return, it drains and closes a response it discards, and it never returns
// (nil, nil). Two things bend the letter of that contract on purpose, as
// oauth2.Transport does: stages may retry, authenticate and wait, which the
// net/http documentation places above the RoundTripper layer.
//
// Responses and errors: a stage passes the server's responses through as
// responses, 429 and 5xx included. It returns an error only for a decision it
// made itself; those errors are the typed values of this package
// ([RateLimitError], [ErrCircuitOpen], ...), which work with [errors.Is] and
// [errors.As].
//
// # Context values
//
// Stages share facts through the request context: the principal the response
// belongs to ([WithPrincipal]), whether the operation may be replayed
// ([WithIdempotent]), the route template ([WithRoute]), per-call overrides
// ([WithOverrides]), the attempt number ([Attempt]) and a [CallInfo] record
// the stages fill for the caller.
package transport
