package spotify

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/transport"
)

func TestNewRequestNamesTheOperation(t *testing.T) {
	c, err := NewClient(WithAccessToken("tok"), WithBaseURL("https://api.example.com/v1/"))
	require.NoError(t, err)
	defer c.Close()
	for _, tc := range []struct {
		method, path, route string
		idempotent          bool
	}{
		{http.MethodGet, "albums/4aawyAB9vmqN3uQ7FjRGTy", "/albums/{id}", true},
		{http.MethodGet, "albums/a%2Fb", "/albums/{id}", true}, // an escaped slash is one segment
		{http.MethodGet, "/albums/4aawyAB9vmqN3uQ7FjRGTy/tracks", "/albums/{id}/tracks", true},
		{http.MethodGet, "me/player/recently-played", "/me/player/recently-played", true},
		{http.MethodGet, "browse/categories/toplists", "/browse/categories/{category_id}", true},
		{http.MethodPost, "playlists/p1/items", "/playlists/{playlist_id}/items", false},
		// The registry knows a reorder is not safe to replay, whatever its method.
		{http.MethodPut, "playlists/p1/items", "/playlists/{playlist_id}/items", false},
		{http.MethodGet, "https://api.example.com/v1/me", "/me", true},
		// Unknown to the registry: no route, the method's rule.
		{http.MethodPut, "me/custom", "", true},
		{http.MethodPost, "me/custom", "", false},
		{http.MethodGet, "albums//tracks", "", true},
		{http.MethodDelete, "albums/x", "", true},
	} {
		req, err := c.NewRequest(context.Background(), tc.method, tc.path, nil)
		require.NoError(t, err, tc.path)
		assert.Equal(t, tc.route, transport.CallFrom(req.Context()).Route(), "%s %s", tc.method, tc.path)
		assert.Equal(t, tc.idempotent, transport.Idempotent(req), "%s %s", tc.method, tc.path)
	}
}

func TestDoNamesTheOperationInErrors(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("GET /albums/a1", coreScript(`{}`, http.StatusNotFound))
	c := coreClient(t, ts, WithAccessToken("tok"), WithMaxRetries(0))

	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, ts.URL+"/v1/albums/a1", nil)
	require.NoError(t, err)
	err = c.Do(req, nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "/albums/{id}", e.Route)
	assert.ErrorIs(t, err, ErrNotFound)
}
