package spotifytest

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

func search(t *testing.T, srv *Server, q, types, extra string) obj {
	t.Helper()
	return getObj(t, srv, "/v1/search?q="+url.QueryEscape(q)+"&type="+types+extra)
}

func TestSearchByName(t *testing.T) {
	srv := start(t)
	c := srv.Catalog()
	name := c.artistName(7)
	res := search(t, srv, name, "artist", "&limit=50")["artists"].(obj)
	found := idsOf(items(t, res))
	if !slices.Contains(found, id(t, srv, KindArtist, 7)) {
		t.Fatalf("searching %q did not find artist 7 among %d", name, num(res, "total"))
	}
	for _, x := range items(t, res) {
		if !matchesAll(name, x.(obj)["name"].(string)) {
			t.Fatalf("%q matched %q", name, x.(obj)["name"])
		}
	}
	// A plural in the name matches too.
	plural := c.artistWords(3)
	for a := 0; !strings.HasPrefix(plural.t.text, "The {A} {N}s"); a++ {
		plural = c.artistWords(a)
	}
	if found := idsOf(items(t, search(t, srv, plural.String(), "artist", "&limit=50")["artists"].(obj))); len(found) == 0 {
		t.Fatalf("searching %q found nothing", plural)
	}
	// Tracks by an artist: the artist: filter.
	tracks := search(t, srv, "artist:\""+name+"\"", "track", "&limit=50")["tracks"].(obj)
	if num(tracks, "total") == 0 {
		t.Fatalf("no track by %q", name)
	}
	for _, x := range items(t, tracks) {
		artist := x.(obj)["artists"].([]any)[0].(obj)["name"].(string)
		if !matchesAll(name, artist) {
			t.Fatalf("artist:%q found a track by %q", name, artist)
		}
	}
}

// matchesAll reports whether every non-stop word of q shares its first
// three letters with a word of s.
func matchesAll(q, s string) bool {
	for _, term := range strings.Fields(strings.ToLower(q)) {
		if stopWords[term] {
			continue
		}
		hit := false
		for _, w := range strings.Fields(strings.ToLower(s)) {
			hit = hit || strings.HasPrefix(w, term[:min(3, len(term))])
		}
		if !hit {
			return false
		}
	}
	return true
}

func TestSearchFilters(t *testing.T) {
	srv := start(t)
	res := search(t, srv, "year:1990-1994", "album", "&limit=50")["albums"].(obj)
	if num(res, "total") == 0 {
		t.Fatal("no album of 1990-1994")
	}
	for _, x := range items(t, res) {
		if y := x.(obj)["release_date"].(string)[:4]; y < "1990" || y > "1994" {
			t.Fatalf("year:1990-1994 found %s", y)
		}
	}
	tr := getObj(t, srv, "/v1/tracks/"+id(t, srv, KindTrack, 5))
	isrc := tr["external_ids"].(obj)["isrc"].(string)
	got := idsOf(items(t, search(t, srv, "isrc:"+isrc, "track", "")["tracks"].(obj)))
	if !slices.Contains(got, tr["id"].(string)) {
		t.Fatalf("isrc:%s found %v", isrc, got)
	}
}

func TestSearchPagingAndTypes(t *testing.T) {
	srv := start(t)
	res := search(t, srv, "golden", "track,artist,album,playlist,show,episode,audiobook", "&limit=3")
	for _, key := range []string{"tracks", "artists", "albums", "playlists", "shows", "episodes", "audiobooks"} {
		page, ok := res[key].(obj)
		if !ok {
			t.Fatalf("no %s in %v", key, res)
		}
		if num(page, "total") > 3 && page["next"] == nil {
			t.Fatalf("%s: no next link", key)
		}
	}
	unwrap := func(o obj) obj { return o["tracks"].(obj) }
	page := unwrap(search(t, srv, "golden harbor", "track", "&limit=4"))
	if !strings.Contains(page["href"].(string), "/v1/search?query=golden+harbor&offset=0&limit=4&type=track") {
		t.Fatalf("href %v", page["href"])
	}
	fwd, back, total := walk(t, srv, "/v1/search?q=golden+harbor&type=track&limit=4", unwrap)
	if total == 0 || len(fwd) != total || !slices.Equal(fwd, back) {
		t.Fatalf("search paging: %d/%d of %d", len(fwd), len(back), total)
	}
}

func TestSearchHashedAndLimits(t *testing.T) {
	srv := start(t)
	a := search(t, srv, "holiday", "track", "&limit=10")["tracks"].(obj)
	b := search(t, srv, "holiday", "track", "&limit=10")["tracks"].(obj)
	if num(a, "total") < 50 || !slices.Equal(idsOf(items(t, a)), idsOf(items(t, b))) {
		t.Fatalf("hashed search: total %d, same answer %v", num(a, "total"), slices.Equal(idsOf(items(t, a)), idsOf(items(t, b))))
	}
	if len(items(t, search(t, srv, "holiday", "track", "")["tracks"].(obj))) != 20 {
		t.Fatal("default search limit is not 20 in Extended Quota Mode")
	}
	// "golden" matches more than 1,050 tracks: a next link from offset
	// 1000 would name offset 1050, past the 1,000 search allows.
	last := search(t, srv, "golden", "track", "&offset=1000&limit=50")["tracks"].(obj)
	if num(last, "total") <= 1050 {
		t.Fatalf("golden: total %d, want more than 1050 for the next-link check", num(last, "total"))
	}
	if last["next"] != nil {
		t.Fatalf("a next link beyond offset 1000: %v", last["next"])
	}
	if len(items(t, last)) != 50 {
		t.Fatalf("offset 1000: %d items, want 50", len(items(t, last)))
	}
	wantError(t, srv, "/v1/search?q=x&type=track&offset=1001", 400, "Invalid offset")
	wantError(t, srv, "/v1/search?q=x&type=track&limit=51", 400, "Invalid limit")
	wantError(t, srv, "/v1/search?type=track", 400, "No search query")
	wantError(t, srv, "/v1/search?q=x", 400, "Missing parameter type")
	wantError(t, srv, "/v1/search?q=x&type=song", 400, "Bad search type field song")
}

func TestSearchDevelopmentMode(t *testing.T) {
	srv := start(t, WithDevelopmentMode())
	if n := len(items(t, search(t, srv, "holiday", "track", "")["tracks"].(obj))); n != 5 {
		t.Fatalf("default limit %d in Development Mode, want 5", n)
	}
	if n := len(items(t, search(t, srv, "holiday", "track", "&limit=10")["tracks"].(obj))); n != 10 {
		t.Fatalf("limit 10 gave %d", n)
	}
	wantError(t, srv, "/v1/search?q=x&type=track&limit=11", 400, "Invalid limit")
}

func TestParseQuery(t *testing.T) {
	pq := parseQuery(`golden artist:"mira castell" year:1999 genre:Rock tag:new`)
	if len(pq.free) != 1 || len(pq.artist) != 2 || pq.yearFrom != 1999 || pq.yearTo != 1999 || pq.genre != "rock" || pq.hashed {
		t.Fatalf("parsed %+v", pq)
	}
	if !parseQuery("golden zzzz").hashed || !parseQuery("label:x").hashed {
		t.Fatal("unknown words do not switch to the hashed answer")
	}
	if from, to := parseYears("19x"); from <= to {
		t.Fatal("a bad year matches")
	}
}
