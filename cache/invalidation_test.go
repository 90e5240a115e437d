package cache

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPathWithin(t *testing.T) {
	for _, tc := range []struct {
		p, prefix string
		want      bool
	}{
		{"/v1/playlists/x", "/v1/playlists/x", true},
		{"/v1/playlists/x/items", "/v1/playlists/x", true},
		{"/v1/playlists/x/", "/v1/playlists/x", true},
		{"/v1/playlists/x", "/v1/playlists/x/", true},
		{"/v1/playlists/xy", "/v1/playlists/x", false},
		{"/v1/playlists", "/v1/playlists/x", false},
		{"/v1/anything", "/", true},
		{"v1/anything", "/", false},
	} {
		assert.Equal(t, tc.want, pathWithin(tc.p, tc.prefix), "%s within %s", tc.p, tc.prefix)
		segsWithin := func() bool {
			p, prefix := slices.Collect(pathSegments(tc.p)), slices.Collect(pathSegments(tc.prefix))
			return len(prefix) <= len(p) && slices.Equal(p[:len(prefix)], prefix)
		}
		assert.Equal(t, tc.want, segsWithin(), "segments of %s within those of %s", tc.p, tc.prefix)
	}
}

func TestInvalidationDrops(t *testing.T) {
	inv := Invalidation{Path: "/v1/playlists/x/items", Prefixes: []string{"", "/v1/me/tracks"}}
	for p, want := range map[string]bool{
		"/":                         true, // an ancestor
		"/v1/playlists/x":           true,
		"/v1/playlists/x/items":     true,
		"/v1/playlists/x/items/":    true,
		"/v1/playlists/x/items/abc": true, // a descendant
		"/v1/playlists/x/followers": false,
		"/v1/playlists/xy":          false,
		"/v1/me/tracks":             true,
		"/v1/me/tracks/contains":    true,
		"/v1/me":                    false, // a prefix drops no ancestors
		"/v1/me/albums":             false,
	} {
		assert.Equal(t, want, inv.Drops(p), p)
	}
	assert.False(t, Invalidation{}.Drops("/v1/me"), "the zero value drops nothing")
	assert.False(t, Invalidation{Prefixes: []string{""}}.Drops("/v1/me"), "an empty prefix is ignored")
	assert.True(t, Invalidation{Prefixes: []string{"/"}}.Drops("/v1/me"))
}
