package spotify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// playlistsExtendedListJSON is a page of playlists in the pre-2026 shape,
// as the Extended Quota routes answer.
var playlistsExtendedListJSON = `{"href":"https://api.spotify.com/v1/users/u1/playlists?offset=0&limit=20","items":[` +
	playlistsShape(playlistsSimplifiedJSON, true) + `],"limit":20,"next":null,"offset":0,"previous":null,"total":1}`

// checkPlaylistsExtendedList checks a page of playlistsExtendedListJSON.
func checkPlaylistsExtendedList(t *testing.T, got any) {
	t.Helper()
	p := got.(*Page[SimplifiedPlaylist])
	require.Len(t, p.Items, 1)
	assert.Equal(t, "p2", p.Items[0].ID)
	assert.Equal(t, 12, p.Items[0].Items.Total, "the pre-2026 tracks key decodes")
}

func TestPlaylistsExtendedMethods(t *testing.T) {
	snap := func(t *testing.T, got any) { assert.Equal(t, "snap-9", got) }
	runMethodCases(t, []methodCase{
		{
			name: opGetPlaylistTracks.id + " GetTracks defaults", method: "GET", path: "/playlists/p1/tracks",
			respond: playlistsShape(playlistsPageJSON, true),
			call:    func(ctx context.Context, c *Client) (any, error) { return c.Playlists.GetTracks(ctx, "p1", nil) },
			check: func(t *testing.T, got any) {
				checkPlaylistsEntries(t, got.(*Page[PlaylistItem]).Items)
			},
		},
		{
			name: opGetPlaylistTracks.id + " GetTracks with options", method: "GET", path: "/playlists/p1/tracks",
			query: url.Values{"market": {"SE"}, "fields": {"items(track(name))"}, "limit": {"100"}, "offset": {"3"},
				"additional_types": {"track,episode"}},
			respond: playlistsShape(playlistsPageJSON, false),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.GetTracks(ctx, "p1", &PlaylistItemsOptions{Market: "SE", Fields: "items(track(name))", Limit: 100, Offset: 3,
					AdditionalTypes: []string{"track", "episode"}})
			},
			check: func(t *testing.T, got any) {
				checkPlaylistsEntries(t, got.(*Page[PlaylistItem]).Items)
			},
		},
		{
			name: opAddPlaylistTracks.id + " AddTracks at position 0", method: "POST", path: "/playlists/p1/tracks",
			body:   `{"uris":["spotify:track:a","spotify:episode:b"],"position":0}`,
			status: http.StatusCreated, respond: playlistsSnapshotJSON, check: snap,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.AddTracks(ctx, "p1", []string{"spotify:track:a", "spotify:episode:b"}, &AddItemsOptions{Position: Ptr(0)})
			},
		},
		{
			name: opAddPlaylistTracks.id + " AddTracks appends", method: "POST", path: "/playlists/p1/tracks",
			body:   `{"uris":["spotify:track:a"]}`,
			status: http.StatusCreated, respond: playlistsSnapshotJSON, check: snap,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.AddTracks(ctx, "p1", []string{"spotify:track:a"}, nil)
			},
		},
		{
			name: opRemovePlaylistTracks.id + " RemoveTracks by URI", method: "DELETE", path: "/playlists/p1/tracks",
			body:    `{"tracks":[{"uri":"spotify:track:a"},{"uri":"spotify:episode:b"}],"snapshot_id":"snap-1"}`,
			respond: playlistsSnapshotJSON, check: snap,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.RemoveTracks(ctx, "p1", &RemoveItemsOptions{URIs: []string{"spotify:track:a", "spotify:episode:b"}, SnapshotID: "snap-1"})
			},
		},
		{
			name: opRemovePlaylistTracks.id + " RemoveTracks with positions", method: "DELETE", path: "/playlists/p1/tracks",
			body:    `{"tracks":[{"uri":"spotify:track:a","positions":[0,3]}]}`,
			respond: playlistsSnapshotJSON, check: snap,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.RemoveTracks(ctx, "p1", &RemoveItemsOptions{Items: []PlaylistItemRef{{URI: "spotify:track:a", Positions: []int{0, 3}}}})
			},
		},
		{
			name: opReorderPlaylistTracks.id + " ReorderOrReplaceTracks reorder", method: "PUT", path: "/playlists/p1/tracks",
			body:    `{"range_start":9,"insert_before":0,"range_length":2,"snapshot_id":"snap-1"}`,
			respond: playlistsSnapshotJSON, check: snap,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.ReorderOrReplaceTracks(ctx, "p1", &ReorderOrReplaceOptions{RangeStart: Ptr(9), InsertBefore: Ptr(0), RangeLength: Ptr(2), SnapshotID: "snap-1"})
			},
		},
		{
			name: opReorderPlaylistTracks.id + " ReorderOrReplaceTracks replace", method: "PUT", path: "/playlists/p1/tracks",
			body:    `{"uris":["spotify:track:a","spotify:track:b"]}`,
			respond: playlistsSnapshotJSON, check: snap,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.ReorderOrReplaceTracks(ctx, "p1", &ReorderOrReplaceOptions{URIs: []string{"spotify:track:a", "spotify:track:b"}})
			},
		},
		{
			name: opCreatePlaylistForUser.id + " CreateForUser name only", method: "POST", path: "/users/u1/playlists",
			body:   `{"name":"Mix"}`,
			status: http.StatusCreated, respond: playlistsShape(playlistsSimplifiedJSON, true),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.CreateForUser(ctx, "u1", "Mix", nil)
			},
			check: func(t *testing.T, got any) {
				p := got.(*SimplifiedPlaylist)
				assert.Equal(t, "p2", p.ID)
				assert.Equal(t, 12, p.Items.Total)
			},
		},
		{
			name: opCreatePlaylistForUser.id + " CreateForUser with options", method: "POST", path: "/users/u1/playlists",
			body:   `{"name":"Mix","public":false,"collaborative":true,"description":"Shared"}`,
			status: http.StatusCreated,
			respond: `{"collaborative":true,"description":"Shared","external_urls":{"spotify":"https://open.spotify.com/playlist/p7"},
"href":"https://api.spotify.com/v1/playlists/p7","id":"p7","images":[],"name":"Mix","owner":` + playlistsUserJSON + `,
"public":false,"snapshot_id":"snap-new","tracks":{"href":"https://api.spotify.com/v1/playlists/p7/tracks","total":0},
"type":"playlist","uri":"spotify:playlist:p7"}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.CreateForUser(ctx, "u1", "Mix", &CreatePlaylistOptions{Public: Ptr(false), Collaborative: Ptr(true), Description: Ptr("Shared")})
			},
			check: func(t *testing.T, got any) {
				p := got.(*SimplifiedPlaylist)
				assert.Equal(t, "p7", p.ID)
				assert.Equal(t, "Mix", p.Name)
				assert.True(t, p.Collaborative)
				assert.Equal(t, "Shared", p.Description)
				assert.Equal(t, Ptr(false), p.Public)
				assert.Equal(t, "u1", p.Owner.ID)
				assert.Equal(t, "snap-new", p.SnapshotID)
				assert.Equal(t, "https://api.spotify.com/v1/playlists/p7/tracks", p.Items.Href, "the pre-2026 tracks key decodes")
			},
		},
		{
			name: opGetUserPlaylists.id + " GetForUser defaults", method: "GET", path: "/users/u1/playlists",
			respond: playlistsExtendedListJSON, check: checkPlaylistsExtendedList,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Playlists.GetForUser(ctx, "u1", nil) },
		},
		{
			name: opGetUserPlaylists.id + " GetForUser paged", method: "GET", path: "/users/u1/playlists",
			query: url.Values{"limit": {"50"}, "offset": {"100"}}, respond: playlistsExtendedListJSON, check: checkPlaylistsExtendedList,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.GetForUser(ctx, "u1", &ListOptions{Limit: 50, Offset: 100})
			},
		},
		{
			name: opGetFeaturedPlaylists.id + " GetFeatured defaults", method: "GET", path: "/browse/featured-playlists",
			respond: `{"message":"Popular Playlists","playlists":` + playlistsExtendedListJSON + `}`,
			call:    func(ctx context.Context, c *Client) (any, error) { return c.Playlists.GetFeatured(ctx, nil) },
			check: func(t *testing.T, got any) {
				f := got.(*FeaturedPlaylists)
				assert.Equal(t, "Popular Playlists", f.Message)
				checkPlaylistsExtendedList(t, &f.Playlists)
			},
		},
		{
			name: opGetFeaturedPlaylists.id + " GetFeatured with options", method: "GET", path: "/browse/featured-playlists",
			query: url.Values{"locale": {"sv_SE"}, "limit": {"2"}, "offset": {"4"}},
			respond: `{"message":"Populära spellistor","playlists":{"href":"h","items":[` + playlistsShape(playlistsSimplifiedJSON, true) + `],
"limit":2,"next":null,"offset":4,"previous":"p","total":5}}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.GetFeatured(ctx, &FeaturedPlaylistsOptions{Locale: "sv_SE", Limit: 2, Offset: 4})
			},
			check: func(t *testing.T, got any) {
				f := got.(*FeaturedPlaylists)
				assert.Equal(t, "Populära spellistor", f.Message, "the message in the locale asked for")
				assert.Equal(t, [3]int{2, 4, 5}, [3]int{f.Playlists.Limit, f.Playlists.Offset, f.Playlists.Total}, "limit, offset, total")
				checkPlaylistsExtendedList(t, &f.Playlists)
			},
		},
		{
			name: opGetCategoryPlaylists.id + " GetForCategory defaults", method: "GET", path: "/browse/categories/toplists/playlists",
			respond: `{"message":"Top Lists","playlists":` + playlistsExtendedListJSON + `}`, check: checkPlaylistsExtendedList,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.GetForCategory(ctx, "toplists", nil)
			},
		},
		{
			name: opGetCategoryPlaylists.id + " GetForCategory paged", method: "GET", path: "/browse/categories/toplists/playlists",
			query:   url.Values{"limit": {"5"}, "offset": {"10"}},
			respond: `{"message":"Top Lists","playlists":` + playlistsExtendedListJSON + `}`, check: checkPlaylistsExtendedList,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.GetForCategory(ctx, "toplists", &ListOptions{Limit: 5, Offset: 10})
			},
		},
	})
}

func TestPlaylistsExtendedValidation(t *testing.T) {
	uris := []string{"spotify:track:a"}
	runInvalidCases(t, []invalidCase{
		{opGetPlaylistTracks.id + " empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.GetTracks(ctx, "", nil)
			return err
		}, "spotify: Playlists.GetTracks: playlist_id is empty"},
		{opAddPlaylistTracks.id + " empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.AddTracks(ctx, "", uris, nil)
			return err
		}, "spotify: Playlists.AddTracks: playlist_id is empty"},
		{opAddPlaylistTracks.id + " no uris", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.AddTracks(ctx, "p1", nil, nil)
			return err
		}, "spotify: Playlists.AddTracks: uris is empty"},
		{opAddPlaylistTracks.id + " empty uri", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.AddTracks(ctx, "p1", []string{"spotify:track:a", ""}, nil)
			return err
		}, "spotify: Playlists.AddTracks: uris[1] is empty"},
		{opRemovePlaylistTracks.id + " empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveTracks(ctx, "", &RemoveItemsOptions{URIs: uris})
			return err
		}, "spotify: Playlists.RemoveTracks: playlist_id is empty"},
		{opRemovePlaylistTracks.id + " neither uris nor items", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveTracks(ctx, "p1", nil)
			return err
		}, "spotify: Playlists.RemoveTracks: set exactly one of uris and items"},
		{opRemovePlaylistTracks.id + " item without uri", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveTracks(ctx, "p1", &RemoveItemsOptions{Items: []PlaylistItemRef{{Positions: []int{1}}}})
			return err
		}, "spotify: Playlists.RemoveTracks: items[0] has no uri"},
		{opReorderPlaylistTracks.id + " empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceTracks(ctx, "", &ReorderOrReplaceOptions{URIs: uris})
			return err
		}, "spotify: Playlists.ReorderOrReplaceTracks: playlist_id is empty"},
		{opReorderPlaylistTracks.id + " replace with reorder fields", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceTracks(ctx, "p1", &ReorderOrReplaceOptions{URIs: uris, RangeStart: Ptr(0)})
			return err
		}, "spotify: Playlists.ReorderOrReplaceTracks: uris (replace) cannot be combined with range_start, insert_before, range_length or snapshot_id (reorder)"},
		{opReorderPlaylistTracks.id + " reorder without insert_before", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceTracks(ctx, "p1", &ReorderOrReplaceOptions{RangeStart: Ptr(0)})
			return err
		}, "spotify: Playlists.ReorderOrReplaceTracks: a reorder needs both range_start and insert_before"},
		{opCreatePlaylistForUser.id + " empty user id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.CreateForUser(ctx, "", "Mix", nil)
			return err
		}, "spotify: Playlists.CreateForUser: user_id is empty"},
		{opCreatePlaylistForUser.id + " empty name", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.CreateForUser(ctx, "u1", "", nil)
			return err
		}, "spotify: Playlists.CreateForUser: name is empty"},
		{opCreatePlaylistForUser.id + " collaborative and public", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.CreateForUser(ctx, "u1", "Mix", &CreatePlaylistOptions{Collaborative: Ptr(true)})
			return err
		}, "spotify: Playlists.CreateForUser: a collaborative playlist must be private: set public to false"},
		{opGetUserPlaylists.id + " empty user id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.GetForUser(ctx, " ", nil)
			return err
		}, "spotify: Playlists.GetForUser: user_id is empty"},
		{opGetCategoryPlaylists.id + " empty category id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.GetForCategory(ctx, "", nil)
			return err
		}, "spotify: Playlists.GetForCategory: category_id is empty"},
	})
}

// TestPlaylistsExtendedAddTracksChunks: 120 URIs at a position are two
// POSTs to /tracks, the second right after the first.
func TestPlaylistsExtendedAddTracksChunks(t *testing.T) {
	uris := playlistsTestURIs(120)
	ts, c := playlistsScript(t,
		playlistsAnswer{http.StatusCreated, `{"snapshot_id":"snap-1"}`},
		playlistsAnswer{http.StatusCreated, `{"snapshot_id":"snap-2"}`})
	sid, err := c.Playlists.AddTracks(context.Background(), "p1", uris, &AddItemsOptions{Position: Ptr(7)})
	require.NoError(t, err)
	assert.Equal(t, "snap-2", sid)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, "POST", r.Method)
		assert.Equal(t, "/playlists/p1/tracks", r.Path)
	}
	assert.Equal(t, uris[:100], playlistsBodyURIs(t, reqs[0]))
	assert.Equal(t, uris[100:], playlistsBodyURIs(t, reqs[1]))
	assert.EqualValues(t, 7, playlistsBody(t, reqs[0])["position"])
	assert.EqualValues(t, 107, playlistsBody(t, reqs[1])["position"])
}

// TestPlaylistsExtendedReplaceTracksChunks: a replace of 150 URIs PUTs the
// first 100 and POSTs the rest, all on /tracks.
func TestPlaylistsExtendedReplaceTracksChunks(t *testing.T) {
	uris := playlistsTestURIs(150)
	ts, c := playlistsScript(t, playlistsAnswer{http.StatusOK, playlistsSnapshotJSON})
	_, err := c.Playlists.ReorderOrReplaceTracks(context.Background(), "p1", &ReorderOrReplaceOptions{URIs: uris})
	require.NoError(t, err)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, []string{"PUT", "POST"}, []string{reqs[0].Method, reqs[1].Method})
	assert.Equal(t, []string{"/playlists/p1/tracks", "/playlists/p1/tracks"}, []string{reqs[0].Path, reqs[1].Path})
	assert.Equal(t, uris[100:], playlistsBodyURIs(t, reqs[1]))
}

// TestPlaylistsExtendedRemoveTracksChunks: 120 URIs are two DELETEs whose
// bodies carry the list under "tracks" and never "items"; a failure is a
// *ChunkError.
func TestPlaylistsExtendedRemoveTracksChunks(t *testing.T) {
	uris := playlistsTestURIs(120)
	t.Run("all applied", func(t *testing.T) {
		ts, c := playlistsScript(t, playlistsAnswer{http.StatusOK, playlistsSnapshotJSON})
		sid, err := c.Playlists.RemoveTracks(context.Background(), "p1", &RemoveItemsOptions{URIs: uris, SnapshotID: "snap-0"})
		require.NoError(t, err)
		assert.Equal(t, "snap-9", sid)
		reqs := ts.requests()
		require.Len(t, reqs, 2)
		for i, r := range reqs {
			assert.Equal(t, "DELETE", r.Method)
			assert.Equal(t, "/playlists/p1/tracks", r.Path)
			body := playlistsBody(t, r)
			assert.NotContains(t, body, "items")
			assert.Equal(t, "snap-0", body["snapshot_id"])
			var b struct {
				Tracks []PlaylistItemRef `json:"tracks"`
			}
			require.NoError(t, json.Unmarshal(r.Body, &b))
			want := uris[i*100 : min(len(uris), (i+1)*100)]
			require.Len(t, b.Tracks, len(want))
			assert.Equal(t, want[0], b.Tracks[0].URI)
			assert.Equal(t, want[len(want)-1], b.Tracks[len(want)-1].URI)
		}
	})
	t.Run("the second chunk fails", func(t *testing.T) {
		_, c := playlistsScript(t,
			playlistsAnswer{http.StatusOK, `{"snapshot_id":"snap-1"}`},
			playlistsAnswer{http.StatusBadRequest, `{"error":{"status":400,"message":"Invalid snapshot"}}`})
		sid, err := c.Playlists.RemoveTracks(context.Background(), "p1", &RemoveItemsOptions{URIs: uris})
		var ce *ChunkError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, uris[:100], ce.Applied)
		assert.Equal(t, uris[100:], ce.Failed)
		assert.ErrorIs(t, err, ErrBadRequest)
		assert.Equal(t, "snap-1", sid)
	})
}

// TestPlaylistsExtendedSnapshotEndpoint: a bad write answer names the
// /tracks endpoint.
func TestPlaylistsExtendedSnapshotEndpoint(t *testing.T) {
	_, c := playlistsScript(t, playlistsAnswer{http.StatusOK, `{}`})
	_, err := c.Playlists.AddTracks(context.Background(), "p1", []string{"spotify:track:a"}, nil)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "/playlists/{playlist_id}/tracks", de.Route)
	assert.Contains(t, err.Error(), "the answer from /playlists/p1/tracks has no snapshot_id string")
}

// TestPlaylistsExtendedPages: the pages of GetTracks, GetForCategory and
// GetFeatured walk on with their own route and wrap.
func TestPlaylistsExtendedPages(t *testing.T) {
	ts := newTestServer(t)
	page := func(next string) string {
		return `{"href":"h","items":[` + playlistsShape(playlistsSimplifiedJSON, true) + `],"limit":1,"next":` + next + `,"offset":0,"previous":null,"total":2}`
	}
	second := func(path string) string { return `"` + ts.URL + `/v1` + path + `?offset=1&limit=1"` }
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		next := "null"
		if r.URL.Query().Get("offset") != "1" {
			next = second(r.URL.Path)
		}
		switch r.URL.Path {
		case "/browse/categories/toplists/playlists", "/browse/featured-playlists":
			_, _ = io.WriteString(w, `{"message":"m","playlists":`+page(next)+`}`)
		case "/playlists/p1/tracks":
			_, _ = io.WriteString(w, `{"href":"h","items":[{"track":`+playlistsTrackJSON+`}],"limit":1,"next":`+next+`,"offset":0,"previous":null,"total":2}`)
		default:
			http.NotFound(w, r)
		}
	})
	c := newTestClient(t, ts)
	ctx := context.Background()

	cat, err := c.Playlists.GetForCategory(ctx, "toplists", nil)
	require.NoError(t, err)
	n := 0
	for _, err := range cat.All(ctx) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n, "GetForCategory")

	f, err := c.Playlists.GetFeatured(ctx, nil)
	require.NoError(t, err)
	next, err := f.Playlists.NextPage(ctx)
	require.NoError(t, err)
	assert.Len(t, next.Items, 1, "GetFeatured")

	tr, err := c.Playlists.GetTracks(ctx, "p1", nil)
	require.NoError(t, err)
	nextTr, err := tr.NextPage(ctx)
	require.NoError(t, err)
	require.Len(t, nextTr.Items, 1)
	assert.Equal(t, "Track One", nextTr.Items[0].Item.Track.Name)
	paths := []string{}
	for _, r := range ts.requests() {
		paths = append(paths, r.Path)
	}
	assert.Equal(t, []string{"/browse/categories/toplists/playlists", "/browse/categories/toplists/playlists",
		"/browse/featured-playlists", "/browse/featured-playlists", "/playlists/p1/tracks", "/playlists/p1/tracks"}, paths)
}
