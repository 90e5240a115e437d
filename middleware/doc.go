// Package middleware holds the stages of the spotify-go chain, one file per
// stage, each built from an options struct whose zero value is the
// documented default:
//
//	tracing    per call     one span per API call, call metrics
//	cache      per call     ETag / max-age cache for GETs, keyed by principal
//	coalesce   per call     identical in-flight GETs of one principal share one round trip
//	retry      boundary     whether: 429 / 5xx / transport-error retries, a 5xx's Retry-After as a floor
//	ratelimit  per attempt  when: the [Budget] (shared 429 cool-down, x/time/rate limiter); reads Retry-After
//	bulkhead   per attempt  caps requests in flight on a client family
//	breaker    per attempt  sony/gobreaker/v2 two-step breaker on a failure ratio
//	timeout    per attempt  the per-attempt deadline, covering the body download
//	attempt    per attempt  a CLIENT span per attempt, attempt metrics, a debug log line
//	download   per attempt  reads the response body fully, so read failures are retriable
//	auth       per attempt  Authorization: Bearer on a clone; one replay after a 401
//
// Stages above retry run once per call, stages below it once per attempt.
// Retry decides whether there is another attempt; the [Budget] of the
// ratelimit stage decides when it leaves, before it takes a bulkhead slot.
// The ratelimit stage is the one that parses a response's Retry-After; it
// stores the value on the call record ([transport.Call.SetRetryAfter]) for
// retry and the service layer, and reports every outcome to the budget.
// The order is written once, in package spotify (pipeline.go); the names are
// the constants of names.go.
//
// Every stage keeps the [net/http.RoundTripper] contract, and reacts only to
// HTTP facts: status codes, headers and the context values of package
// transport. Where a stage must understand a Spotify body (is this 429 a
// quota stop?), package spotify hands it a [QuotaClassifier].
package middleware
