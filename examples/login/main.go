// Command login logs a user in with the authorization code flow and PKCE,
// then prints their profile and their first playlists.
//
// Run it with no credentials and it starts the emulator
// (spotify/spotifytest) in-process, whose /authorize logs a test user in
// at once, and plays the browser itself: it prints the URL it "opens",
// follows the redirect to the callback, and the login completes:
//
//	go run ./examples/login
//
// With SPOTIFY_SDK_CLIENT_ID set (a public client: no secret is needed
// with PKCE) it logs in to Spotify. It opens nothing: it prints the
// authorization URL, and you open it in your browser; it waits for the
// callback on SPOTIFY_SDK_REDIRECT_URI (default
// http://127.0.0.1:8080/callback, which must be registered in the app's
// settings exactly so):
//
//	SPOTIFY_SDK_CLIENT_ID=... go run ./examples/login
//
// (With SPOTIFY_SDK_CLIENT_SECRET set too, the provider is a confidential
// client and sends the secret instead of using PKCE.)
//
// The token is kept in a file store, by default
// <os.UserConfigDir()>/spotify-go/token.json (-store changes it), so the
// next run needs no login: the stored token is used and refreshed, and the
// rotated refresh token saved back. Only when the stored refresh token is
// refused (revoked, or spent elsewhere) does it ask for a login again.
// Against the emulator the default store is a temporary file removed at
// the end, since the emulator's tokens die with it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// defaultRedirectURI is the redirect URI used with credentials when
// SPOTIFY_SDK_REDIRECT_URI is not set.
const defaultRedirectURI = "http://127.0.0.1:8080/callback"

// scopes are what the example needs: the profile (with the email) and the
// private playlists.
var scopes = []string{"user-read-private", "user-read-email", "playlist-read-private"}

// newClient makes the API client; a variable so that a test can make it
// fail.
var newClient = spotify.NewClient

// options are the command's flags.
type options struct {
	store     string        // token file; "" for the default
	playlists int           // how many playlists to print
	timeout   time.Duration // wait for the callback
}

func main() {
	var o options
	flag.StringVar(&o.store, "store", "", "token `file` (default <user config dir>/spotify-go/token.json; a temporary file against the emulator)")
	flag.IntVar(&o.playlists, "playlists", 5, "print the first `n` playlists (1..50)")
	flag.DurationVar(&o.timeout, "timeout", auth.DefaultLoginTimeout, "how long to wait for the login's callback")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, o); err != nil {
		log.Fatal(err)
	}
}

// run logs the user in (unless the store holds a usable token) and prints
// their profile and first playlists on w.
func run(ctx context.Context, w io.Writer, o options) error {
	if o.playlists < 1 || o.playlists > 50 {
		return fmt.Errorf("-playlists %d: want 1..50", o.playlists)
	}
	cfg := auth.AuthorizationCodeConfig{Scopes: scopes}
	login := auth.LoginOptions{Out: w, Timeout: o.timeout}
	var clientOpts []spotify.Option

	emulated := os.Getenv(auth.EnvClientID) == ""
	if emulated && os.Getenv(auth.EnvClientSecret) != "" {
		return fmt.Errorf("%s is set without %s: set both, or neither to use the emulator", auth.EnvClientSecret, auth.EnvClientID)
	}
	if emulated {
		srv := spotifytest.NewServer()
		defer srv.Close()
		redirect, err := freeLoopbackRedirect()
		if err != nil {
			return err
		}
		cfg.ClientID, cfg.RedirectURI = spotifytest.ClientID, redirect
		cfg.AuthURL, cfg.TokenURL = srv.URL+"/authorize", srv.URL+"/api/token"
		login.Open = func(u string) error {
			fmt.Fprintf(w, "(emulator) opening %s\n", u)
			return playBrowser(ctx, u)
		}
		clientOpts = append(clientOpts, spotify.WithBaseURL(srv.URL+"/v1"), spotify.WithTokenURL(srv.URL+"/api/token"))
		fmt.Fprintf(w, "No %s set: logging in to the emulator at %s as its test user %s.\n\n", auth.EnvClientID, srv.URL, srv.LoginUser())
		if o.store == "" {
			dir, err := os.MkdirTemp("", "spotify-go-login-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			o.store = filepath.Join(dir, "token.json")
		}
	} else if os.Getenv(auth.EnvRedirectURI) == "" {
		cfg.RedirectURI = defaultRedirectURI
	}

	if o.store == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return fmt.Errorf("no user config directory (%w): pass -store", err)
		}
		o.store = filepath.Join(dir, "spotify-go", "token.json")
	}
	store, err := auth.NewFileStore(o.store)
	if err != nil {
		return err
	}
	cfg.Store = store
	p, err := auth.NewAuthorizationCode(cfg)
	if err != nil {
		return err
	}
	defer p.Close()

	// Log in unless the store holds a token whose refresh token still works.
	if _, err := p.Token(ctx); errors.Is(err, auth.ErrLoginRequired) {
		if err := logIn(ctx, w, p, store, login); err != nil {
			return err
		}
	} else if err != nil {
		return err
	} else {
		fmt.Fprintf(w, "Using the token saved in %s.\n\n", store.Path())
	}

	// The client is made after the login: the provider's identity (the
	// user's token family) is the principal of the client's cache.
	c, err := newClient(append(clientOpts, spotify.WithAuthProvider(p))...)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }() // c, whichever client is current at return
	me, err := c.Users.GetCurrentProfile(ctx, nil)
	if errors.Is(err, auth.ErrLoginRequired) {
		// The saved token was refused (revoked, or from another server)
		// and so was its refresh token: log in again, with a new client
		// for the new login.
		fmt.Fprintf(w, "The saved token was refused: %v\n", err)
		if err := logIn(ctx, w, p, store, login); err != nil {
			return err
		}
		next, nerr := newClient(append(clientOpts, spotify.WithAuthProvider(p))...)
		if nerr != nil {
			return nerr // the deferred Close closes the first client
		}
		_ = c.Close()
		c = next
		me, err = c.Users.GetCurrentProfile(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	name := "(no display name)"
	if me.DisplayName != nil {
		name = *me.DisplayName
	}
	fmt.Fprintf(w, "Profile: %s (id %s)\n", name, me.ID)
	if me.Email != nil {
		fmt.Fprintf(w, "  email:   %s\n", *me.Email)
	}
	if me.Country != nil {
		fmt.Fprintf(w, "  country: %s\n", *me.Country)
	}
	if me.Product != nil {
		fmt.Fprintf(w, "  product: %s\n", *me.Product)
	}

	page, err := c.Playlists.GetForCurrentUser(ctx, &spotify.ListOptions{Limit: o.playlists})
	if err != nil {
		return fmt.Errorf("playlists: %w", err)
	}
	fmt.Fprintf(w, "\nPlaylists (%d of %d):\n", len(page.Items), page.Total)
	for i, pl := range page.Items {
		fmt.Fprintf(w, "  %2d. %s (id %s)\n", i+1, pl.Name, pl.ID)
	}
	return nil
}

// logIn runs the loopback login, which saves the token to the store.
func logIn(ctx context.Context, w io.Writer, p *auth.AuthorizationCode, store *auth.FileStore, o auth.LoginOptions) error {
	if _, err := auth.Login(ctx, p, o); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nLogged in; the token is saved in %s.\n\n", store.Path())
	return nil
}

// freeLoopbackRedirect returns http://127.0.0.1:PORT/callback on a port
// that is free right now.
func freeLoopbackRedirect() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return "", err
	}
	return fmt.Sprintf("http://127.0.0.1:%d/callback", port), nil
}

// playBrowser does what the user's browser does against the emulator: it
// opens the authorization URL, which redirects at once, and follows the
// redirect to the callback that auth.Login serves.
func playBrowser(ctx context.Context, authURL string) error {
	hc := &http.Client{
		Timeout:       10 * time.Second,
		Transport:     &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	get := func(u string) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp, resp.Body.Close()
	}
	resp, err := get(authURL)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusFound {
		return fmt.Errorf("the authorization page answered %s, not a redirect", resp.Status)
	}
	callback, err := resp.Location()
	if err != nil {
		return err
	}
	_, err = get(callback.String())
	return err
}
