package spotify

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/url"
	"time"

	"go.opentelemetry.io/otel"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/transport"
)

// This file is the one place where a client's configuration gets its
// defaults and where zero and negative values get their meaning. The path
// is: the options write into a config what they were given; resolve turns
// it into the configuration in force, completing the chain's part with
// PipelineOptions.withDefaults, which NewPipeline applies as well; the
// stages then receive values that need no default of their own. (The
// breaker is the exception: WithCircuitBreaker takes the stage's own
// options, whose zero fields the stage documents and fills.)
//
// Below the client options, one convention holds for every count and
// duration of the chain: 0 means the default, a negative value means none
// (no retry, no per-attempt timeout, no cap). The client options read more
// naturally (WithMaxRetries(0) means no retry, as in the Python SDK), and
// resolve is where the one is turned into the other.

const (
	// defaultTimeout is the per-attempt deadline.
	defaultTimeout = 30 * time.Second
	// defaultMaxBodyBytes caps a response body.
	defaultMaxBodyBytes = 32 << 20
	// defaultAPIHost is the host of DefaultBaseURL, the only one that
	// receives the token when nothing else is configured.
	defaultAPIHost = "api.spotify.com"
	// none is the chain's "none" for a count or a duration: no retry, no
	// timeout, no cap.
	none = -1
)

// config is a client's configuration. The options fill it with what they
// were given, and a field they did not touch keeps its zero value; resolve
// returns the configuration in force, in which every default is applied
// and which the family keeps.
type config struct {
	auth []authInput // every auth input given, to report conflicts

	// pipe holds the chain's settings that an option gives as they are
	// (WithTimeout, WithMaxRetryAfter, WithBackoff, WithBudget, WithCache,
	// WithTracerProvider, WithMeterProvider, WithPropagator, WithLogger,
	// WithClock). resolve fills in the rest and every default.
	pipe     PipelineOptions
	cacheSet bool // WithCache was given: a nil pipe.Cache means off

	// What resolve turns into the chain's settings.
	maxRetries *int                       // WithMaxRetries, as given: 0 means no retry
	breaker    *middleware.BreakerOptions // WithCircuitBreaker; nil option: Disabled
	rate       float64                    // WithRateLimit; ignored with WithBudget
	burst      int
	adaptive   *middleware.AdaptiveBudgetOptions // WithAdaptiveRate
	noAdaptive bool                              // WithAdaptiveRate(nil)

	// The client's own settings.
	baseURL     string // WithBaseURL, no trailing slash
	tokenURL    string
	httpClient  *http.Client
	middlewares []placedStage
	userAgent   string // the product before spotify-go's; after resolve, the whole header
	concurrency int
	appMode     AppMode // WithAppMode; 0 = unset

	rootCAs *x509.CertPool // WithRootCAs (options_tls.go); nil: the system's

	base *url.URL // baseURL parsed, set by resolve
}

// authInput is one auth option as given.
type authInput struct {
	name         string
	accessToken  string
	clientID     string
	clientSecret string
	provider     auth.Provider
}

// placedStage is a custom middleware and where it goes.
type placedStage struct {
	stage transport.Stage
	at    Placement
}

// resolve returns the configuration in force: c with every default
// applied, the client options' meanings turned into the chain's, and the
// shared parts (budget, bulkhead, cache store) made. Its pipe is complete
// but for the parts only a family has (Invalidate, Lifetime) and the
// Provider, which the client gives per call.
func (c config) resolve() (config, error) {
	if c.baseURL == "" {
		c.baseURL = DefaultBaseURL
	}
	base, err := parseServiceURL("WithBaseURL", c.baseURL)
	if err != nil {
		return config{}, err
	}
	c.base = base
	if c.tokenURL == "" {
		c.tokenURL = DefaultTokenURL
	}
	if c.concurrency == 0 {
		c.concurrency = DefaultConcurrency
	}
	ua := "spotify-go/" + Version
	if c.userAgent != "" {
		ua = c.userAgent + " " + ua
	}
	c.userAgent = ua

	p := c.pipe
	p.APIHost = base.Host
	if c.maxRetries != nil {
		p.MaxRetries = *c.maxRetries
		if p.MaxRetries == 0 {
			p.MaxRetries = none
		}
	}
	if c.breaker != nil {
		p.Breaker = *c.breaker
	}
	if !c.cacheSet {
		p.Cache = cache.NewLRU(cache.LRUOptions{})
	}
	p.Clock = clock.Or(p.Clock)
	if p.Budget == nil {
		p.Budget = c.budget(p)
	}
	p.Bulkhead = middleware.NewBulkhead(c.concurrency)
	c.pipe = p.withDefaults()
	return c, nil
}

// budget returns the family's own budget, for a client not given one with
// WithBudget: an adaptive budget (bounded by WithAdaptiveRate's options,
// and by WithRateLimit's rate as its ceiling), or with WithAdaptiveRate(nil)
// a fixed one (WithRateLimit's rate, or only 429 cool-downs).
func (c config) budget(p PipelineOptions) middleware.Budget {
	if c.noAdaptive {
		return middleware.NewFixedBudget(middleware.BudgetOptions{Rate: c.rate, Burst: c.burst, Clock: p.Clock})
	}
	var o middleware.AdaptiveBudgetOptions
	if c.adaptive != nil {
		o = *c.adaptive
	}
	if c.rate > 0 && (o.MaxRate <= 0 || c.rate < o.MaxRate) {
		o.MaxRate, o.Burst = c.rate, c.burst
	}
	if o.Clock == nil {
		o.Clock = p.Clock
	}
	if o.MeterProvider == nil {
		o.MeterProvider = p.MeterProvider
	}
	return middleware.NewAdaptiveBudget(o)
}

// withDefaults returns o with the default of every field applied; a value
// already set is kept, so applying it twice changes nothing. Negative
// counts and durations stay negative: "none" for the stage that reads
// them.
func (o PipelineOptions) withDefaults() PipelineOptions {
	if o.APIHost == "" {
		o.APIHost = defaultAPIHost
	}
	if o.Timeout == 0 {
		o.Timeout = defaultTimeout
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = middleware.DefaultMaxRetries
	}
	if o.MaxRetryAfter == 0 {
		o.MaxRetryAfter = middleware.DefaultMaxRetryAfter
	}
	if o.Backoff == nil {
		o.Backoff = middleware.DefaultBackoff
	}
	o.Clock = clock.Or(o.Clock)
	if o.Budget == nil {
		o.Budget = middleware.NewAdaptiveBudget(middleware.AdaptiveBudgetOptions{Clock: o.Clock, MeterProvider: o.MeterProvider})
	}
	if o.Bulkhead == nil {
		o.Bulkhead = middleware.NewBulkhead(DefaultConcurrency)
	}
	if o.Lifetime == nil {
		o.Lifetime = context.Background()
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = defaultMaxBodyBytes
	}
	// The global OpenTelemetry objects forward to the ones installed later,
	// so taking them now loses nothing.
	if o.TracerProvider == nil {
		o.TracerProvider = otel.GetTracerProvider()
	}
	if o.MeterProvider == nil {
		o.MeterProvider = otel.GetMeterProvider()
	}
	if o.Propagator == nil {
		o.Propagator = otel.GetTextMapPropagator()
	}
	// Kept as they are: a nil Provider (no auth), Cache (no caching),
	// Invalidate (no extra prefixes) and Logger (no log lines); the
	// Breaker, whose zero fields are the breaker's own defaults.
	return o
}
