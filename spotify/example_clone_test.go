package spotify_test

import (
	"context"
	"fmt"
	"log"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// One client per user of an app: Clone with the user's auth shares the
// chain, the rate budget and the cache store of the app's client, and
// keeps every user's cached answers apart.
func ExampleClient_Clone() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	app, err := srv.Client() // the app's own client (client credentials)
	if err != nil {
		log.Fatal(err)
	}
	defer app.Close() // ends the clones too

	ctx := context.Background()
	for _, userID := range srv.Catalog().IDs(spotifytest.KindUser, 2) {
		// In a program the token comes from the user's login
		// (auth.NewAuthorizationCode); the emulator hands one out.
		if err := srv.SetLoginUser(userID); err != nil {
			log.Fatal(err)
		}
		token := srv.UserToken("user-read-private")

		user, err := app.Clone(spotify.WithAuthProvider(auth.NewStatic(token)))
		if err != nil {
			log.Fatal(err)
		}
		for range 2 {
			var meta spotify.ResponseMeta
			me, err := user.Users.GetCurrentProfile(spotify.WithResponseCapture(ctx, &meta), nil)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Println(me.ID == userID, "from cache:", meta.FromCache)
		}
	}
	// Output:
	// true from cache: false
	// true from cache: true
	// true from cache: false
	// true from cache: true
}
