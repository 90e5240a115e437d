package redisbudget

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel/metric"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/redisconn"
	"github.com/spotifysdk/spotify-go/middleware"
)

// Defaults of [Options].
const (
	// DefaultPrefix is the key prefix when Options.Prefix is empty.
	DefaultPrefix = "spotify-go"
	// DefaultTimeout bounds one Redis command when Options.Timeout is zero.
	DefaultTimeout = 250 * time.Millisecond
	// DefaultProbeInterval is how often a Budget whose Redis is away tries
	// it again when Options.ProbeInterval is zero.
	DefaultProbeInterval = time.Second
	// defaultRetryAfter is the cool-down of a 429 without a Retry-After,
	// as the FixedBudget's default.
	defaultRetryAfter = time.Second
	// recheckAfter is how long the local Budget's wait must have taken for
	// Wait to look at the shared cool-down again.
	recheckAfter = time.Millisecond
)

// Options configures a [Budget]. App and one of Client and URL are
// required.
type Options struct {
	// Client is a client the caller built; set its ContextTimeoutEnabled
	// so that Timeout bounds each command. The Budget never closes it.
	Client redis.UniversalClient
	// URL is used when Client is nil (redis://, rediss://, unix://); it is
	// printed redacted only. Close closes the client made from it.
	URL string
	// App names the app whose workers share the cool-down: its client id.
	App string
	// Prefix is the key prefix; "" means [DefaultPrefix]. It must not hold
	// '{' or '}'.
	Prefix string
	// Local paces this worker's requests and keeps its own cool-downs; nil
	// means a [middleware.FixedBudget] without a rate on Clock. A
	// *[middleware.AdaptiveBudget] also shares the rate it learns (see the
	// package documentation); give it the same Clock.
	Local middleware.Budget
	// Clock is this worker's time source, on which shared cool-downs are
	// waited out; nil means the wall clock.
	Clock clock.Clock
	// Timeout bounds each Redis command; 0 means [DefaultTimeout].
	Timeout time.Duration
	// ProbeInterval is how often Redis is tried while it is away; 0 means
	// [DefaultProbeInterval].
	ProbeInterval time.Duration
	// Jitter returns a random number in [0, 1) that spreads the release of
	// waiters after a shared cool-down (up to a tenth of it); nil means
	// math/rand/v2.
	Jitter func() float64
	// Heartbeat is how often a worker whose Local is adaptive reports
	// itself to Redis (the workers the fleet's rate is divided among are
	// those that reported within three heartbeats); 0 means
	// [DefaultHeartbeat].
	Heartbeat time.Duration
	// Logger receives the line saying Redis went away and the one saying
	// it is back; nil means slog.Default().
	Logger *slog.Logger
	// MeterProvider counts the same; nil means the global provider.
	MeterProvider metric.MeterProvider
}

// Budget is a [middleware.Budget] whose 429 cool-down is shared through
// Redis (see the package documentation). Make one with [New]; it is safe
// for concurrent use.
type Budget struct {
	client  redis.UniversalClient
	name    string
	owned   bool
	key     string
	local   middleware.Budget
	clock   clock.Clock
	timeout time.Duration
	jitter  func() float64
	health  *redisconn.Health

	// The rate sharing, when local is adaptive (else adaptive is nil).
	adaptive   *middleware.AdaptiveBudget
	rateKey    string
	workersKey string
	id         string        // this worker's name in workersKey
	heartbeat  time.Duration // how often it reports itself

	mu        sync.Mutex
	lastUntil time.Time     // the last shared deadline read, on clock
	lastQuota bool          // whether it was a quota stop
	reset     chan struct{} // closed (and replaced) by Reset
	nextBeat  time.Time     // when the next report is due
	workers   int           // the workers last counted
	gen       string        // the last cut published or adopted
	fleetRate float64       // its rate
	cuts      int           // the local budget's cuts seen
}

var _ middleware.Budget = (*Budget)(nil)

// New returns a Budget configured by o. It sends nothing to Redis.
func New(o Options) (*Budget, error) {
	const method = "redisbudget: New"
	if o.App == "" {
		return nil, errors.New(method + ": empty Options.App")
	}
	prefix := o.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if strings.ContainsAny(prefix+o.App, "{}") {
		return nil, fmt.Errorf("%s: Options.Prefix or Options.App holds a brace", method)
	}
	conn, err := redisconn.Open(redisconn.Config{Method: method, Client: o.Client, URL: o.URL})
	if err != nil {
		return nil, err
	}
	base := prefix + ":v1:{budget:" + o.App + "}:"
	b := &Budget{client: conn.Client, name: conn.Name, owned: conn.Owned,
		key: base + "cooldown", local: o.Local, clock: clock.Or(o.Clock),
		timeout: o.Timeout, jitter: o.Jitter, reset: make(chan struct{}),
		rateKey: base + "rate", workersKey: base + "workers", id: newWorkerID(), heartbeat: o.Heartbeat}
	if b.local == nil {
		b.local = middleware.NewFixedBudget(middleware.BudgetOptions{Clock: o.Clock})
	}
	b.adaptive, _ = b.local.(*middleware.AdaptiveBudget)
	if b.heartbeat <= 0 {
		b.heartbeat = DefaultHeartbeat
	}
	if b.timeout <= 0 {
		b.timeout = DefaultTimeout
	}
	if b.jitter == nil {
		b.jitter = rand.Float64
	}
	probe := o.ProbeInterval
	if probe <= 0 {
		probe = DefaultProbeInterval
	}
	b.health = redisconn.NewHealth(redisconn.HealthOptions{Component: "redisbudget", Server: conn.Name,
		Scope: "github.com/spotifysdk/spotify-go/middleware/redisbudget", Logger: o.Logger, MeterProvider: o.MeterProvider,
		Probe: probe, Clock: b.clock})
	return b, nil
}

// String prints the Budget's server, redacted, and its key.
func (b *Budget) String() string {
	return fmt.Sprintf("redisbudget.Budget{Redis:%s, Key:%q}", b.name, b.key)
}

// Close closes the client the Budget made from Options.URL.
func (b *Budget) Close() error {
	if b.owned {
		return b.client.Close()
	}
	return nil
}

// observeScript moves the cool-down (KEYS[1]) to ARGV[1] ms from now if
// that is later than its current end, with value ARGV[2] ("q" for a quota
// stop, "r" otherwise); a quota stop that ends earlier still marks the
// current one as a quota stop.
var observeScript = redis.NewScript(`
local cur = redis.call('PTTL', KEYS[1])
if cur < tonumber(ARGV[1]) then
	redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
elseif ARGV[2] == 'q' then
	redis.call('SET', KEYS[1], 'q', 'KEEPTTL')
end
return 1
`)

// Observe hands o to the local Budget and, for a 429, shares its
// cool-down: the time left of its Retry-After (measured from o.At on this
// worker's clock), at most [middleware.MaxCoolDown]; and when the 429 cut
// an adaptive local Budget's rate, the cut.
func (b *Budget) Observe(ctx context.Context, o middleware.Outcome) {
	b.local.Observe(ctx, o)
	if o.Status != http.StatusTooManyRequests {
		return
	}
	d := o.RetryAfter
	if !o.HasRetryAfter {
		d = defaultRetryAfter
	}
	d = min(d, middleware.MaxCoolDown)
	if !o.At.IsZero() {
		d -= b.clock.Now().Sub(o.At)
	}
	if d <= 0 {
		return
	}
	b.remember(d, o.Quota)
	if b.health.Skip() {
		return
	}
	value := "r"
	if o.Quota {
		value = "q"
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.timeout)
	defer cancel()
	if err := observeScript.Run(ctx, b.client, []string{b.key}, d.Milliseconds(), value).Err(); err != nil {
		b.failed(ctx, err)
		return
	}
	b.health.Succeeded(ctx)
	if b.adaptive != nil && !o.Quota {
		b.publishCut(ctx, d)
	}
}

// remember keeps a shared deadline d from now, for use while Redis is
// away.
func (b *Budget) remember(d time.Duration, quota bool) {
	until := b.clock.Now().Add(d)
	b.mu.Lock()
	defer b.mu.Unlock()
	if until.After(b.lastUntil) {
		b.lastUntil, b.lastQuota = until, quota
	} else if quota {
		b.lastQuota = true
	}
}

// failed records a command that failed.
func (b *Budget) failed(ctx context.Context, err error) {
	var re redis.Error
	if !errors.As(err, &re) {
		b.health.Failed(ctx, err)
	}
}

// shared returns what is left of the shared cool-down and whether it is a
// quota stop: from Redis, or while Redis is away from the last deadline
// read.
func (b *Budget) shared(ctx context.Context) (time.Duration, bool) {
	if !b.health.Skip() {
		rctx, cancel := context.WithTimeout(ctx, b.timeout)
		defer cancel()
		if b.adaptive != nil {
			d, quota, err := b.readShared(rctx)
			switch {
			case err == nil:
				b.health.Succeeded(ctx)
				if d > 0 {
					b.remember(d, quota)
					return d, quota
				}
				return 0, false
			case ctx.Err() == nil:
				b.failed(ctx, err)
			}
			return b.remembered()
		}
		var get *redis.StringCmd
		var pttl *redis.DurationCmd
		_, err := b.client.Pipelined(rctx, func(p redis.Pipeliner) error {
			get = p.Get(rctx, b.key)
			pttl = p.PTTL(rctx, b.key)
			return nil
		})
		switch {
		case err == nil:
			b.health.Succeeded(ctx)
			if d := pttl.Val(); d > 0 {
				quota := get.Val() == "q"
				b.remember(d, quota)
				return d, quota
			}
			return 0, false
		case errors.Is(err, redis.Nil):
			b.health.Succeeded(ctx)
			return 0, false
		case ctx.Err() == nil:
			b.failed(ctx, err)
		}
	}
	return b.remembered()
}

// remembered returns what is left of the last shared deadline read.
func (b *Budget) remembered() (time.Duration, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lastUntil.Sub(b.clock.Now()), b.lastQuota
}

// Wait waits out the shared cool-down, then the local Budget, then (if
// that took a while) any shared cool-down set meanwhile. It fails at once
// with a *[middleware.RateLimitError] for a shared quota stop, a shared
// cool-down longer than maxWait (maxWait <= 0: no cap) or one that would
// outlive ctx's deadline, as the local Budget does for its own. Redis
// being away is no error: the local Budget then decides alone.
func (b *Budget) Wait(ctx context.Context, maxWait time.Duration) error {
	if err := b.waitShared(ctx, maxWait); err != nil {
		return err
	}
	start := b.clock.Now()
	if err := b.local.Wait(ctx, maxWait); err != nil {
		return err
	}
	if b.clock.Now().Sub(start) < recheckAfter {
		return nil
	}
	return b.waitShared(ctx, maxWait)
}

// waitShared waits until no shared cool-down is left, re-reading it after
// every wait (another worker may have extended it) and on Reset.
func (b *Budget) waitShared(ctx context.Context, maxWait time.Duration) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		b.mu.Lock()
		reset := b.reset
		b.mu.Unlock()
		remaining, quota := b.shared(ctx)
		if remaining <= 0 {
			return nil
		}
		until := b.clock.Now().Add(remaining)
		switch {
		case quota:
			return &middleware.RateLimitError{RetryAfter: remaining, Until: until, Quota: true}
		case maxWait > 0 && remaining > maxWait:
			return &middleware.RateLimitError{RetryAfter: remaining, Until: until, Max: maxWait}
		}
		wait := remaining + b.jitterFor(remaining)
		if clock.Outlives(ctx, b.clock, wait) {
			return &middleware.RateLimitError{RetryAfter: remaining, Until: until, DeadlineExceeded: true}
		}
		t := b.clock.NewTimer(wait)
		select {
		case <-t.C():
		case <-reset:
			t.Stop()
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// jitterFor returns a random extra wait in [0, remaining/10).
func (b *Budget) jitterFor(remaining time.Duration) time.Duration {
	j := b.jitter()
	if !(j > 0) { // also NaN
		return 0
	}
	return time.Duration(min(j, 1) * float64(remaining/10))
}

// Until returns the later of the shared cool-down's end (read from Redis,
// as a time on this worker's clock) and the local Budget's, and whether
// that one is a quota stop.
func (b *Budget) Until() (time.Time, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
	defer cancel()
	remaining, quota := b.shared(ctx)
	localUntil, localQuota := b.local.Until()
	if remaining <= 0 {
		return localUntil, localQuota
	}
	until := b.clock.Now().Add(remaining)
	if localUntil.After(until) {
		return localUntil, localQuota
	}
	return until, quota
}

// Reset ends the shared cool-down (for every worker) and the local one;
// this worker's waiters re-check at once, the other workers' at the end
// of the wait they started.
func (b *Budget) Reset() {
	b.local.Reset()
	b.mu.Lock()
	b.lastUntil, b.lastQuota = time.Time{}, false
	close(b.reset)
	b.reset = make(chan struct{})
	b.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
	defer cancel()
	if err := b.client.Del(ctx, b.key).Err(); err != nil {
		b.failed(ctx, err)
	}
}
