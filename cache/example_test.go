package cache_test

import (
	"fmt"
	"strings"

	"github.com/spotifysdk/spotify-go/cache"
)

func ExampleNewLRU() {
	store := cache.NewLRU(cache.LRUOptions{MaxEntries: 2})

	put := func(principal, path string) {
		store.Put(principal+" GET "+path, &cache.Entry{
			Principal:  principal,
			Path:       path,
			StatusCode: 200,
			Body:       []byte(`{}`),
		})
	}
	put("user:alice", "/v1/me")
	put("user:alice", "/v1/playlists/x")
	store.Get("user:alice GET /v1/me")         // a use: /v1/playlists/x is now the oldest
	put("user:alice", "/v1/playlists/x/items") // over the entry bound: the oldest goes

	_, ok := store.Get("user:alice GET /v1/playlists/x")
	fmt.Println("entries:", store.Len(), "bytes:", store.Bytes(), "playlist kept:", ok)

	// A write to a playlist drops its entries, for every principal.
	n := store.DeleteFunc(func(_ string, e *cache.Entry) bool {
		return strings.HasPrefix(e.Path, "/v1/playlists/x")
	})
	fmt.Println("dropped:", n, "entries:", store.Len())
	// Output:
	// entries: 2 bytes: 563 playlist kept: false
	// dropped: 1 entries: 1
}
