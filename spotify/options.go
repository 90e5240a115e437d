package spotify

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/transport"
)

// Option configures a client. Options are applied in order; one that is
// given a bad value makes the constructor fail with an error naming it.
// An option records what it was given; the defaults, and the meaning of a
// zero value, are applied once, when the client is built.
type Option func(*config) error

// Placement says where [WithMiddleware] puts a stage: next to a named stage
// of the default chain.
type Placement struct {
	name string
	pos  transport.Position
}

// Before places a custom stage just outside the named stage (it runs
// first). Before("retry") runs once per call.
func Before(stage string) Placement { return Placement{name: stage, pos: transport.Before} }

// After places a custom stage just inside the named stage. After("retry")
// runs once per attempt.
func After(stage string) Placement { return Placement{name: stage, pos: transport.After} }

// WithAccessToken authenticates with a token you already hold. It is sent
// as it is; a 401 is returned to you, since a static token cannot be
// renewed.
func WithAccessToken(token string) Option {
	return func(c *config) error {
		if strings.TrimSpace(token) == "" {
			return errors.New("spotify: WithAccessToken: the token is empty")
		}
		c.auth = append(c.auth, authInput{name: "WithAccessToken", accessToken: token})
		return nil
	}
}

// WithClientCredentials authenticates as the app (client credentials flow).
// An empty id or secret is read from SPOTIFY_SDK_CLIENT_ID or
// SPOTIFY_SDK_CLIENT_SECRET.
func WithClientCredentials(clientID, clientSecret string) Option {
	return func(c *config) error {
		c.auth = append(c.auth, authInput{name: "WithClientCredentials", clientID: clientID, clientSecret: clientSecret})
		return nil
	}
}

// WithAuthProvider authenticates through p (for example an authorization
// code provider for a user). The client never closes a provider you pass.
func WithAuthProvider(p auth.Provider) Option {
	return func(c *config) error {
		if p == nil {
			return errors.New("spotify: WithAuthProvider: the provider is nil")
		}
		c.auth = append(c.auth, authInput{name: "WithAuthProvider", provider: p})
		return nil
	}
}

// WithTimeout sets the per-attempt deadline (default 30 s); it covers the
// body download and starts after any limiter or cool-down wait. Use the
// call's context to bound a whole call. The attempts of calls whose context
// never ends share their deadlines by slices of 1/32 of d, so such an
// attempt's deadline may come up to d/32 late ([middleware.Timeout]).
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("spotify: WithTimeout(%v): the timeout must be positive", d)
		}
		c.pipe.Timeout = d
		return nil
	}
}

// WithMaxRetries sets how many times a failed attempt is retried (default
// 3); 0 means no retry.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("spotify: WithMaxRetries(%d): must be 0 or more", n)
		}
		c.maxRetries = &n
		return nil
	}
}

// WithMaxRetryAfter caps the wait for a Retry-After or a shared cool-down
// (default 60 s). A longer one fails the call at once with an error that
// carries the server's value, instead of a hidden sleep of hours.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("spotify: WithMaxRetryAfter(%v): must be positive", d)
		}
		c.pipe.MaxRetryAfter = d
		return nil
	}
}

// WithBackoff replaces the backoff between retries (default: 0.5 s × 2^n,
// capped at 8 s, times a random factor in [0.5, 1)).
func WithBackoff(b middleware.Backoff) Option {
	return func(c *config) error {
		c.pipe.Backoff = b
		return nil
	}
}

// WithBaseURL sets the API root, with its version (default
// https://api.spotify.com/v1). http:// is accepted only for loopback hosts
// (tests, the emulator).
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if _, err := parseServiceURL("WithBaseURL", u); err != nil {
			return err
		}
		c.baseURL = strings.TrimRight(u, "/")
		return nil
	}
}

// WithTokenURL sets the whole token endpoint (default
// https://accounts.spotify.com/api/token). http:// is accepted only for
// loopback hosts.
func WithTokenURL(u string) Option {
	return func(c *config) error {
		if _, err := parseServiceURL("WithTokenURL", u); err != nil {
			return err
		}
		c.tokenURL = u
		return nil
	}
}

// WithHTTPClient makes the chain send through hc's Transport (nil means a
// tuned clone of http.DefaultTransport) and keeps hc's cookie jar and its
// redirect policy when it sets one (CheckRedirect non-nil); otherwise a
// redirect is returned as the answer, not followed, as without this option.
// hc's Timeout is not used: see [WithTimeout].
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("spotify: WithHTTPClient: the client is nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithMiddleware places a custom stage in the chain, next to a named stage:
// WithMiddleware(s, Before("retry")) runs once per call,
// WithMiddleware(s, After("retry")) once per attempt.
func WithMiddleware(s transport.Stage, at Placement) Option {
	return func(c *config) error {
		if s.Name == "" || s.Wrap == nil {
			return errors.New("spotify: WithMiddleware: the stage needs a name and a Wrap function")
		}
		if at.name == "" {
			return fmt.Errorf("spotify: WithMiddleware(%q): say where, with Before(stage) or After(stage)", s.Name)
		}
		c.middlewares = append(c.middlewares, placedStage{stage: s, at: at})
		return nil
	}
}

// WithCache sets the response store of the cache stage; nil turns caching
// off. The default is an LRU store of 16 MiB ([cache.NewLRU]). A store's
// errors never fail a call: a failed lookup is a miss, a failed store or
// invalidation is skipped, and each is logged at debug level through
// [WithLogger]. The cache package says how a store must behave.
func WithCache(store cache.Store) Option {
	return func(c *config) error {
		c.cacheSet = true
		c.pipe.Cache = store
		return nil
	}
}

// WithRateLimit limits the requests the client family sends, to rps per
// second with bursts of burst (0 = the next whole number above rps). Off by
// default: Spotify publishes no numbers, and the adaptive budget learns
// the rate from its 429s (see [WithAdaptiveRate]). With the adaptive
// budget, rps is its ceiling: it paces at rps (with burst) until the first
// 429, and below rps after it. With WithAdaptiveRate(nil) it is a fixed
// rate. Ignored when [WithBudget] gives a budget, which carries its own.
func WithRateLimit(rps float64, burst int) Option {
	return func(c *config) error {
		if rps <= 0 || burst < 0 {
			return fmt.Errorf("spotify: WithRateLimit(%v, %d): rps must be positive and burst 0 or more", rps, burst)
		}
		c.rate, c.burst = rps, burst
		return nil
	}
}

// WithBudget makes b decide when each attempt of the client leaves, and
// shares it with every other client given the same budget: a 429 seen by
// one holds them all back, and the rate one learns paces them all.
// Spotify counts requests per app: give every client of one app id one
// budget. b is any [middleware.Budget]; the package's own are
// [middleware.NewAdaptiveBudget] (the default of a client, which learns
// the rate) and [middleware.NewFixedBudget] (a cool-down and an optional
// fixed rate). Without it each client family has its own adaptive budget
// (see [WithAdaptiveRate]); with it, [WithAdaptiveRate] and
// [WithRateLimit] are ignored.
func WithBudget(b middleware.Budget) Option {
	return func(c *config) error {
		if b == nil {
			return errors.New("spotify: WithBudget: the budget is nil")
		}
		c.pipe.Budget = b
		return nil
	}
}

// WithAdaptiveRate bounds the client family's own budget, a
// [middleware.AdaptiveBudget]: it lets every request through until the
// first 429, then learns the rate Spotify allows the app from the
// outcomes (a cut on each 429, a careful regrowth) and paces the requests
// to it, so that the rolling window is used without being overrun. o
// gives its bounds (MinRate, MaxRate, the assumed Window, 30 s by
// default); its zero fields are the budget's defaults, and a nil Clock or
// MeterProvider is the client's. nil turns it off: the family's budget is
// then a [middleware.FixedBudget], which only waits out 429 cool-downs (at
// [WithRateLimit]'s fixed rate, if given). Ignored with [WithBudget].
func WithAdaptiveRate(o *middleware.AdaptiveBudgetOptions) Option {
	return func(c *config) error {
		if o == nil {
			c.adaptive, c.noAdaptive = nil, true
			return nil
		}
		if o.MinRate < 0 || o.MaxRate < 0 || o.Window < 0 || (o.MaxRate > 0 && o.MinRate > o.MaxRate) {
			return fmt.Errorf("spotify: WithAdaptiveRate: MinRate %v, MaxRate %v and Window %v must be 0 or more, MinRate at most MaxRate",
				o.MinRate, o.MaxRate, o.Window)
		}
		cp := *o
		c.adaptive, c.noAdaptive = &cp, false
		return nil
	}
}

// WithCircuitBreaker configures the circuit breaker (nil turns it off). By
// default it opens when half of at least 10 attempts in 30 s failed with a
// 5xx, a reset or a timeout, and probes again after 30 s.
func WithCircuitBreaker(o *middleware.BreakerOptions) Option {
	return func(c *config) error {
		if o == nil {
			o = &middleware.BreakerOptions{Disabled: true}
		}
		c.breaker = o
		return nil
	}
}

// WithTracerProvider sets the OpenTelemetry tracer provider (default: the
// global one).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) error { c.pipe.TracerProvider = tp; return nil }
}

// WithMeterProvider sets the OpenTelemetry meter provider (default: the
// global one).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) error { c.pipe.MeterProvider = mp; return nil }
}

// WithPropagator sets the OpenTelemetry propagator that writes the trace
// context (traceparent...) into the headers of every attempt (default: the
// global one, which writes nothing until one is installed).
func WithPropagator(p propagation.TextMapPropagator) Option {
	return func(c *config) error { c.pipe.Propagator = p; return nil }
}

// WithLogger receives one debug line per attempt (headers redacted) and,
// at debug level, the errors of a cache store, which never fail a request.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.pipe.Logger = l; return nil }
}

// WithUserAgent puts your product before spotify-go's in the User-Agent
// header ("myapp/1.2 spotify-go/0.1.0").
func WithUserAgent(product string) Option {
	return func(c *config) error {
		if strings.ContainsAny(product, "\r\n") {
			return errors.New("spotify: WithUserAgent: the product must not contain line breaks")
		}
		c.userAgent = strings.TrimSpace(product)
		return nil
	}
}

// WithConcurrency caps the requests in flight on the client family
// (default 16); the AsyncClient also caps its submitted calls with it.
func WithConcurrency(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("spotify: WithConcurrency(%d): must be positive", n)
		}
		c.concurrency = n
		return nil
	}
}

// WithClock drives every wait and expiry of the client, and times its calls
// and attempts (metrics and log lines), from clk instead of the wall clock.
// It exists for tests.
func WithClock(clk transport.Clock) Option {
	return func(c *config) error { c.pipe.Clock = clk; return nil }
}
