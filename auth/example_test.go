package auth_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// App tokens from the client-credentials flow, here from the emulator's
// accounts service (in a program: leave TokenURL out, and ClientID and
// ClientSecret too to read them from the environment).
func ExampleNewClientCredentials() {
	srv := spotifytest.NewServer()
	defer srv.Close()

	p, err := auth.NewClientCredentials(auth.ClientCredentialsConfig{
		ClientID:     spotifytest.ClientID,
		ClientSecret: spotifytest.ClientSecret,
		TokenURL:     srv.URL + "/api/token",
	})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()

	ctx := context.Background()
	tok, err := p.Token(ctx) // fetched now, then cached and renewed ahead of expiry
	if err != nil {
		log.Fatal(err)
	}
	again, err := p.Token(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Identity() == "app:"+spotifytest.ClientID)
	fmt.Println("lasts an hour:", time.Until(tok.Expiry).Round(time.Minute))
	fmt.Println("cached:", again.AccessToken == tok.AccessToken, srv.Requests("POST /api/token"), "token request")
	fmt.Println("printed token shows it:", strings.Contains(fmt.Sprint(tok), tok.AccessToken)) // redacted
	// Output:
	// true
	// lasts an hour: 1h0m0s
	// cached: true 1 token request
	// printed token shows it: false
}

// A user's login with the authorization code flow and PKCE (no client
// secret), against the emulator, whose test user consents at once. A
// command-line program calls auth.Login instead, which serves the redirect
// URI and opens the browser.
func ExampleNewAuthorizationCode() {
	srv := spotifytest.NewServer()
	defer srv.Close()

	p, err := auth.NewAuthorizationCode(auth.AuthorizationCodeConfig{
		ClientID:    spotifytest.ClientID, // no ClientSecret: a public client, PKCE
		RedirectURI: "http://127.0.0.1:8080/callback",
		Scopes:      []string{"user-read-private"},
		AuthURL:     srv.URL + "/authorize",
		TokenURL:    srv.URL + "/api/token",
	})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()

	// 1. Send the user's browser to the authorization URL.
	login := p.AuthURL("") // a random state; login.Verifier stays here
	fmt.Println("PKCE:", p.PKCE())

	// 2. The user consents; the browser comes back to the redirect URI.
	// Here an HTTP client plays the browser and reads the redirect.
	browser := &http.Client{
		Transport:     &http.Transport{},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer browser.CloseIdleConnections()
	resp, err := browser.Get(login.URL)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	callback := resp.Header.Get("Location")

	// 3. Check the callback's state, and trade its code for the tokens.
	code, err := auth.ParseCallback(callback, login.State)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	tok, err := p.Exchange(ctx, code, login.Verifier)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("scope:", tok.Scope, "refresh token:", tok.RefreshToken != "")

	// From now on p is a Provider of this user's tokens (for
	// spotify.WithAuthProvider), refreshing them as they expire.
	current, err := p.Token(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(current.AccessToken == tok.AccessToken)
	// Output:
	// PKCE: true
	// scope: user-read-private refresh token: true
	// true
}
