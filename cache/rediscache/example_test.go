package rediscache_test

import (
	"fmt"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/cache/rediscache"
)

func ExampleNew() {
	// One store per process, all on the same Redis and prefix; an LRU in
	// front answers repeated requests in the process, and alone while
	// Redis is away.
	store, err := rediscache.New(rediscache.Options{
		URL:    "rediss://app:hunter2@redis.internal:6380/0",
		Prefix: "my-app",
		Local:  cache.NewLRU(cache.LRUOptions{MaxBytes: 4 << 20}),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	fmt.Println(store) // give it to spotify.WithCache
	// Output: rediscache.Store{Redis:rediss://app:xxxxx@redis.internal:6380/0}
}
