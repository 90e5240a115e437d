package spotify

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chaptersChapterJSON is a chapter as a Development Mode app gets it: no
// available_markets, and no publisher on its audiobook.
const chaptersChapterJSON = `{"audio_preview_url":"https://p.scdn.co/mp3-preview/c1","chapter_number":3,"description":"Third",
"html_description":"","duration_ms":90000,"explicit":true,"external_urls":{"spotify":"x"},"href":"h","id":"c1","images":[],
"is_playable":false,"languages":["de"],"name":"Chapter 3","release_date":"2026","release_date_precision":"year",
"restrictions":{"reason":"market"},"type":"chapter","uri":"spotify:episode:c1",
"audiobook":{"authors":[{"name":"Author"}],"copyrights":[{"text":"(P) 2026","type":"P"}],"description":"Book","explicit":false,
 "external_urls":{"spotify":"x"},"href":"h","id":"b1","images":[],"languages":["de"],"media_type":"audio","name":"Book",
 "narrators":[],"type":"audiobook","uri":"spotify:show:b1","total_chapters":10}}`

func TestChaptersMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: "Get", method: "GET", path: "/chapters/c1", query: url.Values{"market": {"DE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Chapters.Get(ctx, "c1", &ChapterOptions{Market: "DE"})
			},
			respond: chaptersChapterJSON,
			check: func(t *testing.T, got any) {
				ch := got.(*Chapter)
				assert.Equal(t, 3, ch.ChapterNumber)
				require.NotNil(t, ch.AudioPreviewURL)
				require.NotNil(t, ch.IsPlayable)
				assert.False(t, *ch.IsPlayable)
				require.NotNil(t, ch.Restrictions)
				assert.Equal(t, "market", ch.Restrictions.Reason)
				assert.Nil(t, ch.AvailableMarkets, "Development Mode: no available_markets")
				assert.Nil(t, ch.ResumePoint)
				assert.Equal(t, "b1", ch.Audiobook.ID)
				assert.Equal(t, 10, ch.Audiobook.TotalChapters)
				assert.Nil(t, ch.Audiobook.Publisher, "Development Mode: no publisher")
				assert.Nil(t, ch.Audiobook.AvailableMarkets)
			},
		},
		{
			name: "Get without market", method: "GET", path: "/chapters/c1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Chapters.Get(ctx, "c1", nil)
			},
			respond: chaptersChapterJSON,
			check: func(t *testing.T, got any) {
				ch := got.(*Chapter)
				assert.Equal(t, "c1", ch.ID)
				assert.Equal(t, "Chapter 3", ch.Name)
				assert.Equal(t, 90000, ch.DurationMS)
				assert.True(t, ch.Explicit)
				assert.Equal(t, []string{"de"}, ch.Languages)
				assert.Equal(t, "Book", ch.Audiobook.Name)
				require.Len(t, ch.Audiobook.Copyrights, 1)
				assert.Equal(t, "(P) 2026", ch.Audiobook.Copyrights[0].Text)
			},
		},
	})
}

func TestChaptersValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{"Get empty id", func(ctx context.Context, c *Client) error { _, err := c.Chapters.Get(ctx, "", nil); return err }, "spotify: Chapters.Get: id is empty"},
	})
}

func TestChaptersSamplesDecode(t *testing.T) {
	var ch Chapter
	assertDecodesWithoutLoss(t, sample(t, "chapter.json"), &ch)
	assert.NotEmpty(t, ch.Audiobook.ID)
}
