package spotifytest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// The emulator speaks plain HTTP: get a token from /api/token with the
// default app's credentials, then call /v1.
func ExampleNewServer() {
	srv := spotifytest.NewServer()
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/token",
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(spotifytest.ClientID, spotifytest.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()

	albumID := srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0]
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/v1/albums/"+albumID, nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var album struct {
		Name        string `json:"name"`
		TotalTracks int    `json:"total_tracks"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&album)
	fmt.Println(resp.StatusCode, tok.ExpiresIn, album.Name, album.TotalTracks)
	fmt.Println(srv.Requests("GET /v1/albums/{id}"), "album request served")
	// Output:
	// 200 3600 Empire 11
	// 1 album request served
}

// Server.Client points an SDK client at the emulator.
func ExampleServer_Client() {
	srv := spotifytest.NewServer(spotifytest.WithSeed(7))
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		panic(err)
	}
	defer c.Close()

	trackID := srv.Catalog().IDs(spotifytest.KindTrack, 1)[0]
	track, err := c.Tracks.Get(context.Background(), trackID, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(track.ID == trackID, track.URI == "spotify:track:"+trackID)
	// Output: true true
}

// The README's emulator for your own tests: an app limited to 100 requests
// in 30 s (a 429 past it asks for 50 ms), a plan that fails one album
// request in ten with 503, and an SDK client whose retries absorb them.
// The counters show what was injected; the plan's seed makes it the same
// every run.
func ExampleNewServer_chaos() {
	srv := spotifytest.NewServer(spotifytest.WithRateLimit(100, 0), spotifytest.WithRetryAfter(50*time.Millisecond))
	defer srv.Close()
	c, err := srv.Client() // client credentials of the emulator's app
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	srv.InjectFaults(spotifytest.FaultPlan{Route: "GET /v1/albums/{id}", Kind: spotifytest.Fault503, Probability: 0.1, Seed: 1})

	ids := srv.Catalog().IDs(spotifytest.KindAlbum, 20)
	for _, id := range ids {
		if _, err := c.Albums.Get(context.Background(), id, nil); err != nil {
			log.Fatal(err)
		}
	}
	route := "GET /v1/albums/{id}"
	fmt.Println("albums:", len(ids), "requests:", srv.Requests(route), "503s:", srv.Faults(route)[spotifytest.Fault503])
	// Output:
	// albums: 20 requests: 22 503s: 2
}
