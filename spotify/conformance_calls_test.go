package spotify_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spotifysdk/spotify-go/spotify"
)

// confCall calls the SDK method of one registry operation on the
// emulator. A call may send other requests before its own (a device
// lookup); they are validated too.
type confCall struct {
	op   string // the registry's (and spec's) operationId
	call func(ctx context.Context, e *confEnv) error
}

// ignore drops a result and keeps the error.
func ignore[T any](_ T, err error) error { return err }

// conformanceCalls is the table: one call per registry operation, in
// registry order. Catalogue reads go through the app's client (client
// credentials), the rest through the login user's. Writes to playlists
// change e.own, the user's own playlist; the order matters there.
var conformanceCalls = []confCall{
	// The operations of Development Mode apps.
	{"get-an-album", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Albums.Get(ctx, e.album, nil)) }},
	{"get-an-albums-tracks", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Albums.GetTracks(ctx, e.album, nil)) }},
	{"get-users-saved-albums", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Albums.GetSaved(ctx, nil)) }},
	{"get-an-artist", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Artists.Get(ctx, e.artist, nil)) }},
	{"get-an-artists-albums", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Artists.GetAlbums(ctx, e.artist, nil))
	}},
	{"get-an-audiobook", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Audiobooks.Get(ctx, e.audiobook, nil))
	}},
	{"get-audiobook-chapters", func(ctx context.Context, e *confEnv) error {
		return ignore(e.app.Audiobooks.GetChapters(ctx, e.audiobook, nil))
	}},
	{"get-users-saved-audiobooks", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Audiobooks.GetSaved(ctx, nil)) }},
	{"get-a-chapter", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Chapters.Get(ctx, e.chapter, nil)) }},
	{"get-an-episode", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Episodes.Get(ctx, e.episode, nil)) }},
	{"get-users-saved-episodes", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Episodes.GetSaved(ctx, nil)) }},

	{"save-library-items", func(ctx context.Context, e *confEnv) error {
		return e.me.Library.SaveItems(ctx, []string{e.trackURIs[0], e.episodeURI, e.albumURI}, nil)
	}},
	{"remove-library-items", func(ctx context.Context, e *confEnv) error {
		return e.me.Library.RemoveItems(ctx, []string{e.episodeURI}, nil)
	}},
	{"check-library-contains", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Library.CheckContains(ctx, []string{e.trackURIs[0], e.episodeURI}, nil))
	}},

	{"get-information-about-the-users-current-playback", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Player.GetPlaybackState(ctx, nil))
	}},
	{"transfer-a-users-playback", func(ctx context.Context, e *confEnv) error {
		devices, err := e.me.Player.GetDevices(ctx, nil)
		if err != nil {
			return err
		}
		id := "0d1841b0976bae2a3a310dd74c0f3df354899bc8" // the shape of a real device id
		if len(devices) > 0 && devices[0].ID != "" {
			id = devices[0].ID
		}
		return e.me.Player.TransferPlayback(ctx, id, &spotify.TransferPlaybackOptions{Play: spotify.Ptr(true)})
	}},
	{"get-a-users-available-devices", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Player.GetDevices(ctx, nil)) }},
	{"get-the-users-currently-playing-track", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Player.GetCurrentlyPlaying(ctx, nil))
	}},
	{"start-a-users-playback", func(ctx context.Context, e *confEnv) error {
		return e.me.Player.StartPlayback(ctx, &spotify.StartPlaybackOptions{
			URIs: e.trackURIs, Offset: &spotify.PlaybackOffset{Position: spotify.Ptr(1)}, PositionMS: spotify.Ptr(0),
		})
	}},
	{"pause-a-users-playback", func(ctx context.Context, e *confEnv) error { return e.me.Player.PausePlayback(ctx, nil) }},
	{"skip-users-playback-to-next-track", func(ctx context.Context, e *confEnv) error { return e.me.Player.SkipToNext(ctx, nil) }},
	{"skip-users-playback-to-previous-track", func(ctx context.Context, e *confEnv) error {
		return e.me.Player.SkipToPrevious(ctx, nil)
	}},
	{"seek-to-position-in-currently-playing-track", func(ctx context.Context, e *confEnv) error {
		return e.me.Player.Seek(ctx, 25000, nil)
	}},
	{"set-repeat-mode-on-users-playback", func(ctx context.Context, e *confEnv) error {
		return e.me.Player.SetRepeatMode(ctx, "context", nil)
	}},
	{"set-volume-for-users-playback", func(ctx context.Context, e *confEnv) error { return e.me.Player.SetVolume(ctx, 40, nil) }},
	{"toggle-shuffle-for-users-playback", func(ctx context.Context, e *confEnv) error { return e.me.Player.SetShuffle(ctx, true, nil) }},
	{"get-recently-played", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Player.GetRecentlyPlayed(ctx, nil)) }},
	{"get-queue", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Player.GetQueue(ctx, nil)) }},
	{"add-to-queue", func(ctx context.Context, e *confEnv) error { return e.me.Player.AddToQueue(ctx, e.trackURIs[2], nil) }},

	{"get-playlist", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Playlists.Get(ctx, e.playlist, nil)) }},
	{"get-playlists-items", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Playlists.GetItems(ctx, e.own, nil)) }},
	{"get-a-list-of-current-users-playlists", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Playlists.GetForCurrentUser(ctx, nil))
	}},
	{"create-playlist", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Playlists.Create(ctx, "Road trip", &spotify.CreatePlaylistOptions{
			Public: spotify.Ptr(false), Description: spotify.Ptr("songs for the car"),
		}))
	}},
	{"change-playlist-details", func(ctx context.Context, e *confEnv) error {
		return e.me.Playlists.ChangeDetails(ctx, e.own, &spotify.ChangePlaylistOptions{
			Name: spotify.Ptr("conformance, renamed"), Description: spotify.Ptr("checked against the spec"),
		})
	}},
	{"reorder-or-replace-playlists-items", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Playlists.ReorderOrReplaceItems(ctx, e.own, &spotify.ReorderOrReplaceOptions{
			RangeStart: spotify.Ptr(0), InsertBefore: spotify.Ptr(2),
		}))
	}},
	{"add-items-to-playlist", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Playlists.AddItems(ctx, e.own, []string{e.episodeURI}, &spotify.AddItemsOptions{Position: spotify.Ptr(1)}))
	}},
	{"remove-items-playlist", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Playlists.RemoveItems(ctx, e.own, &spotify.RemoveItemsOptions{URIs: []string{e.episodeURI}}))
	}},
	{"get-playlist-cover", func(ctx context.Context, e *confEnv) error {
		return ignore(e.me.Playlists.GetCoverImage(ctx, e.playlist, nil))
	}},
	{"upload-custom-playlist-cover", func(ctx context.Context, e *confEnv) error {
		return e.me.Playlists.UploadCoverImage(ctx, e.own, e.coverJPEG, nil)
	}},

	{"search", func(ctx context.Context, e *confEnv) error {
		types := []string{"album", "artist", "playlist", "track", "show", "episode", "audiobook"}
		return ignore(e.app.Search.Search(ctx, "holiday", types, &spotify.SearchOptions{Limit: 3, Market: "US"}))
	}},

	{"get-a-show", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Shows.Get(ctx, e.show, nil)) }},
	{"get-a-shows-episodes", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Shows.GetEpisodes(ctx, e.show, nil)) }},
	{"get-users-saved-shows", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Shows.GetSaved(ctx, nil)) }},

	{"get-track", func(ctx context.Context, e *confEnv) error { return ignore(e.app.Tracks.Get(ctx, e.track, nil)) }},
	{"get-users-saved-tracks", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Tracks.GetSaved(ctx, nil)) }},

	{"get-current-users-profile", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Users.GetCurrentProfile(ctx, nil)) }},
	{"get-users-top-artists", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Users.GetTopArtists(ctx, nil)) }},
	{"get-users-top-tracks", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Users.GetTopTracks(ctx, nil)) }},
	{"get-followed", func(ctx context.Context, e *confEnv) error { return ignore(e.me.Users.GetFollowedArtists(ctx, nil)) }},
}

// TestConformanceCallsCoverRegistry checks that the table has exactly one
// call per registry operation, and no call for an operation the registry
// lacks.
func TestConformanceCallsCoverRegistry(t *testing.T) {
	calls := map[string]int{}
	for _, c := range allConformanceCalls() {
		calls[c.op]++
	}
	for _, op := range spotify.Operations() {
		assert.Equal(t, 1, calls[op.ID], "calls of operation %s in the conformance table", op.ID)
		delete(calls, op.ID)
	}
	assert.Empty(t, calls, "table entries for operations the registry lacks")
}

// allConformanceCalls is the whole table: the Development Mode operations,
// then the extended ones.
func allConformanceCalls() []confCall {
	return append(append([]confCall(nil), conformanceCalls...), conformanceExtendedCalls...)
}
