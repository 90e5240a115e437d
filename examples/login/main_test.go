package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/spotify"
)

// emulatorEnv clears the credentials so that run uses the emulator.
func emulatorEnv(t *testing.T) {
	t.Setenv(auth.EnvClientID, "")
	t.Setenv(auth.EnvClientSecret, "")
	t.Setenv(auth.EnvRedirectURI, "")
}

// TestRunEmulator logs in to the emulator with PKCE and prints the
// profile and playlists; the token lands in the file store.
func TestRunEmulator(t *testing.T) {
	emulatorEnv(t)
	store := filepath.Join(t.TempDir(), "token.json")
	var out strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, &out, options{store: store, playlists: 3, timeout: 30 * time.Second}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"(emulator) opening http://127.0.0.1:",
		"/authorize?",
		"code_challenge_method=S256",
		"Logged in; the token is saved in " + store,
		"Profile: ",
		"Playlists (",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	fi, err := os.Stat(store)
	if err != nil {
		t.Fatalf("no token file: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("token file mode %v, want 0600", perm)
	}
	fs, err := auth.NewFileStore(store)
	if err != nil {
		t.Fatal(err)
	}
	st, err := fs.Load(context.Background())
	if err != nil || st == nil || st.Token.RefreshToken == "" {
		t.Errorf("stored token: %v, %v", st, err)
	}

	// A second run with the same store meets a new emulator that refuses
	// the saved token and its refresh token: it logs in again.
	out.Reset()
	if err := run(ctx, &out, options{store: store, playlists: 3, timeout: 30 * time.Second}); err != nil {
		t.Fatalf("second run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"The saved token was refused", "Logged in; the token", "Profile: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("second run's output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestRunBadFlags rejects a playlist count out of range.
func TestRunBadFlags(t *testing.T) {
	emulatorEnv(t)
	if err := run(context.Background(), &strings.Builder{}, options{playlists: 0}); err == nil {
		t.Error("run accepted -playlists 0")
	}
}

// TestRunNewClientFailsAfterRelogin makes the client for the second login
// fail: run returns that error (and closes the first client) instead of
// panicking on a nil client.
func TestRunNewClientFailsAfterRelogin(t *testing.T) {
	emulatorEnv(t)
	store := filepath.Join(t.TempDir(), "token.json")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out strings.Builder
	if err := run(ctx, &out, options{store: store, playlists: 1, timeout: 30 * time.Second}); err != nil {
		t.Fatalf("first run: %v\n%s", err, out.String())
	}

	boom := errors.New("no second client")
	calls := 0
	t.Cleanup(func() { newClient = spotify.NewClient })
	newClient = func(opts ...spotify.Option) (*spotify.Client, error) {
		if calls++; calls == 2 {
			return nil, boom
		}
		return spotify.NewClient(opts...)
	}
	out.Reset()
	err := run(ctx, &out, options{store: store, playlists: 1, timeout: 30 * time.Second})
	if !errors.Is(err, boom) {
		t.Fatalf("second run: %v, want %v\n%s", err, boom, out.String())
	}
	if calls != 2 {
		t.Errorf("newClient called %d times, want 2", calls)
	}
	if !strings.Contains(out.String(), "The saved token was refused") {
		t.Errorf("the second run did not log in again:\n%s", out.String())
	}
}
