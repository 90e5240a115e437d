package spotify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// albumsNewReleasesJSON is the answer of GET /browse/new-releases: the
// page wrapped under "albums"; {{next}} is the page's next link.
const albumsNewReleasesJSON = `{"albums":{"href":"https://api.spotify.com/v1/browse/new-releases?offset=0&limit=1","items":[
 {"album_type":"single","total_tracks":1,"available_markets":["SE"],"external_urls":{"spotify":"x"},"href":"h","id":"n1",
  "images":[],"name":"New One","release_date":"2026-05-01","release_date_precision":"day","type":"album",
  "uri":"spotify:album:n1","artists":[]}],
 "limit":1,"next":%s,"offset":0,"previous":null,"total":2}}`

func albumsExtendedCases() []batchCase {
	return []batchCase{
		{opGetSeveralAlbums, methodCase{
			name: "GetSeveral", method: "GET", path: "/albums", query: url.Values{"ids": {"a1,zz"}, "market": {"SE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Albums.GetSeveral(ctx, []string{"a1", "zz"}, &SeveralAlbumsOptions{Market: "SE"})
			},
			respond: `{"albums":[` + albumJSON + `,null]}`,
			check: func(t *testing.T, got any) {
				as := got.([]*Album)
				require.Len(t, as, 2)
				require.NotNil(t, as[0])
				assert.Equal(t, "Album One", as[0].Name)
				assert.Equal(t, opGetAlbumTracks, as[0].Tracks.pager.op, "the album's tracks page is bound")
				assert.NotNil(t, as[0].Tracks.pager.c)
				assert.Nil(t, as[1], "Spotify's null for an unknown id")
			},
		}},
		{opGetSeveralAlbums, methodCase{
			name: "GetSeveral without market", method: "GET", path: "/albums", query: url.Values{"ids": {"a1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Albums.GetSeveral(ctx, []string{"a1"}, nil)
			},
			respond: `{"albums":[` + albumJSON + `]}`,
			check: func(t *testing.T, got any) {
				as := got.([]*Album)
				require.Len(t, as, 1)
				require.NotNil(t, as[0])
				assert.Equal(t, "a1", as[0].ID)
				assert.Equal(t, "Album One", as[0].Name)
				require.Len(t, as[0].Tracks.Items, 1)
				assert.Equal(t, "One", as[0].Tracks.Items[0].Name)
			},
		}},
		{opGetNewReleases, methodCase{
			name: "GetNewReleases defaults", method: "GET", path: "/browse/new-releases",
			query: url.Values{"limit": {"20"}, "offset": {"0"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Albums.GetNewReleases(ctx, nil)
			},
			respond: fmt.Sprintf(albumsNewReleasesJSON, "null"),
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedAlbum])
				require.Len(t, p.Items, 1)
				assert.Equal(t, "New One", p.Items[0].Name)
				assert.Equal(t, 2, p.Total)
				assert.Equal(t, "albums", p.pager.wrap, "the next pages are unwrapped too")
				assert.Equal(t, opGetNewReleases, p.pager.op)
			},
		}},
		{opGetNewReleases, methodCase{
			name: "GetNewReleases limit and offset", method: "GET", path: "/browse/new-releases",
			query: url.Values{"limit": {"5"}, "offset": {"10"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Albums.GetNewReleases(ctx, &NewReleasesOptions{Limit: 5, Offset: 10})
			},
			respond: `{"albums":{"href":"h","items":[{"id":"n11","name":"Eleventh","album_type":"single","total_tracks":3}],
 "limit":5,"next":null,"offset":10,"previous":"p","total":11}}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedAlbum])
				assert.Equal(t, 5, p.Limit)
				assert.Equal(t, 10, p.Offset)
				assert.Equal(t, 11, p.Total)
				require.Len(t, p.Items, 1)
				assert.Equal(t, "n11", p.Items[0].ID)
				assert.Equal(t, "Eleventh", p.Items[0].Name)
				assert.Equal(t, 3, p.Items[0].TotalTracks)
			},
		}},
		{opCheckSavedAlbums, methodCase{
			name: "CheckSaved", method: "GET", path: "/me/albums/contains", query: url.Values{"ids": {"a1,a2"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Albums.CheckSaved(ctx, []string{"a1", "a2"}, nil)
			},
			respond: `[false,true]`,
			check: func(t *testing.T, got any) {
				assert.Equal(t, []bool{false, true}, got)
			},
		}},
		{opSaveAlbums, methodCase{
			name: "Save", method: "PUT", path: "/me/albums", query: url.Values{"ids": {"a1,a2"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Albums.Save(ctx, []string{"a1", "a2"}, nil)
			},
		}},
		{opRemoveAlbums, methodCase{
			name: "Remove", method: "DELETE", path: "/me/albums", query: url.Values{"ids": {"a1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Albums.Remove(ctx, []string{"a1"}, &AlbumLibraryOptions{})
			},
		}},
	}
}

func TestAlbumsExtendedMethods(t *testing.T) {
	runBatchCases(t, albumsExtendedCases())
}

func TestAlbumsExtendedNewReleasesNextPage(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("offset") == "1" {
			_, _ = io.WriteString(w, `{"albums":{"href":"h","items":[{"id":"n2","name":"New Two"}],"limit":1,"next":null,"offset":1,"previous":null,"total":2}}`)
			return
		}
		_, _ = fmt.Fprintf(w, albumsNewReleasesJSON, `"`+ts.URL+`/v1/browse/new-releases?offset=1&limit=1"`)
	})
	c := newTestClient(t, ts)
	p, err := c.Albums.GetNewReleases(context.Background(), &NewReleasesOptions{Limit: 1})
	require.NoError(t, err)
	var names []string
	for a, err := range p.All(context.Background()) {
		require.NoError(t, err)
		names = append(names, a.Name)
	}
	assert.Equal(t, []string{"New One", "New Two"}, names)
}

func TestAlbumsExtendedSamplesDecode(t *testing.T) {
	data := sample(t, "albums-several.json")
	var several struct {
		Albums []*Album `json:"albums"`
	}
	assertDecodesWithoutLoss(t, data, &several)
	require.Len(t, several.Albums, 1)
	require.NotNil(t, several.Albums[0])
	assert.NotEmpty(t, several.Albums[0].Tracks.Items)

	var releases struct {
		Albums Page[SimplifiedAlbum] `json:"albums"`
	}
	releasesData := sample(t, "new-releases.json")
	assertDecodesWithoutLoss(t, releasesData, &releases)
	assert.NotEmpty(t, releases.Albums.Items)

	// The same samples through the methods.
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(data) })
	ts.Mux.HandleFunc("/browse/new-releases", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(releasesData) })
	c := newTestClient(t, ts)
	as, err := c.Albums.GetSeveral(context.Background(), []string{several.Albums[0].ID}, nil)
	require.NoError(t, err)
	require.Len(t, as, 1)
	assert.Equal(t, several.Albums[0].Name, as[0].Name)
	p, err := c.Albums.GetNewReleases(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, releases.Albums.Total, p.Total)
	assert.Len(t, p.Items, len(releases.Albums.Items))
}
