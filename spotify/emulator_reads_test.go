package spotify_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests read the emulator (package spotifytest) through both
// clients: every read method of the SDK, found by the SDK's routes and
// decoded by the SDK's models from the emulator's own JSON.

// readFixture holds valid ids of each kind of the emulator's catalogue,
// and the user the token stands for.
type readFixture struct {
	catalogIDs
	srv      *spotifytest.Server
	user     string
	trackURI string
}

// readCall is one read method of both clients: sync calls it on a
// *spotify.Client, async on a *spotify.AsyncClient (its twin, written by
// hand), and check, when set, asserts more than [checkDecoded] does.
type readCall struct {
	name  string // "Service.Method", as the completeness check lists them
	sync  func(context.Context, *spotify.Client) (any, error)
	async func(context.Context, *spotify.AsyncClient) (any, error)
	check func(*readFixture, any) error
}

// readWrites lists every service method that is not a read (its
// operation is a PUT, POST or DELETE). Each exported method of each
// service must be in readCalls or here, so a new read method cannot be
// left out of the test silently.
var readWrites = []string{
	"Albums.Save", "Albums.Remove",
	"Audiobooks.Save", "Audiobooks.Remove",
	"Episodes.Save", "Episodes.Remove",
	"Library.SaveItems", "Library.RemoveItems",
	"Player.TransferPlayback", "Player.StartPlayback", "Player.PausePlayback", "Player.SkipToNext",
	"Player.SkipToPrevious", "Player.Seek", "Player.SetRepeatMode", "Player.SetVolume",
	"Player.SetShuffle", "Player.AddToQueue",
	"Playlists.Create", "Playlists.ChangeDetails", "Playlists.UploadCoverImage",
	"Playlists.AddTracks", "Playlists.RemoveTracks", "Playlists.ReorderOrReplaceTracks",
	"Playlists.CreateForUser", "Playlists.AddItems", "Playlists.ReorderOrReplaceItems",
	"Playlists.RemoveItems",
	"Shows.Save", "Shows.Remove",
	"Tracks.Save", "Tracks.Remove",
	"Users.FollowPlaylist", "Users.UnfollowPlaylist", "Users.FollowArtistsOrUsers",
	"Users.UnfollowArtistsOrUsers",
}

// readCalls is the table of every read method.
func readCalls(f *readFixture) []readCall {
	idIs := func(field, want string) func(*readFixture, any) error {
		return func(_ *readFixture, v any) error {
			got := reflect.Indirect(reflect.ValueOf(v)).FieldByName(field).String()
			if got != want {
				return fmt.Errorf("%s = %q, want %q", field, got, want)
			}
			return nil
		}
	}
	nOf := func(n int) func(*readFixture, any) error {
		return func(_ *readFixture, v any) error {
			if got := reflect.ValueOf(v).Len(); got != n {
				return fmt.Errorf("%d results for %d ids", got, n)
			}
			return nil
		}
	}
	playing := func(_ *readFixture, v any) error {
		var item *spotify.PlaybackItem
		switch x := v.(type) {
		case *spotify.PlaybackState:
			item = x.Item
		case *spotify.CurrentlyPlaying:
			item = x.Item
		case *spotify.PlaybackQueue:
			item = x.CurrentlyPlaying
		}
		if item == nil {
			return errors.New("no item playing")
		}
		return nil
	}
	return []readCall{
		// Albums.
		{name: "Albums.Get", check: idIs("ID", f.album),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Albums.Get(ctx, f.album, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Albums.Get(ctx, f.album, nil).Await(ctx)
			}},
		{name: "Albums.GetTracks",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Albums.GetTracks(ctx, f.album, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Albums.GetTracks(ctx, f.album, nil).Await(ctx)
			}},
		{name: "Albums.GetSaved",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Albums.GetSaved(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Albums.GetSaved(ctx, nil).Await(ctx)
			}},
		{name: "Albums.GetSeveral", check: nOf(len(f.albums)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Albums.GetSeveral(ctx, f.albums, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Albums.GetSeveral(ctx, f.albums, nil).Await(ctx)
			}},
		{name: "Albums.GetNewReleases",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Albums.GetNewReleases(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Albums.GetNewReleases(ctx, nil).Await(ctx)
			}},
		{name: "Albums.CheckSaved", check: nOf(len(f.albums)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Albums.CheckSaved(ctx, f.albums, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Albums.CheckSaved(ctx, f.albums, nil).Await(ctx)
			}},

		// Artists.
		{name: "Artists.Get", check: idIs("ID", f.artist),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Artists.Get(ctx, f.artist, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Artists.Get(ctx, f.artist, nil).Await(ctx)
			}},
		{name: "Artists.GetAlbums",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Artists.GetAlbums(ctx, f.artist, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Artists.GetAlbums(ctx, f.artist, nil).Await(ctx)
			}},
		{name: "Artists.GetSeveral", check: nOf(len(f.artists)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Artists.GetSeveral(ctx, f.artists, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Artists.GetSeveral(ctx, f.artists, nil).Await(ctx)
			}},
		{name: "Artists.GetTopTracks",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Artists.GetTopTracks(ctx, f.artist, &spotify.ArtistTopTracksOptions{Market: "US"})
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Artists.GetTopTracks(ctx, f.artist, &spotify.ArtistTopTracksOptions{Market: "US"}).Await(ctx)
			}},
		{name: "Artists.GetRelatedArtists",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Artists.GetRelatedArtists(ctx, f.artist, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Artists.GetRelatedArtists(ctx, f.artist, nil).Await(ctx)
			}},

		// Audiobooks.
		{name: "Audiobooks.Get", check: idIs("ID", f.audiobook),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Audiobooks.Get(ctx, f.audiobook, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Audiobooks.Get(ctx, f.audiobook, nil).Await(ctx)
			}},
		{name: "Audiobooks.GetChapters",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Audiobooks.GetChapters(ctx, f.audiobook, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Audiobooks.GetChapters(ctx, f.audiobook, nil).Await(ctx)
			}},
		{name: "Audiobooks.GetSaved",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Audiobooks.GetSaved(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Audiobooks.GetSaved(ctx, nil).Await(ctx)
			}},
		{name: "Audiobooks.GetSeveral", check: nOf(len(f.audiobooks)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Audiobooks.GetSeveral(ctx, f.audiobooks, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Audiobooks.GetSeveral(ctx, f.audiobooks, nil).Await(ctx)
			}},
		{name: "Audiobooks.CheckSaved", check: nOf(len(f.audiobooks)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Audiobooks.CheckSaved(ctx, f.audiobooks, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Audiobooks.CheckSaved(ctx, f.audiobooks, nil).Await(ctx)
			}},

		// Categories.
		{name: "Categories.List",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Categories.List(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Categories.List(ctx, nil).Await(ctx)
			}},
		{name: "Categories.Get", check: idIs("ID", f.category),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Categories.Get(ctx, f.category, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Categories.Get(ctx, f.category, nil).Await(ctx)
			}},

		// Chapters.
		{name: "Chapters.Get", check: idIs("ID", f.chapter),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Chapters.Get(ctx, f.chapter, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Chapters.Get(ctx, f.chapter, nil).Await(ctx)
			}},
		{name: "Chapters.GetSeveral", check: nOf(len(f.chapters)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Chapters.GetSeveral(ctx, f.chapters, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Chapters.GetSeveral(ctx, f.chapters, nil).Await(ctx)
			}},

		// Episodes.
		{name: "Episodes.Get", check: idIs("ID", f.episode),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Episodes.Get(ctx, f.episode, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Episodes.Get(ctx, f.episode, nil).Await(ctx)
			}},
		{name: "Episodes.GetSaved",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Episodes.GetSaved(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Episodes.GetSaved(ctx, nil).Await(ctx)
			}},
		{name: "Episodes.GetSeveral", check: nOf(len(f.episodes)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Episodes.GetSeveral(ctx, f.episodes, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Episodes.GetSeveral(ctx, f.episodes, nil).Await(ctx)
			}},
		{name: "Episodes.CheckSaved", check: nOf(len(f.episodes)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Episodes.CheckSaved(ctx, f.episodes, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Episodes.CheckSaved(ctx, f.episodes, nil).Await(ctx)
			}},

		// Library.
		{name: "Library.CheckContains", check: nOf(1),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Library.CheckContains(ctx, []string{f.trackURI}, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Library.CheckContains(ctx, []string{f.trackURI}, nil).Await(ctx)
			}},

		// Markets.
		{name: "Markets.List",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Markets.List(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Markets.List(ctx, nil).Await(ctx)
			}},

		// Player (the user plays f.track: see SetPlaying).
		{name: "Player.GetPlaybackState", check: playing,
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Player.GetPlaybackState(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Player.GetPlaybackState(ctx, nil).Await(ctx)
			}},
		{name: "Player.GetDevices",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Player.GetDevices(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Player.GetDevices(ctx, nil).Await(ctx)
			}},
		{name: "Player.GetCurrentlyPlaying", check: playing,
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Player.GetCurrentlyPlaying(ctx, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Player.GetCurrentlyPlaying(ctx, nil).Await(ctx)
			}},
		{name: "Player.GetRecentlyPlayed",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Player.GetRecentlyPlayed(ctx, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Player.GetRecentlyPlayed(ctx, nil).Await(ctx)
			}},
		{name: "Player.GetQueue", check: playing,
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Player.GetQueue(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Player.GetQueue(ctx, nil).Await(ctx)
			}},

		// Playlists.
		{name: "Playlists.Get", check: idIs("ID", f.playlist),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Playlists.Get(ctx, f.playlist, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Playlists.Get(ctx, f.playlist, nil).Await(ctx)
			}},
		{name: "Playlists.GetItems",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Playlists.GetItems(ctx, f.playlist, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Playlists.GetItems(ctx, f.playlist, nil).Await(ctx)
			}},
		{name: "Playlists.GetForCurrentUser",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Playlists.GetForCurrentUser(ctx, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Playlists.GetForCurrentUser(ctx, nil).Await(ctx)
			}},
		{name: "Playlists.GetCoverImage",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Playlists.GetCoverImage(ctx, f.playlist, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Playlists.GetCoverImage(ctx, f.playlist, nil).Await(ctx)
			}},
		{name: "Playlists.GetTracks",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Playlists.GetTracks(ctx, f.playlist, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Playlists.GetTracks(ctx, f.playlist, nil).Await(ctx)
			}},
		{name: "Playlists.GetForUser",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Playlists.GetForUser(ctx, f.user, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Playlists.GetForUser(ctx, f.user, nil).Await(ctx)
			}},
		{name: "Playlists.GetFeatured",
			check: func(_ *readFixture, v any) error {
				return checkDecoded(reflect.ValueOf(&v.(*spotify.FeaturedPlaylists).Playlists), "Playlists", 0)
			},
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Playlists.GetFeatured(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Playlists.GetFeatured(ctx, nil).Await(ctx)
			}},
		{name: "Playlists.GetForCategory",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Playlists.GetForCategory(ctx, f.category, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Playlists.GetForCategory(ctx, f.category, nil).Await(ctx)
			}},

		// Search: every type, each page with items.
		{name: "Search.Search",
			check: func(_ *readFixture, v any) error {
				r := reflect.ValueOf(v).Elem()
				for i := range r.NumField() {
					if err := checkDecoded(r.Field(i), r.Type().Field(i).Name, 0); err != nil {
						return err
					}
				}
				return nil
			},
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Search.Search(ctx, "holiday", readSearchTypes, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Search.Search(ctx, "holiday", readSearchTypes, nil).Await(ctx)
			}},

		// Shows.
		{name: "Shows.Get", check: idIs("ID", f.show),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Shows.Get(ctx, f.show, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Shows.Get(ctx, f.show, nil).Await(ctx)
			}},
		{name: "Shows.GetEpisodes",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Shows.GetEpisodes(ctx, f.show, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Shows.GetEpisodes(ctx, f.show, nil).Await(ctx)
			}},
		{name: "Shows.GetSaved",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Shows.GetSaved(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Shows.GetSaved(ctx, nil).Await(ctx)
			}},
		{name: "Shows.GetSeveral", check: nOf(len(f.shows)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Shows.GetSeveral(ctx, f.shows, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Shows.GetSeveral(ctx, f.shows, nil).Await(ctx)
			}},
		{name: "Shows.CheckSaved", check: nOf(len(f.shows)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Shows.CheckSaved(ctx, f.shows, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Shows.CheckSaved(ctx, f.shows, nil).Await(ctx)
			}},

		// Tracks.
		{name: "Tracks.Get", check: idIs("ID", f.track),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Tracks.Get(ctx, f.track, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Tracks.Get(ctx, f.track, nil).Await(ctx)
			}},
		{name: "Tracks.GetSaved",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Tracks.GetSaved(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Tracks.GetSaved(ctx, nil).Await(ctx)
			}},
		{name: "Tracks.GetSeveral", check: nOf(len(f.tracks)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Tracks.GetSeveral(ctx, f.tracks, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Tracks.GetSeveral(ctx, f.tracks, nil).Await(ctx)
			}},
		{name: "Tracks.CheckSaved", check: nOf(len(f.tracks)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Tracks.CheckSaved(ctx, f.tracks, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Tracks.CheckSaved(ctx, f.tracks, nil).Await(ctx)
			}},
		{name: "Tracks.GetAudioFeatures", check: idIs("ID", f.track),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Tracks.GetAudioFeatures(ctx, f.track, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Tracks.GetAudioFeatures(ctx, f.track, nil).Await(ctx)
			}},
		{name: "Tracks.GetSeveralAudioFeatures", check: nOf(len(f.tracks)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Tracks.GetSeveralAudioFeatures(ctx, f.tracks, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Tracks.GetSeveralAudioFeatures(ctx, f.tracks, nil).Await(ctx)
			}},
		{name: "Tracks.GetAudioAnalysis",
			check: func(_ *readFixture, v any) error {
				a := v.(*spotify.AudioAnalysis)
				if len(a.Bars) == 0 || len(a.Beats) == 0 || len(a.Sections) == 0 || len(a.Segments) == 0 {
					return fmt.Errorf("analysis with %d bars, %d beats, %d sections, %d segments",
						len(a.Bars), len(a.Beats), len(a.Sections), len(a.Segments))
				}
				return nil
			},
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Tracks.GetAudioAnalysis(ctx, f.track, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Tracks.GetAudioAnalysis(ctx, f.track, nil).Await(ctx)
			}},
		{name: "Tracks.GetRecommendations",
			check: func(_ *readFixture, v any) error {
				r := v.(*spotify.Recommendations)
				if len(r.Seeds) == 0 || len(r.Tracks) == 0 {
					return fmt.Errorf("%d seeds, %d tracks", len(r.Seeds), len(r.Tracks))
				}
				return checkDecoded(reflect.ValueOf(r.Tracks), "Tracks", 0)
			},
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Tracks.GetRecommendations(ctx, &spotify.RecommendationsOptions{SeedTracks: []string{f.track}})
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Tracks.GetRecommendations(ctx, &spotify.RecommendationsOptions{SeedTracks: []string{f.track}}).Await(ctx)
			}},
		{name: "Tracks.GetRecommendationGenres",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Tracks.GetRecommendationGenres(ctx, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Tracks.GetRecommendationGenres(ctx, nil).Await(ctx)
			}},

		// Users.
		{name: "Users.GetCurrentProfile", check: idIs("ID", f.user),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Users.GetCurrentProfile(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Users.GetCurrentProfile(ctx, nil).Await(ctx)
			}},
		{name: "Users.GetTopArtists",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Users.GetTopArtists(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Users.GetTopArtists(ctx, nil).Await(ctx)
			}},
		{name: "Users.GetTopTracks",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Users.GetTopTracks(ctx, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Users.GetTopTracks(ctx, nil).Await(ctx)
			}},
		{name: "Users.GetFollowedArtists",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Users.GetFollowedArtists(ctx, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Users.GetFollowedArtists(ctx, nil).Await(ctx)
			}},
		{name: "Users.GetProfile", check: idIs("ID", f.user),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) { return c.Users.GetProfile(ctx, f.user, nil) },
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Users.GetProfile(ctx, f.user, nil).Await(ctx)
			}},
		{name: "Users.CheckFollowsArtistsOrUsers", check: nOf(len(f.artists)),
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Users.CheckFollowsArtistsOrUsers(ctx, spotify.FollowTypeArtist, f.artists, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Users.CheckFollowsArtistsOrUsers(ctx, spotify.FollowTypeArtist, f.artists, nil).Await(ctx)
			}},
		{name: "Users.CheckIfFollowsPlaylist",
			sync: func(ctx context.Context, c *spotify.Client) (any, error) {
				return c.Users.CheckIfFollowsPlaylist(ctx, f.playlist, nil)
			},
			async: func(ctx context.Context, ac *spotify.AsyncClient) (any, error) {
				return ac.Users.CheckIfFollowsPlaylist(ctx, f.playlist, nil).Await(ctx)
			}},
	}
}

var readSearchTypes = []string{
	spotify.SearchTypeAlbum, spotify.SearchTypeArtist, spotify.SearchTypePlaylist, spotify.SearchTypeTrack,
	spotify.SearchTypeShow, spotify.SearchTypeEpisode, spotify.SearchTypeAudiobook,
}

// checkDecoded reports whether v is a decoded, non-empty value: not nil;
// a slice with at least one item, none of them nil; a struct that is not
// zero, whose ID and Name (when it has them) are set and whose Items
// (pages) are non-empty. It looks into the items of slices and pages, and
// no deeper.
func checkDecoded(v reflect.Value, path string, depth int) error {
	if !v.IsValid() {
		return fmt.Errorf("%s: nil", path)
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return fmt.Errorf("%s: nil", path)
		}
		return checkDecoded(v.Elem(), path, depth)
	case reflect.Slice:
		if v.Len() == 0 {
			return fmt.Errorf("%s: empty", path)
		}
		if depth > 1 {
			return nil
		}
		for i := range v.Len() {
			if err := checkDecoded(v.Index(i), fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
	case reflect.Struct:
		if v.IsZero() {
			return fmt.Errorf("%s: zero %s", path, v.Type())
		}
		for _, name := range []string{"ID", "Name"} {
			if f := v.FieldByName(name); f.IsValid() && f.Kind() == reflect.String && f.String() == "" {
				return fmt.Errorf("%s: %s without %s", path, v.Type(), name)
			}
		}
		if f := v.FieldByName("Items"); f.IsValid() && f.Kind() == reflect.Slice && depth <= 1 {
			return checkDecoded(f, path+".Items", depth)
		}
	case reflect.String:
		if v.String() == "" {
			return fmt.Errorf("%s: empty string", path)
		}
	}
	return nil
}

// newReadFixture starts an Extended Quota Mode emulator and picks valid
// ids of each kind, and a login user whose library has every kind of
// saved item.
func newReadFixture(t *testing.T) *readFixture {
	t.Helper()
	// A still clock: the player's progress and the like answer the same
	// to the sync call and its async twin, which are compared.
	still := time.Now()
	srv := spotifytest.NewServer(spotifytest.WithClock(func() time.Time { return still }))
	t.Cleanup(srv.Close)
	if srv.Mode() != spotifytest.ExtendedQuotaMode {
		t.Fatalf("default mode %v, want ExtendedQuotaMode", srv.Mode())
	}
	cat := srv.Catalog()
	f := &readFixture{srv: srv, catalogIDs: pickCatalogIDs(t, cat)}
	for i, id := range cat.All(spotifytest.KindTrack) {
		f.trackURI = cat.URI(spotifytest.KindTrack, i)
		if !strings.HasSuffix(f.trackURI, id) {
			t.Fatalf("URI %q of track %s", f.trackURI, id)
		}
		break
	}

	// A user with saved episodes and audiobooks too: some users have none.
	ctx := context.Background()
	for _, u := range cat.IDs(spotifytest.KindUser, 64) {
		if err := srv.SetLoginUser(u); err != nil {
			t.Fatal(err)
		}
		c := newReadClient(t, srv)
		eps, err1 := c.Episodes.GetSaved(ctx, &spotify.SavedEpisodesOptions{Limit: 1})
		books, err2 := c.Audiobooks.GetSaved(ctx, &spotify.SavedAudiobooksOptions{Limit: 1})
		_ = c.Close()
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if eps.Total > 0 && books.Total > 0 {
			f.user = u
			break
		}
	}
	if f.user == "" {
		t.Fatal("none of the first 64 users has saved episodes and audiobooks")
	}
	return f
}

// readClientOptions points a client at srv with a token of the login user
// that has every scope (srv.ClientOptions adds no auth), without retries
// (a failure must show) and without a cache (every call must reach the
// emulator, so that its counters show what the call sent).
func readClientOptions(srv *spotifytest.Server) []spotify.Option {
	return append(srv.ClientOptions(), spotify.WithAccessToken(srv.UserToken(spotifytest.AllScopes())),
		spotify.WithMaxRetries(0), spotify.WithCache(nil))
}

func newReadClient(t *testing.T, srv *spotifytest.Server) *spotify.Client {
	t.Helper()
	c, err := spotify.NewClient(readClientOptions(srv)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serviceMethods lists "Service.Method" for every exported method of every
// service field (a pointer to a type named ...Service) of the client type.
func serviceMethods(client reflect.Type) []string {
	var names []string
	for _, fld := range reflect.VisibleFields(client) {
		if !fld.IsExported() || fld.Type.Kind() != reflect.Pointer || !strings.HasSuffix(fld.Type.Elem().Name(), "Service") {
			continue
		}
		for i := range fld.Type.NumMethod() {
			names = append(names, fld.Name+"."+fld.Type.Method(i).Name)
		}
	}
	sort.Strings(names)
	return names
}

// TestEmulatorReadsComplete checks that the read table names every read
// method of both clients: each exported service method is a read of the
// table or a write of readWrites, and no entry of either names a method
// that does not exist.
func TestEmulatorReadsComplete(t *testing.T) {
	reads := map[string]bool{}
	for _, rc := range readCalls(&readFixture{}) {
		if reads[rc.name] {
			t.Errorf("read %s twice in the table", rc.name)
		}
		reads[rc.name] = true
	}
	writes := map[string]bool{}
	for _, w := range readWrites {
		if reads[w] {
			t.Errorf("%s is both a read and a write", w)
		}
		writes[w] = true
	}
	syncM := serviceMethods(reflect.TypeFor[spotify.Client]())
	asyncM := serviceMethods(reflect.TypeFor[spotify.AsyncClient]())
	if len(syncM) == 0 || !slices.Equal(syncM, asyncM) {
		t.Errorf("the clients' service methods differ:\nsync  %v\nasync %v", syncM, asyncM)
	}
	for _, ms := range [][]string{syncM, asyncM} {
		for _, m := range ms {
			if !reads[m] && !writes[m] {
				t.Errorf("%s is neither in the read table nor in readWrites: add it to one", m)
			}
		}
	}
	for _, known := range []map[string]bool{reads, writes} {
		for m := range known {
			if !slices.Contains(syncM, m) || !slices.Contains(asyncM, m) {
				t.Errorf("%s is listed but is not a method of both clients", m)
			}
		}
	}
	t.Logf("%d service methods: %d reads, %d writes", len(syncM), len(reads), len(writes))
}

// TestEmulatorReadsEveryMethod calls every read method of both clients
// against the emulator and checks each returns a decoded, non-empty
// result, having sent only GETs that the emulator answered 200.
func TestEmulatorReadsEveryMethod(t *testing.T) {
	f := newReadFixture(t)
	srv := f.srv
	ctx := context.Background()

	c := newReadClient(t, srv)
	defer func() { _ = c.Close() }()
	ac, err := spotify.NewAsyncClient(readClientOptions(srv)...)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ac.Close() }()

	// Nothing plays yet: the emulator answers 204 and the SDK returns nil
	// and no error.
	if st, err := c.Player.GetPlaybackState(ctx, nil); st != nil || err != nil {
		t.Errorf("GetPlaybackState with nothing playing: %v, %v; want nil, nil", st, err)
	}
	if cp, err := ac.Player.GetCurrentlyPlaying(ctx, nil).Await(ctx); cp != nil || err != nil {
		t.Errorf("GetCurrentlyPlaying with nothing playing: %v, %v; want nil, nil", cp, err)
	}
	if n := srv.Statuses("GET /v1/me/player")[http.StatusNoContent] + srv.Statuses("GET /v1/me/player/currently-playing")[http.StatusNoContent]; n != 2 {
		t.Errorf("%d answers 204 from the player, want 2", n)
	}
	if err := srv.SetPlaying(f.user, f.track); err != nil {
		t.Fatal(err)
	}

	clients := []struct {
		name string
		call func(readCall) (any, error)
	}{
		{"sync", func(rc readCall) (any, error) { return rc.sync(ctx, c) }},
		{"async", func(rc readCall) (any, error) { return rc.async(ctx, ac) }},
	}
	// The sync result of each read, which its async twin must equal: a
	// twin that calls another method or passes other arguments differs.
	syncResults := map[string]any{}
	for _, rc := range readCalls(f) {
		for _, cl := range clients {
			t.Run(rc.name+"/"+cl.name, func(t *testing.T) {
				srv.ResetCounters()
				v, err := cl.call(rc)
				if err != nil {
					t.Fatalf("%s: %v", rc.name, err)
				}
				if err := checkDecoded(reflect.ValueOf(v), rc.name, 0); err != nil {
					t.Fatal(err)
				}
				if rc.check != nil {
					if err := rc.check(f, v); err != nil {
						t.Fatalf("%s: %v", rc.name, err)
					}
				}
				served := srv.Served()
				if len(served) == 0 {
					t.Fatalf("%s sent nothing", rc.name)
				}
				for _, s := range served {
					if s.Method != http.MethodGet || s.Route == "" || s.Status != http.StatusOK {
						t.Fatalf("%s sent %s, routed to %q, answered %d: want a GET answered 200", rc.name, s.Method, s.Route, s.Status)
					}
				}
				if cl.name == "sync" {
					syncResults[rc.name] = v
				} else if want, ok := syncResults[rc.name]; ok {
					// Compared as JSON: a page also holds its client.
					wantJSON, err1 := spotify.Marshal(want)
					gotJSON, err2 := spotify.Marshal(v)
					require.NoError(t, errors.Join(err1, err2))
					assert.JSONEq(t, string(wantJSON), string(gotJSON), "%s: the async twin's result differs from the sync call's", rc.name)
				}
			})
		}
	}
}

// TestEmulatorWalk100kTracks walks 100,000 tracks of the catalogue through
// the async client (Tracks.GetSeveral in batches of 50, a few batches in
// flight) and checks that the process's heap, which holds the emulator
// and the client, stays under 32 MiB after each GC.
func TestEmulatorWalk100kTracks(t *testing.T) {
	if testing.Short() {
		t.Skip("walks 100,000 tracks: about 5 s, over a minute with -race")
	}
	const want, batch, inFlight, limit = 100_000, 50, 8, 32 << 20
	srv := spotifytest.NewServer()
	t.Cleanup(srv.Close)
	ac, err := spotify.NewAsyncClient(append(srv.ClientOptions(),
		spotify.WithClientCredentials(spotifytest.ClientID, spotifytest.ClientSecret),
		spotify.WithMaxRetries(0), spotify.WithCache(nil))...)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ac.Close() }()
	ctx := context.Background()
	start := time.Now()

	var peak uint64
	measure := func() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	measure()

	type pending struct {
		ids []string
		f   *spotify.Future[[]*spotify.Track]
	}
	var (
		queue   []pending
		walked  int
		batches int
	)
	await := func(p pending) {
		got, err := p.f.Await(ctx)
		if err != nil {
			t.Fatalf("tracks %s..: %v", p.ids[0], err)
		}
		if len(got) != len(p.ids) {
			t.Fatalf("%d tracks for %d ids", len(got), len(p.ids))
		}
		for i, tr := range got {
			if tr == nil || tr.ID != p.ids[i] || tr.Name == "" {
				t.Fatalf("track %d of batch %s..: %+v", i, p.ids[0], tr)
			}
		}
		walked += len(got)
		if batches++; batches%200 == 0 {
			measure()
		}
	}
	ids := make([]string, 0, batch)
	for _, id := range srv.Catalog().All(spotifytest.KindTrack) {
		ids = append(ids, id)
		if len(ids) < batch {
			continue
		}
		queue = append(queue, pending{ids, ac.Tracks.GetSeveral(ctx, ids, nil)})
		ids = make([]string, 0, batch)
		if len(queue) == inFlight {
			await(queue[0])
			queue = queue[1:]
		}
		if walked+len(queue)*batch >= want {
			break
		}
	}
	for _, p := range queue {
		await(p)
	}
	measure()
	if walked < want {
		t.Fatalf("walked %d tracks, want %d", walked, want)
	}
	if n := srv.Requests("GET /v1/tracks"); n != walked/batch {
		t.Errorf("%d requests for %d batches", n, walked/batch)
	}
	t.Logf("walked %d tracks in %d requests in %v; peak heap in use %.1f MiB", walked, walked/batch,
		time.Since(start).Round(time.Millisecond), float64(peak)/(1<<20))
	if peak >= limit {
		t.Fatalf("heap in use peaked at %.1f MiB, want under 32 MiB", float64(peak)/(1<<20))
	}
}
