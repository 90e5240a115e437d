package redisstore

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/redistest"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// Environment of the child processes of the two-process tests.
const (
	envChildGate   = "REDISSTORE_CHILD_GATE"
	envChildAPI    = "REDISSTORE_CHILD_API"
	envChildRedis  = "REDISSTORE_CHILD_REDIS"
	envChildPrefix = "REDISSTORE_CHILD_PREFIX"
	envChildRounds = "REDISSTORE_CHILD_ROUNDS"
	envChildNoLock = "REDISSTORE_CHILD_NO_LOCK"
)

const tokenRoute = "POST /api/token"

// TestTwoProcessesRefreshOneToken: two child processes, each in a working
// folder of its own, refresh one user's token through the Redis store
// while the emulator rotates the refresh token on every refresh and the
// gate in front of it holds each refresh until the other process has
// asked too (or 250 ms passed). The lock makes them take turns: no refresh
// token is ever spent twice.
func TestTwoProcessesRefreshOneToken(t *testing.T) {
	statuses, gate := runTwoProcesses(t, false)
	assert.Zero(t, statuses[http.StatusBadRequest], "token endpoint statuses %v: a refresh token was spent twice (invalid_grant)", statuses)
	assert.GreaterOrEqual(t, statuses[http.StatusOK], 15, "the children refreshed")
	assert.Zero(t, gate.Paired(), "with the lock, no two refreshes were ever in flight together")
}

// TestTwoProcessesWithoutLockDoubleSpend is the same run with the lock
// disabled: the processes then spend the same refresh token and the
// emulator answers invalid_grant, which shows that the run above can
// fail.
func TestTwoProcessesWithoutLockDoubleSpend(t *testing.T) {
	statuses, gate := runTwoProcesses(t, true)
	assert.Positive(t, statuses[http.StatusBadRequest], "token endpoint statuses %v: without the lock a refresh token is spent twice", statuses)
	assert.Positive(t, gate.Paired())
}

// runTwoProcesses logs a user in, stores the token in Redis, runs the two
// children, and returns the token endpoint's statuses while they ran.
func runTwoProcesses(t *testing.T, noLock bool) (map[int]int, *spotifytest.RefreshGate) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts child processes")
	}
	if os.Getenv(envChildGate) != "" {
		t.Skip("in a child process")
	}
	redisURL := redistest.URL(t)
	srv := spotifytest.NewServer()
	t.Cleanup(srv.Close)
	gate := spotifytest.NewRefreshGate(srv, 250*time.Millisecond)
	t.Cleanup(gate.Close)
	prefix := redistest.Prefix(t)
	store, err := New(Options{URL: redisURL, Prefix: prefix, Key: "user-1", TokenTTL: time.Hour})
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = store.client.Del(context.Background(), store.tokenKey, store.lockKey).Err()
		_ = store.Close()
	})
	p, err := auth.NewAuthorizationCode(auth.AuthorizationCodeConfig{
		ClientID: spotifytest.ClientID, RedirectURI: freeRedirect(t),
		TokenURL: srv.URL + "/api/token", AuthURL: srv.URL + "/authorize",
		Store: store, EarlyRefresh: -1,
	})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err = auth.Login(ctx, p, auth.LoginOptions{Open: browse, Out: io.Discard, Timeout: 15 * time.Second})
	require.NoError(t, err)
	require.NoError(t, p.Close())
	srv.ResetCounters()

	const rounds = 15
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 2)
	for range 2 {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestTwoProcessesChild$", "-test.count=1", "-test.v")
		cmd.Dir = t.TempDir() // a working folder of its own
		cmd.Env = append(os.Environ(),
			envChildGate+"="+gate.URL, envChildAPI+"="+srv.URL, envChildRedis+"="+redisURL,
			envChildPrefix+"="+prefix, envChildRounds+"="+strconv.Itoa(rounds),
			envChildNoLock+"="+strconv.FormatBool(noLock))
		go func() {
			out, err := cmd.CombinedOutput()
			done <- result{out, err}
		}()
	}
	for range 2 {
		r := <-done
		require.NoError(t, r.err, "child failed:\n%s", r.out)
		require.Contains(t, string(r.out), "--- PASS: TestTwoProcessesChild", "the child ran:\n%s", r.out)
	}
	return srv.Statuses(tokenRoute), gate
}

// TestTwoProcessesChild is the child of the two-process tests; it is
// skipped unless started by them. Each round it takes the token, checks
// that the API takes it, and drops it as after a 401, so that the next
// round refreshes or adopts the other's. With the lock, a failed refresh
// fails the child; without it, refusals are expected and counted by the
// parent.
func TestTwoProcessesChild(t *testing.T) {
	gateURL := os.Getenv(envChildGate)
	if gateURL == "" {
		t.Skip("run by TestTwoProcessesRefreshOneToken")
	}
	rounds, err := strconv.Atoi(os.Getenv(envChildRounds))
	require.NoError(t, err)
	noLock := os.Getenv(envChildNoLock) == "true"
	store, err := New(Options{URL: os.Getenv(envChildRedis), Prefix: os.Getenv(envChildPrefix), Key: "user-1", TokenTTL: time.Hour})
	require.NoError(t, err)
	store.noLock = noLock
	defer store.Close()
	p, err := auth.NewAuthorizationCode(auth.AuthorizationCodeConfig{
		ClientID: spotifytest.ClientID, RedirectURI: "http://127.0.0.1:8080/callback",
		TokenURL: gateURL + "/api/token", AuthURL: gateURL + "/authorize",
		Store: store, EarlyRefresh: -1,
	})
	require.NoError(t, err)
	defer p.Close()
	api := os.Getenv(envChildAPI)
	hc := &http.Client{Timeout: 10 * time.Second}
	for i := range rounds {
		tok, err := p.Token(context.Background())
		if err != nil {
			if noLock {
				t.Logf("round %d: %v", i, err)
				continue
			}
			t.Fatalf("round %d: %v", i, err)
		}
		req, _ := http.NewRequest(http.MethodGet, api+"/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := hc.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if !noLock {
			require.Equal(t, http.StatusOK, resp.StatusCode, "round %d: GET /v1/me", i)
		}
		p.Invalidate(tok)
		time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
	}
}

// freeRedirect returns a loopback redirect URI on a port free right now.
func freeRedirect(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	return fmt.Sprintf("http://127.0.0.1:%d/callback", port)
}

// browse plays the user's browser for auth.Login: it opens the
// authorization URL without following its redirect, then the callback it
// redirects to.
func browse(authURL string) error {
	hc := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := hc.Get(authURL)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return fmt.Errorf("/authorize answered %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "http://127.0.0.1:") {
		return fmt.Errorf("/authorize redirected to %q", loc)
	}
	resp, err = hc.Get(loc)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
