package spotifytest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// do sends method path (relative to srv.URL) with the bearer tok and an
// optional JSON body, and returns the status, body and headers.
func do(t testing.TB, srv *Server, tok, method, path, body string, hdr ...string) (int, []byte, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

// mustDo sends a request and checks its status.
func mustDo(t testing.TB, srv *Server, tok, method, path, body string, want int) []byte {
	t.Helper()
	status, b, _ := do(t, srv, tok, method, path, body)
	if status != want {
		t.Fatalf("%s %s: status %d, want %d; body %.300s", method, path, status, want, b)
	}
	return b
}

// writeScopes are the scopes of the library tests.
var writeScopes = []string{
	"user-library-read", "user-library-modify", "user-follow-read", "user-follow-modify",
	"playlist-read-private", "playlist-modify-private", "playlist-modify-public",
}

// bools decodes a contains answer.
func containsOf(t testing.TB, srv *Server, tok, path string) []bool {
	t.Helper()
	var out []bool
	if err := json.Unmarshal(mustDo(t, srv, tok, http.MethodGet, path, "", http.StatusOK), &out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return out
}

// unsaved returns the id of an item of kind k the login user does not hold
// (per GET /me/library/contains).
func unsaved(t testing.TB, srv *Server, tok string, k Kind, uriKind string) string {
	t.Helper()
	for _, id := range srv.Catalog().IDs(k, 200) {
		if !containsOf(t, srv, tok, "/v1/me/library/contains?uris=spotify:"+uriKind+":"+id)[0] {
			return id
		}
	}
	t.Fatalf("every %s saved", k)
	return ""
}

// firstSaved returns the first item id and added_at of a saved page, and
// its total.
func firstSaved(t testing.TB, srv *Server, tok, path, key string) (string, string, int) {
	t.Helper()
	p := getMe(t, srv, tok, path+"?limit=1")
	it := items(t, p)
	if len(it) == 0 {
		return "", "", num(p, "total")
	}
	e := it[0].(obj)
	return e[key].(obj)["id"].(string), e["added_at"].(string), num(p, "total")
}

func TestLibraryWriteTracksBothRoutes(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	user := srv.LoginUser()
	_, _, total0 := firstSaved(t, srv, tok, "/v1/me/tracks", "track")

	tr := unsaved(t, srv, tok, KindTrack, "track")
	uri := "spotify:track:" + tr
	if b := mustDo(t, srv, tok, http.MethodPut, "/v1/me/library?uris="+uri, "", http.StatusOK); len(b) != 0 {
		t.Fatalf("PUT /me/library: body %q, want empty", b)
	}
	if got := containsOf(t, srv, tok, "/v1/me/tracks/contains?ids="+tr); !got[0] {
		t.Fatal("old contains does not see the 2026 save")
	}
	if got := containsOf(t, srv, tok, "/v1/me/library/contains?uris="+uri); !got[0] {
		t.Fatal("library contains does not see the save")
	}
	first, at, total := firstSaved(t, srv, tok, "/v1/me/tracks", "track")
	if first != tr || total != total0+1 || at == "" {
		t.Fatalf("saved tracks first %s total %d at %q, want %s, %d", first, total, at, tr, total0+1)
	}
	if a, w := srv.Applied(user, uri), srv.Writes(user, uri); a != 1 || w != 1 {
		t.Fatalf("applied %d writes %d, want 1 1", a, w)
	}

	// The old route saves again: idempotent, not applied twice.
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/tracks?ids="+tr, "", http.StatusOK)
	if a, w := srv.Applied(user, uri), srv.Writes(user, uri); a != 1 || w != 2 {
		t.Fatalf("after a repeated save: applied %d writes %d, want 1 2", a, w)
	}
	if _, _, total := firstSaved(t, srv, tok, "/v1/me/tracks", "track"); total != total0+1 {
		t.Fatalf("total %d after a repeated save, want %d", total, total0+1)
	}

	// Remove it with the old route: the 2026 contains sees it.
	mustDo(t, srv, tok, http.MethodDelete, "/v1/me/tracks?ids="+tr, "", http.StatusOK)
	if got := containsOf(t, srv, tok, "/v1/me/library/contains?uris="+uri); got[0] {
		t.Fatal("library contains still sees the removed track")
	}
	if a := srv.Applied(user, uri); a != 2 {
		t.Fatalf("applied %d after the removal, want 2", a)
	}
	if _, _, total := firstSaved(t, srv, tok, "/v1/me/tracks", "track"); total != total0 {
		t.Fatalf("total %d after the removal, want %d", total, total0)
	}

	// A generated saved track removed through /me/library leaves the pages.
	gen, _, _ := firstSaved(t, srv, tok, "/v1/me/tracks", "track")
	mustDo(t, srv, tok, http.MethodDelete, "/v1/me/library?uris=spotify:track:"+gen, "", http.StatusOK)
	ids, _, total := walkPages(t, srv, tok, "/v1/me/tracks?limit=50", "track")
	if total != total0-1 || len(ids) != total {
		t.Fatalf("after removing a generated track: total %d, %d ids, want %d", total, len(ids), total0-1)
	}
	for _, id := range ids {
		if id == gen {
			t.Fatal("removed track still listed")
		}
	}

	// PUT /me/tracks with a JSON body.
	tr2 := unsaved(t, srv, tok, KindTrack, "track")
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/tracks", `{"ids":["`+tr2+`"]}`, http.StatusOK)
	if first, _, _ := firstSaved(t, srv, tok, "/v1/me/tracks", "track"); first != tr2 {
		t.Fatalf("first saved %s after a body save, want %s", first, tr2)
	}
}

func TestLibraryWriteKinds(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	for _, c := range []struct {
		k              Kind
		uriKind, route string
		key            string
	}{
		{KindAlbum, "album", "albums", "album"},
		{KindEpisode, "episode", "episodes", "episode"},
		{KindShow, "show", "shows", "show"},
		{KindAudiobook, "show", "audiobooks", "audiobook"},
	} {
		id := unsaved(t, srv, tok, c.k, c.uriKind)
		mustDo(t, srv, tok, http.MethodPut, "/v1/me/"+c.route+"?ids="+id, "", http.StatusOK)
		if got := containsOf(t, srv, tok, "/v1/me/library/contains?uris=spotify:"+c.uriKind+":"+id); !got[0] {
			t.Fatalf("%s: library contains does not see the old route's save", c.k)
		}
		if first, _, _ := firstSaved(t, srv, tok, "/v1/me/"+c.route, c.key); first != id {
			t.Fatalf("%s: first saved %s, want %s", c.k, first, id)
		}
		mustDo(t, srv, tok, http.MethodDelete, "/v1/me/library?uris=spotify:"+c.uriKind+":"+id, "", http.StatusOK)
		if got := containsOf(t, srv, tok, "/v1/me/"+c.route+"/contains?ids="+id); got[0] {
			t.Fatalf("%s: old contains still sees the removed item", c.k)
		}
	}
}

func TestLibraryWriteFollows(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	user := srv.LoginUser()
	total0 := num(getMe(t, srv, tok, "/v1/me/following?type=artist&limit=1")["artists"].(obj), "total")
	ar := unsaved(t, srv, tok, KindArtist, "artist")
	if b := mustDo(t, srv, tok, http.MethodPut, "/v1/me/following?type=artist&ids="+ar, "", http.StatusNoContent); len(b) != 0 {
		t.Fatalf("PUT /me/following: body %q", b)
	}
	if got := containsOf(t, srv, tok, "/v1/me/following/contains?type=artist&ids="+ar); !got[0] {
		t.Fatal("following contains does not see the follow")
	}
	fol := getMe(t, srv, tok, "/v1/me/following?type=artist&limit=1")["artists"].(obj)
	if got := items(t, fol)[0].(obj)["id"]; got != ar || num(fol, "total") != total0+1 {
		t.Fatalf("followed artists: first %v total %d, want %s %d", got, num(fol, "total"), ar, total0+1)
	}
	if got := containsOf(t, srv, tok, "/v1/me/library/contains?uris=spotify:artist:"+ar); !got[0] {
		t.Fatal("library contains does not see the follow")
	}
	mustDo(t, srv, tok, http.MethodDelete, "/v1/me/library?uris=spotify:artist:"+ar, "", http.StatusOK)
	if got := containsOf(t, srv, tok, "/v1/me/following/contains?type=artist&ids="+ar); got[0] {
		t.Fatal("following contains still sees the unfollowed artist")
	}
	if a := srv.Applied(user, "spotify:artist:"+ar); a != 2 {
		t.Fatalf("applied %d, want 2", a)
	}

	// Users: follow through the 2026 route, unfollow through the old one.
	var other string
	for _, id := range srv.Catalog().IDs(KindUser, 50) {
		if id != user && !containsOf(t, srv, tok, "/v1/me/following/contains?type=user&ids="+id)[0] {
			other = id
			break
		}
	}
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/library?uris=spotify:user:"+other, "", http.StatusOK)
	if got := containsOf(t, srv, tok, "/v1/me/following/contains?type=user&ids="+other); !got[0] {
		t.Fatal("user follow not seen")
	}
	mustDo(t, srv, tok, http.MethodDelete, "/v1/me/following?type=user", `{"ids":["`+other+`"]}`, http.StatusNoContent)
	if got := containsOf(t, srv, tok, "/v1/me/library/contains?uris=spotify:user:"+other); got[0] {
		t.Fatal("user unfollow not seen")
	}

	// Playlists: follow one the user does not own.
	pl := unsaved(t, srv, tok, KindPlaylist, "playlist")
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/library?uris=spotify:playlist:"+pl, "", http.StatusOK)
	if got := containsOf(t, srv, tok, "/v1/me/library/contains?uris=spotify:playlist:"+pl); !got[0] {
		t.Fatal("playlist follow not seen")
	}
	if got := containsOf(t, srv, tok, "/v1/playlists/"+pl+"/followers/contains"); !got[0] {
		t.Fatal("followers/contains does not see the library follow")
	}
	mustDo(t, srv, tok, http.MethodDelete, "/v1/playlists/"+pl+"/followers", "", http.StatusOK)
	if got := containsOf(t, srv, tok, "/v1/me/library/contains?uris=spotify:playlist:"+pl); got[0] {
		t.Fatal("playlist unfollow not seen")
	}
	mustDo(t, srv, tok, http.MethodPut, "/v1/playlists/"+pl+"/followers", "", http.StatusOK)
	if a, w := srv.Applied(user, "spotify:playlist:"+pl), srv.Writes(user, "spotify:playlist:"+pl); a != 3 || w != 3 {
		t.Fatalf("playlist applied %d writes %d, want 3 3", a, w)
	}
}

func TestLibraryWriteErrors(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	uris := make([]string, 41)
	for i, id := range srv.Catalog().IDs(KindTrack, 41) {
		uris[i] = "spotify:track:" + id
	}
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/library?uris="+strings.Join(uris, ","), "", http.StatusBadRequest)
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/library?uris="+strings.Join(uris[:40], ","), "", http.StatusOK)
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/library", "", http.StatusBadRequest)
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/library?uris=spotify:chapter:"+id(t, srv, KindChapter, 0), "", http.StatusBadRequest)
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/tracks?ids=nope!", "", http.StatusBadRequest)
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/following?ids="+id(t, srv, KindArtist, 0), "", http.StatusBadRequest)

	read := srv.UserToken("user-library-read")
	mustDo(t, srv, read, http.MethodPut, "/v1/me/library?uris="+uris[0], "", http.StatusForbidden)
	mustDo(t, srv, read, http.MethodPut, "/v1/me/tracks?ids="+id(t, srv, KindTrack, 0), "", http.StatusForbidden)
	mustDo(t, srv, srv.Token(), http.MethodPut, "/v1/me/library?uris="+uris[0], "", http.StatusUnauthorized)
}

func TestLibraryWriteDevelopmentMode(t *testing.T) {
	srv := start(t, WithDevelopmentMode())
	tok := srv.UserToken(writeScopes...)
	tr := id(t, srv, KindTrack, 0)
	for _, p := range []string{
		"/v1/me/tracks?ids=" + tr, "/v1/me/albums?ids=" + id(t, srv, KindAlbum, 0),
		"/v1/me/episodes?ids=" + id(t, srv, KindEpisode, 0), "/v1/me/shows?ids=" + id(t, srv, KindShow, 0),
		"/v1/me/audiobooks?ids=" + id(t, srv, KindAudiobook, 0),
		"/v1/me/following?type=artist&ids=" + id(t, srv, KindArtist, 0),
	} {
		for _, m := range []string{http.MethodPut, http.MethodDelete} {
			mustDo(t, srv, tok, m, p, "", http.StatusForbidden)
		}
	}
	if w := srv.Writes(srv.LoginUser(), "spotify:track:"+tr); w != 0 {
		t.Fatalf("a 403 write counted: %d", w)
	}
	mustDo(t, srv, tok, http.MethodPut, "/v1/me/library?uris=spotify:track:"+tr, "", http.StatusOK)
	if got := containsOf(t, srv, tok, "/v1/me/library/contains?uris=spotify:track:"+tr); !got[0] {
		t.Fatal("Development Mode library save not seen")
	}
}

// TestLibraryConcurrentSavesApplyOnce sends the same save from many
// goroutines: every request counts as a write, exactly one is applied.
func TestLibraryConcurrentSavesApplyOnce(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	tr := unsaved(t, srv, tok, KindTrack, "track")
	uri := "spotify:track:" + tr
	const n = 20
	errs := make(chan error, n)
	for i := range n {
		go func() {
			path := "/v1/me/library?uris=" + uri
			if i%2 == 1 {
				path = "/v1/me/tracks?ids=" + tr
			}
			req, _ := http.NewRequest(http.MethodPut, srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("PUT %s: %s", path, resp.Status)
				}
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	user := srv.LoginUser()
	if a, w := srv.Applied(user, uri), srv.Writes(user, uri); a != 1 || w != n {
		t.Fatalf("applied %d writes %d, want 1 %d", a, w, n)
	}
	ids, _, _ := walkPages(t, srv, tok, "/v1/me/tracks?limit=50", "track")
	seen := 0
	for _, id := range ids {
		if id == tr {
			seen++
		}
	}
	if seen != 1 {
		t.Fatalf("track listed %d times, want 1", seen)
	}
}
