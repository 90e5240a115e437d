package spotify

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func episodesExtendedCases() []batchCase {
	return []batchCase{
		{opGetSeveralEpisodes, methodCase{
			name: "GetSeveral", method: "GET", path: "/episodes", query: url.Values{"ids": {"e1,zz"}, "market": {"SE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Episodes.GetSeveral(ctx, []string{"e1", "zz"}, &SeveralEpisodesOptions{Market: "SE"})
			},
			respond: `{"episodes":[` + episodesEpisodeJSON + `,null]}`,
			check: func(t *testing.T, got any) {
				es := got.([]*Episode)
				require.Len(t, es, 2)
				require.NotNil(t, es[0])
				assert.Equal(t, "Episode One", es[0].Name)
				assert.Equal(t, "Show", es[0].Show.Name)
				assert.Nil(t, es[1])
			},
		}},
		{opGetSeveralEpisodes, methodCase{
			name: "GetSeveral without market", method: "GET", path: "/episodes", query: url.Values{"ids": {"e1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Episodes.GetSeveral(ctx, []string{"e1"}, nil)
			},
			respond: `{"episodes":[` + episodesEpisodeJSON + `]}`,
			check: func(t *testing.T, got any) {
				es := got.([]*Episode)
				require.Len(t, es, 1)
				require.NotNil(t, es[0])
				assert.Equal(t, "e1", es[0].ID)
				assert.Equal(t, "Episode One", es[0].Name)
				assert.Equal(t, "s1", es[0].Show.ID)
			},
		}},
		{opCheckSavedEpisodes, methodCase{
			name: "CheckSaved", method: "GET", path: "/me/episodes/contains", query: url.Values{"ids": {"e1,e2"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Episodes.CheckSaved(ctx, []string{"e1", "e2"}, nil)
			},
			respond: `[true,false]`,
			check: func(t *testing.T, got any) {
				assert.Equal(t, []bool{true, false}, got)
			},
		}},
		{opSaveEpisodes, methodCase{
			name: "Save", method: "PUT", path: "/me/episodes", query: url.Values{"ids": {"e1,e2"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Episodes.Save(ctx, []string{"e1", "e2"}, nil)
			},
		}},
		{opRemoveEpisodes, methodCase{
			name: "Remove", method: "DELETE", path: "/me/episodes", query: url.Values{"ids": {"e1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Episodes.Remove(ctx, []string{"e1"}, nil)
			},
		}},
	}
}

func TestEpisodesExtendedMethods(t *testing.T) {
	runBatchCases(t, episodesExtendedCases())
}
