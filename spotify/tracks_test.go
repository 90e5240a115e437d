package spotify

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tracksTrackJSON = `{"album":{"album_type":"album","total_tracks":12,"available_markets":["SE"],"external_urls":{"spotify":"x"},
"href":"h","id":"a1","images":[],"name":"Album","release_date":"2026-01-02","release_date_precision":"day","type":"album",
"uri":"spotify:album:a1","artists":[]},
"artists":[{"external_urls":{"spotify":"x"},"href":"h","id":"r1","name":"Artist","type":"artist","uri":"spotify:artist:r1"}],
"available_markets":["SE","US"],"disc_number":1,"duration_ms":200000.0,"explicit":true,"external_ids":{"isrc":"SE1232600001"},
"external_urls":{"spotify":"x"},"href":"h","id":"t1","is_playable":true,
"linked_from":{"external_urls":{"spotify":"y"},"href":"h0","id":"t0","type":"track","uri":"spotify:track:t0"},
"name":"Track One","popularity":55,"preview_url":null,"track_number":4,"type":"track","uri":"spotify:track:t1","is_local":false}`

// tracksDevTrackJSON is a track as a Development Mode app gets it in 2026:
// no available_markets, external_ids, linked_from or popularity, on the
// track or its album.
const tracksDevTrackJSON = `{"album":{"album_type":"album","total_tracks":12,"external_urls":{"spotify":"x"},
"href":"h","id":"a1","images":[],"name":"Album","release_date":"2026-01-02","release_date_precision":"day","type":"album",
"uri":"spotify:album:a1","artists":[]},"artists":[],"disc_number":1,"duration_ms":200000,"explicit":false,
"external_urls":{"spotify":"x"},"href":"h","id":"t1","name":"Track One","track_number":4,"type":"track",
"uri":"spotify:track:t1","is_local":false}`

func TestTracksMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: "Get", method: "GET", path: "/tracks/t1", query: url.Values{"market": {"US"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.Get(ctx, "t1", &TrackOptions{Market: "US"})
			},
			respond: tracksTrackJSON,
			check: func(t *testing.T, got any) {
				tr := got.(*Track)
				assert.Equal(t, "Track One", tr.Name)
				assert.Equal(t, 200000, tr.DurationMS)
				assert.Equal(t, "a1", tr.Album.ID)
				assert.Equal(t, "r1", tr.Artists[0].ID)
				require.NotNil(t, tr.Popularity)
				assert.Equal(t, 55, *tr.Popularity)
				require.NotNil(t, tr.ExternalIDs)
				assert.Equal(t, "SE1232600001", tr.ExternalIDs.ISRC)
				require.NotNil(t, tr.LinkedFrom)
				assert.Equal(t, "t0", tr.LinkedFrom.ID)
				assert.True(t, tr.AvailableMarkets.Contains("US"))
				assert.Nil(t, tr.PreviewURL)
			},
		},
		{
			name: "Get Development Mode answer", method: "GET", path: "/tracks/t1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.Get(ctx, "t1", nil)
			},
			respond: tracksDevTrackJSON,
			check: func(t *testing.T, got any) {
				tr := got.(*Track)
				assert.Equal(t, "t1", tr.ID)
				assert.Nil(t, tr.Popularity)
				assert.Nil(t, tr.ExternalIDs)
				assert.Nil(t, tr.AvailableMarkets)
				assert.Nil(t, tr.LinkedFrom)
				assert.Nil(t, tr.IsPlayable)
				assert.Nil(t, tr.Album.AvailableMarkets)
			},
		},
		{
			name: "GetSaved defaults", method: "GET", path: "/me/tracks",
			query: url.Values{"limit": {"20"}, "offset": {"0"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.GetSaved(ctx, nil)
			},
			respond: `{"href":"h","items":[{"added_at":"2026-06-07T08:09:10Z","track":` + tracksTrackJSON + `}],"limit":20,"next":null,"offset":0,"previous":null,"total":1}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SavedTrack])
				assert.Equal(t, 20, p.Limit)
				assert.Equal(t, 1, p.Total)
				require.Len(t, p.Items, 1)
				assert.Equal(t, time.Date(2026, 6, 7, 8, 9, 10, 0, time.UTC), p.Items[0].AddedAt.UTC())
				tr := p.Items[0].Track
				assert.Equal(t, "t1", tr.ID)
				assert.Equal(t, "Track One", tr.Name)
				assert.Equal(t, 4, tr.TrackNumber)
				assert.Equal(t, "a1", tr.Album.ID)
				require.NotNil(t, tr.Popularity)
				assert.Equal(t, 55, *tr.Popularity)
			},
		},
		{
			name: "GetSaved", method: "GET", path: "/me/tracks",
			query: url.Values{"limit": {"50"}, "offset": {"50"}, "market": {"SE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.GetSaved(ctx, &SavedTracksOptions{Limit: 50, Offset: 50, Market: "SE"})
			},
			respond: `{"href":"h","items":[{"added_at":"2026-03-01T10:00:00Z","track":` + tracksDevTrackJSON + `}],"limit":50,"next":null,"offset":50,"previous":null,"total":51}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SavedTrack])
				require.Len(t, p.Items, 1)
				assert.Equal(t, 2026, p.Items[0].AddedAt.Year())
				assert.Equal(t, "t1", p.Items[0].Track.ID)
				assert.Nil(t, p.Items[0].Track.Popularity)
			},
		},
	})
}

func TestTracksValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{"Get empty id", func(ctx context.Context, c *Client) error { _, err := c.Tracks.Get(ctx, "", nil); return err }, "spotify: Tracks.Get: id is empty"},
	})
}

func TestTracksSamplesDecode(t *testing.T) {
	var tr Track
	assertDecodesWithoutLoss(t, sample(t, "track.json"), &tr)
	assert.NotEmpty(t, tr.Album.ID)
	require.NotNil(t, tr.Popularity)
	var p Page[SavedTrack]
	assertDecodesWithoutLoss(t, sample(t, "saved-tracks-page.json"), &p)
	require.NotEmpty(t, p.Items)
	assert.False(t, p.Items[0].AddedAt.IsZero())
}
