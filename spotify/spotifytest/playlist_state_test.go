package spotifytest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	mine := items(t, getObj(t, srv, "/v1/users/"+me+"/playlists?limit=1"))[0].(obj)["id"].(string)
	other, _ := foreignPlaylists(t, srv)
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

// trackURIs returns the URIs of the first n catalogue tracks.
func trackURIs(t testing.TB, srv *Server, n int) []string {
	t.Helper()
	ids := srv.Catalog().IDs(KindTrack, n)
	require.Len(t, ids, n)
	uris := make([]string, n)
	for i, id := range ids {
		uris[i] = "spotify:track:" + id
	}
	return uris
}

func TestPlaylistWriteSnapshotChecked(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	pid := createPlaylist(t, srv, tok, "Snaps")
	otherPid := createPlaylist(t, srv, tok, "Other")
	base := "/v1/playlists/" + pid
	uris := trackURIs(t, srv, 4)
	snap0 := getMe(t, srv, tok, base)["snapshot_id"].(string)
	s1 := snapOf(t, mustDo(t, srv, tok, http.MethodPost, base+"/items?uris="+strings.Join(uris, ","), "", http.StatusCreated))
	s2 := snapOf(t, mustDo(t, srv, tok, http.MethodPost, base+"/items?uris="+uris[0], "", http.StatusCreated))
	otherSnap := getMe(t, srv, tok, "/v1/playlists/"+otherPid)["snapshot_id"].(string)

	// A snapshot the playlist never had: refused, nothing changes.
	raw, err := base64.StdEncoding.DecodeString(s2)
	require.NoError(t, err)
	ver, hexPart, _ := strings.Cut(string(raw), ",")
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	n, _ := strconv.Atoi(ver)
	bad := map[string]string{
		"not base64":         "%%%",
		"no comma":           enc("3"),
		"a later version":    enc(strconv.Itoa(n+1) + "," + hexPart),
		"version 0":          enc("0," + hexPart),
		"another hex":        enc(ver + "," + strings.Repeat("0", 40)),
		"another playlist's": otherSnap,
		"padded version":     enc("0" + ver + "," + hexPart),
	}
	for name, snap := range bad {
		before := srv.PlaylistWrites(pid)
		status, b, _ := do(t, srv, tok, http.MethodDelete, base+"/items", `{"items":[{"uri":"`+uris[1]+`"}],"snapshot_id":"`+snap+`"}`)
		assert.Equal(t, http.StatusBadRequest, status, "DELETE with %s snapshot: %s", name, b)
		assert.Contains(t, string(b), "Invalid snapshot id", name)
		status, _, _ = do(t, srv, tok, http.MethodPut, base+"/items", `{"range_start":0,"insert_before":2,"snapshot_id":"`+snap+`"}`)
		assert.Equal(t, http.StatusBadRequest, status, "reorder with %s snapshot", name)
		assert.Equal(t, before+2, srv.PlaylistWrites(pid), name)
	}
	assert.Equal(t, s2, getMe(t, srv, tok, base)["snapshot_id"], "refused writes change nothing")
	assert.Equal(t, 2, srv.PlaylistApplied(pid))

	// Older snapshots it had apply to the latest state.
	s3 := snapOf(t, mustDo(t, srv, tok, http.MethodDelete, base+"/items", `{"items":[{"uri":"`+uris[0]+`"}],"snapshot_id":"`+s1+`"}`, http.StatusOK))
	want := []string{uris[1], uris[2], uris[3]}
	assert.Equal(t, idsFromURIs(want), entryIDs(t, srv, tok, base+"/items"), "both copies of the first track go")
	snapOf(t, mustDo(t, srv, tok, http.MethodPut, base+"/items", `{"range_start":2,"insert_before":0,"snapshot_id":"`+snap0+`"}`, http.StatusOK))
	want = []string{uris[3], uris[1], uris[2]}
	assert.Equal(t, idsFromURIs(want), entryIDs(t, srv, tok, base+"/items"))
	snapOf(t, mustDo(t, srv, tok, http.MethodPut, base+"/tracks", `{"uris":["`+uris[0]+`"],"snapshot_id":"`+s3+`"}`, http.StatusOK))
	assert.Equal(t, idsFromURIs(uris[:1]), entryIDs(t, srv, tok, base+"/items"))
}

// idsFromURIs returns the ids of URIs.
func idsFromURIs(uris []string) []string {
	out := make([]string, len(uris))
	for i, u := range uris {
		out[i] = u[strings.LastIndexByte(u, ':')+1:]
	}
	return out
}

func TestGeneratedSnapshotStaysValid(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	me := srv.LoginUser()
	var pid string
	var before obj
	for _, id := range srv.Catalog().IDs(KindPlaylist, 200) {
		pl := getObj(t, srv, "/v1/playlists/"+id)
		if pl["owner"].(obj)["id"] == me && num(pl["items"].(obj), "total") >= 2 {
			pid, before = id, pl
			break
		}
	}
	require.NotEmpty(t, pid, "no generated playlist of the login user with entries")
	gen := before["snapshot_id"].(string)
	first := items(t, before["items"].(obj))[0].(obj)["item"].(obj)["uri"].(string)

	// The first write materializes the playlist; the snapshot read before
	// it is still one the playlist had.
	mustDo(t, srv, tok, http.MethodPost, "/v1/playlists/"+pid+"/items?uris="+trackURIs(t, srv, 1)[0], "", http.StatusCreated)
	s := snapOf(t, mustDo(t, srv, tok, http.MethodDelete, "/v1/playlists/"+pid+"/items", `{"items":[{"uri":"`+first+`"}],"snapshot_id":"`+gen+`"}`, http.StatusOK))
	assert.NotEqual(t, gen, s)
	assert.Equal(t, 2, srv.PlaylistApplied(pid))
}

func TestGeneratedPlaylistUnchangedByRefusedWrite(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	pid := items(t, getObj(t, srv, "/v1/users/"+srv.LoginUser()+"/playlists?limit=1"))[0].(obj)["id"].(string)
	before := mustDo(t, srv, tok, http.MethodGet, "/v1/playlists/"+pid, "", http.StatusOK)
	// A refused write copies the playlist into memory; its answer must
	// stay what it was.
	mustDo(t, srv, tok, http.MethodDelete, "/v1/playlists/"+pid+"/items", `{"items":[{"uri":"`+trackURIs(t, srv, 1)[0]+`"}],"snapshot_id":"eA=="}`, http.StatusBadRequest)
	assert.JSONEq(t, string(before), string(mustDo(t, srv, tok, http.MethodGet, "/v1/playlists/"+pid, "", http.StatusOK)))
	assert.Zero(t, srv.PlaylistApplied(pid))
	assert.Equal(t, 1, srv.PlaylistWrites(pid))
}

func TestUserPlaylistsShowCreatedAndWritten(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	me := srv.LoginUser()
	path := "/v1/users/" + me + "/playlists"
	generated := num(getMe(t, srv, tok, path), "total")
	a := createPlaylist(t, srv, tok, "First")
	b := createPlaylist(t, srv, tok, "Second")
	mustDo(t, srv, tok, http.MethodPost, "/v1/playlists/"+a+"/items?uris="+strings.Join(trackURIs(t, srv, 3), ","), "", http.StatusCreated)

	page := getMe(t, srv, tok, path+"?limit=3")
	assert.Equal(t, generated+2, num(page, "total"))
	list := items(t, page)
	require.Len(t, list, 3)
	assert.Equal(t, b, list[0].(obj)["id"], "newest first")
	assert.Equal(t, a, list[1].(obj)["id"])
	assert.Equal(t, 3, num(list[1].(obj)["items"].(obj), "total"), "the state of a written playlist")
	assert.Equal(t, srv.URL+path+"?offset=0&limit=3", page["href"])

	// A generated playlist, once written, shows its state there too.
	genID := list[2].(obj)["id"].(string)
	mustDo(t, srv, tok, http.MethodPut, "/v1/playlists/"+genID, `{"name":"Renamed generated"}`, http.StatusOK)
	again := items(t, getMe(t, srv, tok, path+"?offset=2&limit=1"))[0].(obj)
	assert.Equal(t, "Renamed generated", again["name"])

	// The same list as /me/playlists, but for the hrefs.
	mine := getMe(t, srv, tok, "/v1/me/playlists?limit=50")
	theirs := getMe(t, srv, tok, path+"?limit=50")
	assert.Equal(t, mine["items"], theirs["items"])
	assert.Equal(t, mine["total"], theirs["total"])

	// Another user's list does not have them.
	var other string
	for _, u := range srv.Catalog().IDs(KindUser, 3) {
		if u != me {
			other = u
			break
		}
	}
	for _, e := range items(t, getMe(t, srv, tok, "/v1/users/"+other+"/playlists?limit=50")) {
		assert.NotContains(t, []any{a, b}, e.(obj)["id"])
	}
}

func TestPlaylistWriteCounters(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	pid := createPlaylist(t, srv, tok, "Counted")
	base := "/v1/playlists/" + pid
	uris := trackURIs(t, srv, 3)
	assert.Zero(t, srv.PlaylistWrites(pid), "creating does not count")

	steps := []struct {
		method, path, body string
		status             int
		applied            bool
	}{
		{http.MethodPost, base + "/items?uris=" + uris[0] + "," + uris[1], "", http.StatusCreated, true},
		{http.MethodPost, base + "/items?uris=" + uris[0], "", http.StatusCreated, true}, // a retried add: twice
		{http.MethodDelete, base + "/items", `{"items":[{"uri":"` + uris[0] + `"}]}`, http.StatusOK, true},
		{http.MethodDelete, base + "/items", `{"items":[{"uri":"` + uris[0] + `"}]}`, http.StatusOK, false}, // nothing left to remove
		{http.MethodPut, base + "/items", `{"range_start":0,"insert_before":1}`, http.StatusOK, false},      // within the range
		{http.MethodPut, base + "/items?uris=" + uris[1], "", http.StatusOK, false},                         // the same entries
		{http.MethodPut, base + "/items?uris=" + uris[2] + "," + uris[1], "", http.StatusOK, true},
		{http.MethodPut, base + "/items", `{"range_start":1,"insert_before":0}`, http.StatusOK, true},
		{http.MethodPut, base, `{"name":"Counted"}`, http.StatusOK, false},
		{http.MethodPut, base, `{"name":"Counted","public":false}`, http.StatusOK, true},
		{http.MethodPost, base + "/items?uris=spotify:album:x", "", http.StatusBadRequest, false},
		{http.MethodPut, base + "/items", `{"range_start":5,"insert_before":0}`, http.StatusBadRequest, false},
	}
	writes, applied := 0, 0
	for i, st := range steps {
		snapBefore := getMe(t, srv, tok, base)["snapshot_id"]
		status, b, _ := do(t, srv, tok, st.method, st.path, st.body)
		require.Equal(t, st.status, status, "step %d %s %s: %s", i, st.method, st.path, b)
		writes++
		if st.applied {
			applied++
		}
		assert.Equal(t, writes, srv.PlaylistWrites(pid), "step %d", i)
		assert.Equal(t, applied, srv.PlaylistApplied(pid), "step %d", i)
		snapAfter := getMe(t, srv, tok, base)["snapshot_id"]
		assert.Equal(t, st.applied, snapAfter != snapBefore, "step %d: a new snapshot exactly when applied", i)
	}

	// Refusals before the playlist is known count under the id sent.
	other := srv.UserToken("user-library-read")
	mustDo(t, srv, other, http.MethodPost, base+"/items?uris="+uris[0], "", http.StatusForbidden)
	mustDo(t, srv, tok, http.MethodPost, "/v1/playlists/nope!/items?uris="+uris[0], "", http.StatusBadRequest)
	assert.Equal(t, writes+1, srv.PlaylistWrites(pid))
	assert.Equal(t, 1, srv.PlaylistWrites("nope!"))
	assert.Zero(t, srv.PlaylistApplied("nope!"))
	assert.Zero(t, srv.PlaylistWrites(id(t, srv, KindPlaylist, 0)), "an untouched playlist")
}

func TestPlaylistCollaboratorChangesEntriesNotDetails(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	_, collab := foreignPlaylists(t, srv)
	if collab == "" {
		t.Fatal("the catalogue has no collaborative playlist of another user near the start")
	}
	tr := "spotify:track:" + id(t, srv, KindTrack, 0)
	mustDo(t, srv, tok, http.MethodPost, "/v1/playlists/"+collab+"/items?uris="+tr, "", http.StatusCreated)
	mustDo(t, srv, tok, http.MethodPut, "/v1/playlists/"+collab, `{"name":"taken over"}`, http.StatusForbidden)
	assert.NotEqual(t, "taken over", getObj(t, srv, "/v1/playlists/"+collab)["name"])
	assert.Equal(t, 1, srv.PlaylistApplied(collab), "the add only")
}

func TestUserPlaylistsHidePrivateOnesFromOthers(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	me := srv.LoginUser()
	private := createPlaylist(t, srv, tok, "Secret")
	mustDo(t, srv, tok, http.MethodPut, "/v1/playlists/"+private, `{"public":false}`, http.StatusOK)
	path := "/v1/users/" + me + "/playlists?limit=50"

	owner := getMe(t, srv, tok, path)
	ids := idsOf(items(t, owner))
	assert.Contains(t, ids, private, "the owner with playlist-read-private sees it")

	// An app token (or another user) sees only the public ones.
	others := getObj(t, srv, path)
	assert.NotContains(t, idsOf(items(t, others)), private)
	assert.Less(t, num(others, "total"), num(owner, "total"))
	for _, e := range items(t, others) {
		assert.Equal(t, true, e.(obj)["public"], "%v", e.(obj)["id"])
	}
	// So does the owner without the scope.
	noScope := srv.UserToken("playlist-modify-public")
	assert.NotContains(t, idsOf(items(t, getMe(t, srv, noScope, path))), private)
}

// A create with a bad market answers 400 and creates nothing.
func TestPlaylistCreateBadMarketStoresNothing(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(append(writeScopes, "playlist-read-private")...)
	before := num(getMe(t, srv, tok, "/v1/me/playlists"), "total")
	mustDo(t, srv, tok, http.MethodPost, "/v1/me/playlists?market=XX", `{"name":"Lost"}`, http.StatusBadRequest)
	assert.Equal(t, before, num(getMe(t, srv, tok, "/v1/me/playlists"), "total"), "the refused create left a playlist")
	srv.pl.mu.Lock()
	created := srv.pl.created
	srv.pl.mu.Unlock()
	assert.Zero(t, created)
}

// playlistNamed returns the name of the playlist with id in a page of
// playlists, "" when the page lacks it.
func playlistNamed(page obj, id string) string {
	for _, it := range page["items"].([]any) {
		if o := it.(obj); o["id"] == id {
			return o["name"].(string)
		}
	}
	return ""
}

// A renamed playlist shows its new name in every list of playlists:
// search, featured playlists, category playlists and the user's own.
func TestRenamedPlaylistInLists(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(append(writeScopes, "playlist-read-private")...)
	pid := id(t, srv, KindPlaylist, 0) // the login user's; featured and category 0 list it first
	old := getMe(t, srv, tok, "/v1/playlists/"+pid)["name"].(string)
	const name = "Renamed Thing"
	mustDo(t, srv, tok, http.MethodPut, "/v1/playlists/"+pid, `{"name":"`+name+`"}`, http.StatusOK)

	lists := map[string]obj{
		"featured": getMe(t, srv, tok, "/v1/browse/featured-playlists?limit=50")["playlists"].(obj),
		"search":   getMe(t, srv, tok, "/v1/search?type=playlist&limit=50&q="+url.QueryEscape(old))["playlists"].(obj),
		"mine":     getMe(t, srv, tok, "/v1/me/playlists?limit=50"),
	}
	cats := getMe(t, srv, tok, "/v1/browse/categories?limit=1")["categories"].(obj)["items"].([]any)
	require.NotEmpty(t, cats)
	cat := cats[0].(obj)["id"].(string)
	lists["category"] = getMe(t, srv, tok, "/v1/browse/categories/"+cat+"/playlists?limit=50")["playlists"].(obj)
	for what, page := range lists {
		assert.Equal(t, name, playlistNamed(page, pid), what)
	}
}
