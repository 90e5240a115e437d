package spotify

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const showsEpisodeItemJSON = `{"audio_preview_url":null,"description":"Ep","html_description":"","duration_ms":60000,
"explicit":false,"external_urls":{"spotify":"x"},"href":"h","id":"e1","images":[],"is_externally_hosted":false,"is_playable":true,
"languages":["en"],"name":"Episode One","release_date":"2026-04-01","release_date_precision":"day","type":"episode","uri":"spotify:episode:e1"}`

// showsShowJSON is a full show with every field an Extended Quota app gets.
const showsShowJSON = `{"available_markets":["SE","US"],"copyrights":[{"text":"(C) 2026","type":"C"}],"description":"A show",
"html_description":"<p>A show</p>","explicit":false,"external_urls":{"spotify":"x"},"href":"https://api.spotify.com/v1/shows/s1",
"id":"s1","images":[],"is_externally_hosted":false,"languages":["en"],"media_type":"audio","name":"Show","publisher":"Publisher",
"type":"show","uri":"spotify:show:s1","total_episodes":1,
"episodes":{"href":"h","items":[` + showsEpisodeItemJSON + `],"limit":50,"next":null,"offset":0,"previous":null,"total":1}}`

func TestShowsMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: "Get", method: "GET", path: "/shows/s1", query: url.Values{"market": {"SE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Shows.Get(ctx, "s1", &ShowOptions{Market: "SE"})
			},
			respond: showsShowJSON,
			check: func(t *testing.T, got any) {
				s := got.(*Show)
				assert.Equal(t, "Show", s.Name)
				require.NotNil(t, s.Publisher)
				assert.Equal(t, "Publisher", *s.Publisher)
				assert.True(t, s.AvailableMarkets.Contains("SE"))
				require.Len(t, s.Episodes.Items, 1)
				assert.Equal(t, "e1", s.Episodes.Items[0].ID)
				assert.Nil(t, s.Episodes.Items[0].AudioPreviewURL)
			},
		},
		{
			name: "Get Development Mode answer", method: "GET", path: "/shows/s1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Shows.Get(ctx, "s1", nil)
			},
			respond: `{"copyrights":[],"description":"A show","explicit":false,"external_urls":{"spotify":"x"},"href":"h","id":"s1",
"images":[],"languages":["en"],"media_type":"audio","name":"Show","type":"show","uri":"spotify:show:s1","total_episodes":0,
"episodes":{"href":"h","items":[],"limit":50,"next":null,"offset":0,"previous":null,"total":0}}`,
			check: func(t *testing.T, got any) {
				s := got.(*Show)
				assert.Nil(t, s.AvailableMarkets)
				assert.Nil(t, s.Publisher)
				assert.Nil(t, s.IsExternallyHosted)
			},
		},
		{
			name: "GetEpisodes defaults", method: "GET", path: "/shows/s1/episodes",
			query: url.Values{"limit": {"20"}, "offset": {"0"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Shows.GetEpisodes(ctx, "s1", nil)
			},
			respond: `{"href":"h","items":[` + showsEpisodeItemJSON + `],"limit":20,"next":null,"offset":0,"previous":null,"total":1}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedEpisode])
				require.Len(t, p.Items, 1)
				assert.Equal(t, "Episode One", p.Items[0].Name)
			},
		},
		{
			name: "GetEpisodes options", method: "GET", path: "/shows/s1/episodes",
			query: url.Values{"market": {"US"}, "limit": {"7"}, "offset": {"14"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Shows.GetEpisodes(ctx, "s1", &ShowEpisodesOptions{Market: "US", Limit: 7, Offset: 14})
			},
			respond: `{"href":"h","items":[` + showsEpisodeItemJSON + `],"limit":7,"next":null,"offset":14,"previous":"p","total":15}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedEpisode])
				assert.Equal(t, 7, p.Limit)
				assert.Equal(t, 14, p.Offset)
				assert.Equal(t, 15, p.Total)
				require.Len(t, p.Items, 1)
				assert.Equal(t, "e1", p.Items[0].ID)
				assert.Equal(t, "Episode One", p.Items[0].Name)
				assert.Equal(t, 60000, p.Items[0].DurationMS)
				assert.Nil(t, p.Items[0].AudioPreviewURL)
			},
		},
		{
			name: "GetSaved defaults", method: "GET", path: "/me/shows",
			query: url.Values{"limit": {"20"}, "offset": {"0"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Shows.GetSaved(ctx, nil)
			},
			respond: `{"href":"h","items":[{"added_at":"2025-11-30T21:45:00Z","show":{"available_markets":["GB"],"copyrights":[],
"description":"Talk","explicit":true,"external_urls":{"spotify":"x"},"href":"h","id":"s9","images":[],"languages":["en"],
"media_type":"audio","name":"Talk Show","publisher":"Talk Co","type":"show","uri":"spotify:show:s9","total_episodes":250}}],
"limit":20,"next":null,"offset":0,"previous":null,"total":1}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SavedShow])
				assert.Equal(t, 20, p.Limit)
				assert.Equal(t, 1, p.Total)
				require.Len(t, p.Items, 1)
				assert.Equal(t, time.Date(2025, 11, 30, 21, 45, 0, 0, time.UTC), p.Items[0].AddedAt.UTC())
				sh := p.Items[0].Show
				assert.Equal(t, "s9", sh.ID)
				assert.Equal(t, "Talk Show", sh.Name)
				assert.Equal(t, 250, sh.TotalEpisodes)
				assert.True(t, sh.Explicit)
				require.NotNil(t, sh.Publisher)
				assert.Equal(t, "Talk Co", *sh.Publisher)
				assert.True(t, sh.AvailableMarkets.Contains("GB"))
			},
		},
		{
			name: "GetSaved", method: "GET", path: "/me/shows",
			query: url.Values{"limit": {"2"}, "offset": {"4"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Shows.GetSaved(ctx, &SavedShowsOptions{Limit: 2, Offset: 4})
			},
			respond: `{"href":"h","items":[{"added_at":"2026-01-01T00:00:00Z","show":` + episodesShowJSON + `}],"limit":2,"next":null,"offset":4,"previous":null,"total":5}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SavedShow])
				require.Len(t, p.Items, 1)
				assert.Equal(t, "s1", p.Items[0].Show.ID)
				assert.Equal(t, 3, p.Items[0].Show.TotalEpisodes)
				assert.Nil(t, p.Items[0].Show.Publisher)
			},
		},
	})
}

func TestShowsValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{"Get empty id", func(ctx context.Context, c *Client) error { _, err := c.Shows.Get(ctx, "", nil); return err }, "spotify: Shows.Get: id is empty"},
		{"GetEpisodes empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Shows.GetEpisodes(ctx, "\t", nil)
			return err
		}, "spotify: Shows.GetEpisodes: id is empty"},
	})
}

// TestShowsEpisodesPageBound checks that the episodes page inside a show
// walks on with All, through the show-episodes route.
func TestShowsEpisodesPageBound(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/shows/s1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"s1","name":"Show","type":"show","episodes":{"href":"h","items":[` + showsEpisodeItemJSON +
			`],"limit":1,"next":"` + ts.URL + `/v1/shows/s1/episodes?offset=1&limit=1","offset":0,"previous":null,"total":2}}`))
	})
	ts.Mux.HandleFunc("/shows/s1/episodes", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"href":"h","items":[{"id":"e2","name":"Episode Two","type":"episode"}],"limit":1,"next":null,"offset":1,"previous":"p","total":2}`))
	})
	c := newTestClient(t, ts)
	s, err := c.Shows.Get(context.Background(), "s1", nil)
	require.NoError(t, err)
	var ids []string
	for e, err := range s.Episodes.All(context.Background()) {
		require.NoError(t, err)
		ids = append(ids, e.ID)
	}
	assert.Equal(t, []string{"e1", "e2"}, ids)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/shows/s1/episodes", reqs[1].Path)
}

func TestShowsSamplesDecode(t *testing.T) {
	var s Show
	assertDecodesWithoutLoss(t, sample(t, "show.json"), &s)
	assert.NotEmpty(t, s.Episodes.Items)
	assert.NotNil(t, s.AvailableMarkets)
	var p Page[SimplifiedEpisode]
	assertDecodesWithoutLoss(t, sample(t, "show-episodes-page.json"), &p)
	assert.NotEmpty(t, p.Items)
}
