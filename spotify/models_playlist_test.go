package spotify

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fixtures in the 2026 shape are written with "@ITEMS@" and "@ITEM@" for the
// keys that changed; playlistsShape fills them in for either shape.
const (
	playlistsTrackJSON = `{"album":{"album_type":"album","artists":[],"external_urls":{"spotify":"https://open.spotify.com/album/al1"},
"href":"https://api.spotify.com/v1/albums/al1","id":"al1","images":[],"name":"Album","release_date":"2026","release_date_precision":"year",
"total_tracks":1,"type":"album","uri":"spotify:album:al1"},
"artists":[{"external_urls":{"spotify":"https://open.spotify.com/artist/ar1"},"href":"https://api.spotify.com/v1/artists/ar1","id":"ar1","name":"Artist","type":"artist","uri":"spotify:artist:ar1"}],
"disc_number":1,"duration_ms":200000.0,"explicit":false,"external_urls":{"spotify":"https://open.spotify.com/track/t1"},
"href":"https://api.spotify.com/v1/tracks/t1","id":"t1","is_local":false,"name":"Track One","track_number":1,"type":"track","uri":"spotify:track:t1"}`

	playlistsEpisodeJSON = `{"audio_preview_url":null,"description":"About buildings","html_description":"<p>About buildings</p>","duration_ms":1800000,
"explicit":false,"external_urls":{"spotify":"https://open.spotify.com/episode/e1"},"href":"https://api.spotify.com/v1/episodes/e1","id":"e1",
"images":[],"is_externally_hosted":false,"is_playable":true,"languages":["en"],"name":"Episode One","release_date":"2026-01-01",
"release_date_precision":"day","type":"episode","uri":"spotify:episode:e1",
"show":{"copyrights":[],"description":"A show","explicit":false,"external_urls":{"spotify":"https://open.spotify.com/show/s1"},
"href":"https://api.spotify.com/v1/shows/s1","id":"s1","images":[],"languages":["en"],"media_type":"audio","name":"Show","type":"show","uri":"spotify:show:s1","total_episodes":3}}`

	playlistsUserJSON = `{"external_urls":{"spotify":"https://open.spotify.com/user/u1"},"href":"https://api.spotify.com/v1/users/u1","id":"u1","type":"user","uri":"spotify:user:u1"}`

	// playlistsEntriesJSON: a track, an episode, and an item Spotify no
	// longer has (null, with no date or adder).
	playlistsEntriesJSON = `[
{"added_at":"2026-02-20T10:00:00Z","added_by":` + playlistsUserJSON + `,"is_local":false,"@ITEM@":` + playlistsTrackJSON + `},
{"added_at":"2026-02-21T10:00:00Z","added_by":` + playlistsUserJSON + `,"is_local":false,"@ITEM@":` + playlistsEpisodeJSON + `},
{"added_at":null,"added_by":null,"is_local":true,"@ITEM@":null}]`

	playlistsPageJSON = `{"href":"https://api.spotify.com/v1/playlists/p1/items?offset=0&limit=3","items":` + playlistsEntriesJSON + `,
"limit":3,"next":null,"offset":0,"previous":null,"total":3}`

	playlistsPlaylistJSON = `{"collaborative":false,"description":null,"external_urls":{"spotify":"https://open.spotify.com/playlist/p1"},
"followers":{"href":null,"total":7},"href":"https://api.spotify.com/v1/playlists/p1","id":"p1",
"images":[{"url":"https://mosaic.scdn.co/640/x","height":640,"width":640}],"name":"Mix",
"owner":{"display_name":"User One","external_urls":{"spotify":"https://open.spotify.com/user/u1"},"href":"https://api.spotify.com/v1/users/u1","id":"u1","type":"user","uri":"spotify:user:u1"},
"primary_color":null,"public":true,"snapshot_id":"snap-1","@ITEMS@":` + playlistsPageJSON + `,"type":"playlist","uri":"spotify:playlist:p1"}`

	playlistsSimplifiedJSON = `{"collaborative":true,"description":"Shared","external_urls":{"spotify":"https://open.spotify.com/playlist/p2"},
"href":"https://api.spotify.com/v1/playlists/p2","id":"p2","images":[],"name":"Shared","owner":` + playlistsUserJSON + `,
"public":false,"snapshot_id":"snap-2","@ITEMS@":{"href":"https://api.spotify.com/v1/playlists/p2/items","total":12},"type":"playlist","uri":"spotify:playlist:p2"}`
)

// playlistsShape fills the changed keys: the 2026 shape (items, item) or
// the older one (tracks, track).
func playlistsShape(fixture string, pre2026 bool) string {
	if pre2026 {
		return strings.NewReplacer(`"@ITEMS@"`, `"tracks"`, `"@ITEM@"`, `"track"`).Replace(fixture)
	}
	return strings.NewReplacer(`"@ITEMS@"`, `"items"`, `"@ITEM@"`, `"item"`).Replace(fixture)
}

// checkPlaylistsEntries checks the three entries of playlistsEntriesJSON.
func checkPlaylistsEntries(t *testing.T, items []PlaylistItem) {
	t.Helper()
	require.Len(t, items, 3)
	require.NotNil(t, items[0].Item)
	require.NotNil(t, items[0].Item.Track)
	assert.Equal(t, "Track One", items[0].Item.Track.Name)
	assert.Equal(t, 200000, items[0].Item.Track.DurationMS, "an integer sent as 200000.0 decodes")
	assert.Equal(t, 2026, items[0].AddedAt.Year())
	require.NotNil(t, items[0].AddedBy)
	assert.Equal(t, "u1", items[0].AddedBy.ID)
	require.NotNil(t, items[1].Item)
	require.NotNil(t, items[1].Item.Episode, "an episode decodes as an episode")
	assert.Equal(t, "spotify:episode:e1", items[1].Item.URI())
	assert.Nil(t, items[2].Item, "a null item stays nil")
	assert.Nil(t, items[2].AddedBy)
	assert.True(t, items[2].AddedAt.IsZero())
	assert.True(t, items[2].IsLocal)
}

// TestPlaylistsModelsBothShapes: the 2026 fixtures and their pre-2026
// twins decode to the same values, with the SDK's codec and with
// encoding/json, and marshal back with the 2026 keys.
func TestPlaylistsModelsBothShapes(t *testing.T) {
	t.Run("Playlist", func(t *testing.T) { playlistsBothShapes[Playlist](t, playlistsPlaylistJSON) })
	t.Run("SimplifiedPlaylist", func(t *testing.T) { playlistsBothShapes[SimplifiedPlaylist](t, playlistsSimplifiedJSON) })
	t.Run("PlaylistItem page", func(t *testing.T) { playlistsBothShapes[Page[PlaylistItem]](t, playlistsPageJSON) })

	t.Run("item wins over track", func(t *testing.T) {
		var it PlaylistItem
		require.NoError(t, decodeJSON([]byte(`{"is_local":false,"track":{"type":"track","id":"old"},"item":{"type":"track","id":"new"}}`), &it))
		assert.Equal(t, "new", it.Item.ID())
		require.NoError(t, decodeJSON([]byte(`{"item":null,"track":{"type":"track","id":"old"}}`), &it))
		assert.Equal(t, "old", it.Item.ID(), "a null item falls back to track")
	})
	t.Run("no items", func(t *testing.T) {
		var p Playlist
		require.NoError(t, decodeJSON([]byte(`{"id":"p9","name":"Not mine"}`), &p))
		assert.Equal(t, "p9", p.ID)
		assert.Empty(t, p.Items.Items, "a playlist sent without items has an empty page")
	})
}

// playlistsBothShapes decodes fixture in both shapes into T and checks
// that they agree and marshal back with the 2026 keys.
func playlistsBothShapes[T any](t *testing.T, fixture string) {
	t.Helper()
	var current, old, std T
	require.NoError(t, decodeJSON([]byte(playlistsShape(fixture, false)), &current))
	require.NoError(t, decodeJSON([]byte(playlistsShape(fixture, true)), &old))
	assert.Equal(t, current, old, "both shapes decode the same")
	require.NoError(t, json.Unmarshal([]byte(playlistsShape(fixture, true)), &std))
	assert.Equal(t, current, std, "encoding/json decodes the same")
	out, err := json.Marshal(&current)
	require.NoError(t, err)
	assert.NotContains(t, string(out), `"tracks":`)
	assert.NotContains(t, string(out), `"track":{`)
	var back T
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, current, back, "a marshalled value decodes back the same")
	out2, err := Marshal(&current)
	require.NoError(t, err)
	assert.Contains(t, string(out2), `"items":`)
}

// playlistsRenameOld rewrites a pre-2026 playlist answer with the 2026
// keys: a "tracks" object becomes "items", an entry's "track" object (or
// null) becomes "item". The boolean "track" flag of dressed episodes stays.
func playlistsRenameOld(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			_, isObj := e.(map[string]any)
			switch {
			case k == "tracks" && isObj && x["items"] == nil:
				k = "items"
			case k == "track" && (isObj || e == nil) && x["item"] == nil:
				k = "item"
			}
			out[k] = playlistsRenameOld(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = playlistsRenameOld(e)
		}
		return out
	}
	return v
}

// playlistsSampleDecodes is assertDecodesWithoutLoss for the pre-2026
// samples: the model, marshalled back, is compared with the sample after
// renaming its keys to the 2026 ones; and the renamed sample decodes to
// the same value.
func playlistsSampleDecodes[T any](t *testing.T, data []byte) *T {
	t.Helper()
	var got T
	require.NoError(t, decodeJSON(data, &got))
	out, err := json.Marshal(&got)
	require.NoError(t, err)
	var want, back any
	require.NoError(t, json.Unmarshal(data, &want))
	require.NoError(t, json.Unmarshal(out, &back))
	want = playlistsRenameOld(want)
	assertSubset(t, "$", back, want)
	renamed, err := json.Marshal(want)
	require.NoError(t, err)
	var again T
	require.NoError(t, decodeJSON(renamed, &again))
	assert.Equal(t, got, again, "the 2026 shape of the sample decodes the same")
	return &got
}

func TestPlaylistsSamplesDecode(t *testing.T) {
	needSamples(t)
	t.Run("playlist.json", func(t *testing.T) {
		p := playlistsSampleDecodes[Playlist](t, sample(t, "playlist.json"))
		assert.Equal(t, 4, p.Items.Total)
		require.Len(t, p.Items.Items, 4)
		for _, it := range p.Items.Items {
			require.NotNil(t, it.Item, "the pre-2026 track key fills Item")
		}
	})
	t.Run("playlist-fields-filtered.json", func(t *testing.T) {
		p := playlistsSampleDecodes[Playlist](t, sample(t, "playlist-fields-filtered.json"))
		require.NotEmpty(t, p.Items.Items)
		require.NotNil(t, p.Items.Items[0].Item)
		assert.NotEmpty(t, p.Items.Items[0].Item.Track.Name)
	})
	t.Run("playlist-items-page.json", func(t *testing.T) {
		p := playlistsSampleDecodes[Page[PlaylistItem]](t, sample(t, "playlist-items-page.json"))
		require.NotEmpty(t, p.Items)
	})
	t.Run("playlist-items-episodes-and-tracks-page.json", func(t *testing.T) {
		p := playlistsSampleDecodes[Page[PlaylistItem]](t, sample(t, "playlist-items-episodes-and-tracks-page.json"))
		var tracks, episodes int
		for _, it := range p.Items {
			if it.Item != nil && it.Item.Episode != nil {
				episodes++
			}
			if it.Item != nil && it.Item.Track != nil {
				tracks++
			}
		}
		assert.Positive(t, tracks)
		assert.Positive(t, episodes)
	})
	t.Run("current-user-playlists-page.json", func(t *testing.T) {
		p := playlistsSampleDecodes[Page[SimplifiedPlaylist]](t, sample(t, "current-user-playlists-page.json"))
		require.NotEmpty(t, p.Items)
		assert.Positive(t, p.Items[0].Items.Total)
	})
	t.Run("playlist-cover-images.json", func(t *testing.T) {
		var imgs []Image
		assertDecodesWithoutLoss(t, sample(t, "playlist-cover-images.json"), &imgs)
		assert.NotEmpty(t, imgs)
	})
	t.Run("playlist-snapshot-id.json", func(t *testing.T) {
		sid, err := playlistsSnapshotID(sample(t, "playlist-snapshot-id.json"), "/playlists/p1/items")
		require.NoError(t, err)
		assert.NotEmpty(t, sid)
	})
}
