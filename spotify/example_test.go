package spotify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/spotifysdk/spotify-go/spotify"
)

// exampleAPI stands in for api.spotify.com in the examples: a few routes
// under /v1, answering canned JSON.
func exampleAPI() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/albums/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != "4aawyAB9vmqN3uQ7FjRGTy" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":{"status":404,"message":"Non existing id"}}`)
			return
		}
		_, _ = io.WriteString(w, `{"id":"4aawyAB9vmqN3uQ7FjRGTy","name":"Global Warming","album_type":"album",
			"release_date":"2012-11-16","total_tracks":18,"available_markets":["SE","US"],
			"artists":[{"id":"0TnOYISbd1XYRBk9myaseg","name":"Pitbull","type":"artist"}],
			"tracks":{"href":"h","items":[],"limit":50,"next":null,"offset":0,"previous":null,"total":18}}`)
	})
	mux.HandleFunc("GET /v1/markets", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"markets":["AD","AE","AG"]}`)
	})
	return httptest.NewServer(mux)
}

func ExampleNewClient() {
	srv := exampleAPI() // in a program: leave WithBaseURL out
	defer srv.Close()

	c, err := spotify.NewClient(
		spotify.WithAccessToken("my-access-token"),
		spotify.WithBaseURL(srv.URL+"/v1"),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	ctx := context.Background()
	album, err := c.Albums.Get(ctx, "4aawyAB9vmqN3uQ7FjRGTy", &spotify.AlbumOptions{Market: "SE"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(album.Name, "by", album.Artists[0].Name, "-", album.ReleaseDate)
	fmt.Println("playable in SE:", album.AvailableMarkets.Contains("SE"))

	_, err = c.Albums.Get(ctx, "no-such-album", nil)
	var apiErr *spotify.Error
	if errors.As(err, &apiErr) {
		fmt.Println(errors.Is(err, spotify.ErrNotFound), apiErr.StatusCode, apiErr.Message)
	}
	// Output:
	// Global Warming by Pitbull - 2012-11-16
	// playable in SE: true
	// true 404 Non existing id
}

func ExampleClient_Do() {
	srv := exampleAPI()
	defer srv.Close()
	c, err := spotify.NewClient(spotify.WithAccessToken("my-access-token"), spotify.WithBaseURL(srv.URL+"/v1"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// NewRequest and Do are for what the SDK's methods do not cover: an
	// endpoint Spotify added after this release, or an answer read into a
	// shape of your own. The request goes through the client's chain (auth,
	// retries, cache, tracing) like any call. GET /markets stands in for
	// such an endpoint here; the SDK's own method for it is Markets.List.
	req, err := c.NewRequest(context.Background(), http.MethodGet, "markets", nil)
	if err != nil {
		log.Fatal(err)
	}
	var out struct {
		Markets []string `json:"markets"`
	}
	if err := c.Do(req, &out); err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Markets)
	// Output: [AD AE AG]
}

func ExampleWithResponseCapture() {
	srv := exampleAPI()
	defer srv.Close()
	c, err := spotify.NewClient(spotify.WithAccessToken("my-access-token"), spotify.WithBaseURL(srv.URL+"/v1"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	var meta spotify.ResponseMeta
	ctx := spotify.WithResponseCapture(context.Background(), &meta)
	if _, err := c.Albums.Get(ctx, "4aawyAB9vmqN3uQ7FjRGTy", nil); err != nil {
		log.Fatal(err)
	}
	fmt.Println(meta.StatusCode, meta.Attempts, meta.FromCache)
	// Output: 200 1 false
}
