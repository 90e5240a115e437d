package main

import (
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
	artistIDs []string
	srv       *spotifytest.Server // nil for Spotify
	truth     []string            // emulator: the track ids the import must deliver
}

func (s *source) close() {
	if s.srv != nil {
		s.srv.Close()
	}
}

// openSource picks Spotify when both credentials are in the environment,
// else the emulator.
func openSource(o options) (*source, error) {
	if os.Getenv(auth.EnvClientID) != "" && os.Getenv(auth.EnvClientSecret) != "" {
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
		if o.chaos {
			return nil, fmt.Errorf("-chaos needs the emulator (unset %s)", auth.EnvClientID)
		}
		return &source{name: "Spotify", artistIDs: ids}, nil
	}

	opts := []spotifytest.Option{spotifytest.WithCatalogSize(max(o.size, spotifytest.DefaultArtists))}
	if o.mode == "dev" {
		opts = append(opts, spotifytest.WithDevelopmentMode())
	}
	opts = append(opts, chaosOptions(o.chaos)...)
	srv := spotifytest.NewServer(opts...)
	cat := srv.Catalog()
	src := &source{name: "the emulator at " + srv.URL, srv: srv, artistIDs: cat.IDs(spotifytest.KindArtist, o.size)}
	// The ground truth: the catalogue numbers an album artist*8+j and a
	// track album*32+k, and walks tracks artist by artist, so the tracks
	// of the first size artists are those with an index below size*256.
	limit := o.size * 8 * 32
	for i, id := range cat.All(spotifytest.KindTrack) {
		if i >= limit {
			break
		}
		src.truth = append(src.truth, id)
	}
	return src, nil
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
	if src.srv != nil {
		opts = append(opts, chaosClientOptions(o.chaos)...)
		opts = append(opts, src.srv.ClientOptions()...)
		opts = append(opts, spotify.WithClientCredentials(spotifytest.ClientID, spotifytest.ClientSecret))
	} else {
		// Client credentials from SPOTIFY_SDK_CLIENT_ID/SECRET (the SDK's
		// default), at Spotify's endpoints unless a test moved them.
		opts = append(opts, spotifyEndpoints...)
	}
	return spotify.NewAsyncClient(opts...)
}

// spotifyEndpoints are extra options of Spotify mode: none in the command;
// the tests point Spotify mode at an emulator with its ClientOptions.
var spotifyEndpoints []spotify.Option
