package spotify_test

import (
	"context"
	"fmt"
	"log"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// A method that lists returns its first page; All walks it and the pages
// after it, fetching the next page while the current one is read.
func ExamplePage_All() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	artistID := srv.Catalog().IDs(spotifytest.KindArtist, 1)[0]
	page, err := c.Artists.GetAlbums(ctx, artistID, &spotify.ArtistAlbumsOptions{Limit: 2})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("albums:", page.Total, "first page:", len(page.Items))
	for album, err := range page.All(ctx) {
		if err != nil { // the walk ends after its first error
			log.Fatal(err)
		}
		fmt.Println(album.ReleaseDate, album.Name)
	}
	fmt.Println("requests:", srv.Requests("GET /v1/artists/{id}/albums"))
	// Output:
	// albums: 8 first page: 2
	// 1996-12 Empire
	// 2010-06-17 Flying Storm
	// 1986-04-21 Frozen Motels
	// 2020 Solar Statics
	// 1998-10-22 Raven of Heart
	// 2010-03-08 Magnetic
	// 1982-10-27 Shadow of the Spring
	// 2024-12-26 Quiet
	// requests: 4
}
