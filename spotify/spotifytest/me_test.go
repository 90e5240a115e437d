package spotifytest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// getMeJSON fetches path with tok, checks the status and decodes the body.
func getMeJSON(t testing.TB, srv *Server, tok, path string, wantStatus int) any {
	t.Helper()
	status, body := fetch(t, srv, tok, path)
	if status != wantStatus {
		t.Fatalf("GET %s: status %d, want %d; body %.300s", path, status, wantStatus, body)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("GET %s: invalid JSON: %v; body %.300s", path, err, body)
	}
	return v
}

// getMe fetches a 200 object with tok.
func getMe(t testing.TB, srv *Server, tok, path string) obj {
	t.Helper()
	o, ok := getMeJSON(t, srv, tok, path, http.StatusOK).(obj)
	if !ok {
		t.Fatalf("GET %s: not an object", path)
	}
	return o
}

// hasKeys fails unless o has every key.
func hasKeys(t testing.TB, what string, o obj, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := o[k]; !ok {
			t.Fatalf("%s: no %q in %v", what, k, o)
		}
	}
}

func TestMeProfile(t *testing.T) {
	srv := start(t)
	me := getMe(t, srv, srv.UserToken(), "/v1/me")
	hasKeys(t, "/me", me, "account_id", "display_name", "followers", "images", "external_urls", "href", "id", "type", "uri")
	for _, k := range []string{"email", "country", "product", "explicit_content"} {
		if _, ok := me[k]; ok {
			t.Errorf("/me without scopes has %s", k)
		}
	}
	if me["id"] != srv.LoginUser() || me["type"] != "user" || me["uri"] != "spotify:user:"+srv.LoginUser() {
		t.Fatalf("/me: %v", me)
	}
	me = getMe(t, srv, srv.UserToken("user-read-email", "user-read-private"), "/v1/me")
	hasKeys(t, "/me with scopes", me, "email", "country", "product", "explicit_content")
	if me["product"] != "premium" || !strings.HasSuffix(me["email"].(string), "@example.com") {
		t.Fatalf("/me: %v", me)
	}

	dev := start(t, WithDevelopmentMode())
	me = getMe(t, dev, dev.UserToken("user-read-email", "user-read-private"), "/v1/me")
	for _, k := range []string{"email", "country", "product", "explicit_content", "followers"} {
		if _, ok := me[k]; ok {
			t.Errorf("Development Mode /me has %s", k)
		}
	}
}

func TestMeAuth(t *testing.T) {
	srv := start(t)
	// An app token answers 401 on every /me route.
	for _, p := range []string{"/v1/me", "/v1/me/tracks", "/v1/me/player"} {
		e := getMeJSON(t, srv, srv.Token(), p, 401).(obj)["error"].(obj)
		if e["message"] != "Unauthorized." {
			t.Errorf("%s with an app token: %v", p, e)
		}
	}
	// A missing scope answers 403.
	tok := srv.UserToken("user-read-email")
	for _, p := range []string{
		"/v1/me/tracks", "/v1/me/albums", "/v1/me/episodes", "/v1/me/shows", "/v1/me/audiobooks",
		"/v1/me/playlists", "/v1/me/top/artists", "/v1/me/top/tracks", "/v1/me/following?type=artist",
		"/v1/me/player", "/v1/me/player/currently-playing", "/v1/me/player/devices",
		"/v1/me/player/recently-played", "/v1/me/player/queue", "/v1/me/tracks/contains?ids=" + id(t, srv, KindTrack, 0),
		"/v1/me/library/contains?uris=spotify:track:" + id(t, srv, KindTrack, 0),
	} {
		e := getMeJSON(t, srv, tok, p, 403).(obj)["error"].(obj)
		if num(e, "status") != 403 || e["message"] != "Insufficient client scope" {
			t.Errorf("%s without its scope: %v", p, e)
		}
	}
}

// walkPages follows next from path and returns the ids of the items'
// key objects, and the pages' hrefs in order.
func walkPages(t *testing.T, srv *Server, tok, path, key string) (ids []string, hrefs []string, total int) {
	t.Helper()
	for p := path; ; {
		page := getMe(t, srv, tok, p)
		total = num(page, "total")
		hrefs = append(hrefs, pathOf(t, srv, page["href"]))
		for _, it := range items(t, page) {
			o := it.(obj)
			if key != "" {
				hasKeys(t, path, o, "added_at")
				o = o[key].(obj)
			}
			ids = append(ids, o["id"].(string))
		}
		if page["next"] == nil {
			return ids, hrefs, total
		}
		p = pathOf(t, srv, page["next"])
	}
}

func TestMeSavedTracksPaging(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(AllScopes())
	ids, hrefs, total := walkPages(t, srv, tok, "/v1/me/tracks?limit=7", "track")
	if len(ids) != total || total < 40 {
		t.Fatalf("walked %d saved tracks of %d", len(ids), total)
	}
	seen := map[string]bool{}
	for _, x := range ids {
		if seen[x] {
			t.Fatalf("saved track %s twice", x)
		}
		seen[x] = true
	}
	// Backwards from the last page with previous.
	var back []string
	for p := hrefs[len(hrefs)-1]; ; {
		page := getMe(t, srv, tok, p)
		back = append(idsOf(items(t, page)), back...)
		if page["previous"] == nil {
			break
		}
		p = pathOf(t, srv, page["previous"])
	}
	if !slices.Equal(ids, back) {
		t.Fatalf("backwards walk differs:\n%v\n%v", ids, back)
	}
	// Newest first.
	page := getMe(t, srv, tok, "/v1/me/tracks?limit=50")
	var last time.Time
	for i, it := range items(t, page) {
		at, err := time.Parse(time.RFC3339, it.(obj)["added_at"].(string))
		if err != nil || (i > 0 && !at.Before(last)) {
			t.Fatalf("added_at %d: %v %v after %v", i, it.(obj)["added_at"], err, last)
		}
		last = at
	}
	// Every saved track is in the library; another is not (mostly).
	q := url.Values{"ids": {strings.Join(ids[:5], ",")}}
	got := getMeJSON(t, srv, tok, "/v1/me/tracks/contains?"+q.Encode(), 200).([]any)
	if len(got) != 5 || slices.Contains(got, any(false)) {
		t.Fatalf("contains saved tracks: %v", got)
	}
	// Same user, same library on another server with the same seed.
	other := start(t)
	again, _, _ := walkPages(t, other, other.UserToken(AllScopes()), "/v1/me/tracks?limit=50", "track")
	if !slices.Equal(ids, again) {
		t.Fatal("another server with the same seed gives the user another library")
	}
}

func TestMeLibraryPages(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(AllScopes())
	for _, tc := range []struct{ path, key, typ string }{
		{"/v1/me/albums", "album", "album"},
		{"/v1/me/episodes", "episode", "episode"},
		{"/v1/me/shows", "show", "show"},
		{"/v1/me/audiobooks", "audiobook", "audiobook"},
	} {
		ids, _, total := walkPages(t, srv, tok, tc.path+"?limit=3", tc.key)
		if len(ids) != total {
			t.Errorf("%s: walked %d of %d", tc.path, len(ids), total)
		}
		page := getMe(t, srv, tok, tc.path)
		hasKeys(t, tc.path, page, "href", "items", "limit", "next", "offset", "previous", "total")
		for _, it := range items(t, page) {
			if o := it.(obj)[tc.key].(obj); o["type"] != tc.typ {
				t.Errorf("%s: item type %v", tc.path, o["type"])
			}
		}
		if len(ids) > 0 {
			k := strings.TrimPrefix(tc.path, "/v1/me/")
			got := getMeJSON(t, srv, tok, "/v1/me/"+k+"/contains?ids="+ids[0], 200).([]any)
			if len(got) != 1 || got[0] != true {
				t.Errorf("%s/contains: %v", tc.path, got)
			}
		}
	}
	pl := getMe(t, srv, tok, "/v1/me/playlists?limit=2")
	if len(items(t, pl)) == 0 {
		t.Fatal("/me/playlists is empty")
	}
	for _, it := range items(t, pl) {
		if it.(obj)["owner"].(obj)["id"] != srv.LoginUser() {
			t.Fatalf("/me/playlists: owner %v", it.(obj)["owner"])
		}
	}
}

func TestMeTop(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken("user-top-read")
	totals := map[string]int{}
	for _, tr := range []string{"short_term", "medium_term", "long_term"} {
		for _, typ := range []string{"artists", "tracks"} {
			page := getMe(t, srv, tok, "/v1/me/top/"+typ+"?time_range="+tr+"&limit=5")
			it := items(t, page)
			if len(it) != 5 || it[0].(obj)["type"] != strings.TrimSuffix(typ, "s") {
				t.Fatalf("top %s %s: %v", typ, tr, page)
			}
			if next := pathOf(t, srv, page["next"]); !strings.Contains(next, "time_range="+tr) {
				t.Fatalf("next %s drops time_range", next)
			}
			totals[tr] = num(page, "total")
		}
	}
	if totals["short_term"] >= totals["long_term"] {
		t.Fatalf("top totals %v", totals)
	}
	if d := getMe(t, srv, tok, "/v1/me/top/artists"); num(d, "total") != totals["medium_term"] {
		t.Fatal("time_range does not default to medium_term")
	}
	e := getMeJSON(t, srv, tok, "/v1/me/top/artists?time_range=forever", 400).(obj)["error"].(obj)
	if e["message"] != "Invalid time range" {
		t.Fatalf("bad time_range: %v", e)
	}
}

func TestMeFollowing(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(AllScopes())
	var ids []string
	total := -1
	for p := "/v1/me/following?type=artist&limit=7"; p != ""; {
		w := getMe(t, srv, tok, p)["artists"].(obj)
		hasKeys(t, p, w, "href", "items", "limit", "next", "cursors", "total")
		it := items(t, w)
		ids = append(ids, idsOf(it)...)
		total = num(w, "total")
		p = ""
		if w["next"] != nil {
			p = pathOf(t, srv, w["next"])
			after := w["cursors"].(obj)["after"]
			if after != ids[len(ids)-1] || !strings.Contains(p, "after="+after.(string)) {
				t.Fatalf("cursor %v, last id %s, next %s", after, ids[len(ids)-1], p)
			}
		} else if w["cursors"].(obj)["after"] != nil {
			t.Fatal("last page has an after cursor")
		}
	}
	if len(ids) != total || total < 10 {
		t.Fatalf("walked %d followed artists of %d", len(ids), total)
	}
	q := "ids=" + ids[0] + "," + ids[len(ids)-1]
	if got := getMeJSON(t, srv, tok, "/v1/me/following/contains?type=artist&"+q, 200).([]any); len(got) != 2 || got[0] != true || got[1] != true {
		t.Fatalf("following/contains: %v", got)
	}
	uris := "spotify:artist:" + ids[0] + ",spotify:track:" + id(t, srv, KindTrack, 0)
	if got := getMeJSON(t, srv, tok, "/v1/me/library/contains?uris="+uris, 200).([]any); len(got) != 2 || got[0] != true {
		t.Fatalf("library/contains: %v", got)
	}
	wantStatus := func(path string, status int) {
		t.Helper()
		getMeJSON(t, srv, tok, path, status)
	}
	wantStatus("/v1/me/following?type=user", 400)
	wantStatus("/v1/me/following", 400)
	wantStatus("/v1/me/library/contains", 400)
	wantStatus("/v1/me/library/contains?uris=spotify:chapter:"+id(t, srv, KindChapter, 0), 400)
	wantStatus("/v1/me/library/contains?uris=notauri", 400)
}

func TestMeLibraryContainsPlaylists(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(AllScopes())
	mine := items(t, getMe(t, srv, tok, "/v1/me/playlists?limit=1"))[0].(obj)["uri"].(string)
	u, ok := srv.cat.lookup(kUser, srv.LoginUser())
	if !ok {
		t.Fatal("no login user")
	}
	// A playlist of another user the login user follows, and one it does
	// not (followers/contains says which).
	var followed, notFollowed string
	for i := 0; followed == "" || notFollowed == ""; i++ {
		p := id(t, srv, KindPlaylist, i)
		if strings.Contains(string(mustFetch(t, srv, "/v1/playlists/"+p)), `"id":"`+srv.LoginUser()+`"`) {
			continue
		}
		if srv.cat.followsPlaylist(u, i) {
			followed = "spotify:playlist:" + p
		} else {
			notFollowed = "spotify:playlist:" + p
		}
	}
	got := getMeJSON(t, srv, tok, "/v1/me/library/contains?uris="+mine+","+followed+","+notFollowed, 200).([]any)
	if !slices.Equal(got, []any{true, true, false}) {
		t.Fatalf("playlists in library (owned, followed, not followed): %v", got)
	}
}

// mustFetch fetches path with an app token and returns the body of a 200.
func mustFetch(t *testing.T, srv *Server, path string) []byte {
	t.Helper()
	status, body := fetch(t, srv, srv.Token(), path)
	if status != 200 {
		t.Fatalf("GET %s: %d", path, status)
	}
	return body
}

func TestMePlayer(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(AllScopes())
	for _, p := range []string{"/v1/me/player", "/v1/me/player/currently-playing"} {
		status, body := fetch(t, srv, tok, p)
		if status != http.StatusNoContent || len(body) != 0 {
			t.Fatalf("%s with nothing playing: %d %q", p, status, body)
		}
	}
	q := getMe(t, srv, tok, "/v1/me/player/queue")
	if q["currently_playing"] != nil || len(q["queue"].([]any)) != 0 {
		t.Fatalf("idle queue: %v", q)
	}
	devs := getMe(t, srv, tok, "/v1/me/player/devices")["devices"].([]any)
	if len(devs) == 0 {
		t.Fatal("no devices")
	}
	for _, d := range devs {
		hasKeys(t, "device", d.(obj), "id", "is_active", "is_private_session", "is_restricted", "name", "type", "volume_percent")
		if d.(obj)["is_active"] != false {
			t.Fatal("an idle user has an active device")
		}
	}

	tr := id(t, srv, KindTrack, 0)
	if err := srv.SetPlaying(srv.LoginUser(), tr); err != nil {
		t.Fatal(err)
	}
	st := getMe(t, srv, tok, "/v1/me/player")
	hasKeys(t, "/me/player", st, "device", "repeat_state", "shuffle_state", "context", "timestamp", "progress_ms", "is_playing", "item", "currently_playing_type", "actions")
	if st["item"].(obj)["id"] != tr || st["device"].(obj)["is_active"] != true || st["context"].(obj)["type"] != "album" {
		t.Fatalf("/me/player: %v", st)
	}
	cp := getMe(t, srv, tok, "/v1/me/player/currently-playing")
	if _, ok := cp["device"]; ok || cp["item"].(obj)["id"] != tr || cp["is_playing"] != true {
		t.Fatalf("currently-playing: %v", cp)
	}
	q = getMe(t, srv, tok, "/v1/me/player/queue")
	var queued []string
	for _, it := range q["queue"].([]any) {
		queued = append(queued, it.(obj)["id"].(string))
	}
	var rest []string // the rest of track 0's album
	for k := 1; k < srv.cat.trackCount(0); k++ {
		rest = append(rest, srv.cat.encodeID(kTrack, k))
	}
	if q["currently_playing"].(obj)["id"] != tr || !slices.Equal(queued, rest) {
		t.Fatalf("queue: playing %v, queue %v, want the rest of the album %v", q["currently_playing"].(obj)["id"], queued, rest)
	}
	if getMe(t, srv, tok, "/v1/me/player/devices")["devices"].([]any)[0].(obj)["is_active"] != true {
		t.Fatal("the first device is not active while playing")
	}
	if err := srv.SetPlaying(srv.LoginUser(), ""); err != nil {
		t.Fatal(err)
	}
	if status, _ := fetch(t, srv, tok, "/v1/me/player"); status != http.StatusNoContent {
		t.Fatalf("after stopping: %d", status)
	}
	if srv.SetPlaying(srv.LoginUser(), "nope") == nil || srv.SetPlaying("nope", tr) == nil {
		t.Fatal("SetPlaying accepted an unknown id")
	}
}

func TestMeRecentlyPlayed(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken("user-read-recently-played")
	var pages []obj
	var played []int64
	for p := "/v1/me/player/recently-played?limit=10"; p != ""; {
		page := getMe(t, srv, tok, p)
		hasKeys(t, p, page, "href", "items", "limit", "next", "cursors")
		pages = append(pages, page)
		for _, it := range items(t, page) {
			o := it.(obj)
			hasKeys(t, "play", o, "track", "played_at", "context")
			at, err := time.Parse("2006-01-02T15:04:05.000Z", o["played_at"].(string))
			if err != nil {
				t.Fatal(err)
			}
			played = append(played, at.UnixMilli())
		}
		cur := page["cursors"].(obj)
		first, _ := strconv.ParseInt(cur["after"].(string), 10, 64)
		last, _ := strconv.ParseInt(cur["before"].(string), 10, 64)
		if first != played[len(played)-len(items(t, page))] || last != played[len(played)-1] {
			t.Fatalf("cursors %v do not match the items", cur)
		}
		p = ""
		if page["next"] != nil {
			p = pathOf(t, srv, page["next"])
			if !strings.Contains(p, "before="+cur["before"].(string)) {
				t.Fatalf("next %s does not page back with before", p)
			}
		}
	}
	if len(played) != 50 || len(pages) != 5 {
		t.Fatalf("%d plays in %d pages, want 50 in 5", len(played), len(pages))
	}
	for i := 1; i < len(played); i++ {
		if played[i] >= played[i-1] {
			t.Fatalf("play %d at %d not before %d", i, played[i], played[i-1])
		}
	}
	// after pages forward: after the second page's newest play come the
	// first page's plays.
	after := pages[1]["cursors"].(obj)["after"].(string)
	fwd := getMe(t, srv, tok, "/v1/me/player/recently-played?limit=10&after="+after)
	if !slices.Equal(idsOfTracks(items(t, fwd)), idsOfTracks(items(t, pages[0]))) {
		t.Fatal("after the second page does not give the first")
	}
	// Past the oldest play: empty, no cursors.
	old := getMe(t, srv, tok, "/v1/me/player/recently-played?before="+strconv.FormatInt(played[49], 10))
	if len(items(t, old)) != 0 || old["cursors"] != nil || old["next"] != nil {
		t.Fatalf("before the oldest play: %v", old)
	}
	getMeJSON(t, srv, tok, "/v1/me/player/recently-played?after=1&before=2", 400)
	getMeJSON(t, srv, tok, "/v1/me/player/recently-played?before=yesterday", 400)
}

func idsOfTracks(list []any) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = x.(obj)["track"].(obj)["id"].(string)
	}
	return out
}

func TestMeDevelopmentMode(t *testing.T) {
	srv := start(t, WithDevelopmentMode())
	tok := srv.UserToken(AllScopes())
	for _, p := range []string{"/v1/me/tracks", "/v1/me/following?type=artist", "/v1/me/top/tracks", "/v1/me/player/recently-played",
		"/v1/me/library/contains?uris=spotify:track:" + id(t, srv, KindTrack, 0)} {
		if status, _ := fetch(t, srv, tok, p); status != 200 {
			t.Errorf("Development Mode %s: %d", p, status)
		}
	}
	for _, p := range []string{"/v1/me/tracks/contains?ids=" + id(t, srv, KindTrack, 0), "/v1/me/following/contains?type=artist&ids=" + id(t, srv, KindArtist, 0)} {
		if status, _ := fetch(t, srv, tok, p); status != 403 {
			t.Errorf("Development Mode %s: %d, want 403", p, status)
		}
	}
}
