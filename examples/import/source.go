package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// source is where the import reads from: the in-process emulator, or
// Spotify itself.
type source struct {
	name      string
	kind      string // "emulator" or "Spotify", as in the manifest
	artistIDs []string
	srv       *spotifytest.Server // nil for Spotify
	url       string              // emulator: the root the client talks to
	truth     *truth              // emulator: what the import must deliver
}

// truth is the emulator's ground truth: the ids of the artists, albums and
// tracks the import must deliver, each exactly once.
type truth struct {
	artists, albums, tracks []string
}

func (s *source) close() {
	if s.srv != nil {
		s.srv.Close()
	}
}

// emulatorFront lets a test put a server of its own in front of the
// emulator (to answer some requests otherwise): it returns the root URL
// the client is to use instead of the emulator's.
var emulatorFront func(srv *spotifytest.Server) string

// openSource picks Spotify when both credentials are in the environment,
// else the emulator. m is the manifest of the import -resume continues, or
// nil.
func openSource(o options, m *manifest) (*source, error) {
	spotifyMode := os.Getenv(auth.EnvClientID) != "" && os.Getenv(auth.EnvClientSecret) != ""
	if m != nil && (m.Source == "Spotify") != spotifyMode {
		return nil, fmt.Errorf("-resume %s: the import read from %s; set or unset %s and %s to match",
			o.resume, m.Source, auth.EnvClientID, auth.EnvClientSecret)
	}
	if spotifyMode {
		if o.chaos != chaosOff {
			return nil, fmt.Errorf("-chaos needs the emulator (unset %s)", auth.EnvClientID)
		}
		if m != nil {
			return &source{name: "Spotify", kind: "Spotify", artistIDs: m.Artists}, nil
		}
		ids := splitIDs(o.artists)
		if o.artistsFile != "" {
			more, err := readArtistsFile(o.artistsFile)
			if err != nil {
				return nil, err
			}
			ids = append(ids, more...)
		}
		if len(ids) == 0 {
			return nil, errNoArtists
		}
		return &source{name: "Spotify", kind: "Spotify", artistIDs: ids}, nil
	}

	opts := []spotifytest.Option{spotifytest.WithCatalogSize(max(o.size, spotifytest.DefaultArtists))}
	if o.mode == "dev" {
		opts = append(opts, spotifytest.WithDevelopmentMode())
	}
	opts = append(opts, chaosOptions(o.chaos)...)
	srv := spotifytest.NewServer(opts...)
	cat := srv.Catalog()
	src := &source{name: "the emulator at " + srv.URL, kind: "emulator", srv: srv, url: srv.URL,
		artistIDs: cat.IDs(spotifytest.KindArtist, o.size)}
	if emulatorFront != nil {
		src.url = emulatorFront(srv)
	}
	// The ground truth: the catalogue numbers an album artist*8+j and a
	// track album*32+k, and walks albums and tracks artist by artist, so
	// those of the first size artists are the albums with an index below
	// size*8 and the tracks with an index below size*256.
	src.truth = &truth{artists: src.artistIDs}
	for i, id := range cat.All(spotifytest.KindAlbum) {
		if i >= o.size*8 {
			break
		}
		src.truth.albums = append(src.truth.albums, id)
	}
	for i, id := range cat.All(spotifytest.KindTrack) {
		if i >= o.size*8*32 {
			break
		}
		src.truth.tracks = append(src.truth.tracks, id)
	}
	return src, nil
}

// manifest returns the manifest of a new import from s.
func (s *source) manifest(o options) *manifest {
	m := &manifest{Source: s.kind, Mode: o.mode}
	if s.srv != nil {
		m.Size = o.size
	} else {
		m.Artists = s.artistIDs
	}
	return m
}

// writeCounters writes what the emulator served to path, as JSON: the
// requests of each route the import uses, and how many times each of the
// import's artists and tracks was served as the object of a get (only
// those served at least once). A test reads it to see what a run fetched.
func (s *source) writeCounters(path string) error {
	if s.srv == nil {
		return fmt.Errorf("-counters %s: needs the emulator", path)
	}
	out := struct {
		Requests map[string]int `json:"requests"`
		Served   map[string]int `json:"served"`
	}{map[string]int{}, map[string]int{}}
	for _, r := range []string{"GET /v1/artists/{id}", "GET /v1/artists/{id}/albums", "GET /v1/albums/{id}/tracks",
		"GET /v1/tracks", "GET /v1/tracks/{id}"} {
		out.Requests[r] = s.srv.Requests(r)
	}
	for kind, ids := range map[string][]string{"artist": s.truth.artists, "track": s.truth.tracks} {
		for _, id := range ids {
			uri := "spotify:" + kind + ":" + id
			if n := s.srv.TimesServed(uri); n > 0 {
				out.Served[uri] = n
			}
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// newClient builds the AsyncClient: pointed at the emulator or at Spotify
// (client credentials from the environment), with the import's
// measuring stages plugged into the chain.
func newClient(src *source, o options, st *stats) (*spotify.AsyncClient, error) {
	mode := spotify.ExtendedQuotaMode
	if o.mode == "dev" {
		mode = spotify.DevelopmentMode
	}
	opts := []spotify.Option{
		spotify.WithConcurrency(o.concurrency),
		spotify.WithAppMode(mode),
		spotify.WithUserAgent("spotify-go-import-example/1.0"),
		// Once per call, cache hits included: counts calls and cache hits.
		spotify.WithMiddleware(st.callStage(), spotify.Before("cache")),
		// Once per call that reaches the network: latency, attempts, 429s.
		spotify.WithMiddleware(st.requestStage(), spotify.Before("retry")),
	}
	opts = append(opts, testClientOptions...)
	if src.srv != nil {
		opts = append(opts, chaosClientOptions(o.chaos)...)
		opts = append(opts, spotify.WithBaseURL(src.url+"/v1"), spotify.WithTokenURL(src.url+"/api/token"))
		opts = append(opts, spotify.WithClientCredentials(spotifytest.ClientID, spotifytest.ClientSecret))
	} else {
		// Client credentials from SPOTIFY_SDK_CLIENT_ID/SECRET (the SDK's
		// default), at Spotify's endpoints unless a test moved them.
		opts = append(opts, spotifyEndpoints...)
	}
	return spotify.NewAsyncClient(opts...)
}

// testClientOptions are extra client options in either mode: none in the
// command; tests shorten the chain's backoff with them.
var testClientOptions []spotify.Option

// spotifyEndpoints are extra options of Spotify mode: none in the command;
// the tests point Spotify mode at an emulator with its ClientOptions.
var spotifyEndpoints []spotify.Option
