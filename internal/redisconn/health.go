package redisconn

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Metric names of [Health].
const (
	// MetricFallbacks counts the times a store lost Redis and fell back to
	// its local twin.
	MetricFallbacks = "spotify.redis.fallbacks"
	// MetricReturns counts the times a store found Redis again and went
	// back to sharing.
	MetricReturns = "spotify.redis.returns"
)

// Health follows whether Redis answers, for a store that falls back to a
// local twin when it does not: the fall back and the return are each
// logged once (a warning, then an info line) and counted as metrics,
// however many requests fail in between; while Redis is away it is tried
// again at most once per probe interval, so requests do not each wait for
// a dead server.
type Health struct {
	component string
	server    string
	logger    *slog.Logger
	probe     time.Duration
	fallbacks metric.Int64Counter
	returns   metric.Int64Counter
	attrs     metric.MeasurementOption

	clock clock.Clock

	mu        sync.Mutex
	down      bool
	nextProbe time.Time
}

// HealthOptions configures a [Health].
type HealthOptions struct {
	// Component names the store in logs and metrics ("redisbudget").
	Component string
	// Server is the Redis server's name, redacted.
	Server string
	// Scope is the meter's instrumentation scope.
	Scope string
	// Logger receives the fall back and the return (nil = slog.Default()).
	Logger *slog.Logger
	// MeterProvider makes the counters (nil = the global one).
	MeterProvider metric.MeterProvider
	// Probe is the least time between two tries of an absent Redis.
	Probe time.Duration
	// Clock times the probes (nil = the wall clock).
	Clock clock.Clock
}

// NewHealth returns the health of a store as o describes it.
func NewHealth(o HealthOptions) *Health {
	logger, mp := o.Logger, o.MeterProvider
	if logger == nil {
		logger = slog.Default()
	}
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	m := mp.Meter(o.Scope)
	h := &Health{component: o.Component, server: o.Server, logger: logger, probe: o.Probe, clock: clock.Or(o.Clock),
		attrs: metric.WithAttributes(attribute.String("component", o.Component))}
	// A meter refuses only a malformed name, and these are constants.
	h.fallbacks, _ = m.Int64Counter(MetricFallbacks, metric.WithUnit("{fallback}"),
		metric.WithDescription("Times a Redis-backed store lost Redis and fell back to its local twin."))
	h.returns, _ = m.Int64Counter(MetricReturns, metric.WithUnit("{return}"),
		metric.WithDescription("Times a Redis-backed store found Redis again and went back to sharing."))
	return h
}

// Skip reports whether Redis is known to be away and the next probe is
// not due yet: the caller then uses its local twin without asking.
func (h *Health) Skip() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.down && h.clock.Now().Before(h.nextProbe)
}

// Down reports whether Redis is known to be away.
func (h *Health) Down() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.down
}

// Failed records a failed command: the first failure after a success is
// logged and counted.
func (h *Health) Failed(ctx context.Context, err error) {
	h.mu.Lock()
	first := !h.down
	h.down = true
	h.nextProbe = h.clock.Now().Add(h.probe)
	h.mu.Unlock()
	if first {
		h.fallbacks.Add(ctx, 1, h.attrs)
		h.logger.LogAttrs(ctx, slog.LevelWarn, h.component+": Redis is unreachable: falling back to the local twin until it answers again",
			slog.String("redis", h.server), slog.String("error", err.Error()))
	}
}

// Succeeded records a command that worked: the first one after a failure
// is logged and counted.
func (h *Health) Succeeded(ctx context.Context) {
	h.mu.Lock()
	back := h.down
	h.down = false
	h.mu.Unlock()
	if back {
		h.returns.Add(ctx, 1, h.attrs)
		h.logger.LogAttrs(ctx, slog.LevelInfo, h.component+": Redis answers again: sharing resumed", slog.String("redis", h.server))
	}
}
