package redisstore_test

import (
	"errors"
	"fmt"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/auth/redisstore"
)

func ExampleNew() {
	// Tokens are refused over plain TCP to another machine: nothing is sent.
	_, err := redisstore.New(redisstore.Options{URL: "redis://app:hunter2@10.0.0.5:6379/0", Key: "user-42"})
	fmt.Println(errors.Is(err, redisstore.ErrInsecure))

	// Over TLS (rediss://) they are kept; the password is never printed.
	store, err := redisstore.New(redisstore.Options{URL: "rediss://app:hunter2@10.0.0.5:6379/0", Key: "user-42"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	fmt.Println(store)

	// Every process acting for user-42 gives the provider the same store.
	_ = auth.AuthorizationCodeConfig{ClientID: "…", RedirectURI: "http://127.0.0.1:8080/callback", Store: store}
	// Output:
	// true
	// redisstore.Store{Redis:rediss://app:xxxxx@10.0.0.5:6379/0, Key:"user-42"}
}
