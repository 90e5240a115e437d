package spotify

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlaylistsMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: "Get", method: "GET", path: "/playlists/p1",
			query: url.Values{"market": {"SE"}, "fields": {"name,items(item(name))"}, "additional_types": {"track,episode"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.Get(ctx, "p1", &PlaylistOptions{Market: "SE", Fields: "name,items(item(name))", AdditionalTypes: []string{"track", "episode"}})
			},
			respond: playlistsShape(playlistsPlaylistJSON, false),
			check: func(t *testing.T, got any) {
				p := got.(*Playlist)
				assert.Equal(t, "Mix", p.Name)
				assert.Equal(t, "", p.Description, "a null description is empty")
				require.NotNil(t, p.Public)
				assert.True(t, *p.Public)
				require.NotNil(t, p.Followers)
				assert.Equal(t, 7, p.Followers.Total)
				assert.Equal(t, 3, p.Items.Total)
				checkPlaylistsEntries(t, p.Items.Items)
				assert.Same(t, opGetPlaylistItems, p.Items.pager.op, "the items page is bound to GET /playlists/{id}/items")
			},
		},
		{
			name: "Get without options, pre-2026 shape", method: "GET", path: "/playlists/p1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.Get(ctx, "p1", nil)
			},
			respond: playlistsShape(playlistsPlaylistJSON, true),
			check: func(t *testing.T, got any) {
				checkPlaylistsEntries(t, got.(*Playlist).Items.Items)
			},
		},
		{
			name: "GetItems", method: "GET", path: "/playlists/p1/items",
			query: url.Values{"market": {"US"}, "fields": {"total,items(item(uri))"}, "limit": {"10"}, "offset": {"5"}, "additional_types": {"track,episode"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.GetItems(ctx, "p1", &PlaylistItemsOptions{Market: "US", Fields: "total,items(item(uri))", Limit: 10, Offset: 5, AdditionalTypes: []string{"track", "episode"}})
			},
			respond: playlistsShape(playlistsPageJSON, false),
			check: func(t *testing.T, got any) {
				p := got.(*Page[PlaylistItem])
				checkPlaylistsEntries(t, p.Items)
				assert.Same(t, opGetPlaylistItems, p.pager.op)
			},
		},
		{
			name: "GetItems defaults send nothing", method: "GET", path: "/playlists/p1/items",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.GetItems(ctx, "p1", nil)
			},
			respond: playlistsShape(playlistsPageJSON, true),
			check: func(t *testing.T, got any) {
				checkPlaylistsEntries(t, got.(*Page[PlaylistItem]).Items)
			},
		},
		{
			name: "GetForCurrentUser", method: "GET", path: "/me/playlists",
			query: url.Values{"limit": {"5"}, "offset": {"20"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.GetForCurrentUser(ctx, &ListOptions{Limit: 5, Offset: 20})
			},
			respond: `{"href":"h","items":[` + playlistsShape(playlistsSimplifiedJSON, false) + `,` + playlistsShape(playlistsSimplifiedJSON, true) + `],
"limit":5,"next":null,"offset":20,"previous":null,"total":22}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedPlaylist])
				require.Len(t, p.Items, 2)
				for _, pl := range p.Items {
					assert.Equal(t, 12, pl.Items.Total, "items and the older tracks both fill Items")
					assert.Equal(t, "https://api.spotify.com/v1/playlists/p2/items", pl.Items.Href)
					require.NotNil(t, pl.Public)
					assert.False(t, *pl.Public)
				}
				assert.Same(t, opGetMyPlaylists, p.pager.op)
			},
		},
		{
			name: "GetForCurrentUser defaults send nothing", method: "GET", path: "/me/playlists",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.GetForCurrentUser(ctx, nil)
			},
			respond: `{"href":"https://api.spotify.com/v1/me/playlists?offset=0&limit=20","items":[` + playlistsShape(playlistsSimplifiedJSON, false) + `],
"limit":20,"next":null,"offset":0,"previous":null,"total":1}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedPlaylist])
				assert.Equal(t, 20, p.Limit)
				assert.Equal(t, 1, p.Total)
				require.Len(t, p.Items, 1)
				pl := p.Items[0]
				assert.Equal(t, "p2", pl.ID)
				assert.Equal(t, "Shared", pl.Name)
				assert.Equal(t, "snap-2", pl.SnapshotID)
				assert.Equal(t, 12, pl.Items.Total)
				assert.Equal(t, "u1", pl.Owner.ID)
			},
		},
		{
			name: "Create", method: "POST", path: "/me/playlists", body: `{"name":"New"}`,
			status: http.StatusCreated, respond: playlistsShape(playlistsSimplifiedJSON, false),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.Create(ctx, "New", nil)
			},
			check: func(t *testing.T, got any) {
				assert.Equal(t, "p2", got.(*SimplifiedPlaylist).ID)
			},
		},
		{
			name: "Create collaborative", method: "POST", path: "/me/playlists",
			body:   `{"name":"New","public":false,"collaborative":true,"description":""}`,
			status: http.StatusCreated, respond: playlistsShape(playlistsPlaylistJSON, false),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.Create(ctx, "New", &CreatePlaylistOptions{Public: Ptr(false), Collaborative: Ptr(true), Description: Ptr("")})
			},
			check: func(t *testing.T, got any) {
				p := got.(*SimplifiedPlaylist)
				assert.Equal(t, "p1", p.ID)
				assert.Equal(t, 3, p.Items.Total, "a full playlist's items page gives the ref")
			},
		},
		{
			name: "ChangeDetails", method: "PUT", path: "/playlists/p1", body: `{"name":"Renamed"}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Playlists.ChangeDetails(ctx, "p1", &ChangePlaylistOptions{Name: Ptr("Renamed")})
			},
		},
		{
			name: "ChangeDetails all fields", method: "PUT", path: "/playlists/p1",
			body: `{"name":"","public":true,"collaborative":false,"description":"d"}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Playlists.ChangeDetails(ctx, "p1", &ChangePlaylistOptions{Name: Ptr(""), Public: Ptr(true), Collaborative: Ptr(false), Description: Ptr("d")})
			},
		},
		{
			name: "GetCoverImage", method: "GET", path: "/playlists/p1/images",
			respond: `[{"height":640,"url":"https://i.scdn.co/image/c","width":640},{"height":null,"url":"https://i.scdn.co/image/d","width":null}]`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.GetCoverImage(ctx, "p1", nil)
			},
			check: func(t *testing.T, got any) {
				imgs := got.([]Image)
				require.Len(t, imgs, 2)
				require.NotNil(t, imgs[0].Height)
				assert.Equal(t, 640, *imgs[0].Height)
				assert.Nil(t, imgs[1].Width)
			},
		},
	})
}

func TestPlaylistsUploadCoverImage(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
	c := newTestClient(t, ts)
	require.NoError(t, c.Playlists.UploadCoverImage(context.Background(), "p1", "/9j/4AAQSkZJRg==", nil))
	reqs := ts.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "PUT", reqs[0].Method)
	assert.Equal(t, "/playlists/p1/images", reqs[0].Path)
	assert.Equal(t, "/9j/4AAQSkZJRg==", string(reqs[0].Body), "the base64 text is the raw body")
	assert.Equal(t, "image/jpeg", reqs[0].Header.Get("Content-Type"))
	assert.Equal(t, "Bearer test-token", reqs[0].Header.Get("Authorization"))
}

func TestPlaylistsValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{"Get empty id", func(ctx context.Context, c *Client) error { _, err := c.Playlists.Get(ctx, "", nil); return err }, "spotify: Playlists.Get: playlist_id is empty"},
		{"GetItems empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.GetItems(ctx, " ", nil)
			return err
		}, "spotify: Playlists.GetItems: playlist_id is empty"},
		{"Create empty name", func(ctx context.Context, c *Client) error { _, err := c.Playlists.Create(ctx, "", nil); return err }, "spotify: Playlists.Create: name is empty"},
		{"Create collaborative without public", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.Create(ctx, "n", &CreatePlaylistOptions{Collaborative: Ptr(true)})
			return err
		}, "spotify: Playlists.Create: a collaborative playlist must be private: set public to false"},
		{"Create collaborative and public", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.Create(ctx, "n", &CreatePlaylistOptions{Collaborative: Ptr(true), Public: Ptr(true)})
			return err
		}, "spotify: Playlists.Create: a collaborative playlist must be private: set public to false"},
		{"ChangeDetails empty id", func(ctx context.Context, c *Client) error {
			return c.Playlists.ChangeDetails(ctx, "", &ChangePlaylistOptions{Name: Ptr("n")})
		}, "spotify: Playlists.ChangeDetails: playlist_id is empty"},
		{"ChangeDetails nil options", func(ctx context.Context, c *Client) error {
			return c.Playlists.ChangeDetails(ctx, "p1", nil)
		}, "spotify: Playlists.ChangeDetails: nothing to change: set at least one of name, public, collaborative and description"},
		{"ChangeDetails no field", func(ctx context.Context, c *Client) error {
			return c.Playlists.ChangeDetails(ctx, "p1", &ChangePlaylistOptions{})
		}, "spotify: Playlists.ChangeDetails: nothing to change: set at least one of name, public, collaborative and description"},
		{"ChangeDetails public and collaborative", func(ctx context.Context, c *Client) error {
			return c.Playlists.ChangeDetails(ctx, "p1", &ChangePlaylistOptions{Public: Ptr(true), Collaborative: Ptr(true)})
		}, "spotify: Playlists.ChangeDetails: public and collaborative cannot both be true"},
		{"GetCoverImage empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.GetCoverImage(ctx, "", nil)
			return err
		}, "spotify: Playlists.GetCoverImage: playlist_id is empty"},
		{"UploadCoverImage empty id", func(ctx context.Context, c *Client) error {
			return c.Playlists.UploadCoverImage(ctx, "", "abc", nil)
		}, "spotify: Playlists.UploadCoverImage: playlist_id is empty"},
		{"UploadCoverImage empty image", func(ctx context.Context, c *Client) error {
			return c.Playlists.UploadCoverImage(ctx, "p1", "", nil)
		}, "spotify: Playlists.UploadCoverImage: image_base64_jpeg is empty"},
	})
}

// TestPlaylistsNextPage: a playlist's items page walks on through the link
// Spotify gives, /items (2026) or /tracks (before), under the base URL.
func TestPlaylistsNextPage(t *testing.T) {
	for _, route := range []string{"items", "tracks"} {
		t.Run(route, func(t *testing.T) {
			ts := newTestServer(t)
			next := ts.URL + "/v1/playlists/p1/" + route + "?offset=3&limit=3"
			ts.Mux.HandleFunc("/playlists/p1", func(w http.ResponseWriter, r *http.Request) {
				body := strings.Replace(playlistsShape(playlistsPlaylistJSON, route == "tracks"), `"next":null`, `"next":"`+next+`"`, 1)
				_, _ = io.WriteString(w, body)
			})
			ts.Mux.HandleFunc("/playlists/p1/"+route, func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, playlistsShape(strings.Replace(playlistsPageJSON, `"offset":0`, `"offset":3`, 1), route == "tracks"))
			})
			c := newTestClient(t, ts)
			p, err := c.Playlists.Get(context.Background(), "p1", nil)
			require.NoError(t, err)
			page, err := p.Items.NextPage(context.Background())
			require.NoError(t, err)
			assert.Equal(t, 3, page.Offset)
			checkPlaylistsEntries(t, page.Items)
			reqs := ts.requests()
			require.Len(t, reqs, 2)
			assert.Equal(t, "/playlists/p1/"+route, reqs[1].Path)
			assert.Equal(t, url.Values{"offset": {"3"}, "limit": {"3"}}, reqs[1].Query)
			_, err = page.NextPage(context.Background())
			assert.ErrorIs(t, err, ErrNoMorePages)
		})
	}
}

// TestPlaylistsWritesNotReplayed: the default client retries idempotent
// calls only; an add, a reorder and a removal answered 502 are sent once.
func TestPlaylistsWritesNotReplayed(t *testing.T) {
	bad := playlistsAnswer{http.StatusBadGateway, `{"error":{"status":502,"message":"Bad gateway"}}`}
	writes := map[string]func(ctx context.Context, c *Client) error{
		"AddItems": func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.AddItems(ctx, "p1", []string{"spotify:track:a"}, nil)
			return err
		},
		"ReorderOrReplaceItems reorder": func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{RangeStart: Ptr(0), InsertBefore: Ptr(2)})
			return err
		},
		"RemoveItems": func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveItems(ctx, "p1", &RemoveItemsOptions{URIs: []string{"spotify:track:a"}})
			return err
		},
	}
	for name, write := range writes {
		t.Run(name, func(t *testing.T) {
			ts, c := playlistsScript(t, bad, playlistsAnswer{http.StatusOK, playlistsSnapshotJSON})
			err := write(context.Background(), c)
			assert.ErrorIs(t, err, ErrServer)
			assert.Len(t, ts.requests(), 1, "a non-idempotent write is never replayed after a 5xx")
		})
	}
	t.Run("a read is retried", func(t *testing.T) {
		ts, c := playlistsScript(t, bad, playlistsAnswer{http.StatusOK, playlistsShape(playlistsPageJSON, false)})
		_, err := c.Playlists.GetItems(context.Background(), "p1", nil)
		require.NoError(t, err)
		assert.Len(t, ts.requests(), 2)
	})
}
