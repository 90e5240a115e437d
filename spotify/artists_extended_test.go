package spotify

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func artistsExtendedCases() []batchCase {
	return []batchCase{
		{opGetSeveralArtists, methodCase{
			name: "GetSeveral", method: "GET", path: "/artists", query: url.Values{"ids": {"r1,zz"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Artists.GetSeveral(ctx, []string{"r1", "zz"}, nil)
			},
			respond: `{"artists":[` + artistsArtistJSON + `,null]}`,
			check: func(t *testing.T, got any) {
				as := got.([]*Artist)
				require.Len(t, as, 2)
				require.NotNil(t, as[0])
				assert.Equal(t, "Artist One", as[0].Name)
				require.NotNil(t, as[0].Followers)
				assert.Equal(t, 1234, as[0].Followers.Total)
				assert.Nil(t, as[1])
			},
		}},
		{opGetArtistTopTracks, methodCase{
			name: "GetTopTracks", method: "GET", path: "/artists/r1/top-tracks", query: url.Values{"market": {"SE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Artists.GetTopTracks(ctx, "r1", &ArtistTopTracksOptions{Market: "SE"})
			},
			respond: `{"tracks":[` + tracksTrackJSON + `]}`,
			check: func(t *testing.T, got any) {
				ts := got.([]Track)
				require.Len(t, ts, 1)
				assert.Equal(t, "Track One", ts[0].Name)
			},
		}},
		{opGetArtistTopTracks, methodCase{
			name: "GetTopTracks without market", method: "GET", path: "/artists/r2/top-tracks",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Artists.GetTopTracks(ctx, "r2", nil)
			},
			respond: `{"tracks":[]}`,
			check: func(t *testing.T, got any) {
				assert.Empty(t, got.([]Track))
			},
		}},
		{opGetRelatedArtists, methodCase{
			name: "GetRelatedArtists", method: "GET", path: "/artists/r1/related-artists",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Artists.GetRelatedArtists(ctx, "r1", nil)
			},
			respond: `{"artists":[` + artistsArtistJSON + `,` + artistsDevArtistJSON + `]}`,
			check: func(t *testing.T, got any) {
				as := got.([]Artist)
				require.Len(t, as, 2)
				assert.Equal(t, "r1", as[1].ID)
				assert.Nil(t, as[1].Popularity)
			},
		}},
	}
}

func TestArtistsExtendedMethods(t *testing.T) {
	runBatchCases(t, artistsExtendedCases())
}

func TestArtistsExtendedValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{"GetTopTracks empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Artists.GetTopTracks(ctx, "", nil)
			return err
		}, "spotify: Artists.GetTopTracks: id is empty"},
		{"GetRelatedArtists empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Artists.GetRelatedArtists(ctx, " ", nil)
			return err
		}, "spotify: Artists.GetRelatedArtists: id is empty"},
	})
}

func TestArtistsExtendedSamplesDecode(t *testing.T) {
	data := sample(t, "artist-top-tracks.json")
	var top struct {
		Tracks []Track `json:"tracks"`
	}
	assertDecodesWithoutLoss(t, data, &top)
	require.NotEmpty(t, top.Tracks)

	ts := newTestServer(t)
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(data) })
	c := newTestClient(t, ts)
	got, err := c.Artists.GetTopTracks(context.Background(), "43ZHCT0cAZBISjO8DG9PnE", &ArtistTopTracksOptions{Market: "SE"})
	require.NoError(t, err)
	require.Len(t, got, len(top.Tracks))
	assert.Equal(t, top.Tracks[0].ID, got[0].ID)
}
