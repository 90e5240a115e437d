package auth

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// freeRedirect returns a loopback redirect URI on a port that was free.
func freeRedirect(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	return fmt.Sprintf("http://127.0.0.1:%d/callback", port)
}

// fakeBrowser opens a URL as a browser would, following redirects (to the
// callback server), and records the final status.
func fakeBrowser(t *testing.T, status *int) func(string) error {
	return func(u string) error {
		c := &http.Client{Timeout: 10 * time.Second}
		resp, err := c.Get(u)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		*status = resp.StatusCode
		return nil
	}
}

func TestLoginEndToEnd(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	store := NewMemoryStore()
	a := newAC(t, srv, AuthorizationCodeConfig{RedirectURI: freeRedirect(t), Store: store, Scopes: []string{"user-read-private"}})
	var out bytes.Buffer
	var status int
	browser := fakeBrowser(t, &status)
	var opened string
	tok, err := Login(context.Background(), a, LoginOptions{
		Out: &out,
		Open: func(u string) error {
			opened = u
			// A stray request to another path does not end the login.
			if resp, err := http.Get(a.RedirectURI()[:len(a.RedirectURI())-len("/callback")] + "/favicon.ico"); err == nil {
				assert.Equal(t, http.StatusNotFound, resp.StatusCode)
				resp.Body.Close()
			}
			return browser(u)
		},
		AuthURLOptions: []AuthURLOption{ShowDialog()},
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status, "the browser is told the login completed")
	assert.Contains(t, out.String(), opened, "the URL is printed")
	assert.Contains(t, opened, "show_dialog=true")
	assert.Contains(t, opened, "code_challenge=")
	st, err := store.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, tok.RefreshToken, st.Token.RefreshToken, "the token is stored")
	got, err := a.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, tok.AccessToken, got.AccessToken)

	// The callback server is gone.
	_, err = http.Get(a.RedirectURI())
	assert.Error(t, err)
}

func TestLoginStateMismatch(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	a := newAC(t, srv, AuthorizationCodeConfig{RedirectURI: freeRedirect(t)})
	var status int
	browser := fakeBrowser(t, &status)
	_, err := Login(context.Background(), a, LoginOptions{Out: io.Discard, Open: func(string) error {
		return browser(a.RedirectURI() + "?code=stolen&state=forged")
	}})
	require.ErrorIs(t, err, ErrStateMismatch)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Zero(t, srv.exchanges.Load(), "a forged code is never exchanged")
}

func TestLoginAccessDenied(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	srv.set(func(s *userServer) { s.deny = true })
	a := newAC(t, srv, AuthorizationCodeConfig{RedirectURI: freeRedirect(t)})
	var status int
	_, err := Login(context.Background(), a, LoginOptions{Out: io.Discard, Open: fakeBrowser(t, &status)})
	require.ErrorIs(t, err, ErrAccessDenied)
	assert.Contains(t, err.Error(), "access_denied")
}

func TestLoginTimeoutAndOpenFailure(t *testing.T) {
	verifyNoLeaks(t)
	srv := newUserServer(t, "")
	a := newAC(t, srv, AuthorizationCodeConfig{RedirectURI: freeRedirect(t)})
	var out bytes.Buffer
	_, err := Login(context.Background(), a, LoginOptions{Out: &out, Timeout: 50 * time.Millisecond,
		Open: func(string) error { return fmt.Errorf("no browser") }})
	require.ErrorIs(t, err, ErrLoginTimeout)
	assert.Contains(t, err.Error(), "redirect URI")
	assert.Contains(t, out.String(), "no browser")
	assert.Contains(t, out.String(), "open the URL above by hand")

	// The port is free again.
	u, _ := url.Parse(a.RedirectURI())
	ln, err := net.Listen("tcp", u.Host)
	require.NoError(t, err)
	require.NoError(t, ln.Close())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Login(ctx, a, LoginOptions{Out: io.Discard})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestLoginNeedsALoopbackHTTPRedirect(t *testing.T) {
	srv := newUserServer(t, "")
	for _, r := range []string{"https://app.example/callback", "http://127.0.0.1/callback"} {
		a := newAC(t, srv, AuthorizationCodeConfig{RedirectURI: r})
		_, err := Login(context.Background(), a, LoginOptions{Out: io.Discard})
		assert.ErrorIs(t, err, ErrInvalidRedirectURI, r)
	}
}
