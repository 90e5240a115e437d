package spotify_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
	"github.com/spotifysdk/spotify-go/transport"
)

// auditStage returns the README's custom stage, which prints every
// request it sees with its attempt number.
func auditStage() transport.Stage {
	audit := transport.Stage{Name: "audit", Wrap: func(next http.RoundTripper) http.RoundTripper {
		return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			fmt.Printf("%s %s attempt %d\n", req.Method, req.URL.Path, transport.Attempt(req.Context()))
			return next.RoundTrip(req)
		})
	}}
	return audit
}

// A custom stage placed after retry runs once per attempt: a 503 and its
// retry show up as attempts 0 and 1.
func ExampleWithMiddleware() {
	token := "my-access-token" // in a program: a token your app obtained
	audit := auditStage()

	c, err := spotify.NewClient(spotify.WithAccessToken(token),
		spotify.WithMiddleware(audit, spotify.After("retry"))) // once per attempt
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// c would talk to api.spotify.com; the same stage on a client of the
	// emulator, whose first answer is a 503.
	srv := spotifytest.NewServer()
	defer srv.Close()
	emulated, err := srv.Client(
		spotify.WithMiddleware(audit, spotify.After("retry")),
		spotify.WithBackoff(func(int) time.Duration { return time.Millisecond }), // short waits for the example
	)
	if err != nil {
		log.Fatal(err)
	}
	defer emulated.Close()
	srv.InjectFaults(spotifytest.FaultPlan{Route: "GET /v1/albums/{id}", Kind: spotifytest.Fault503, Count: 1})

	album, err := emulated.Albums.Get(context.Background(), srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0], nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(album.Name)
	// Output:
	// GET /v1/albums/5t6hA7Ut5RNB8plgtsaopV attempt 0
	// GET /v1/albums/5t6hA7Ut5RNB8plgtsaopV attempt 1
	// Empire
}

// NewPipeline gives Spotify's chain without a client, under an
// http.Client of your own, with custom stages placed by name.
func ExampleNewPipeline() {
	token := "my-access-token"
	audit := auditStage()

	chain := spotify.NewPipeline(spotify.PipelineOptions{Provider: auth.NewStatic(token)})
	if err := chain.Insert("retry", transport.After, audit); err != nil {
		log.Fatal(err)
	}
	httpClient := &http.Client{Transport: chain.Then(nil)}

	fmt.Println(strings.Join(chain.Names(), " "))

	// The token goes to api.spotify.com only (PipelineOptions.APIHost):
	// a request to another host, here the emulator, carries none.
	srv := spotifytest.NewServer()
	defer srv.Close()
	resp, err := httpClient.Get(srv.URL + "/v1/markets")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output:
	// tracing cache coalesce retry audit ratelimit bulkhead breaker timeout attempt download auth
	// GET /v1/markets attempt 0
	// 401
}
