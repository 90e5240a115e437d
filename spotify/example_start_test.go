package spotify_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// printTracks is the second snippet of the README's "Thirty seconds": it
// reads an album, tells "no such album" apart from the errors that should
// stop the program, and walks the album's tracks.
func printTracks(ctx context.Context, c *spotify.Client, albumID string) error {
	album, err := c.Albums.Get(ctx, albumID, &spotify.AlbumOptions{Market: "SE"})
	switch {
	case errors.Is(err, spotify.ErrNotFound):
		fmt.Println("no such album:", albumID)
		return nil
	case errors.Is(err, spotify.ErrRateLimited):
		// Spotify asked for a pause longer than WithMaxRetryAfter (default 60 s)
		return fmt.Errorf("try again later: %w", err)
	case err != nil:
		return err
	}
	fmt.Println(album.Name, album.TotalTracks, "tracks")
	tracks, err := c.Albums.GetTracks(ctx, album.ID, &spotify.AlbumTracksOptions{Limit: 5})
	if err != nil {
		return err
	}
	for track, err := range tracks.All(ctx) { // follows next links, one page ahead
		if err != nil {
			return err
		}
		fmt.Println(track.TrackNumber, track.Name)
	}
	return nil
}

// Example is the README's "Thirty seconds": make a client, then read an
// album and its tracks. The client made from a token talks to
// api.spotify.com; the calls below go to the emulator instead.
func Example() {
	token := "my-access-token" // in a program: a token your app obtained
	ctx := context.Background()

	c, err := spotify.NewClient(spotify.WithAccessToken(token)) // or WithClientCredentials(id, secret)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	srv := spotifytest.NewServer()
	defer srv.Close()
	emulated, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	defer emulated.Close()

	albumID := srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0]
	if err := printTracks(ctx, emulated, albumID); err != nil {
		log.Fatal(err)
	}
	if err := printTracks(ctx, emulated, "4aawyAB9vmqN3uQ7FjRGTy"); err != nil { // unknown to the emulator
		log.Fatal(err)
	}
	// Output:
	// Empire 11 tracks
	// 1 Ocean Planet
	// 2 Copper Carnivals
	// 3 Copper Canyons
	// 4 Hidden
	// 5 Island of the Signal
	// 6 Sky
	// 7 Sacred Engines
	// 8 Magnetic Waves
	// 9 Valley Pearl
	// 10 Flying Tiger
	// 11 Hollow
	// no such album: 4aawyAB9vmqN3uQ7FjRGTy
}
