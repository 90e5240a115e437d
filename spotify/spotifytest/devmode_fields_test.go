package spotifytest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// devRemoved lists, per object type, the fields Spotify removed from
// Development Mode answers in February 2026 (external_ids came back in
// March 2026). album_group appears only in an artist's discography.
var devRemoved = map[string][]string{
	"track":     {"available_markets", "linked_from", "popularity"},
	"album":     {"album_group", "available_markets", "label", "popularity"},
	"artist":    {"followers", "popularity"},
	"show":      {"available_markets", "publisher"},
	"audiobook": {"available_markets", "publisher"},
	"chapter":   {"available_markets"},
}

// fieldCensus walks a decoded answer and counts, per "type.field", the
// objects of each type in devRemoved that carry the field, and per type
// the objects seen. Simplified objects count too.
func fieldCensus(x any, seen map[string]int) {
	switch x := x.(type) {
	case map[string]any:
		if typ, ok := x["type"].(string); ok {
			if fields, ok := devRemoved[typ]; ok {
				seen[typ]++
				for _, f := range fields {
					if _, ok := x[f]; ok {
						seen[typ+"."+f]++
					}
				}
				if _, ok := x["external_ids"]; ok {
					seen[typ+".external_ids"]++
				}
			}
		}
		for _, v := range x {
			fieldCensus(v, seen)
		}
	case []any:
		for _, v := range x {
			fieldCensus(v, seen)
		}
	}
}

// devPaths are answers that between them hold every type of devRemoved,
// full and simplified, through several routes.
func devPaths(t *testing.T, srv *Server) []string {
	ar, al, tr := id(t, srv, KindArtist, 0), id(t, srv, KindAlbum, 0), id(t, srv, KindTrack, 0)
	sh, ep := id(t, srv, KindShow, 0), id(t, srv, KindEpisode, 0)
	ab, ch := id(t, srv, KindAudiobook, 0), id(t, srv, KindChapter, 0)
	return []string{
		"/v1/tracks/" + tr, "/v1/albums/" + al, "/v1/albums/" + al + "/tracks", "/v1/artists/" + ar,
		"/v1/artists/" + ar + "/albums?limit=5", "/v1/shows/" + sh, "/v1/shows/" + sh + "/episodes",
		"/v1/episodes/" + ep, "/v1/audiobooks/" + ab, "/v1/audiobooks/" + ab + "/chapters", "/v1/chapters/" + ch,
		"/v1/search?q=a&type=track,album,artist,show,audiobook,episode&limit=3",
		"/v1/playlists/" + id(t, srv, KindPlaylist, 2), "/v1/playlists/" + id(t, srv, KindPlaylist, 2) + "/items",
		"/v1/me/tracks", "/v1/me/albums", "/v1/me/shows", "/v1/me/audiobooks", "/v1/me/top/artists",
		"/v1/me/following?type=artist",
	}
}

// census fetches paths with tok and returns the census of the answers.
func census(t *testing.T, srv *Server, tok string, paths []string) map[string]int {
	t.Helper()
	seen := map[string]int{}
	for _, p := range paths {
		var x any
		require.NoError(t, json.Unmarshal(mustDo(t, srv, tok, http.MethodGet, p, "", http.StatusOK), &x), p)
		fieldCensus(x, seen)
	}
	return seen
}

func TestDevelopmentModeLeavesOutRemovedFields(t *testing.T) {
	scopes := []string{"user-library-read", "user-follow-read", "user-top-read", "playlist-read-private"}
	ext := start(t)
	dev := start(t, WithDevelopmentMode())
	full := census(t, ext, ext.UserToken(scopes...), devPaths(t, ext))
	cut := census(t, dev, dev.UserToken(scopes...), devPaths(t, dev))

	for typ, fields := range devRemoved {
		require.Positive(t, full[typ], "no %s in the answers", typ)
		assert.Equal(t, full[typ], cut[typ], "%s objects seen in both modes", typ)
		for _, f := range fields {
			assert.Zero(t, cut[typ+"."+f], "Development Mode answers carry %s.%s", typ, f)
		}
	}
	// The Extended Quota answers keep them (linked_from appears only with
	// track relinking, which the emulator does not do).
	for _, key := range []string{
		"track.available_markets", "track.popularity", "album.album_group", "album.available_markets",
		"album.label", "album.popularity", "artist.followers", "artist.popularity",
		"show.available_markets", "show.publisher", "audiobook.available_markets", "audiobook.publisher",
		"chapter.available_markets",
	} {
		assert.Positive(t, full[key], "Extended Quota answers lack %s", key)
	}
	// external_ids stays in both (restored in March 2026).
	for _, typ := range []string{"track", "album"} {
		assert.Positive(t, cut[typ+".external_ids"], "Development Mode answers lack %s.external_ids", typ)
		assert.Equal(t, full[typ+".external_ids"], cut[typ+".external_ids"], typ)
	}
}

// hostless fetches path with an app token and decodes it with srv's URL
// cut from the hrefs, so that two servers' answers compare.
func hostless(t *testing.T, srv *Server, path string) obj {
	t.Helper()
	status, b := fetch(t, srv, srv.Token(), path)
	require.Equal(t, http.StatusOK, status, "GET %s: %s", path, b)
	var o obj
	require.NoError(t, json.Unmarshal(bytes.ReplaceAll(b, []byte(srv.URL), nil), &o))
	return o
}

func TestDevelopmentModeKeepsOtherFields(t *testing.T) {
	ext, dev := start(t), start(t, WithDevelopmentMode())
	path := "/v1/albums/" + id(t, ext, KindAlbum, 1)
	full, cut := hostless(t, ext, path), hostless(t, dev, path)
	for k, v := range full {
		switch k {
		case "available_markets", "label", "popularity":
			assert.NotContains(t, cut, k)
		case "tracks":
			// Simplified tracks lose available_markets; the rest is equal.
			for i, tr := range items(t, v.(obj)) {
				want := tr.(obj)
				delete(want, "available_markets")
				assert.Equal(t, want, items(t, cut["tracks"].(obj))[i])
			}
		default:
			assert.Equal(t, v, cut[k], "field %s", k)
		}
	}
	// With a market, tracks answer is_playable in both modes.
	tr := "/v1/tracks/" + id(t, ext, KindTrack, 1) + "?market=US"
	assert.Equal(t, getObj(t, ext, tr)["is_playable"], getObj(t, dev, tr)["is_playable"])
}

func TestDevelopmentModeMe(t *testing.T) {
	scopes := []string{"user-read-private", "user-read-email"}
	for _, tc := range []struct {
		mode Option
		has  bool
	}{{WithExtendedQuotaMode(), true}, {WithDevelopmentMode(), false}} {
		srv := start(t, tc.mode)
		me := getMe(t, srv, srv.UserToken(scopes...), "/v1/me")
		for _, f := range []string{"country", "email", "explicit_content", "followers", "product"} {
			_, ok := me[f]
			assert.Equal(t, tc.has, ok, "%v: /me field %s", srv.Mode(), f)
		}
		for _, f := range []string{"display_name", "id", "images", "uri", "account_id"} {
			assert.Contains(t, me, f, "%v", srv.Mode())
		}
	}
}
