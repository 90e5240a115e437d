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
// made itself; those errors are typed values of the stage that makes them
// (package middleware: RateLimitError, ErrCircuitOpen, ...), which work with
// [errors.Is] and [errors.As].
//
// # The call record
//
// A [Call] is the contract between the service layer and the stages: the one
// value a call carries on its context. The service layer (package spotify)
// attaches it once, when it builds the request, with [StartCall]; stages and
// user middleware read it with [CallFrom]. Nothing else of the call rides on
// the context (besides what the caller brought, and the spans of the
// tracing stages when a tracer records).
//
// What the service layer fixes when the call starts ([CallSpec]), read-only
// for the stages:
//
//   - Route: the route template ("/albums/{id}"), which names spans and
//     metrics (tracing, attempt);
//   - Principal: whose data the answer is; the cache and the coalescing
//     stage share answers only within one principal, and leave a call
//     without one alone;
//   - Idempotent: whether the operation may be replayed after a 5xx or a
//     broken connection (retry, through [Idempotent]); without it the
//     method decides;
//   - Provider: the auth provider of the client that made the call (auth);
//   - Overrides: per-call changes: no cache (cache, coalesce), retries
//     (retry), the per-attempt timeout (timeout), extra headers (set by the
//     service layer on the request);
//   - Capture: where the service layer records the outcome for the caller
//     (spotify.WithResponseCapture); the stages do not touch it;
//   - Lifetime: the client's lifetime; a call whose record names it ends
//     when it ends, so that closing the client cancels it: [StartCall]
//     binds a context that cannot end, the client one that can.
//
// What the stages record while the call runs, safe for concurrent use
// ([Call.Stats]): the sends (attempt), the 429s and their Retry-After and
// the time spent waiting (retry, ratelimit), the Retry-After of the last
// response (retry, [Call.RetryAfter]), a cache hit (cache), and the key of
// the call's request, computed once by the first of the stages that key
// reads and found by the others ([Call.RequestKey]: cache, then coalesce).
//
// Each retry's context carries a view of the record with its number
// ([Call.ForAttempt], [Attempt]): the same facts and counters. A coalesced
// flight runs on its first caller's request: that caller's counts include
// the flight's sends, those of the callers that joined it do not.
//
// # What every stage shares
//
// Besides the chain and the call record, transport holds what every stage
// and user middleware needs to keep the RoundTripper contract (
// [CheckResponse], [CloseRequestBody], [DrainAndClose], [Rewind],
// [OnClose], [BufferedBody]; the token requests of package auth share their
// implementation through an internal package) and the public name of the
// injectable time source of the clock-dependent stages, [Clock].
//
// A request without a record (one built for a bare chain) gets the
// defaults: no principal (not cached, not coalesced), no route, the
// method's replay rule, the stage's own provider.
package transport
