package spotifytest

import (
	"net/http"
	"testing"
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
