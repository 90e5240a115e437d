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

// Every error of a call works with errors.Is and the sentinels, and
// errors.As reads the details of an answer of the Web API (or of a
// decision the chain made about the call) from a *spotify.Error.
func ExampleError() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	// A 404: classify it with errors.Is, read it with errors.As.
	_, err = c.Albums.Get(ctx, "4aawyAB9vmqN3uQ7FjRGTy", nil)
	var apiErr *spotify.Error
	if errors.As(err, &apiErr) {
		fmt.Println(errors.Is(err, spotify.ErrNotFound), apiErr.StatusCode, apiErr.Method, apiErr.Route)
	}

	// An argument that fails validation: no request is sent.
	_, err = c.Albums.Get(ctx, "", nil)
	fmt.Println(errors.Is(err, spotify.ErrInvalidArgument))

	// A 429 asking for a pause longer than WithMaxRetryAfter (60 s) fails at
	// once instead of sleeping; the error carries the server's Retry-After.
	srv.InjectFaults(spotifytest.FaultPlan{Route: "GET /v1/albums/{id}", Kind: spotifytest.Fault429,
		RetryAfter: 2 * time.Minute, Count: 1})
	_, err = c.Albums.Get(ctx, srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0], nil)
	if errors.As(err, &apiErr) {
		fmt.Println(errors.Is(err, spotify.ErrRateLimited), apiErr.StatusCode, apiErr.RetryAfter)
	}
	// Output:
	// true 404 GET /albums/{id}
	// true
	// true 429 2m0s
}
