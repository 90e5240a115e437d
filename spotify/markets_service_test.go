package spotify

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarketsServiceMethods(t *testing.T) {
	runMethodCases(t, []methodCase{{
		name: opGetMarkets.id + " List", method: "GET", path: "/markets",
		respond: `{"markets":["CA","BR","IT"]}`,
		call:    func(ctx context.Context, c *Client) (any, error) { return c.Markets.List(ctx, nil) },
		check: func(t *testing.T, got any) {
			assert.Equal(t, []string{"CA", "BR", "IT"}, got)
		},
	}})
}

// TestMarketsServiceUnwrapped: an answer without the "markets" member is a
// *DecodeError.
func TestMarketsServiceUnwrapped(t *testing.T) {
	_, c := playlistsScript(t, playlistsAnswer{200, `["CA"]`})
	_, err := c.Markets.List(context.Background(), &MarketsOptions{})
	var de *DecodeError
	require.True(t, errors.As(err, &de), "want a *DecodeError, got %v", err)
}
