package spotify

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/transport"
)

// resolved applies opts to an empty config and resolves it, as NewClient
// does.
func resolved(t *testing.T, opts ...Option) config {
	t.Helper()
	var c config
	for _, o := range opts {
		require.NoError(t, o(&c))
	}
	r, err := c.resolve()
	require.NoError(t, err)
	return r
}

// funcPtr identifies a function value, for comparing backoffs.
func funcPtr(f any) uintptr { return reflect.ValueOf(f).Pointer() }

// TestConfigResolve is the table of the client's configuration: for every
// option with a default or a meaning of zero, the value in force when it
// is not given and when it is.
func TestConfigResolve(t *testing.T) {
	fake := clock.NewFake()
	store := cache.NewLRU(cache.LRUOptions{})
	budget := middleware.NewFixedBudget(middleware.BudgetOptions{})
	backoff := func(int) time.Duration { return time.Millisecond }
	logger := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
	tp := sdktrace.NewTracerProvider()
	mp := sdkmetric.NewMeterProvider()
	prop := propagation.TraceContext{}
	breaker := &middleware.BreakerOptions{FailureRatio: 0.9}

	cases := []struct {
		name  string
		opts  []Option
		check func(t *testing.T, c config)
	}{
		{"timeout default", nil, func(t *testing.T, c config) {
			assert.Equal(t, 30*time.Second, c.pipe.Timeout)
		}},
		{"timeout given", []Option{WithTimeout(5 * time.Second)}, func(t *testing.T, c config) {
			assert.Equal(t, 5*time.Second, c.pipe.Timeout)
		}},
		{"max retries default", nil, func(t *testing.T, c config) {
			assert.Equal(t, 3, c.pipe.MaxRetries)
		}},
		{"max retries 0 is no retry", []Option{WithMaxRetries(0)}, func(t *testing.T, c config) {
			assert.Negative(t, c.pipe.MaxRetries, "the chain's none")
		}},
		{"max retries given", []Option{WithMaxRetries(5)}, func(t *testing.T, c config) {
			assert.Equal(t, 5, c.pipe.MaxRetries)
		}},
		{"max retry-after default", nil, func(t *testing.T, c config) {
			assert.Equal(t, 60*time.Second, c.pipe.MaxRetryAfter)
		}},
		{"max retry-after given", []Option{WithMaxRetryAfter(2 * time.Second)}, func(t *testing.T, c config) {
			assert.Equal(t, 2*time.Second, c.pipe.MaxRetryAfter)
		}},
		{"backoff default", nil, func(t *testing.T, c config) {
			assert.Equal(t, funcPtr(middleware.DefaultBackoff), funcPtr(c.pipe.Backoff))
		}},
		{"backoff given", []Option{WithBackoff(backoff)}, func(t *testing.T, c config) {
			assert.Equal(t, funcPtr(backoff), funcPtr(c.pipe.Backoff))
		}},
		{"concurrency default", nil, func(t *testing.T, c config) {
			assert.Equal(t, 16, c.concurrency)
			assert.Equal(t, 16, c.pipe.Bulkhead.Limit())
		}},
		{"concurrency given", []Option{WithConcurrency(4)}, func(t *testing.T, c config) {
			assert.Equal(t, 4, c.concurrency)
			assert.Equal(t, 4, c.pipe.Bulkhead.Limit())
		}},
		{"cache default", nil, func(t *testing.T, c config) {
			assert.IsType(t, &cache.LRU{}, c.pipe.Cache)
		}},
		{"cache nil is off", []Option{WithCache(nil)}, func(t *testing.T, c config) {
			assert.Nil(t, c.pipe.Cache)
		}},
		{"cache given", []Option{WithCache(store)}, func(t *testing.T, c config) {
			assert.Same(t, store, c.pipe.Cache)
		}},
		{"budget default", nil, func(t *testing.T, c config) {
			require.IsType(t, &middleware.AdaptiveBudget{}, c.pipe.Budget, "adaptive by default")
			r, throttled := c.pipe.Budget.(*middleware.AdaptiveBudget).Rate()
			assert.False(t, throttled)
			assert.Zero(t, r, "no ceiling")
			assert.NoError(t, rateLimited(c.pipe.Budget), "no rate limit until a 429")
		}},
		{"rate limit", []Option{WithRateLimit(1, 1)}, func(t *testing.T, c config) {
			require.IsType(t, &middleware.AdaptiveBudget{}, c.pipe.Budget)
			r, _ := c.pipe.Budget.(*middleware.AdaptiveBudget).Rate()
			assert.Equal(t, 1.0, r, "the fixed rate is the adaptive budget's ceiling")
			assert.Error(t, rateLimited(c.pipe.Budget), "the limit reached the private budget")
		}},
		{"adaptive bounded", []Option{WithAdaptiveRate(&middleware.AdaptiveBudgetOptions{MaxRate: 5})}, func(t *testing.T, c config) {
			r, _ := c.pipe.Budget.(*middleware.AdaptiveBudget).Rate()
			assert.Equal(t, 5.0, r)
		}},
		{"adaptive bound and a lower rate limit", []Option{WithAdaptiveRate(&middleware.AdaptiveBudgetOptions{MaxRate: 5}), WithRateLimit(2, 0)}, func(t *testing.T, c config) {
			r, _ := c.pipe.Budget.(*middleware.AdaptiveBudget).Rate()
			assert.Equal(t, 2.0, r, "the lower ceiling")
		}},
		{"adaptive bound and a higher rate limit", []Option{WithRateLimit(9, 0), WithAdaptiveRate(&middleware.AdaptiveBudgetOptions{MaxRate: 5})}, func(t *testing.T, c config) {
			r, _ := c.pipe.Budget.(*middleware.AdaptiveBudget).Rate()
			assert.Equal(t, 5.0, r, "the lower ceiling")
		}},
		{"adaptive off", []Option{WithAdaptiveRate(nil)}, func(t *testing.T, c config) {
			require.IsType(t, &middleware.FixedBudget{}, c.pipe.Budget)
			assert.NoError(t, rateLimited(c.pipe.Budget), "only cool-downs")
		}},
		{"adaptive off with a rate limit", []Option{WithAdaptiveRate(nil), WithRateLimit(1, 1)}, func(t *testing.T, c config) {
			require.IsType(t, &middleware.FixedBudget{}, c.pipe.Budget)
			assert.Error(t, rateLimited(c.pipe.Budget), "a fixed rate")
		}},
		{"adaptive off, then on again", []Option{WithAdaptiveRate(nil), WithAdaptiveRate(&middleware.AdaptiveBudgetOptions{})}, func(t *testing.T, c config) {
			require.IsType(t, &middleware.AdaptiveBudget{}, c.pipe.Budget)
		}},
		{"budget wins over adaptive", []Option{WithAdaptiveRate(&middleware.AdaptiveBudgetOptions{MaxRate: 5}), WithBudget(budget)}, func(t *testing.T, c config) {
			assert.Same(t, budget, c.pipe.Budget)
		}},
		{"budget given", []Option{WithBudget(budget)}, func(t *testing.T, c config) {
			assert.Same(t, budget, c.pipe.Budget)
		}},
		{"budget wins over rate limit", []Option{WithRateLimit(1, 1), WithBudget(budget)}, func(t *testing.T, c config) {
			assert.Same(t, budget, c.pipe.Budget)
		}},
		{"breaker default", nil, func(t *testing.T, c config) {
			assert.Equal(t, middleware.BreakerOptions{}, c.pipe.Breaker, "the breaker's own defaults")
		}},
		{"breaker nil is off", []Option{WithCircuitBreaker(nil)}, func(t *testing.T, c config) {
			assert.True(t, c.pipe.Breaker.Disabled)
		}},
		{"breaker given", []Option{WithCircuitBreaker(breaker)}, func(t *testing.T, c config) {
			assert.Equal(t, 0.9, c.pipe.Breaker.FailureRatio)
		}},
		{"body cap", nil, func(t *testing.T, c config) {
			assert.Equal(t, int64(32<<20), c.pipe.MaxBodyBytes)
		}},
		{"user agent default", nil, func(t *testing.T, c config) {
			assert.Equal(t, "spotify-go/"+Version, c.userAgent)
		}},
		{"user agent given", []Option{WithUserAgent(" myapp/1.2 ")}, func(t *testing.T, c config) {
			assert.Equal(t, "myapp/1.2 spotify-go/"+Version, c.userAgent)
		}},
		{"base URL default", nil, func(t *testing.T, c config) {
			assert.Equal(t, DefaultBaseURL, c.base.String())
			assert.Equal(t, "api.spotify.com", c.pipe.APIHost)
		}},
		{"base URL given", []Option{WithBaseURL("http://127.0.0.1:8080/v1/")}, func(t *testing.T, c config) {
			assert.Equal(t, "http://127.0.0.1:8080/v1", c.base.String())
			assert.Equal(t, "127.0.0.1:8080", c.pipe.APIHost, "the token goes to the base URL's host only")
		}},
		{"token URL default", nil, func(t *testing.T, c config) {
			assert.Equal(t, DefaultTokenURL, c.tokenURL)
		}},
		{"token URL given", []Option{WithTokenURL("https://auth.example.com/token")}, func(t *testing.T, c config) {
			assert.Equal(t, "https://auth.example.com/token", c.tokenURL)
		}},
		{"logger default", nil, func(t *testing.T, c config) {
			assert.Nil(t, c.pipe.Logger, "no log lines")
		}},
		{"logger given", []Option{WithLogger(logger)}, func(t *testing.T, c config) {
			assert.Same(t, logger, c.pipe.Logger)
		}},
		{"telemetry default", nil, func(t *testing.T, c config) {
			assert.Equal(t, otel.GetTracerProvider(), c.pipe.TracerProvider)
			assert.Equal(t, otel.GetMeterProvider(), c.pipe.MeterProvider)
			assert.Equal(t, otel.GetTextMapPropagator(), c.pipe.Propagator)
		}},
		{"telemetry given", []Option{WithTracerProvider(tp), WithMeterProvider(mp), WithPropagator(prop)}, func(t *testing.T, c config) {
			assert.Same(t, tp, c.pipe.TracerProvider)
			assert.Same(t, mp, c.pipe.MeterProvider)
			assert.Equal(t, prop, c.pipe.Propagator)
		}},
		{"clock default", nil, func(t *testing.T, c config) {
			assert.Equal(t, clock.Real, c.pipe.Clock)
		}},
		{"clock given", []Option{WithClock(fake)}, func(t *testing.T, c config) {
			assert.Same(t, fake, c.pipe.Clock)
		}},
		{"app mode default", nil, func(t *testing.T, c config) {
			assert.Equal(t, AppMode(0), c.appMode, "unset")
		}},
		{"left to the family", nil, func(t *testing.T, c config) {
			assert.Nil(t, c.pipe.Provider, "passed per call")
			assert.Nil(t, c.pipe.Invalidate, "set by the family")
			assert.Equal(t, context.Background(), c.pipe.Lifetime, "replaced by the family's")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, resolved(t, tc.opts...))
		})
	}
}

// rateLimited reports whether a second request right after a first one
// would have to wait for b's rate limiter: the wait would outlive the
// context, so Wait fails at once.
func rateLimited(b middleware.Budget) error {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := b.Wait(ctx, 0); err != nil {
		return err
	}
	return b.Wait(ctx, 0)
}

// TestPipelineOptionsDefaults is the table of NewPipeline's defaults, the
// ones a client's configuration is completed with: 0 means the default, a
// negative value stays (none), a value given is kept.
func TestPipelineOptionsDefaults(t *testing.T) {
	d := PipelineOptions{}.withDefaults()
	assert.Equal(t, "api.spotify.com", d.APIHost)
	assert.Equal(t, 30*time.Second, d.Timeout)
	assert.Equal(t, middleware.DefaultMaxRetries, d.MaxRetries)
	assert.Equal(t, middleware.DefaultMaxRetryAfter, d.MaxRetryAfter)
	assert.Equal(t, funcPtr(middleware.DefaultBackoff), funcPtr(d.Backoff))
	assert.IsType(t, &middleware.AdaptiveBudget{}, d.Budget)
	require.NotNil(t, d.Bulkhead)
	assert.Equal(t, DefaultConcurrency, d.Bulkhead.Limit())
	assert.Nil(t, d.Cache, "no caching without a store")
	assert.Equal(t, int64(32<<20), d.MaxBodyBytes)
	assert.Equal(t, clock.Real, d.Clock)
	assert.Equal(t, context.Background(), d.Lifetime)
	assert.Equal(t, otel.GetTracerProvider(), d.TracerProvider)
	assert.Equal(t, otel.GetMeterProvider(), d.MeterProvider)
	assert.Equal(t, otel.GetTextMapPropagator(), d.Propagator)
	assert.Nil(t, d.Logger)
	assert.Nil(t, d.Provider)

	none := PipelineOptions{Timeout: -1, MaxRetries: -1, MaxRetryAfter: -1, MaxBodyBytes: -1}.withDefaults()
	assert.Equal(t, time.Duration(-1), none.Timeout, "no per-attempt timeout")
	assert.Equal(t, -1, none.MaxRetries, "no retry")
	assert.Equal(t, time.Duration(-1), none.MaxRetryAfter, "no cap")
	assert.Equal(t, int64(-1), none.MaxBodyBytes, "no cap")

	given := PipelineOptions{APIHost: "127.0.0.1:9", Timeout: time.Second, MaxRetries: 7, MaxRetryAfter: time.Minute, MaxBodyBytes: 10}
	g := given.withDefaults()
	assert.Equal(t, "127.0.0.1:9", g.APIHost)
	assert.Equal(t, time.Second, g.Timeout)
	assert.Equal(t, 7, g.MaxRetries)
	assert.Equal(t, time.Minute, g.MaxRetryAfter)
	assert.Equal(t, int64(10), g.MaxBodyBytes)

	again := d.withDefaults()
	assert.Same(t, d.Budget, again.Budget, "applying the defaults twice changes nothing")
	assert.Same(t, d.Bulkhead, again.Bulkhead)
	assert.Equal(t, d.Timeout, again.Timeout)
}

// TestConfigCloneStillRejectsEveryNonAuthOption: an option that writes
// into the chain's settings still counts as more than auth for Clone.
func TestConfigCloneStillRejectsEveryNonAuthOption(t *testing.T) {
	ts := newTestServer(t)
	c := coreClient(t, ts, WithAccessToken("parent"))
	for name, o := range map[string]Option{
		"WithMaxRetries(0)":      WithMaxRetries(0),
		"WithCircuitBreaker":     WithCircuitBreaker(&middleware.BreakerOptions{}),
		"WithPropagator":         WithPropagator(propagation.TraceContext{}),
		"WithClock":              WithClock(clock.NewFake()),
		"WithMaxRetryAfter":      WithMaxRetryAfter(time.Second),
		"WithBudget":             WithBudget(middleware.NewFixedBudget(middleware.BudgetOptions{})),
		"WithRateLimit":          WithRateLimit(1, 0),
		"WithAdaptiveRate":       WithAdaptiveRate(&middleware.AdaptiveBudgetOptions{}),
		"WithAdaptiveRate(nil)":  WithAdaptiveRate(nil),
		"WithHTTPClient":         WithHTTPClient(&http.Client{}),
		"WithMiddleware(noop)":   WithMiddleware(transport.Stage{Name: "noop", Wrap: func(next http.RoundTripper) http.RoundTripper { return next }}, Before("retry")),
		"WithAppMode(Dev)":       WithAppMode(DevelopmentMode),
		"WithConcurrency(2)":     WithConcurrency(2),
		"WithTokenURL":           WithTokenURL("https://auth.example.com/token"),
		"WithBaseURL":            WithBaseURL("https://api.example.com/v1"),
		"WithUserAgent(product)": WithUserAgent("x/1"),
	} {
		_, err := c.Clone(WithAccessToken("other"), o)
		assert.Error(t, err, name)
	}
}

// WithAdaptiveRate refuses bounds that mean nothing.
func TestWithAdaptiveRateRejectsBadBounds(t *testing.T) {
	for name, o := range map[string]middleware.AdaptiveBudgetOptions{
		"negative MinRate":  {MinRate: -1},
		"negative MaxRate":  {MaxRate: -1},
		"negative Window":   {Window: -time.Second},
		"MinRate > MaxRate": {MinRate: 5, MaxRate: 2},
	} {
		_, err := NewClient(WithAccessToken("tok"), WithAdaptiveRate(&o))
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "WithAdaptiveRate", name)
	}
}

// Each client family has an adaptive budget of its own, which its clones
// share; WithBudget shares one across families.
func TestAdaptiveBudgetPerFamily(t *testing.T) {
	a, err := NewClient(WithAccessToken("a"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.Close() })
	b, err := NewClient(WithAccessToken("b"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	clone, err := a.Clone(WithAccessToken("c"))
	require.NoError(t, err)
	assert.IsType(t, &middleware.AdaptiveBudget{}, a.fam.cfg.pipe.Budget)
	assert.NotSame(t, a.fam.cfg.pipe.Budget, b.fam.cfg.pipe.Budget, "one per family")
	assert.Same(t, a.fam.cfg.pipe.Budget, clone.fam.cfg.pipe.Budget, "shared by a clone")

	shared := middleware.NewAdaptiveBudget(middleware.AdaptiveBudgetOptions{})
	x, err := NewClient(WithAccessToken("x"), WithBudget(shared))
	require.NoError(t, err)
	t.Cleanup(func() { _ = x.Close() })
	y, err := NewClient(WithAccessToken("y"), WithBudget(shared))
	require.NoError(t, err)
	t.Cleanup(func() { _ = y.Close() })
	assert.Same(t, shared, x.fam.cfg.pipe.Budget)
	assert.Same(t, shared, y.fam.cfg.pipe.Budget)
}
