package spotifytest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

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
