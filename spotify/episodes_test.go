package spotify

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// episodesShowJSON is a simplified show as a Development Mode app gets it:
// no available_markets or publisher.
const episodesShowJSON = `{"copyrights":[],"description":"A show","html_description":"<p>A show</p>","explicit":false,
"external_urls":{"spotify":"x"},"href":"h","id":"s1","images":[],"is_externally_hosted":false,"languages":["en"],
"media_type":"audio","name":"Show","type":"show","uri":"spotify:show:s1","total_episodes":3}`

const episodesEpisodeJSON = `{"audio_preview_url":"https://p.scdn.co/mp3-preview/e1","description":"Ep","html_description":"<p>Ep</p>",
"duration_ms":1800000.0,"explicit":false,"external_urls":{"spotify":"x"},"href":"h","id":"e1","images":[],
"is_externally_hosted":false,"is_playable":true,"language":"en","languages":["en"],"name":"Episode One",
"release_date":"2026-04-01","release_date_precision":"day","resume_point":{"fully_played":true,"resume_position_ms":0},
"type":"episode","uri":"spotify:episode:e1","show":` + episodesShowJSON + `}`

func TestEpisodesMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: "Get", method: "GET", path: "/episodes/e1", query: url.Values{"market": {"GB"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Episodes.Get(ctx, "e1", &EpisodeOptions{Market: "GB"})
			},
			respond: episodesEpisodeJSON,
			check: func(t *testing.T, got any) {
				e := got.(*Episode)
				assert.Equal(t, "Episode One", e.Name)
				assert.Equal(t, 1800000, e.DurationMS)
				require.NotNil(t, e.ResumePoint)
				assert.True(t, e.ResumePoint.FullyPlayed)
				assert.Equal(t, "s1", e.Show.ID)
				assert.Nil(t, e.Show.Publisher, "Development Mode: no publisher")
				assert.Nil(t, e.Show.AvailableMarkets, "Development Mode: no available_markets")
			},
		},
		{
			name: "Get without market", method: "GET", path: "/episodes/e1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Episodes.Get(ctx, "e1", nil)
			},
			respond: episodesEpisodeJSON,
			check: func(t *testing.T, got any) {
				e := got.(*Episode)
				assert.Equal(t, "e1", e.ID)
				assert.Equal(t, "Episode One", e.Name)
				assert.Equal(t, "2026-04-01", e.ReleaseDate)
				require.NotNil(t, e.IsPlayable)
				assert.True(t, *e.IsPlayable)
				assert.Equal(t, "Show", e.Show.Name)
				assert.Equal(t, 3, e.Show.TotalEpisodes)
			},
		},
		{
			name: "GetSaved defaults", method: "GET", path: "/me/episodes",
			query: url.Values{"limit": {"20"}, "offset": {"0"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Episodes.GetSaved(ctx, nil)
			},
			respond: `{"href":"h","items":[{"added_at":"2026-01-15T12:00:00Z","episode":` + episodesEpisodeJSON + `}],"limit":20,"next":null,"offset":0,"previous":null,"total":1}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SavedEpisode])
				assert.Equal(t, 20, p.Limit)
				assert.Equal(t, 1, p.Total)
				require.Len(t, p.Items, 1)
				assert.Equal(t, time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), p.Items[0].AddedAt.UTC())
				assert.Equal(t, "e1", p.Items[0].Episode.ID)
				assert.Equal(t, 1800000, p.Items[0].Episode.DurationMS)
				assert.Equal(t, "s1", p.Items[0].Episode.Show.ID)
			},
		},
		{
			name: "GetSaved", method: "GET", path: "/me/episodes",
			query: url.Values{"limit": {"3"}, "offset": {"1"}, "market": {"US"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Episodes.GetSaved(ctx, &SavedEpisodesOptions{Limit: 3, Offset: 1, Market: "US"})
			},
			respond: `{"href":"h","items":[{"added_at":"2026-05-06T07:08:09Z","episode":` + episodesEpisodeJSON + `}],"limit":3,"next":null,"offset":1,"previous":null,"total":2}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SavedEpisode])
				require.Len(t, p.Items, 1)
				assert.Equal(t, 5, int(p.Items[0].AddedAt.Month()))
				assert.Equal(t, "e1", p.Items[0].Episode.ID)
				assert.Equal(t, "Show", p.Items[0].Episode.Show.Name)
			},
		},
	})
}

func TestEpisodesValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{"Get empty id", func(ctx context.Context, c *Client) error { _, err := c.Episodes.Get(ctx, "", nil); return err }, "spotify: Episodes.Get: id is empty"},
	})
}

func TestEpisodesSamplesDecode(t *testing.T) {
	var e Episode
	assertDecodesWithoutLoss(t, sample(t, "episode.json"), &e)
	assert.NotEmpty(t, e.ID)
}
