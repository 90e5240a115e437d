package spotify

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const artistsArtistJSON = `{"external_urls":{"spotify":"https://open.spotify.com/artist/r1"},
"followers":{"href":null,"total":1234.0},"genres":["pop"],"href":"https://api.spotify.com/v1/artists/r1","id":"r1",
"images":[{"url":"https://i.scdn.co/image/r1","height":null,"width":null}],"name":"Artist One","popularity":77,
"type":"artist","uri":"spotify:artist:r1"}`

// artistsDevArtistJSON is an artist as a Development Mode app gets it in
// 2026: no followers, popularity or genres.
const artistsDevArtistJSON = `{"external_urls":{"spotify":"https://open.spotify.com/artist/r1"},
"href":"https://api.spotify.com/v1/artists/r1","id":"r1","images":[],"name":"Artist One","type":"artist","uri":"spotify:artist:r1"}`

const artistsAlbumsPageJSON = `{"href":"https://api.spotify.com/v1/artists/r1/albums?offset=0&limit=2","items":[
 {"album_type":"single","total_tracks":1,"external_urls":{"spotify":"x"},"href":"h","id":"a1","images":[],"name":"One",
  "release_date":"2026","release_date_precision":"year","type":"album","uri":"spotify:album:a1","artists":[]},
 {"album_type":"compilation","total_tracks":30,"external_urls":{"spotify":"x"},"href":"h","id":"a2","images":[],"name":"Two",
  "release_date":"2025-05","release_date_precision":"month","type":"album","uri":"spotify:album:a2","artists":[],"album_group":"appears_on"}],
"limit":2,"next":null,"offset":0,"previous":null,"total":2}`

func TestArtistsMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: "Get", method: "GET", path: "/artists/r1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Artists.Get(ctx, "r1", &ArtistOptions{})
			},
			respond: artistsArtistJSON,
			check: func(t *testing.T, got any) {
				a := got.(*Artist)
				assert.Equal(t, "Artist One", a.Name)
				assert.Equal(t, "spotify:artist:r1", a.URI)
				require.NotNil(t, a.Followers)
				assert.Equal(t, 1234, a.Followers.Total, "an integer sent as 1234.0 decodes")
				assert.Nil(t, a.Followers.Href)
				require.NotNil(t, a.Popularity)
				assert.Equal(t, 77, *a.Popularity)
				assert.Equal(t, []string{"pop"}, a.Genres)
				require.Len(t, a.Images, 1)
				assert.Nil(t, a.Images[0].Height)
			},
		},
		{
			name: "Get nil options", method: "GET", path: "/artists/r1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Artists.Get(ctx, "r1", nil)
			},
			respond: artistsArtistJSON,
			check: func(t *testing.T, got any) {
				a := got.(*Artist)
				assert.Equal(t, "r1", a.ID)
				assert.Equal(t, "Artist One", a.Name)
				require.NotNil(t, a.Followers)
				assert.Equal(t, 1234, a.Followers.Total)
				require.NotNil(t, a.Popularity)
				assert.Equal(t, 77, *a.Popularity)
			},
		},
		{
			name: "Get Development Mode answer", method: "GET", path: "/artists/r1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Artists.Get(ctx, "r1", nil)
			},
			respond: artistsDevArtistJSON,
			check: func(t *testing.T, got any) {
				a := got.(*Artist)
				assert.Equal(t, "r1", a.ID)
				assert.Nil(t, a.Followers)
				assert.Nil(t, a.Popularity)
				assert.Nil(t, a.Genres)
			},
		},
		{
			name: "GetAlbums defaults send nothing", method: "GET", path: "/artists/r1/albums",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Artists.GetAlbums(ctx, "r1", nil)
			},
			respond: artistsAlbumsPageJSON,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedAlbum])
				require.Len(t, p.Items, 2)
				assert.Equal(t, "single", p.Items[0].AlbumType)
				assert.Nil(t, p.Items[0].AlbumGroup)
				require.NotNil(t, p.Items[1].AlbumGroup)
				assert.Equal(t, "appears_on", *p.Items[1].AlbumGroup)
				assert.Nil(t, p.Items[1].AvailableMarkets)
			},
		},
		{
			name: "GetAlbums every option", method: "GET", path: "/artists/r1/albums",
			query: url.Values{"include_groups": {"album,single,appears_on,compilation"}, "market": {"SE"}, "limit": {"10"}, "offset": {"5"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Artists.GetAlbums(ctx, "r1", &ArtistAlbumsOptions{
					IncludeGroups: []string{"album", "single", "appears_on", "compilation"}, Market: "SE", Limit: 10, Offset: 5,
				})
			},
			respond: `{"href":"h","items":[
 {"album_type":"compilation","total_tracks":12,"id":"a6","name":"Sixth","type":"album","artists":[],"album_group":"compilation",
  "available_markets":["SE"]}],
"limit":10,"next":null,"offset":5,"previous":"p","total":6}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedAlbum])
				assert.Equal(t, 10, p.Limit)
				assert.Equal(t, 5, p.Offset)
				assert.Equal(t, 6, p.Total)
				require.Len(t, p.Items, 1)
				assert.Equal(t, "a6", p.Items[0].ID)
				assert.Equal(t, "compilation", p.Items[0].AlbumType)
				require.NotNil(t, p.Items[0].AlbumGroup)
				assert.Equal(t, "compilation", *p.Items[0].AlbumGroup)
				assert.True(t, p.Items[0].AvailableMarkets.Contains("SE"), "the market's albums")
			},
		},
		{
			name: "GetAlbums one group keeps the caller's order", method: "GET", path: "/artists/r1/albums",
			query: url.Values{"include_groups": {"single,album"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Artists.GetAlbums(ctx, "r1", &ArtistAlbumsOptions{IncludeGroups: []string{"single", "album"}})
			},
			respond: `{"href":"h","items":[
 {"album_type":"single","id":"a1","name":"One","type":"album","artists":[],"album_group":"single"},
 {"album_type":"album","id":"a3","name":"Three","type":"album","artists":[],"album_group":"album"}],
"limit":20,"next":null,"offset":0,"previous":null,"total":2}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedAlbum])
				assert.Equal(t, 2, p.Total)
				require.Len(t, p.Items, 2)
				var groups []string
				for _, a := range p.Items {
					require.NotNil(t, a.AlbumGroup, a.ID)
					groups = append(groups, *a.AlbumGroup)
				}
				assert.Equal(t, []string{"single", "album"}, groups, "the albums of the groups asked for, in the answer's order")
				assert.Equal(t, "a3", p.Items[1].ID)
			},
		},
		{
			name: "GetAlbums empty include_groups sends none", method: "GET", path: "/artists/r1/albums",
			query: url.Values{"limit": {"1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Artists.GetAlbums(ctx, "r1", &ArtistAlbumsOptions{IncludeGroups: []string{}, Limit: 1})
			},
			respond: `{"href":"h","items":[
 {"album_type":"album","id":"a1","name":"One","type":"album","artists":[{"id":"r1","name":"Artist One","type":"artist"}]}],
"limit":1,"next":"https://api.spotify.com/v1/artists/r1/albums?offset=1&limit=1","offset":0,"previous":null,"total":3}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedAlbum])
				assert.Equal(t, 1, p.Limit)
				assert.Equal(t, 3, p.Total)
				assert.Equal(t, "https://api.spotify.com/v1/artists/r1/albums?offset=1&limit=1", p.Next)
				require.Len(t, p.Items, 1)
				assert.Equal(t, "a1", p.Items[0].ID)
				require.Len(t, p.Items[0].Artists, 1)
				assert.Equal(t, "Artist One", p.Items[0].Artists[0].Name)
			},
		},
	})
}

func TestArtistsValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{"Get empty id", func(ctx context.Context, c *Client) error { _, err := c.Artists.Get(ctx, "", nil); return err }, "spotify: Artists.Get: id is empty"},
		{"GetAlbums empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Artists.GetAlbums(ctx, "", &ArtistAlbumsOptions{IncludeGroups: []string{"bogus"}})
			return err
		}, "spotify: Artists.GetAlbums: id is empty"},
		{"GetAlbums bad include_groups", func(ctx context.Context, c *Client) error {
			_, err := c.Artists.GetAlbums(ctx, "r1", &ArtistAlbumsOptions{IncludeGroups: []string{"album", "ep"}})
			return err
		}, `spotify: Artists.GetAlbums: include_groups: "ep" is not one of album, single, appears_on, compilation`},
		{"GetAlbums several bad include_groups: the first is named", func(ctx context.Context, c *Client) error {
			_, err := c.Artists.GetAlbums(ctx, "r1", &ArtistAlbumsOptions{IncludeGroups: []string{"singles", "Album", "singles", ""}})
			return err
		}, `include_groups: "singles" is not one of`},
		{"GetAlbums bad market", func(ctx context.Context, c *Client) error {
			_, err := c.Artists.GetAlbums(ctx, "r1", &ArtistAlbumsOptions{Market: "sweden"})
			return err
		}, `spotify: Artists.GetAlbums: market "sweden" is neither a two-letter country code`},
	})
}

func TestArtistsGetAlbumsPages(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/artists/r1/albums", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("offset") == "1" {
			_, _ = w.Write([]byte(`{"href":"h","items":[{"id":"a2","name":"Two","type":"album"}],"limit":1,"next":null,"offset":1,"previous":"p","total":2}`))
			return
		}
		_, _ = w.Write([]byte(`{"href":"h","items":[{"id":"a1","name":"One","type":"album"}],"limit":1,"next":"` +
			ts.URL + `/v1/artists/r1/albums?include_groups=album&offset=1&limit=1","offset":0,"previous":null,"total":2}`))
	})
	c := newTestClient(t, ts)
	p, err := c.Artists.GetAlbums(context.Background(), "r1", &ArtistAlbumsOptions{IncludeGroups: []string{"album"}, Limit: 1})
	require.NoError(t, err)
	var ids []string
	for a, err := range p.All(context.Background()) {
		require.NoError(t, err)
		ids = append(ids, a.ID)
	}
	assert.Equal(t, []string{"a1", "a2"}, ids)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, url.Values{"include_groups": {"album"}, "offset": {"1"}, "limit": {"1"}}, reqs[1].Query)
}

func TestArtistsSamplesDecode(t *testing.T) {
	var a Artist
	assertDecodesWithoutLoss(t, sample(t, "artist.json"), &a)
	assert.Equal(t, "Pitbull", a.Name)
	require.NotNil(t, a.Followers)
	require.NotNil(t, a.Popularity)
	var p Page[SimplifiedAlbum]
	assertDecodesWithoutLoss(t, sample(t, "artist-albums-page.json"), &p)
	assert.NotEmpty(t, p.Items)
}
