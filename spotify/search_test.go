package spotify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// searchPlaylistJSON is a simplified playlist in the 2026 shape.
const searchPlaylistJSON = `{"collaborative":false,"description":null,"external_urls":{"spotify":"x"},"href":"h","id":"p1",
"images":[],"name":"Playlist One","owner":{"external_urls":{"spotify":"x"},"href":"h","id":"u1","type":"user","uri":"spotify:user:u1","display_name":"Jo"},
"public":true,"snapshot_id":"s1","items":{"href":"h","total":3},"type":"playlist","uri":"spotify:playlist:p1"}`

// searchPage wraps items in a search page of kind ("track", ...) whose next
// link (if nextOffset >= 0) points under base.
func searchPage(base, kind, items string, offset, nextOffset int) string {
	next := "null"
	if nextOffset >= 0 {
		next = fmt.Sprintf(`"%s/v1/search?q=x&type=%s&offset=%d&limit=5"`, base, kind, nextOffset)
	}
	return fmt.Sprintf(`{"href":"h","items":[%s],"limit":5,"next":%s,"offset":%d,"previous":null,"total":2000}`, items, next, offset)
}

func TestSearchMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: "Search defaults, type order kept", method: "GET", path: "/search",
			query: url.Values{"q": {"remaster"}, "type": {"track,album"}, "limit": {"5"}, "offset": {"0"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Search.Search(ctx, "remaster", []string{SearchTypeTrack, SearchTypeAlbum}, nil)
			},
			respond: `{"tracks":` + searchPage("", "track", usersTrackJSON, 0, -1) + `,"albums":` + pageJSON + `}`,
			check: func(t *testing.T, got any) {
				r := got.(*SearchResult)
				require.NotNil(t, r.Tracks)
				require.Len(t, r.Tracks.Items, 1)
				assert.Equal(t, "t1", r.Tracks.Items[0].ID)
				require.NotNil(t, r.Albums)
				assert.Empty(t, r.Albums.Items)
				assert.Nil(t, r.Artists, "a type not asked stays nil")
				assert.Nil(t, r.Playlists)
				assert.Nil(t, r.Shows)
				assert.Nil(t, r.Episodes)
				assert.Nil(t, r.Audiobooks)
			},
		},
		{
			name: "Search all options", method: "GET", path: "/search",
			query: url.Values{"q": {"test"}, "type": {"artist"}, "limit": {"10"}, "offset": {"5"}, "market": {"US"}, "include_external": {"audio"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Search.Search(ctx, "test", []string{"artist"}, &SearchOptions{Market: "US", Limit: 10, Offset: 5, IncludeExternal: "audio"})
			},
			respond: `{"artists":` + searchPage("", "artist", usersArtistJSON, 5, -1) + `}`,
			check: func(t *testing.T, got any) {
				r := got.(*SearchResult)
				require.NotNil(t, r.Artists)
				assert.Equal(t, "Artist One", r.Artists.Items[0].Name)
			},
		},
		{
			name: "Search every type", method: "GET", path: "/search",
			query: url.Values{"q": {"x"}, "type": {"audiobook,episode,show,playlist,album,artist,track"}, "limit": {"5"}, "offset": {"0"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Search.Search(ctx, "x", []string{"audiobook", "episode", "show", "playlist", "album", "artist", "track"}, &SearchOptions{})
			},
			respond: `{"tracks":` + pageJSON + `,"artists":` + pageJSON + `,"albums":` + pageJSON + `,"playlists":` +
				searchPage("", "playlist", `null,`+searchPlaylistJSON, 0, -1) + `,"shows":` + pageJSON + `,"episodes":` + pageJSON + `,"audiobooks":` + pageJSON + `}`,
			check: func(t *testing.T, got any) {
				r := got.(*SearchResult)
				for name, bound := range map[string]bool{
					"tracks":     r.Tracks.pager.op == opSearch && r.Tracks.pager.wrap == "tracks",
					"artists":    r.Artists.pager.op == opSearch && r.Artists.pager.wrap == "artists",
					"albums":     r.Albums.pager.op == opSearch && r.Albums.pager.wrap == "albums",
					"playlists":  r.Playlists.pager.op == opSearch && r.Playlists.pager.wrap == "playlists",
					"shows":      r.Shows.pager.op == opSearch && r.Shows.pager.wrap == "shows",
					"episodes":   r.Episodes.pager.op == opSearch && r.Episodes.pager.wrap == "episodes",
					"audiobooks": r.Audiobooks.pager.op == opSearch && r.Audiobooks.pager.wrap == "audiobooks",
				} {
					assert.True(t, bound, "%s is bound with opSearch and its key", name)
				}
				require.Len(t, r.Playlists.Items, 2)
				assert.Nil(t, r.Playlists.Items[0], "a null playlist stays nil")
				require.NotNil(t, r.Playlists.Items[1])
				assert.Equal(t, "p1", r.Playlists.Items[1].ID)
				assert.Equal(t, 3, r.Playlists.Items[1].Items.Total)
			},
		},
	})
}

func TestSearchValidation(t *testing.T) {
	search := func(q string, types []string, opts *SearchOptions) func(ctx context.Context, c *Client) error {
		return func(ctx context.Context, c *Client) error {
			_, err := c.Search.Search(ctx, q, types, opts)
			return err
		}
	}
	valid := "is not one of album, artist, playlist, track, show, episode, audiobook"
	runInvalidCases(t, []invalidCase{
		{"empty q", search("", []string{"track"}, nil), "spotify: Search.Search: q is empty"},
		{"empty q before empty types", search("", nil, nil), "spotify: Search.Search: q is empty"},
		{"nil types", search("x", nil, nil), "spotify: Search.Search: types is empty"},
		{"empty types", search("x", []string{}, nil), "spotify: Search.Search: types is empty"},
		{"invalid type", search("x", []string{"track", "song"}, nil), `spotify: Search.Search: types: "song" ` + valid},
		{"invalid types: the first is named", search("x", []string{"video", "song", "video", "album"}, nil), `types: "video" ` + valid},
		{"types are case-sensitive", search("x", []string{"Track"}, nil), `types: "Track" is not one of`},
		{"include_external other than audio", search("x", []string{"show"}, &SearchOptions{IncludeExternal: "video"}),
			`spotify: Search.Search: include_external: "video" is not "audio"`},
		{"a quote in a bad value is escaped", search("x", []string{`it's "x"`}, nil), `types: "it's \"x\"" is not one of`},
		{"offset over the cap", search("x", []string{"track"}, &SearchOptions{Offset: 1001}), "spotify: Search.Search: offset 1001 is out of range 0..1000"},
		{"market of three letters", search("x", []string{"track"}, &SearchOptions{Market: "SWE"}), `spotify: Search.Search: market "SWE" is neither`},
	})
}

// searchServer answers /search with respond(query).
func searchServer(t *testing.T, respond func(base string, q url.Values) string) *testServer {
	t.Helper()
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/search", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, respond(ts.URL, r.URL.Query()))
	})
	return ts
}

// searchTracks returns n tracks with ids t<from>...
func searchTracks(from, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = strings.Replace(usersTrackJSON, `"id":"t1"`, fmt.Sprintf(`"id":"t%d"`, from+i), 1)
	}
	return strings.Join(parts, ",")
}

func TestSearchNextPage(t *testing.T) {
	ts := searchServer(t, func(base string, q url.Values) string {
		if q.Get("offset") == "0" {
			return `{"tracks":` + searchPage(base, "track", searchTracks(0, 5), 0, 5) + `}`
		}
		return `{"tracks":` + searchPage(base, "track", searchTracks(5, 5), 5, -1) + `}`
	})
	c := newTestClient(t, ts)
	ctx := context.Background()
	r, err := c.Search.Search(ctx, "x", []string{"track"}, nil)
	require.NoError(t, err)
	next, err := r.Tracks.NextPage(ctx)
	require.NoError(t, err)
	require.Len(t, next.Items, 5)
	assert.Equal(t, "t5", next.Items[0].ID, "the next page is unwrapped from the tracks key")
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/search", reqs[1].Path)
	assert.Equal(t, url.Values{"q": {"x"}, "type": {"track"}, "offset": {"5"}, "limit": {"5"}}, reqs[1].Query)
	_, err = next.NextPage(ctx)
	assert.ErrorIs(t, err, ErrNoMorePages)
}

// TestSearchAllStopsAtOffsetCap: a page whose next link is at offset 1,000
// is the last one All walks; no request goes past the cap.
func TestSearchAllStopsAtOffsetCap(t *testing.T) {
	ts := searchServer(t, func(base string, q url.Values) string {
		switch q.Get("offset") {
		case "990":
			return `{"tracks":` + searchPage(base, "track", searchTracks(990, 5), 990, 995) + `}`
		case "995":
			return `{"tracks":` + searchPage(base, "track", searchTracks(995, 5), 995, 1000) + `}`
		}
		t.Errorf("unexpected request at offset %s", q.Get("offset"))
		return `{}`
	})
	c := newTestClient(t, ts)
	ctx := context.Background()
	r, err := c.Search.Search(ctx, "x", []string{"track"}, &SearchOptions{Offset: 990})
	require.NoError(t, err)
	var ids []string
	for tr, err := range r.Tracks.All(ctx) {
		require.NoError(t, err)
		ids = append(ids, tr.ID)
	}
	assert.Len(t, ids, 10)
	assert.Equal(t, "t999", ids[9])
	assert.Len(t, ts.requests(), 2, "the search and one next page; none at offset 1000")
}

func TestSearchSamplesDecode(t *testing.T) {
	var artists SearchResult
	assertDecodesWithoutLoss(t, sample(t, "search-artists.json"), &artists)
	require.NotNil(t, artists.Artists)
	assert.Len(t, artists.Artists.Items, 1)
	assert.Nil(t, artists.Tracks)

	var tracks SearchResult
	assertDecodesWithoutLoss(t, sample(t, "search-tracks.json"), &tracks)
	require.NotNil(t, tracks.Tracks)
	assert.Len(t, tracks.Tracks.Items, 2)
	assert.Equal(t, 6922, tracks.Tracks.Total)

	// The playlists of this pre-2026 sample carry "tracks" where the 2026
	// shape has "items": check the model against the sample in the 2026
	// shape, and that the original decodes the same.
	data := sample(t, "search-tracks-and-playlists.json")
	var both SearchResult
	assertDecodesWithoutLoss(t, searchPlaylists2026(t, data), &both)
	var old SearchResult
	require.NoError(t, decodeJSON(data, &old))
	assert.Equal(t, both, old, "the pre-2026 playlists decode the same")
	require.NotNil(t, both.Tracks)
	require.NotNil(t, both.Playlists)
	require.Len(t, both.Playlists.Items, 2)
	require.NotNil(t, both.Playlists.Items[0])
	assert.Equal(t, "myplay.com", both.Playlists.Items[0].Owner.ID)
}

// searchPlaylists2026 renames the "tracks" reference of each playlist in a
// search answer to "items", the 2026 key.
func searchPlaylists2026(t *testing.T, data []byte) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	page, _ := doc["playlists"].(map[string]any)
	items, _ := page["items"].([]any)
	for _, it := range items {
		if pl, ok := it.(map[string]any); ok {
			if ref, ok := pl["tracks"]; ok {
				pl["items"] = ref
				delete(pl, "tracks")
			}
		}
	}
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}
