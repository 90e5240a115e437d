package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// spotifyModeServer makes Spotify mode (credentials in the environment)
// talk to an emulator, for the test's length.
func spotifyModeServer(t *testing.T) *spotifytest.Server {
	t.Helper()
	srv := spotifytest.NewServer()
	t.Cleanup(srv.Close)
	t.Setenv(auth.EnvClientID, spotifytest.ClientID)
	t.Setenv(auth.EnvClientSecret, spotifytest.ClientSecret)
	old := spotifyEndpoints
	spotifyEndpoints = srv.ClientOptions()
	t.Cleanup(func() { spotifyEndpoints = old })
	return srv
}

// TestImportSpotifyMode runs the Spotify-mode path (artists from the flag
// and from a file, credentials from the environment) against an emulator
// standing in for Spotify: no ground truth, so no exactly-once line.
func TestImportSpotifyMode(t *testing.T) {
	srv := spotifyModeServer(t)
	ids := srv.Catalog().IDs(spotifytest.KindArtist, 3)
	file := filepath.Join(t.TempDir(), "artists.txt")
	if err := os.WriteFile(file, []byte("# more artists\n\nspotify:artist:"+ids[2]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out, progress bytes.Buffer
	o := options{size: 200, concurrency: 4, mode: "extended", out: dir,
		artists: ids[0] + ", spotify:artist:" + ids[1], artistsFile: file}
	res, err := run(t.Context(), o, &out, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if res.verified {
		t.Error("Spotify mode has no ground truth to verify against")
	}
	if strings.Contains(out.String(), "exactly-once") {
		t.Errorf("summary claims a check it cannot make:\n%s", out.String())
	}
	if !strings.Contains(progress.String(), "importing 3 artists from Spotify") {
		t.Errorf("progress: %s", progress.String())
	}
	c := res.counts
	if c.artists != 3 || c.albums < 3 || c.tracks < c.albums {
		t.Errorf("counts %+v", c)
	}
	if got := readIDs(t, filepath.Join(dir, "artists.jsonl")); len(got) != 3 {
		t.Errorf("artists.jsonl: %v", got)
	}
}

func TestImportSpotifyModeRefusals(t *testing.T) {
	spotifyModeServer(t)
	_, err := run(t.Context(), options{size: 1, concurrency: 1, mode: "extended", out: t.TempDir()}, io.Discard, io.Discard)
	if !errors.Is(err, errNoArtists) {
		t.Errorf("no artists: %v", err)
	}
	_, err = run(t.Context(), options{size: 1, concurrency: 1, mode: "extended", out: t.TempDir(), artists: "x", chaos: chaosMild}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-chaos needs the emulator") {
		t.Errorf("chaos in Spotify mode: %v", err)
	}
}

// TestImportSpotifyModeResume resumes a Spotify-mode import: the artists
// come from the manifest, not from flags, and only the one not committed
// is fetched again.
func TestImportSpotifyModeResume(t *testing.T) {
	srv := spotifyModeServer(t)
	ids := srv.Catalog().IDs(spotifytest.KindArtist, 3)
	dir := t.TempDir()
	o := options{size: 200, concurrency: 2, mode: "extended", out: dir, artists: strings.Join(ids, ",")}
	if _, err := run(t.Context(), o, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	log := fileString(t, filepath.Join(dir, commitsFile))
	lines := strings.SplitAfter(log, "\n")
	if err := os.WriteFile(filepath.Join(dir, commitsFile), []byte(lines[0]+lines[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	complete, _ := commitsOf(t, dir)
	srv.ResetCounters()
	res, err := run(t.Context(), options{size: 200, concurrency: 2, mode: "extended", resume: dir}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.units != 1 || res.counts.artists != 3 || srv.Requests("GET /v1/artists/{id}") != 1 {
		t.Errorf("resume committed %d units, %d artists on disk, %d artists fetched", res.units, res.counts.artists, srv.Requests("GET /v1/artists/{id}"))
	}
	for _, id := range complete {
		if srv.TimesServed("spotify:artist:"+id) != 0 {
			t.Errorf("artist %s was complete, fetched again", id)
		}
	}
	if got := readIDs(t, filepath.Join(dir, "artists.jsonl")); len(got) != 3 {
		t.Errorf("artists.jsonl: %v", got)
	}

	t.Setenv(auth.EnvClientID, "")
	_, err = run(t.Context(), options{size: 200, concurrency: 2, mode: "extended", resume: dir}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "the import read from Spotify") {
		t.Errorf("resume without credentials: %v", err)
	}
}
