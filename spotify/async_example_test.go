package spotify_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

func ExampleNewAsyncClient() {
	srv := exampleAPI() // in a program: leave WithBaseURL out
	defer srv.Close()

	ac, err := spotify.NewAsyncClient(
		spotify.WithAccessToken("my-access-token"),
		spotify.WithBaseURL(srv.URL+"/v1"),
		spotify.WithConcurrency(8), // at most 8 calls running; a 9th submission waits
	)
	if err != nil {
		log.Fatal(err)
	}
	defer ac.Close() // cancels what still runs, and waits for it

	ctx := context.Background()
	album := ac.Albums.Get(ctx, "4aawyAB9vmqN3uQ7FjRGTy", nil) // submitted: it runs now
	missing := ac.Albums.Get(ctx, "no-such-album", nil)
	markets := ac.Markets.List(ctx, nil)

	a, err := album.Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Name)
	_, err = missing.Await(ctx)
	fmt.Println(errors.Is(err, spotify.ErrNotFound))
	ms, err := markets.Await(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ms)
	// Output:
	// Global Warming
	// true
	// [AD AE AG]
}

func ExampleClient_Async() {
	srv := exampleAPI()
	defer srv.Close()

	c, err := spotify.NewClient(spotify.WithAccessToken("my-access-token"), spotify.WithBaseURL(srv.URL+"/v1"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close() // ends the view's calls too

	// The view shares c's chain, token, rate budget, cache and concurrency.
	ac := c.Async()
	f := ac.Albums.Get(context.Background(), "4aawyAB9vmqN3uQ7FjRGTy", nil)
	select {
	case <-f.Done(): // the call is over: Await returns at once
	case <-time.After(10 * time.Second):
		log.Fatal("too slow")
	}
	a, err := f.Await(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Name, len(a.Artists))
	// Output: Global Warming 1
}

// The README's "Sync and async": submit many calls, then await them. A
// submission waits while the client family has WithConcurrency calls
// running, so the producer never queues unbounded work.
func ExampleAsyncClient() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close() // ends the view's calls too
	ctx := context.Background()
	ids := srv.Catalog().IDs(spotifytest.KindAlbum, 3)

	ac := c.Async() // or spotify.NewAsyncClient(opts...): same options, own chain
	futures := make([]*spotify.Future[*spotify.Album], 0, len(ids))
	for _, id := range ids {
		futures = append(futures, ac.Albums.Get(ctx, id, nil)) // waits while 16 calls run
	}
	for _, f := range futures {
		album, err := f.Await(ctx)
		if err != nil {
			log.Printf("album: %v", err) // one failed call does not stop the others
			continue
		}
		fmt.Println(album.Name, album.TotalTracks)
	}
	// Output:
	// Empire 11
	// Flying Storm 16
	// Shadow of the Spring 1
}
