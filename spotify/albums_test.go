package spotify

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const albumJSON = `{"album_type":"album","total_tracks":2,"available_markets":["SE","US"],
"external_urls":{"spotify":"https://open.spotify.com/album/a1"},"href":"https://api.spotify.com/v1/albums/a1",
"id":"a1","images":[{"url":"https://i.scdn.co/image/1","height":640,"width":640}],"name":"Album One",
"release_date":"2026-01-02","release_date_precision":"day","type":"album","uri":"spotify:album:a1",
"artists":[{"external_urls":{"spotify":"https://open.spotify.com/artist/r1"},"href":"https://api.spotify.com/v1/artists/r1","id":"r1","name":"Artist","type":"artist","uri":"spotify:artist:r1"}],
"tracks":{"href":"https://api.spotify.com/v1/albums/a1/tracks?offset=0&limit=50","items":[
 {"artists":[],"disc_number":1,"duration_ms":207959.0,"explicit":false,"external_urls":{"spotify":"x"},"href":"h","id":"t1","name":"One","track_number":1,"type":"track","uri":"spotify:track:t1","is_local":false}],
 "limit":50,"next":null,"offset":0,"previous":null,"total":1},
"copyrights":[{"text":"(C) 2026","type":"C"}],"label":"Label","popularity":42}`

const pageJSON = `{"href":"h","items":[],"limit":20,"next":null,"offset":0,"previous":null,"total":0}`

func TestAlbumsMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: "Get", method: "GET", path: "/albums/a1", query: url.Values{"market": {"SE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Albums.Get(ctx, "a1", &AlbumOptions{Market: "SE"})
			},
			respond: albumJSON,
			check: func(t *testing.T, got any) {
				a := got.(*Album)
				assert.Equal(t, "Album One", a.Name)
				assert.True(t, a.AvailableMarkets.Contains("US"))
				assert.Equal(t, 207959, a.Tracks.Items[0].DurationMS, "an integer sent as 207959.0 decodes")
				require.NotNil(t, a.Popularity)
				assert.Equal(t, 42, *a.Popularity)
				assert.Nil(t, a.ExternalIDs, "a field the answer lacks stays nil")
			},
		},
		{
			name: "Get without market", method: "GET", path: "/albums/a1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Albums.Get(ctx, "a1", nil)
			},
			respond: albumJSON,
			check: func(t *testing.T, got any) {
				a := got.(*Album)
				assert.Equal(t, "a1", a.ID)
				assert.Equal(t, "Album One", a.Name)
				assert.Equal(t, 2, a.TotalTracks)
				require.Len(t, a.Artists, 1)
				assert.Equal(t, "r1", a.Artists[0].ID)
				require.Len(t, a.Tracks.Items, 1)
				assert.Equal(t, "t1", a.Tracks.Items[0].ID)
				assert.Equal(t, 1, a.Tracks.Total)
			},
		},
		{
			name: "GetTracks defaults", method: "GET", path: "/albums/123/tracks",
			query: url.Values{"limit": {"20"}, "offset": {"0"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Albums.GetTracks(ctx, "123", nil)
			},
			respond: pageJSON,
			check: func(t *testing.T, got any) {
				assert.Equal(t, 20, got.(*Page[SimplifiedTrack]).Limit)
			},
		},
		{
			name: "GetSaved", method: "GET", path: "/me/albums",
			query: url.Values{"limit": {"10"}, "offset": {"5"}, "market": {"US"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Albums.GetSaved(ctx, &SavedAlbumsOptions{Limit: 10, Offset: 5, Market: "US"})
			},
			respond: `{"href":"h","items":[{"added_at":"2026-03-01T10:00:00Z","album":` + albumJSON + `}],"limit":10,"next":null,"offset":5,"previous":null,"total":6}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SavedAlbum])
				require.Len(t, p.Items, 1)
				assert.Equal(t, 2026, p.Items[0].AddedAt.Year())
				assert.Equal(t, "a1", p.Items[0].Album.ID)
			},
		},
	})
}

func TestAlbumsValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{"Get empty id", func(ctx context.Context, c *Client) error { _, err := c.Albums.Get(ctx, "", nil); return err }, "spotify: Albums.Get: id is empty"},
		{"Get dot-dot id", func(ctx context.Context, c *Client) error { _, err := c.Albums.Get(ctx, "..", nil); return err }, `id ".." is not an id`},
		{"GetTracks empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Albums.GetTracks(ctx, " ", nil)
			return err
		}, "spotify: Albums.GetTracks: id is empty"},
	})
}

func TestAlbumSamplesDecode(t *testing.T) {
	var a Album
	assertDecodesWithoutLoss(t, sample(t, "album.json"), &a)
	assert.NotEmpty(t, a.Tracks.Items)
	var p Page[SimplifiedTrack]
	assertDecodesWithoutLoss(t, sample(t, "album-tracks-page.json"), &p)
	var saved Page[SavedAlbum]
	assertDecodesWithoutLoss(t, sample(t, "saved-albums-page.json"), &saved)
}
