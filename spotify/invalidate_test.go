package spotify

// Tests of the paths a write invalidates in the cache (invalidate.go).

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCoreInvalidateRelated(t *testing.T) {
	ts := newTestServer(t)
	c := coreClient(t, ts, WithAccessToken("tok"))
	paths := func(p string) []string {
		req, err := http.NewRequest(http.MethodPut, ts.URL+"/v1"+p, nil)
		require.NoError(t, err)
		return c.fam.invalidateRelated(req)
	}
	lib := paths("/me/library")
	assert.Contains(t, lib, "/v1/me/tracks")
	assert.Contains(t, lib, "/v1/me/albums")
	assert.Contains(t, lib, "/v1/me/following")
	assert.Equal(t, lib, paths("/me/tracks"))
	assert.Equal(t, lib, paths("/me/following"))
	assert.Equal(t, []string{"/v1/me/playlists"}, paths("/playlists/p1/items"))
	assert.Equal(t, []string{"/v1/me/playlists"}, paths("/me/playlists"))
	assert.Equal(t, []string{"/v1/me/player"}, paths("/me/player/play"))
	assert.Empty(t, paths("/albums/a1"))
	assert.Empty(t, paths("/me/libraryx"))
	assert.Empty(t, paths("/me/tracksx"), "a sibling path is not the library")
	assert.Equal(t, lib, paths("/me/library/contains"))
}
