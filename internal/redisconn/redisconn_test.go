package redisconn

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spotifysdk/spotify-go/clock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:6379": true, "[::1]:6379": true, "localhost:6379": true, "LOCALHOST:1": true,
		"unix:/run/redis.sock": true, "127.9.9.9:1": true,
		"10.0.0.1:6379": false, "redis.internal:6379": false, "FailoverClient": false, "[2001:db8::1]:6379": false,
	} {
		assert.Equal(t, want, Loopback(addr), addr)
	}
}

func TestOpenChecks(t *testing.T) {
	const m = "pkg: New"
	_, err := Open(Config{Method: m})
	assert.EqualError(t, err, "pkg: New: neither Client nor URL is set")
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	_, err = Open(Config{Method: m, Client: c, URL: "redis://127.0.0.1:1"})
	assert.EqualError(t, err, "pkg: New: both Client and URL are set; give one")

	// Data that is not private may go anywhere.
	conn, err := Open(Config{Method: m, URL: "redis://u:pw@10.0.0.1:6379/2"})
	require.NoError(t, err)
	assert.Equal(t, "redis://u:xxxxx@10.0.0.1:6379/2", conn.Name)
	assert.True(t, conn.Owned)
	require.NoError(t, conn.Client.Close())

	// Private data: only TLS, loopback, or allowed.
	_, err = Open(Config{Method: m, URL: "redis://u:pw@10.0.0.1:6379/2", Private: "tokens"})
	var ie *InsecureError
	require.ErrorAs(t, err, &ie)
	assert.True(t, errors.Is(err, ErrInsecure))
	assert.Equal(t, InsecureError{Method: m, Addr: "10.0.0.1:6379", What: "tokens"}, *ie)
	assert.True(t, strings.HasPrefix(err.Error(), "pkg: New: refusing to keep tokens on the Redis server at 10.0.0.1:6379 without TLS"), err.Error())
	assert.NotContains(t, err.Error(), "pw")

	conn, err = Open(Config{Method: m, Client: c, Private: "tokens"})
	require.NoError(t, err, "loopback")
	assert.Equal(t, "127.0.0.1:1", conn.Name)
	assert.False(t, conn.Owned)

	_, err = Open(Config{Method: m, Client: wrapped{c}, Private: "tokens"})
	require.ErrorAs(t, err, &ie, "a client of an unknown kind cannot be checked")
	assert.Contains(t, err.Error(), "cannot be checked")
	_, err = Open(Config{Method: m, Client: wrapped{c}, Private: "tokens", AllowInsecure: true})
	require.NoError(t, err)

	_, err = Open(Config{Method: m, URL: "redis://u:pw@[bad", Private: "tokens"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "pw")
}

// wrapped is a client of a kind Open does not know.
type wrapped struct{ redis.UniversalClient }

// TestHealthLogsOnce: many failures log and count one fall back, many
// successes after them one return; a probe is skipped until it is due.
func TestHealthLogsOnce(t *testing.T) {
	var logs bytes.Buffer
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	fc := clock.NewFake()
	h := NewHealth(HealthOptions{Component: "comp", Server: "redis://x", Scope: "scope",
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), MeterProvider: mp, Probe: 50 * time.Millisecond, Clock: fc})
	ctx := context.Background()
	assert.False(t, h.Skip())
	for range 5 {
		h.Failed(ctx, errors.New("dial tcp: refused"))
	}
	assert.True(t, h.Down())
	assert.True(t, h.Skip(), "the next probe is not due")
	fc.Advance(49 * time.Millisecond)
	assert.True(t, h.Skip(), "the next probe is still not due")
	fc.Advance(time.Millisecond)
	assert.False(t, h.Skip(), "the probe is due")
	for range 5 {
		h.Succeeded(ctx)
	}
	assert.False(t, h.Down())
	out := logs.String()
	assert.Equal(t, 1, strings.Count(out, "comp: Redis is unreachable"), out)
	assert.Equal(t, 1, strings.Count(out, "comp: Redis answers again"), out)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(ctx, &rm))
	counts := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
				counts[m.Name] += dp.Value
			}
		}
	}
	assert.Equal(t, map[string]int64{MetricFallbacks: 1, MetricReturns: 1}, counts)
}
