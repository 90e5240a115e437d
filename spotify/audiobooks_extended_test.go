package spotify

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func audiobooksExtendedCases() []batchCase {
	return []batchCase{
		{opGetSeveralAudiobooks, methodCase{
			name: "GetSeveral", method: "GET", path: "/audiobooks", query: url.Values{"ids": {"b1,zz"}, "market": {"US"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Audiobooks.GetSeveral(ctx, []string{"b1", "zz"}, &SeveralAudiobooksOptions{Market: "US"})
			},
			respond: `{"audiobooks":[` + audiobooksAudiobook(false, "null") + `,null]}`,
			check: func(t *testing.T, got any) {
				bs := got.([]*Audiobook)
				require.Len(t, bs, 2)
				require.NotNil(t, bs[0])
				assert.Equal(t, "Book", bs[0].Name)
				require.NotNil(t, bs[0].Publisher)
				assert.Equal(t, opGetAudiobookChap, bs[0].Chapters.pager.op, "the chapters page is bound")
				assert.Nil(t, bs[1], "an unavailable audiobook is null")
			},
		}},
		{opGetSeveralAudiobooks, methodCase{
			name: "GetSeveral without market", method: "GET", path: "/audiobooks", query: url.Values{"ids": {"b1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Audiobooks.GetSeveral(ctx, []string{"b1"}, nil)
			},
			respond: `{"audiobooks":[` + audiobooksAudiobook(true, "null") + `]}`,
			check: func(t *testing.T, got any) {
				assert.Nil(t, got.([]*Audiobook)[0].Publisher, "a Development Mode shape")
			},
		}},
		{opCheckSavedAudiobooks, methodCase{
			name: "CheckSaved", method: "GET", path: "/me/audiobooks/contains", query: url.Values{"ids": {"b1,b2"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Audiobooks.CheckSaved(ctx, []string{"b1", "b2"}, nil)
			},
			respond: `[true,true]`,
			check: func(t *testing.T, got any) {
				assert.Equal(t, []bool{true, true}, got)
			},
		}},
		{opSaveAudiobooks, methodCase{
			name: "Save", method: "PUT", path: "/me/audiobooks", query: url.Values{"ids": {"b1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Audiobooks.Save(ctx, []string{"b1"}, nil)
			},
		}},
		{opRemoveAudiobooks, methodCase{
			name: "Remove", method: "DELETE", path: "/me/audiobooks", query: url.Values{"ids": {"b1,b2"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Audiobooks.Remove(ctx, []string{"b1", "b2"}, nil)
			},
		}},
	}
}

func TestAudiobooksExtendedMethods(t *testing.T) {
	runBatchCases(t, audiobooksExtendedCases())
}
