package rediscache

import (
	"context"
	"testing"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/internal/redistest"
)

// BenchmarkGetHit measures the cost of a hit on a 2 KiB entry: the LRU
// alone, Redis alone, and Redis with the LRU in front.
func BenchmarkGetHit(b *testing.B) {
	url := redistest.URL(b)
	ctx := context.Background()
	k := key("user:a", "/v1/playlists/x")
	e := entry("user:a", "/v1/playlists/x")
	e.Body = make([]byte, 2048)
	run := func(b *testing.B, s cache.Store) {
		if err := s.Put(ctx, k, e); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, ok, err := s.Get(ctx, k); err != nil || !ok {
				b.Fatal("miss", err)
			}
		}
	}
	redisStore := func(b *testing.B, local cache.Store) *Store {
		s, err := New(Options{URL: url, Prefix: redistest.Prefix(b), Local: local})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
		return s
	}
	b.Run("lru", func(b *testing.B) { run(b, cache.NewLRU(cache.LRUOptions{})) })
	b.Run("redis", func(b *testing.B) { run(b, redisStore(b, nil)) })
	b.Run("redis+lru", func(b *testing.B) { run(b, redisStore(b, cache.NewLRU(cache.LRUOptions{}))) })
}
