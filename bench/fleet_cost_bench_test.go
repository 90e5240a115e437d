package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/cache/rediscache"
	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/middleware/redisbudget"
)

// BenchmarkFleetCost measures the cost per request of the pieces shared
// through Redis (issue 19) against their local twins, on the Redis server
// of SPOTIFY_TEST_REDIS_URL (skipped without one, failed in CI):
//
//   - budget-*: one Wait and one Observe of a 200, the Budget of a request:
//     a FixedBudget and an AdaptiveBudget alone ("local"), and each
//     wrapped in a redisbudget.Budget ("shared"; over the adaptive one it
//     also reads the fleet's rate and reports the worker).
//   - cache-*: a hit on a 2 KiB entry: the LRU alone, the Redis store
//     alone, and the Redis store with the LRU in front.
func BenchmarkFleetCost(b *testing.B) {
	url := redisURLFor(b)
	ctx := context.Background()
	prefix := func() string {
		var p [6]byte
		_, _ = rand.Read(p[:])
		return "spotify-go-bench-" + hex.EncodeToString(p[:])
	}
	ok := middleware.Outcome{Status: http.StatusOK, At: time.Now()}
	budget := func(b *testing.B, bud middleware.Budget) {
		for b.Loop() {
			if err := bud.Wait(ctx, 0); err != nil {
				b.Fatal(err)
			}
			bud.Observe(ctx, ok)
		}
	}
	shared := func(b *testing.B, local middleware.Budget) middleware.Budget {
		bud, err := redisbudget.New(redisbudget.Options{URL: url, App: "bench", Prefix: prefix(), Local: local,
			Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = bud.Close() })
		return bud
	}
	fixed := func() middleware.Budget { return middleware.NewFixedBudget(middleware.BudgetOptions{}) }
	adaptive := func() middleware.Budget { return middleware.NewAdaptiveBudget(middleware.AdaptiveBudgetOptions{}) }
	b.Run("budget-fixed-local", func(b *testing.B) { budget(b, fixed()) })
	b.Run("budget-fixed-shared", func(b *testing.B) { budget(b, shared(b, fixed())) })
	b.Run("budget-adaptive-local", func(b *testing.B) { budget(b, adaptive()) })
	b.Run("budget-adaptive-shared", func(b *testing.B) { budget(b, shared(b, adaptive())) })

	k := cache.Key{Principal: "user:a", Request: "GET /v1/playlists/x"}
	e := &cache.Entry{Principal: "user:a", Path: "/v1/playlists/x", StatusCode: http.StatusOK,
		Header: http.Header{"Etag": {`"1"`}}, Body: make([]byte, 2048), Stored: time.Now()}
	hit := func(b *testing.B, s cache.Store) {
		if err := s.Put(ctx, k, e); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, found, err := s.Get(ctx, k); err != nil || !found {
				b.Fatal("miss", err)
			}
		}
	}
	redisStore := func(b *testing.B, local cache.Store) cache.Store {
		s, err := rediscache.New(rediscache.Options{URL: url, Prefix: prefix(), Local: local,
			Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
		return s
	}
	b.Run("cache-lru", func(b *testing.B) { hit(b, cache.NewLRU(cache.LRUOptions{})) })
	b.Run("cache-redis", func(b *testing.B) { hit(b, redisStore(b, nil)) })
	b.Run("cache-redis+lru", func(b *testing.B) { hit(b, redisStore(b, cache.NewLRU(cache.LRUOptions{}))) })
}
