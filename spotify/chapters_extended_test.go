package spotify

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func chaptersExtendedCases() []batchCase {
	return []batchCase{
		{opGetSeveralChapters, methodCase{
			name: "GetSeveral", method: "GET", path: "/chapters", query: url.Values{"ids": {"c1,c1x"}, "market": {"DE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Chapters.GetSeveral(ctx, []string{"c1", "c1x"}, &SeveralChaptersOptions{Market: "DE"})
			},
			respond: `{"chapters":[` + chaptersChapterJSON + `,null]}`,
			check: func(t *testing.T, got any) {
				cs := got.([]*Chapter)
				require.Len(t, cs, 2)
				require.NotNil(t, cs[0])
				assert.Equal(t, 3, cs[0].ChapterNumber)
				assert.Equal(t, "Book", cs[0].Audiobook.Name)
				assert.Nil(t, cs[1])
			},
		}},
		{opGetSeveralChapters, methodCase{
			name: "GetSeveral without market", method: "GET", path: "/chapters", query: url.Values{"ids": {"c1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Chapters.GetSeveral(ctx, []string{"c1"}, nil)
			},
			respond: `{"chapters":[` + chaptersChapterJSON + `]}`,
			check: func(t *testing.T, got any) {
				cs := got.([]*Chapter)
				require.Len(t, cs, 1)
				require.NotNil(t, cs[0])
				assert.Equal(t, "c1", cs[0].ID)
				assert.Equal(t, "Chapter 3", cs[0].Name)
				assert.Equal(t, "b1", cs[0].Audiobook.ID)
			},
		}},
	}
}

func TestChaptersExtendedMethods(t *testing.T) {
	runBatchCases(t, chaptersExtendedCases())
}
