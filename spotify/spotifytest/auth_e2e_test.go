package spotifytest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// The user authorization of package auth against the emulator's accounts
// service (issue 8): the PKCE login end to end, the callback errors, one
// refresh for many callers, refresh token rotation through a file store,
// a revoked refresh token, and two processes sharing one file store.

const tokenRoute = "POST /api/token"

// freeRedirect returns a loopback redirect URI on a port free right now.
func freeRedirect(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("http://127.0.0.1:%d/callback", port)
}

// newUserProvider returns a PKCE provider of the emulator's default app,
// closed at the end of the test.
func newUserProvider(t *testing.T, srv *spotifytest.Server, redirect string, store auth.TokenStore, clk clock.Clock) *auth.AuthorizationCode {
	t.Helper()
	p, err := auth.NewAuthorizationCode(auth.AuthorizationCodeConfig{
		ClientID:     spotifytest.ClientID,
		RedirectURI:  redirect,
		Scopes:       []string{"user-read-private", "user-read-email", "playlist-read-private"},
		TokenURL:     srv.URL + "/api/token",
		AuthURL:      srv.URL + "/authorize",
		Store:        store,
		Clock:        clk,
		EarlyRefresh: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// browser plays the user's browser for auth.Login: it opens the
// authorization URL without following the redirect, lets mutate change
// the callback URL it redirects to, and opens that.
func browser(t *testing.T, mutate func(*url.URL)) func(string) error {
	return func(authURL string) error {
		hc := &http.Client{
			Timeout:       10 * time.Second,
			Transport:     &http.Transport{DisableKeepAlives: true},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
		resp, err := hc.Get(authURL)
		if err != nil {
			t.Errorf("browser: %v", err)
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			t.Errorf("browser: /authorize answered %d, want 302", resp.StatusCode)
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		loc, err := resp.Location()
		if err != nil {
			t.Errorf("browser: %v", err)
			return err
		}
		if mutate != nil {
			mutate(loc)
		}
		resp, err = hc.Get(loc.String())
		if err != nil {
			t.Errorf("browser: callback: %v", err)
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Body.Close()
	}
}

// login runs auth.Login with the browser.
func login(t *testing.T, p *auth.AuthorizationCode, mutate func(*url.URL)) (*auth.Token, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return auth.Login(ctx, p, auth.LoginOptions{Open: browser(t, mutate), Out: io.Discard, Timeout: 15 * time.Second})
}

// mustLogin logs in and fails the test on error.
func mustLogin(t *testing.T, p *auth.AuthorizationCode) *auth.Token {
	t.Helper()
	tok, err := login(t, p, nil)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	return tok
}

// userClient returns a client of the emulator that authenticates with p.
func userClient(t *testing.T, srv *spotifytest.Server, p auth.Provider) *spotify.Client {
	t.Helper()
	c, err := spotify.NewClient(spotify.WithAuthProvider(p), spotify.WithBaseURL(srv.URL+"/v1"), spotify.WithTokenURL(srv.URL+"/api/token"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestAuthCodePKCEEndToEnd(t *testing.T) {
	srv := spotifytest.NewServer()
	t.Cleanup(srv.Close)
	p := newUserProvider(t, srv, freeRedirect(t), auth.NewMemoryStore(), nil)
	if !p.PKCE() {
		t.Fatal("the provider has a secret; want PKCE")
	}
	if got := p.Identity(); got != "user:" {
		t.Errorf("Identity before login = %q, want \"user:\"", got)
	}
	tok := mustLogin(t, p)
	if tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("login token lacks an access or refresh token: %v", tok)
	}
	if n := srv.Requests("GET /authorize"); n != 1 {
		t.Errorf("%d requests to /authorize, want 1", n)
	}
	if n := srv.Requests(tokenRoute); n != 1 {
		t.Errorf("%d token requests, want 1 (the exchange)", n)
	}
	id := p.Identity()
	if !strings.HasPrefix(id, "user:") || id == "user:" {
		t.Errorf("Identity after login = %q, want user:<family>", id)
	}

	c := userClient(t, srv, p)
	me, err := c.Users.GetCurrentProfile(context.Background(), nil)
	if err != nil {
		t.Fatalf("GetCurrentProfile: %v", err)
	}
	if me.ID != srv.LoginUser() {
		t.Errorf("profile id = %q, want the login user %q", me.ID, srv.LoginUser())
	}
	pl, err := c.Playlists.GetForCurrentUser(context.Background(), &spotify.ListOptions{Limit: 5})
	if err != nil {
		t.Fatalf("GetForCurrentUser: %v", err)
	}
	if len(pl.Items) == 0 && pl.Total != 0 {
		t.Errorf("playlists page is empty with total %d", pl.Total)
	}
	if n := srv.Requests(tokenRoute); n != 1 {
		t.Errorf("%d token requests after the API calls, want 1: the exchanged token is used", n)
	}
	if p.Identity() != id {
		t.Errorf("Identity changed to %q", p.Identity())
	}
}

func TestAuthCodeLoginStateMismatch(t *testing.T) {
	srv := spotifytest.NewServer()
	t.Cleanup(srv.Close)
	p := newUserProvider(t, srv, freeRedirect(t), auth.NewMemoryStore(), nil)
	_, err := login(t, p, func(u *url.URL) {
		q := u.Query()
		q.Set("state", "forged-"+q.Get("state"))
		u.RawQuery = q.Encode()
	})
	if !errors.Is(err, auth.ErrStateMismatch) {
		t.Fatalf("Login with a forged state: %v, want ErrStateMismatch", err)
	}
	if !strings.Contains(err.Error(), "state mismatch") {
		t.Errorf("error %q does not say what happened", err)
	}
	if n := srv.Requests(tokenRoute); n != 0 {
		t.Errorf("%d token requests: the code of a mismatched callback must not be exchanged", n)
	}
	if _, err := p.Token(context.Background()); !errors.Is(err, auth.ErrLoginRequired) {
		t.Errorf("Token after the failed login: %v, want ErrLoginRequired", err)
	}
}

func TestAuthCodeLoginAccessDenied(t *testing.T) {
	srv := spotifytest.NewServer()
	t.Cleanup(srv.Close)
	if err := srv.SetLoginUser(""); err != nil {
		t.Fatal(err)
	}
	p := newUserProvider(t, srv, freeRedirect(t), auth.NewMemoryStore(), nil)
	_, err := login(t, p, nil)
	if !errors.Is(err, auth.ErrAccessDenied) {
		t.Fatalf("Login refused by the user: %v, want ErrAccessDenied", err)
	}
	var ce *auth.CallbackError
	if !errors.As(err, &ce) || ce.Code != "access_denied" {
		t.Errorf("error %v is not a *CallbackError with code access_denied", err)
	}
	if !strings.Contains(err.Error(), "access_denied") {
		t.Errorf("error %q does not name access_denied", err)
	}
	if n := srv.Requests(tokenRoute); n != 0 {
		t.Errorf("%d token requests after a refusal, want 0", n)
	}
}

func TestAuthCodeOneRefreshForManyCallers(t *testing.T) {
	clk := clock.NewFake()
	srv := spotifytest.NewServer(spotifytest.WithClock(clk.Now))
	t.Cleanup(srv.Close)
	p := newUserProvider(t, srv, freeRedirect(t), auth.NewMemoryStore(), clk)
	first := mustLogin(t, p)
	clk.Advance(2 * time.Hour) // the hour-long token has expired on both sides
	before := srv.Requests(tokenRoute)

	const callers = 50
	start := make(chan struct{})
	toks := make([]*auth.Token, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			<-start
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			toks[i], errs[i] = p.Token(ctx)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("caller %d: %v", i, err)
		}
		if toks[i].AccessToken != toks[0].AccessToken {
			t.Fatalf("caller %d got another token than caller 0", i)
		}
	}
	if n := srv.Requests(tokenRoute) - before; n != 1 {
		t.Errorf("%d token requests for %d callers on an expired token, want 1", n, callers)
	}
	if toks[0].AccessToken == first.AccessToken {
		t.Error("the expired token was handed out")
	}
	// The refreshed token works against the API (its clock moved too).
	me, err := userClient(t, srv, p).Users.GetCurrentProfile(context.Background(), nil)
	if err != nil {
		t.Fatalf("GetCurrentProfile with the refreshed token: %v", err)
	}
	if me.ID != srv.LoginUser() {
		t.Errorf("profile id = %q, want %q", me.ID, srv.LoginUser())
	}
}

func TestAuthCodeRotationSurvivesRestart(t *testing.T) {
	clk := clock.NewFake()
	srv := spotifytest.NewServer(spotifytest.WithClock(clk.Now))
	t.Cleanup(srv.Close)
	redirect := freeRedirect(t)
	path := filepath.Join(t.TempDir(), "token.json")
	fs, err := auth.NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p := newUserProvider(t, srv, redirect, fs, clk)
	login := mustLogin(t, p)
	id := p.Identity()
	if st, err := fs.Load(ctx); err != nil || st == nil || st.Token.RefreshToken != login.RefreshToken {
		t.Fatalf("store after login: %v, %v; want the login's refresh token", st, err)
	}

	clk.Advance(2 * time.Hour)
	refreshed, err := p.Token(ctx)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if refreshed.RefreshToken == "" || refreshed.RefreshToken == login.RefreshToken {
		t.Fatal("the emulator did not rotate the refresh token")
	}
	st, err := fs.Load(ctx)
	if err != nil || st == nil {
		t.Fatalf("store after refresh: %v, %v", st, err)
	}
	if st.Token.RefreshToken != refreshed.RefreshToken {
		t.Error("the store does not hold the rotated refresh token")
	}
	if st.Token.AccessToken != refreshed.AccessToken {
		t.Error("the store does not hold the refreshed access token")
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}

	// A new provider (a restarted program) starts from the file.
	fs2, err := auth.NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	p2 := newUserProvider(t, srv, redirect, fs2, clk)
	if p2.Identity() != id {
		t.Errorf("Identity after restart = %q, want %q", p2.Identity(), id)
	}
	before := srv.Requests(tokenRoute)
	tok, err := p2.Token(ctx)
	if err != nil {
		t.Fatalf("Token after restart: %v", err)
	}
	if tok.AccessToken != refreshed.AccessToken || srv.Requests(tokenRoute) != before {
		t.Error("the restarted provider did not use the stored, still valid token")
	}
	clk.Advance(2 * time.Hour)
	tok, err = p2.Token(ctx)
	if err != nil {
		t.Fatalf("refresh after restart with the stored rotated refresh token: %v", err)
	}
	if tok.RefreshToken == refreshed.RefreshToken {
		t.Error("no rotation on the second refresh")
	}
	if st, err := fs2.Load(ctx); err != nil || st == nil || st.Token.RefreshToken != tok.RefreshToken {
		t.Errorf("store after the second refresh: %v, %v", st, err)
	}
	if s := srv.Statuses(tokenRoute); s[http.StatusBadRequest] != 0 {
		t.Errorf("token endpoint statuses %v: a refresh was refused", s)
	}
	me, err := userClient(t, srv, p2).Users.GetCurrentProfile(ctx, nil)
	if err != nil || me.ID != srv.LoginUser() {
		t.Errorf("GetCurrentProfile after restart: %v, %v", me, err)
	}
}

func TestAuthCodeRevokedRefreshToken(t *testing.T) {
	clk := clock.NewFake()
	srv := spotifytest.NewServer(spotifytest.WithClock(clk.Now))
	t.Cleanup(srv.Close)
	redirect := freeRedirect(t)
	ctx := context.Background()
	// A provider whose store holds an expired token and a refresh token
	// the emulator rotated away (spent): it answers "Refresh token revoked".
	spent := auth.NewMemoryStore()
	if err := spent.Save(ctx, &auth.StoredToken{Token: auth.Token{
		AccessToken: "expired", TokenType: "Bearer", RefreshToken: revokedRefresh(t, srv, redirect),
		Expiry: clk.Now().Add(-time.Minute),
	}, FamilyID: "fam"}); err != nil {
		t.Fatal(err)
	}
	p := newUserProvider(t, srv, redirect, spent, clk)
	_, err := p.Token(ctx)
	if !errors.Is(err, auth.ErrInvalidGrant) || !errors.Is(err, auth.ErrLoginRequired) {
		t.Fatalf("Token with a revoked refresh token: %v, want ErrInvalidGrant and ErrLoginRequired", err)
	}
	var lr *auth.LoginRequiredError
	if !errors.As(err, &lr) {
		t.Errorf("error %T is not a *LoginRequiredError", err)
	}
	var te *auth.TokenError
	if !errors.As(err, &te) || te.Code != "invalid_grant" {
		t.Errorf("error %v does not carry the token endpoint's invalid_grant", err)
	}
	if !strings.Contains(err.Error(), "log in again") {
		t.Errorf("error %q does not tell the user to log in again", err)
	}
	// An API call fails with the same typed error.
	_, err = userClient(t, srv, p).Users.GetCurrentProfile(ctx, nil)
	if !errors.Is(err, auth.ErrLoginRequired) || !errors.Is(err, auth.ErrInvalidGrant) {
		t.Errorf("GetCurrentProfile with a revoked refresh token: %v, want ErrLoginRequired and ErrInvalidGrant", err)
	}
	// A new login recovers.
	mustLogin(t, p)
	if _, err := userClient(t, srv, p).Users.GetCurrentProfile(ctx, nil); err != nil {
		t.Errorf("GetCurrentProfile after logging in again: %v", err)
	}
}

// revokedRefresh logs a user in, refreshes once (the emulator rotates the
// refresh token), and returns the login's refresh token, now spent.
func revokedRefresh(t *testing.T, srv *spotifytest.Server, redirect string) string {
	t.Helper()
	p := newUserProvider(t, srv, redirect, auth.NewMemoryStore(), nil)
	first := mustLogin(t, p)
	p.Invalidate(first)
	next, err := p.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if next.RefreshToken == first.RefreshToken {
		t.Fatal("the refresh token was not rotated")
	}
	return first.RefreshToken
}

// Environment of the child processes of TestAuthCodeFileStoreTwoProcesses.
const (
	envE2EServer = "SPOTIFYTEST_E2E_CHILD_SERVER"
	envE2EStore  = "SPOTIFYTEST_E2E_CHILD_STORE"
	envE2ERounds = "SPOTIFYTEST_E2E_CHILD_ROUNDS"
)

// TestAuthCodeFileStoreTwoProcesses re-runs the test binary twice as child
// processes that refresh alternately through one file store against the
// emulator served here, which rotates the refresh token on every refresh
// and refuses a spent one. No refresh may be refused and the file must
// always parse.
func TestAuthCodeFileStoreTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	if os.Getenv(envE2EServer) != "" {
		t.Skip("in a child process")
	}
	srv := spotifytest.NewServer()
	t.Cleanup(srv.Close)
	path := filepath.Join(t.TempDir(), "token.json")
	fs, err := auth.NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	p := newUserProvider(t, srv, freeRedirect(t), fs, nil)
	mustLogin(t, p)
	id := p.Identity()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	srv.ResetCounters()

	const rounds = 15
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 2)
	for range 2 {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestAuthCodeFileStoreChildProcess$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(),
			envE2EServer+"="+srv.URL,
			envE2EStore+"="+path,
			envE2ERounds+"="+strconv.Itoa(rounds),
		)
		go func() {
			out, err := cmd.CombinedOutput()
			done <- result{out, err}
		}()
	}
	for range 2 {
		r := <-done
		if r.err != nil {
			t.Fatalf("child failed: %v\n%s", r.err, r.out)
		}
		if !strings.Contains(string(r.out), "--- PASS: TestAuthCodeFileStoreChildProcess") {
			t.Errorf("the child did not run:\n%s", r.out)
		}
	}
	statuses := srv.Statuses(tokenRoute)
	if statuses[http.StatusBadRequest] != 0 {
		t.Errorf("token endpoint statuses %v: a refresh token was spent twice (invalid_grant)", statuses)
	}
	if statuses[http.StatusOK] < rounds {
		t.Errorf("%d refreshes, want at least %d", statuses[http.StatusOK], rounds)
	}
	st, err := fs.Load(context.Background())
	if err != nil || st == nil {
		t.Fatalf("the file after the children: %v, %v", st, err)
	}
	if "user:"+st.FamilyID != id {
		t.Errorf("family %q, want the login's %q", st.FamilyID, id)
	}
	// The stored refresh token is the live one: a restarted provider
	// refreshes with it.
	p2 := newUserProvider(t, srv, freeRedirect(t), fs, nil)
	tok, err := p2.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p2.Invalidate(tok)
	if _, err := p2.Token(context.Background()); err != nil {
		t.Fatalf("refresh with the stored refresh token: %v", err)
	}
	if s := srv.Statuses(tokenRoute); s[http.StatusBadRequest] != 0 {
		t.Errorf("token endpoint statuses %v after the children", s)
	}
}

// TestAuthCodeFileStoreChildProcess is the child of
// TestAuthCodeFileStoreTwoProcesses; it is skipped unless started by it.
func TestAuthCodeFileStoreChildProcess(t *testing.T) {
	base := os.Getenv(envE2EServer)
	if base == "" {
		t.Skip("run by TestAuthCodeFileStoreTwoProcesses")
	}
	rounds, err := strconv.Atoi(os.Getenv(envE2ERounds))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := auth.NewFileStore(os.Getenv(envE2EStore))
	if err != nil {
		t.Fatal(err)
	}
	p, err := auth.NewAuthorizationCode(auth.AuthorizationCodeConfig{
		ClientID: spotifytest.ClientID, RedirectURI: "http://127.0.0.1:8080/callback",
		TokenURL: base + "/api/token", AuthURL: base + "/authorize",
		Store: fs, EarlyRefresh: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	id := p.Identity()
	hc := &http.Client{Timeout: 10 * time.Second}
	for i := range rounds {
		tok, err := p.Token(context.Background())
		if err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		if _, err := fs.Load(context.Background()); err != nil {
			t.Fatalf("round %d: the file does not parse: %v", i, err)
		}
		// The token is live at the emulator's API.
		req, _ := http.NewRequest(http.MethodGet, base+"/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("round %d: GET /v1/me answered %d", i, resp.StatusCode)
		}
		p.Invalidate(tok) // as after a 401: the next Token refreshes or adopts
		time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
	}
	if p.Identity() != id {
		t.Errorf("Identity changed from %q to %q", id, p.Identity())
	}
}
