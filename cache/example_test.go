package cache_test

import (
	"context"
	"fmt"

	"github.com/spotifysdk/spotify-go/cache"
)

func ExampleNewLRU() {
	ctx := context.Background()
	store := cache.NewLRU(cache.LRUOptions{MaxEntries: 2})

	put := func(principal, path string) {
		_ = store.Put(ctx, cache.Key{Principal: principal, Request: "GET " + path}, &cache.Entry{
			Principal:  principal,
			Path:       path,
			StatusCode: 200,
			Body:       []byte(`{}`),
		})
	}
	put("user:alice", "/v1/me")
	put("user:alice", "/v1/playlists/x")
	store.Get(ctx, cache.Key{Principal: "user:alice", Request: "GET /v1/me"}) // a use: /v1/playlists/x is now the oldest
	put("user:alice", "/v1/playlists/x/items")                                // over the entry bound: the oldest goes

	_, ok, _ := store.Get(ctx, cache.Key{Principal: "user:alice", Request: "GET /v1/playlists/x"})
	fmt.Println("entries:", store.Len(), "bytes:", store.Bytes(), "playlist kept:", ok)

	// A write to a playlist drops its entries, for every principal.
	_ = store.Invalidate(ctx, cache.Invalidation{Path: "/v1/playlists/x"})
	fmt.Println("entries:", store.Len())
	// Output:
	// entries: 2 bytes: 563 playlist kept: false
	// entries: 1
}
