package spotify

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/transport"
)

// PipelineOptions configures the default chain. The zero value is a chain
// with every default and no auth. [NewPipeline] exposes it for programs
// that want Spotify's chain under an http.Client of their own; a client
// builds it from its options, and each field says which option sets it or
// why none does.
//
// Counts and durations follow one rule: 0 means the default, a negative
// value means none (no retry, no per-attempt timeout, no cap). The
// defaults are applied in one place, the same for NewPipeline and for a
// client, and the stages receive the resulting values.
type PipelineOptions struct {
	// Provider supplies tokens to the auth stage; nil sends no
	// Authorization header. No client option: a client passes the
	// provider of its auth option with each call, so that its clones,
	// each with its own auth, share one chain.
	Provider auth.Provider
	// APIHost is the only host that receives the token (default
	// "api.spotify.com"). A client takes it from [WithBaseURL].
	APIHost string
	// Timeout is the per-attempt deadline (0 = 30 s, negative = none);
	// [WithTimeout].
	Timeout time.Duration
	// MaxRetries caps retries (0 = 3, negative = none); [WithMaxRetries],
	// where 0 means none.
	MaxRetries int
	// MaxRetryAfter caps the wait for a Retry-After or a shared cool-down;
	// a longer one fails at once (0 = 60 s, negative = no cap: the
	// context's deadline still bounds every wait); [WithMaxRetryAfter].
	MaxRetryAfter time.Duration
	// Backoff replaces the default backoff between retries
	// ([middleware.DefaultBackoff]); [WithBackoff].
	Backoff middleware.Backoff
	// Budget decides when each attempt leaves: the 429 cool-down and the
	// client-side rate; share one among every client of one app (nil = a
	// private [middleware.AdaptiveBudget], which learns the rate from the
	// 429s); [WithBudget], or a private one bounded by [WithAdaptiveRate]
	// and [WithRateLimit].
	Budget middleware.Budget
	// Bulkhead caps requests in flight; share one within a client family
	// (nil = a private one of [DefaultConcurrency]). A client makes one of
	// [WithConcurrency] slots, which its clones and async views share.
	Bulkhead *middleware.Bulkhead
	// Cache is the response store of the cache stage; nil turns caching
	// off. A client's default is an LRU store of 16 MiB; [WithCache].
	Cache cache.Store
	// Invalidate names, for a successful write, the extra path prefixes
	// whose cached entries it makes stale. No client option: a client
	// sets it from its registry of operations.
	Invalidate func(*http.Request) []string
	// Lifetime bounds the coalesced flights and the attempts' shared
	// deadlines: when it ends they are cancelled (nil = never). No client
	// option: a client's lifetime ends with its Close.
	Lifetime context.Context
	// Breaker configures the circuit breaker; its zero fields mean the
	// defaults [middleware.BreakerOptions] documents;
	// [WithCircuitBreaker].
	Breaker middleware.BreakerOptions
	// MaxBodyBytes caps a response body (0 = 32 MiB, negative = no cap).
	// No client option: the Web API's largest answers are far below the
	// cap, which only guards memory against a server gone wrong.
	MaxBodyBytes int64
	// TracerProvider, MeterProvider and Propagator default to the global
	// OpenTelemetry ones; [WithTracerProvider], [WithMeterProvider],
	// [WithPropagator].
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
	Propagator     propagation.TextMapPropagator
	// Logger receives one debug line per attempt and per failed cache
	// store operation (nil = none); [WithLogger].
	Logger *slog.Logger
	// Clock drives every wait and times every call and attempt (nil = the
	// wall clock); tests inject a fake; [WithClock].
	Clock transport.Clock
}

// NewPipeline returns the default chain, outermost stage first. Each line
// is one stage; the order is part of the API (a test pins it).
func NewPipeline(o PipelineOptions) *transport.Chain {
	c, _ := newPipeline(o)
	return c
}

// newPipeline is NewPipeline, which also returns o with its defaults
// applied: the options the stages were made with.
func newPipeline(o PipelineOptions) (*transport.Chain, PipelineOptions) {
	o = o.withDefaults()
	return transport.NewChain(
		// 1. One span per API call and the call metrics: outermost, so a
		// call served from the cache is still traced and counted.
		transport.Stage{Name: middleware.StageTracing, Wrap: middleware.Tracing(middleware.TracingOptions{
			TracerProvider: o.TracerProvider, MeterProvider: o.MeterProvider, Clock: o.Clock})},
		// 2. The ETag/max-age cache for GETs, keyed by principal, above retry
		// so a hit costs no attempt.
		transport.Stage{Name: middleware.StageCache, Wrap: middleware.Cache(middleware.CacheOptions{
			Store: o.Cache, Clock: o.Clock, Invalidate: o.Invalidate, Logger: o.Logger})},
		// 3. Identical in-flight GETs of one principal share one round trip,
		// below the cache so a miss is fetched once. The flight runs on its
		// first caller's goroutine; if that caller leaves, the others send
		// again.
		transport.Stage{Name: middleware.StageCoalesce, Wrap: middleware.Coalesce(middleware.CoalesceOptions{
			Context: o.Lifetime})},
		// 4. Retries: the boundary between per-call and per-attempt stages.
		// It decides whether there is another attempt; the budget below
		// decides when it leaves (a 5xx's Retry-After stays retry's floor).
		// A 429 is an instruction: retried without counting against
		// MaxRetries, at most 10 times per call, each after at least
		// max(Retry-After, backoff), within a throttle budget of 2 min.
		// Its first send is a protective clone here; a client whose own
		// stages are the only ones below it sends the request itself
		// (see family.buildChain).
		retryStage(o, false),
		// 5. The budget: the shared 429 cool-down and the rate limiter's
		// token are waited for here, before a bulkhead slot is taken, so
		// calls held back by a cool-down hold no slot. By default the
		// budget is adaptive: unthrottled until the first 429, then paced
		// at the rate it learns from the outcomes it is told. The stage parses each
		// answer's Retry-After once, stores it on the call record for retry
		// and the error, and tells the budget every outcome. A token taken
		// here paces the calls into the bulkhead's queue: the sends stay
		// within the rate plus the bulkhead's size, and no slot idles while
		// its holder waits for a token. The price: a call that passed the
		// budget before a 429 arrived, and queues for a slot, is still
		// sent; a 429 it meets only extends the cool-down.
		transport.Stage{Name: middleware.StageRateLimit, Wrap: middleware.RateLimit(middleware.RateLimitOptions{
			Budget: o.Budget, MaxRetryAfter: o.MaxRetryAfter, Classifier: isQuotaExceeded, Clock: o.Clock})},
		// 6. Caps requests in flight on the client family, waiting in
		// arrival order; above the breaker, so no breaker probe is held
		// while queued.
		transport.Stage{Name: middleware.StageBulkhead, Wrap: middleware.Concurrency(middleware.BulkheadOptions{
			Bulkhead: o.Bulkhead})},
		// 7. The circuit breaker, per host, on a failure ratio.
		transport.Stage{Name: middleware.StageBreaker, Wrap: middleware.Breaker(o.Breaker)},
		// 8. The per-attempt deadline, started after every wait above and
		// covering the body download below. A client whose own stages are
		// the only ones below it lends the attempt's copy of the request
		// to them, and auth writes its header into it (see
		// family.buildChain).
		timeoutStage(o, false),
		// 9. A CLIENT span per attempt, attempt metrics, a debug log line.
		transport.Stage{Name: middleware.StageAttempt, Wrap: middleware.Attempt(middleware.AttemptOptions{
			TracerProvider: o.TracerProvider, MeterProvider: o.MeterProvider,
			Propagator: o.Propagator, Logger: o.Logger, Clock: o.Clock})},
		// 10. Reads the body fully, so a reset while reading fails the
		// attempt where retry can see it.
		transport.Stage{Name: middleware.StageDownload, Wrap: middleware.Download(middleware.DownloadOptions{
			MaxBytes: o.MaxBodyBytes})},
		// 11. Authorization on a clone, only for the API host; one replay
		// after a 401 with a fresh token. Innermost, so every attempt gets a
		// current token and nothing above ever sees it.
		transport.Stage{Name: middleware.StageAuth, Wrap: middleware.Auth(middleware.AuthOptions{
			Provider: o.Provider, Host: o.APIHost})},
	), o
}

// timeoutStage returns the timeout stage of o (its defaults applied); with
// lend the attempt's copy of the request is lent to the stages below
// ([middleware.TimeoutOptions.LendCopy]).
func timeoutStage(o PipelineOptions, lend bool) transport.Stage {
	return transport.Stage{Name: middleware.StageTimeout, Wrap: middleware.Timeout(middleware.TimeoutOptions{
		Timeout: o.Timeout, Clock: o.Clock, Lifetime: o.Lifetime, LendCopy: lend})}
}

// retryStage returns the retry stage of o (its defaults applied); with
// belowKeeps its first send is the caller's request itself
// ([middleware.RetryOptions.BelowKeepsRequests]).
func retryStage(o PipelineOptions, belowKeeps bool) transport.Stage {
	return transport.Stage{Name: middleware.StageRetry, Wrap: middleware.Retry(middleware.RetryOptions{
		MaxRetries: o.MaxRetries, MaxRetryAfter: o.MaxRetryAfter, Backoff: o.Backoff,
		MeterProvider: o.MeterProvider, Clock: o.Clock, BelowKeepsRequests: belowKeeps})}
}
