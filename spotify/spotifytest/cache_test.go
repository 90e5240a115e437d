package spotifytest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestETagPlaylist(t *testing.T) {
	srv := start(t)
	tok := srv.Token()
	pl := id(t, srv, KindPlaylist, 2)
	for _, path := range []string{"/v1/playlists/" + pl, "/v1/playlists/" + pl + "/items?limit=5"} {
		status, body, h := do(t, srv, tok, http.MethodGet, path, "")
		tag := h.Get("ETag")
		if status != http.StatusOK || tag == "" || len(tag) < 3 || tag[0] != '"' {
			t.Fatalf("GET %s: status %d ETag %q", path, status, tag)
		}
		if cc := h.Get("Cache-Control"); cc != "private, max-age=0" {
			t.Fatalf("GET %s: Cache-Control %q", path, cc)
		}
		// Deterministic: the same answer has the same tag.
		if _, body2, h2 := do(t, srv, tok, http.MethodGet, path, ""); h2.Get("ETag") != tag || string(body2) != string(body) {
			t.Fatalf("GET %s: tag %q then %q", path, tag, h2.Get("ETag"))
		}
		for _, inm := range []string{tag, "W/" + tag, `"x", ` + tag, "*"} {
			status, b, h := do(t, srv, tok, http.MethodGet, path, "", "If-None-Match", inm)
			if status != http.StatusNotModified || len(b) != 0 || h.Get("ETag") != tag {
				t.Fatalf("GET %s If-None-Match %s: status %d body %d bytes ETag %q", path, inm, status, len(b), h.Get("ETag"))
			}
		}
		if status, _, _ := do(t, srv, tok, http.MethodGet, path, "", "If-None-Match", `"other"`); status != http.StatusOK {
			t.Fatalf("GET %s with a stale tag: status %d", path, status)
		}
	}
	// Another playlist, another tag.
	_, _, h1 := do(t, srv, tok, http.MethodGet, "/v1/playlists/"+id(t, srv, KindPlaylist, 3), "")
	_, _, h2 := do(t, srv, tok, http.MethodGet, "/v1/playlists/"+pl, "")
	if h1.Get("ETag") == h2.Get("ETag") {
		t.Fatal("two playlists share an ETag")
	}
	// Catalogue answers carry no validator (cache.go).
	if _, _, h := do(t, srv, tok, http.MethodGet, "/v1/albums/"+id(t, srv, KindAlbum, 0), ""); h.Get("ETag") != "" || h.Get("Cache-Control") != "" {
		t.Fatalf("album: ETag %q Cache-Control %q", h.Get("ETag"), h.Get("Cache-Control"))
	}
}

func TestETagChangesWithLibraryWrite(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	_, _, h := do(t, srv, tok, http.MethodGet, "/v1/me/tracks?limit=5", "")
	tag := h.Get("ETag")
	if status, _, _ := do(t, srv, tok, http.MethodGet, "/v1/me/tracks?limit=5", "", "If-None-Match", tag); status != http.StatusNotModified {
		t.Fatalf("unchanged saved tracks: status %d, want 304", status)
	}
	tr := unsaved(t, srv, tok, KindTrack, "track")
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/library?uris=spotify:track:"+tr, "", http.StatusOK)
	status, _, h2 := do(t, srv, tok, http.MethodGet, "/v1/me/tracks?limit=5", "", "If-None-Match", tag)
	if status != http.StatusOK || h2.Get("ETag") == tag {
		t.Fatalf("after a save: status %d ETag %q (was %q), want 200 and a new tag", status, h2.Get("ETag"), tag)
	}
}

func TestETagChangesWithEachPlaylistWrite(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(append(writeScopes, "ugc-image-upload")...)
	pid := createPlaylist(t, srv, tok, "Tagged")
	base := "/v1/playlists/" + pid
	uris := trackURIs(t, srv, 4)
	jpegType := []string{"Content-Type", "image/jpeg"}

	writes := []struct {
		name, method, path, body string
		hdr                      []string
		status                   int
		items, images            bool // whether the write changes the entries, the images
	}{
		{"add", http.MethodPost, base + "/items?uris=" + strings.Join(uris[:3], ","), "", nil, http.StatusCreated, true, false},
		{"reorder", http.MethodPut, base + "/items", `{"range_start":0,"insert_before":3}`, nil, http.StatusOK, true, false},
		{"replace", http.MethodPut, base + "/tracks?uris=" + uris[3] + "," + uris[0], "", nil, http.StatusOK, true, false},
		{"remove", http.MethodDelete, base + "/items", `{"items":[{"uri":"` + uris[3] + `"}]}`, nil, http.StatusOK, true, false},
		{"details", http.MethodPut, base, `{"description":"now with words"}`, nil, http.StatusOK, false, false},
		{"image upload", http.MethodPut, base + "/images", jpegOf(t, 6), jpegType, http.StatusAccepted, false, true},
	}
	// Each write changes the playlist's answer, and its entries' or its
	// images' when it touches them.
	paths := []string{base, base + "/items", base + "/images"}
	tags := map[string]string{}
	for _, p := range paths {
		_, _, h := do(t, srv, tok, http.MethodGet, p, "")
		tags[p] = h.Get("ETag")
		require.NotEmpty(t, tags[p], "GET %s has no ETag", p)
	}
	seen := map[string]bool{tags[base]: true}
	for _, w := range writes {
		status, b, _ := do(t, srv, tok, w.method, w.path, w.body, w.hdr...)
		require.Equal(t, w.status, status, "%s: %s", w.name, b)

		stale := tags[base]
		status, body, h := do(t, srv, tok, http.MethodGet, base, "", "If-None-Match", stale)
		assert.Equal(t, http.StatusOK, status, "after %s a stale tag gets the new answer", w.name)
		assert.NotEmpty(t, body, w.name)
		tag := h.Get("ETag")
		assert.NotEqual(t, stale, tag, "after %s", w.name)
		assert.False(t, seen[tag], "after %s the tag %s repeats", w.name, tag)
		seen[tag] = true
		tags[base] = tag
		status, _, _ = do(t, srv, tok, http.MethodGet, base, "", "If-None-Match", tag)
		assert.Equal(t, http.StatusNotModified, status, "after %s the new tag validates", w.name)

		// The sub-resources change with the writes that touch them.
		for p, want := range map[string]bool{base + "/items": w.items, base + "/images": w.images} {
			wantStatus := http.StatusNotModified
			if want {
				wantStatus = http.StatusOK
			}
			status, _, h := do(t, srv, tok, http.MethodGet, p, "", "If-None-Match", tags[p])
			assert.Equal(t, wantStatus, status, "after %s, GET %s with the tag from before", w.name, p)
			assert.Equal(t, want, h.Get("ETag") != tags[p], "after %s, whether the ETag of %s changed", w.name, p)
			tags[p] = h.Get("ETag")
		}
	}
}
