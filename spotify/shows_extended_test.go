package spotify

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func showsExtendedCases() []batchCase {
	return []batchCase{
		{opGetSeveralShows, methodCase{
			name: "GetSeveral", method: "GET", path: "/shows", query: url.Values{"ids": {"s1,zz"}, "market": {"SE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Shows.GetSeveral(ctx, []string{"s1", "zz"}, &SeveralShowsOptions{Market: "SE"})
			},
			respond: `{"shows":[` + episodesShowJSON + `,null]}`,
			check: func(t *testing.T, got any) {
				ss := got.([]*SimplifiedShow)
				require.Len(t, ss, 2)
				require.NotNil(t, ss[0])
				assert.Equal(t, "Show", ss[0].Name)
				assert.Equal(t, 3, ss[0].TotalEpisodes)
				assert.Nil(t, ss[1])
			},
		}},
		{opGetSeveralShows, methodCase{
			name: "GetSeveral without market", method: "GET", path: "/shows", query: url.Values{"ids": {"s1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Shows.GetSeveral(ctx, []string{"s1"}, nil)
			},
			respond: `{"shows":[` + episodesShowJSON + `]}`,
			check: func(t *testing.T, got any) {
				ss := got.([]*SimplifiedShow)
				require.Len(t, ss, 1)
				require.NotNil(t, ss[0])
				assert.Equal(t, "s1", ss[0].ID)
				assert.Equal(t, "Show", ss[0].Name)
				assert.Equal(t, 3, ss[0].TotalEpisodes)
			},
		}},
		{opCheckSavedShows, methodCase{
			name: "CheckSaved", method: "GET", path: "/me/shows/contains", query: url.Values{"ids": {"s1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Shows.CheckSaved(ctx, []string{"s1"}, nil)
			},
			respond: `[true]`,
			check: func(t *testing.T, got any) {
				assert.Equal(t, []bool{true}, got)
			},
		}},
		{opSaveShows, methodCase{
			name: "Save", method: "PUT", path: "/me/shows", query: url.Values{"ids": {"s1,s2"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Shows.Save(ctx, []string{"s1", "s2"}, nil)
			},
		}},
		{opRemoveShows, methodCase{
			name: "Remove", method: "DELETE", path: "/me/shows", query: url.Values{"ids": {"s1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Shows.Remove(ctx, []string{"s1"}, nil)
			},
		}},
		{opRemoveShows, methodCase{
			name: "Remove with market", method: "DELETE", path: "/me/shows", query: url.Values{"ids": {"s1"}, "market": {"SE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Shows.Remove(ctx, []string{"s1"}, &ShowLibraryOptions{Market: "SE"})
			},
		}},
	}
}

func TestShowsExtendedMethods(t *testing.T) {
	runBatchCases(t, showsExtendedCases())
}
