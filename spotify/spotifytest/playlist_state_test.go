package spotifytest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// snapOf decodes a {"snapshot_id"} answer.
func snapOf(t testing.TB, b []byte) string {
	t.Helper()
	var o struct {
		SnapshotID string `json:"snapshot_id"`
	}
	if err := json.Unmarshal(b, &o); err != nil || o.SnapshotID == "" {
		t.Fatalf("no snapshot_id in %.200s", b)
	}
	return o.SnapshotID
}

// entryIDs returns the ids of a playlist's entries (all pages of path).
func entryIDs(t *testing.T, srv *Server, tok, path string) []string {
	t.Helper()
	ids, _, _ := walkPages(t, srv, tok, path, "track")
	return ids
}

func TestPlaylistCreateAddReorderReplaceRemove(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(append(writeScopes, "playlist-read-private")...)
	status, b, _ := do(t, srv, tok, http.MethodPost, "/v1/me/playlists", `{"name":"Mix","public":false,"description":"d"}`)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, b)
	}
	var pl obj
	if err := json.Unmarshal(b, &pl); err != nil {
		t.Fatal(err)
	}
	pid, snap0 := pl["id"].(string), pl["snapshot_id"].(string)
	if pl["name"] != "Mix" || pl["public"] != false || pl["owner"].(obj)["id"] != srv.LoginUser() {
		t.Fatalf("created playlist %v", pl)
	}
	base := "/v1/playlists/" + pid
	tr := srv.Catalog().IDs(KindTrack, 6)
	uris := make([]string, len(tr))
	for i, id := range tr {
		uris[i] = "spotify:track:" + id
	}

	// Add 0..3 through /items, then 4 at position 1 through /tracks (query).
	s1 := snapOf(t, mustDo(t, srv, tok, http.MethodPost, base+"/items", `{"uris":["`+strings.Join(uris[:4], `","`)+`"]}`, http.StatusCreated))
	s2 := snapOf(t, mustDo(t, srv, tok, http.MethodPost, base+"/tracks?position=1&uris="+uris[4], "", http.StatusCreated))
	want := []string{tr[0], tr[4], tr[1], tr[2], tr[3]}
	if got := entryIDs(t, srv, tok, base+"/items"); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("after adds: %v, want %v", got, want)
	}
	if got := entryIDs(t, srv, tok, base+"/tracks"); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("/tracks after adds: %v, want %v", got, want)
	}

	// Move [1,3) before 5 (the end).
	s3 := snapOf(t, mustDo(t, srv, tok, http.MethodPut, base+"/items", `{"range_start":1,"insert_before":5,"range_length":2,"snapshot_id":"`+s2+`"}`, http.StatusOK))
	want = []string{tr[0], tr[2], tr[3], tr[4], tr[1]}
	if got := entryIDs(t, srv, tok, base+"/items"); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("after reorder: %v, want %v", got, want)
	}
	// Move 3 before 0.
	snapOf(t, mustDo(t, srv, tok, http.MethodPut, base+"/tracks", `{"range_start":3,"insert_before":0}`, http.StatusOK))
	want = []string{tr[4], tr[0], tr[2], tr[3], tr[1]}
	if got := entryIDs(t, srv, tok, base+"/items"); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("after reorder to the front: %v, want %v", got, want)
	}

	// Remove tr[2] (all occurrences).
	s4 := snapOf(t, mustDo(t, srv, tok, http.MethodDelete, base+"/items", `{"items":[{"uri":"`+uris[2]+`"}],"snapshot_id":"`+s3+`"}`, http.StatusOK))
	want = []string{tr[4], tr[0], tr[3], tr[1]}
	if got := entryIDs(t, srv, tok, base+"/items"); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("after remove: %v, want %v", got, want)
	}

	// Replace everything.
	s5 := snapOf(t, mustDo(t, srv, tok, http.MethodPut, base+"/items?uris="+uris[5]+","+uris[0], "", http.StatusOK))
	want = []string{tr[5], tr[0]}
	if got := entryIDs(t, srv, tok, base+"/items"); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("after replace: %v, want %v", got, want)
	}

	// Details.
	mustDo(t, srv, tok, http.MethodPut, base, `{"name":"Renamed"}`, http.StatusOK)
	got := getMe(t, srv, tok, base)
	seen := map[string]bool{}
	for _, s := range []string{snap0, s1, s2, s3, s4, s5, got["snapshot_id"].(string)} {
		if seen[s] {
			t.Fatalf("snapshot %s repeats", s)
		}
		seen[s] = true
	}
	if got["name"] != "Renamed" || num(got["items"].(obj), "total") != 2 {
		t.Fatalf("playlist %v", got)
	}

	// GET /me/playlists lists it first, with its state.
	mine := getMe(t, srv, tok, "/v1/me/playlists?limit=1")
	if e := items(t, mine)[0].(obj); e["id"] != pid || e["name"] != "Renamed" || num(e["items"].(obj), "total") != 2 {
		t.Fatalf("first of /me/playlists: %v", e)
	}

	// ETag follows the state.
	_, _, h := do(t, srv, tok, http.MethodGet, base, "")
	if st, _, _ := do(t, srv, tok, http.MethodGet, base, "", "If-None-Match", h.Get("ETag")); st != http.StatusNotModified {
		t.Fatalf("unchanged playlist: %d, want 304", st)
	}
	mustDo(t, srv, tok, http.MethodPost, base+"/items?uris="+uris[1], "", http.StatusCreated)
	if st, _, _ := do(t, srv, tok, http.MethodGet, base, "", "If-None-Match", h.Get("ETag")); st != http.StatusOK {
		t.Fatalf("changed playlist: %d, want 200", st)
	}
}

func TestPlaylistWriteGeneratedAndErrors(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	me := srv.LoginUser()
	// A generated playlist the user owns and one they do not.
	var mine, other string
	for _, id := range srv.Catalog().IDs(KindPlaylist, 40) {
		owner := getObj(t, srv, "/v1/playlists/"+id)["owner"].(obj)["id"]
		coll := getObj(t, srv, "/v1/playlists/"+id)["collaborative"]
		if owner == me && mine == "" {
			mine = id
		} else if owner != me && coll == false && other == "" {
			other = id
		}
	}
	if mine == "" || other == "" {
		t.Fatal("no playlists to test")
	}
	tr := "spotify:track:" + id(t, srv, KindTrack, 0)
	before := getObj(t, srv, "/v1/playlists/"+mine)
	n := num(before["items"].(obj), "total")
	snap := snapOf(t, mustDo(t, srv, tok, http.MethodPost, "/v1/playlists/"+mine+"/items?position=0&uris="+tr, "", http.StatusCreated))
	after := getObj(t, srv, "/v1/playlists/"+mine)
	if num(after["items"].(obj), "total") != n+1 || after["snapshot_id"] != snap || snap == before["snapshot_id"] {
		t.Fatalf("generated playlist after add: total %d snapshot %v (was %v)", num(after["items"].(obj), "total"), after["snapshot_id"], before["snapshot_id"])
	}
	first := items(t, after["items"].(obj))[0].(obj)["item"].(obj)["uri"]
	if first != tr {
		t.Fatalf("first entry %v, want %s", first, tr)
	}
	mustDo(t, srv, tok, http.MethodPost, "/v1/playlists/"+other+"/items?uris="+tr, "", http.StatusForbidden)
	big := make([]string, 101)
	for i := range big {
		big[i] = tr
	}
	mustDo(t, srv, tok, http.MethodPost, "/v1/playlists/"+mine+"/items?uris="+strings.Join(big, ","), "", http.StatusBadRequest)
	mustDo(t, srv, tok, http.MethodPost, "/v1/playlists/"+mine+"/items?uris=spotify:album:"+id(t, srv, KindAlbum, 0), "", http.StatusBadRequest)
	mustDo(t, srv, tok, http.MethodPost, "/v1/me/playlists", `{}`, http.StatusBadRequest)
	mustDo(t, srv, tok, http.MethodPost, "/v1/users/"+me+"/playlists", `{"name":"x"}`, http.StatusCreated)
	mustDo(t, srv, srv.UserToken("user-library-read"), http.MethodPost, "/v1/me/playlists", `{"name":"x"}`, http.StatusForbidden)

	dev := start(t, WithDevelopmentMode())
	dtok := dev.UserToken(writeScopes...)
	mustDo(t, dev, dtok, http.MethodPost, "/v1/users/"+dev.LoginUser()+"/playlists", `{"name":"x"}`, http.StatusForbidden)
	b := mustDo(t, dev, dtok, http.MethodPost, "/v1/me/playlists", `{"name":"x"}`, http.StatusCreated)
	var pl obj
	if err := json.Unmarshal(b, &pl); err != nil {
		t.Fatalf("created playlist %s: %v", b, err)
	}
	mustDo(t, dev, dtok, http.MethodPost, "/v1/playlists/"+pl["id"].(string)+"/tracks?uris="+tr, "", http.StatusForbidden)
	mustDo(t, dev, dtok, http.MethodPost, "/v1/playlists/"+pl["id"].(string)+"/items?uris="+tr, "", http.StatusCreated)
}
