package spotify

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const audiobooksChapterItemJSON = `{"audio_preview_url":null,"available_markets":["SE"],"chapter_number":1,"description":"First",
"html_description":"<p>First</p>","duration_ms":60000.0,"explicit":false,"external_urls":{"spotify":"x"},"href":"h","id":"c1",
"images":[],"is_playable":true,"languages":["en"],"name":"Chapter 1","release_date":"2026-01-01","release_date_precision":"day",
"resume_point":{"fully_played":false,"resume_position_ms":1500},"type":"chapter","uri":"spotify:episode:c1"}`

// audiobooksAudiobookJSON is a full audiobook; {{markets}} and
// {{publisher}} are filled by audiobooksAudiobook.
const audiobooksAudiobookJSON = `{"authors":[{"name":"Author"}],{{markets}}"copyrights":[],"description":"A book",
"html_description":"<p>A book</p>","edition":"Unabridged","explicit":false,"external_urls":{"spotify":"x"},
"href":"https://api.spotify.com/v1/audiobooks/b1","id":"b1","images":[],"languages":["en"],"media_type":"audio","name":"Book",
"narrators":[{"name":"Narrator"}],{{publisher}}"type":"audiobook","uri":"spotify:show:b1","total_chapters":2,
"chapters":{"href":"h","items":[` + audiobooksChapterItemJSON + `],"limit":1,"next":{{next}},"offset":0,"previous":null,"total":2}}`

// audiobooksAudiobook fills the template: dev leaves out the fields
// Development Mode apps lack; next is the chapters page's next link.
func audiobooksAudiobook(dev bool, next string) string {
	markets, publisher := `"available_markets":["SE","US"],`, `"publisher":"Publisher",`
	if dev {
		markets, publisher = "", ""
	}
	if next == "" {
		next = "null"
	} else {
		next = `"` + next + `"`
	}
	return strings.NewReplacer("{{markets}}", markets, "{{publisher}}", publisher, "{{next}}", next).Replace(audiobooksAudiobookJSON)
}

func TestAudiobooksMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: "Get", method: "GET", path: "/audiobooks/b1", query: url.Values{"market": {"SE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Audiobooks.Get(ctx, "b1", &AudiobookOptions{Market: "SE"})
			},
			respond: audiobooksAudiobook(false, ""),
			check: func(t *testing.T, got any) {
				b := got.(*Audiobook)
				assert.Equal(t, "Book", b.Name)
				assert.Equal(t, "Author", b.Authors[0].Name)
				assert.Equal(t, "Narrator", b.Narrators[0].Name)
				assert.True(t, b.AvailableMarkets.Contains("US"))
				require.NotNil(t, b.Publisher)
				assert.Equal(t, "Publisher", *b.Publisher)
				require.Len(t, b.Chapters.Items, 1)
				ch := b.Chapters.Items[0]
				assert.Equal(t, 60000, ch.DurationMS)
				assert.Nil(t, ch.AudioPreviewURL)
				require.NotNil(t, ch.ResumePoint)
				assert.Equal(t, 1500, ch.ResumePoint.ResumePositionMS)
			},
		},
		{
			name: "Get Development Mode answer", method: "GET", path: "/audiobooks/b1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Audiobooks.Get(ctx, "b1", nil)
			},
			respond: audiobooksAudiobook(true, ""),
			check: func(t *testing.T, got any) {
				b := got.(*Audiobook)
				assert.Nil(t, b.AvailableMarkets)
				assert.Nil(t, b.Publisher)
			},
		},
		{
			name: "GetChapters defaults", method: "GET", path: "/audiobooks/b1/chapters",
			query: url.Values{"limit": {"20"}, "offset": {"0"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Audiobooks.GetChapters(ctx, "b1", nil)
			},
			respond: `{"href":"h","items":[` + audiobooksChapterItemJSON + `],"limit":20,"next":null,"offset":0,"previous":null,"total":1}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedChapter])
				require.Len(t, p.Items, 1)
				assert.Equal(t, "c1", p.Items[0].ID)
			},
		},
		{
			name: "GetChapters options", method: "GET", path: "/audiobooks/b1/chapters",
			query: url.Values{"market": {"US"}, "limit": {"50"}, "offset": {"100"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Audiobooks.GetChapters(ctx, "b1", &AudiobookChaptersOptions{Market: "US", Limit: 50, Offset: 100})
			},
			respond: `{"href":"h","items":[` + audiobooksChapterItemJSON + `],"limit":50,"next":null,"offset":100,"previous":"p","total":101}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SimplifiedChapter])
				assert.Equal(t, 50, p.Limit)
				assert.Equal(t, 100, p.Offset)
				assert.Equal(t, 101, p.Total)
				require.Len(t, p.Items, 1)
				ch := p.Items[0]
				assert.Equal(t, "c1", ch.ID)
				assert.Equal(t, 1, ch.ChapterNumber)
				assert.True(t, ch.AvailableMarkets.Contains("SE"))
				require.NotNil(t, ch.IsPlayable)
				assert.True(t, *ch.IsPlayable)
			},
		},
		{
			name: "GetSaved defaults", method: "GET", path: "/me/audiobooks",
			query: url.Values{"limit": {"20"}, "offset": {"0"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Audiobooks.GetSaved(ctx, nil)
			},
			respond: `{"href":"h","items":[{"added_at":"2025-12-24T18:30:00Z","audiobook":` + audiobooksAudiobook(false, "") + `}],"limit":20,"next":null,"offset":0,"previous":null,"total":1}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SavedAudiobook])
				assert.Equal(t, 20, p.Limit)
				assert.Equal(t, 1, p.Total)
				require.Len(t, p.Items, 1)
				assert.Equal(t, time.Date(2025, 12, 24, 18, 30, 0, 0, time.UTC), p.Items[0].AddedAt.UTC())
				b := p.Items[0].Audiobook
				assert.Equal(t, "b1", b.ID)
				assert.Equal(t, "Book", b.Name)
				assert.Equal(t, 2, b.TotalChapters)
				require.NotNil(t, b.Publisher)
				assert.Equal(t, "Publisher", *b.Publisher)
			},
		},
		{
			name: "GetSaved", method: "GET", path: "/me/audiobooks",
			query: url.Values{"limit": {"5"}, "offset": {"10"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Audiobooks.GetSaved(ctx, &SavedAudiobooksOptions{Limit: 5, Offset: 10})
			},
			respond: `{"href":"h","items":[{"added_at":"2026-02-03T04:05:06Z","audiobook":` + audiobooksAudiobook(true, "") + `}],"limit":5,"next":null,"offset":10,"previous":null,"total":11}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[SavedAudiobook])
				require.Len(t, p.Items, 1)
				assert.Equal(t, 2026, p.Items[0].AddedAt.Year())
				assert.Equal(t, "b1", p.Items[0].Audiobook.ID)
				assert.Nil(t, p.Items[0].Audiobook.Publisher)
			},
		},
	})
}

func TestAudiobooksValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{"Get empty id", func(ctx context.Context, c *Client) error { _, err := c.Audiobooks.Get(ctx, "", nil); return err }, "spotify: Audiobooks.Get: id is empty"},
		{"GetChapters empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Audiobooks.GetChapters(ctx, "", nil)
			return err
		}, "spotify: Audiobooks.GetChapters: id is empty"},
	})
}

// TestAudiobooksChaptersPageBound checks that the chapters page inside an
// audiobook walks on with NextPage.
func TestAudiobooksChaptersPageBound(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/audiobooks/b1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(audiobooksAudiobook(false, ts.URL+"/v1/audiobooks/b1/chapters?offset=1&limit=1")))
	})
	ts.Mux.HandleFunc("/audiobooks/b1/chapters", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"href":"h","items":[{"id":"c2","name":"Chapter 2","type":"chapter"}],"limit":1,"next":null,"offset":1,"previous":"p","total":2}`))
	})
	c := newTestClient(t, ts)
	b, err := c.Audiobooks.Get(context.Background(), "b1", nil)
	require.NoError(t, err)
	next, err := b.Chapters.NextPage(context.Background())
	require.NoError(t, err)
	require.Len(t, next.Items, 1)
	assert.Equal(t, "c2", next.Items[0].ID)
	_, err = next.NextPage(context.Background())
	assert.ErrorIs(t, err, ErrNoMorePages)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/audiobooks/b1/chapters", reqs[1].Path)
}

func TestAudiobooksSamplesDecode(t *testing.T) {
	var b Audiobook
	assertDecodesWithoutLoss(t, sample(t, "audiobook.json"), &b)
	assert.NotEmpty(t, b.Chapters.Items)
	assert.NotNil(t, b.Publisher)
	var p Page[SimplifiedChapter]
	assertDecodesWithoutLoss(t, sample(t, "audiobook-chapters-page.json"), &p)
	assert.NotEmpty(t, p.Items)
}
