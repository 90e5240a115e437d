package spotifytest

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestAlbum(t *testing.T) {
	srv := start(t)
	alID := id(t, srv, KindAlbum, 0)
	al := getObj(t, srv, "/v1/albums/"+alID)
	if al["id"] != alID || al["type"] != "album" || al["uri"] != "spotify:album:"+alID {
		t.Fatalf("album ref: %v %v %v", al["id"], al["type"], al["uri"])
	}
	if al["href"] != srv.URL+"/v1/albums/"+alID {
		t.Fatalf("href %v", al["href"])
	}
	tracks := al["tracks"].(obj)
	if num(tracks, "total") != num(al, "total_tracks") || len(items(t, tracks)) != num(al, "total_tracks") {
		t.Fatalf("album has %d tracks, total_tracks %d", num(tracks, "total"), num(al, "total_tracks"))
	}
	for _, key := range []string{"available_markets", "copyrights", "external_ids", "genres", "label", "popularity", "release_date", "release_date_precision", "images", "artists"} {
		if _, ok := al[key]; !ok {
			t.Errorf("album has no %s", key)
		}
	}
	if n := len(al["available_markets"].([]any)); n < 170 {
		t.Errorf("album has %d markets", n)
	}
	img := al["images"].([]any)[0].(obj)
	if num(img, "height") != 640 || num(img, "width") != 640 || !strings.HasPrefix(img["url"].(string), "https://i.scdn.co/image/") {
		t.Errorf("album image %v", img)
	}
	// Each embedded track is the album's.
	first := items(t, tracks)[0].(obj)
	tr := getObj(t, srv, "/v1/tracks/"+first["id"].(string))
	if tr["album"].(obj)["id"] != alID || tr["name"] != first["name"] || num(tr, "track_number") != 1 {
		t.Fatalf("track %v is not track 1 of album %s", tr["id"], alID)
	}
}

func TestArtist(t *testing.T) {
	srv := start(t)
	arID := id(t, srv, KindArtist, 5)
	ar := getObj(t, srv, "/v1/artists/"+arID)
	if ar["id"] != arID || ar["type"] != "artist" || ar["followers"].(obj)["href"] != nil {
		t.Fatalf("artist %v", ar)
	}
	top := getObj(t, srv, "/v1/artists/"+arID+"/top-tracks?market=SE")["tracks"].([]any)
	if len(top) == 0 || len(top) > 10 {
		t.Fatalf("%d top tracks", len(top))
	}
	for _, x := range top {
		artists := x.(obj)["artists"].([]any)
		if artists[0].(obj)["id"] != arID {
			t.Fatalf("top track %v is not by %s", x.(obj)["id"], arID)
		}
	}
	albums := getObj(t, srv, "/v1/artists/"+arID+"/albums?limit=50")
	all := items(t, albums)
	if len(all) != num(albums, "total") || len(all) < 3 {
		t.Fatalf("artist albums: %d of %d", len(all), num(albums, "total"))
	}
	for _, x := range all {
		if x.(obj)["album_group"] != x.(obj)["album_type"] {
			t.Fatalf("album_group %v", x)
		}
	}
	singles := getObj(t, srv, "/v1/artists/"+arID+"/albums?include_groups=single&limit=50")
	// Artist 5 has no single, so the filter is also checked on the first
	// artist that has one: it must keep exactly that artist's singles.
	checked := false
	for i := range 50 {
		other := id(t, srv, KindArtist, i)
		var want []string
		for _, x := range items(t, getObj(t, srv, "/v1/artists/"+other+"/albums?limit=50")) {
			if x.(obj)["album_type"] == "single" {
				want = append(want, x.(obj)["id"].(string))
			}
		}
		if len(want) == 0 {
			continue
		}
		got := idsOf(items(t, getObj(t, srv, "/v1/artists/"+other+"/albums?include_groups=single&limit=50")))
		if !slices.Equal(got, want) {
			t.Fatalf("artist %s: include_groups=single gave %v, want its singles %v", other, got, want)
		}
		checked = true
		break
	}
	if !checked {
		t.Fatal("none of the first 50 artists has a single: the include_groups=single check ran on nothing")
	}
	for _, x := range items(t, singles) {
		if x.(obj)["album_type"] != "single" {
			t.Fatalf("include_groups=single gave %v", x.(obj)["album_type"])
		}
	}
	if !strings.HasSuffix(singles["href"].(string), "?offset=0&limit=50&include_groups=single") {
		t.Fatalf("href %v", singles["href"])
	}
	wantError(t, srv, "/v1/artists/"+arID+"/albums?include_groups=nope", 400, "")
}

func TestUnknownAndMalformedIDs(t *testing.T) {
	srv := start(t)
	// An artist id of another seed is well formed and unknown here.
	foreign := NewServer(WithSeed(99))
	defer foreign.Close()
	unknown := id(t, foreign, KindArtist, 0)
	wantError(t, srv, "/v1/artists/"+unknown, http.StatusNotFound, "Resource not found")
	wantError(t, srv, "/v1/tracks/"+id(t, srv, KindAlbum, 0), http.StatusNotFound, "Resource not found") // an album id is no track
	wantError(t, srv, "/v1/tracks/2KrxsD86ARO5beq7Q0Drfqa", http.StatusBadRequest, "invalid id")
	wantError(t, srv, "/v1/albums/"+unknown+"/tracks", http.StatusNotFound, "Resource not found")
}

func TestBatchGets(t *testing.T) {
	srv := start(t)
	foreign := NewServer(WithSeed(99))
	defer foreign.Close()
	for _, tc := range []struct {
		kind Kind
		key  string
		max  int
	}{
		{KindAlbum, "albums", 20}, {KindArtist, "artists", 50}, {KindTrack, "tracks", 50},
		{KindShow, "shows", 50}, {KindEpisode, "episodes", 50}, {KindAudiobook, "audiobooks", 50}, {KindChapter, "chapters", 50},
	} {
		known := srv.Catalog().IDs(tc.kind, 3)
		missing := id(t, foreign, tc.kind, 0)
		ids := []string{known[0], missing, known[2], known[1]}
		list := getObj(t, srv, "/v1/"+tc.key+"?ids="+strings.Join(ids, ","))[tc.key].([]any)
		got := idsOf(list)
		want := []string{known[0], "", known[2], known[1]}
		if !slices.Equal(got, want) || list[1] != nil {
			t.Errorf("%s batch: %v, want %v with null", tc.key, got, want)
		}
		many := make([]string, tc.max+1)
		for i := range many {
			many[i] = known[0]
		}
		if n := len(getObj(t, srv, "/v1/"+tc.key+"?ids="+strings.Join(many[:tc.max], ","))[tc.key].([]any)); n != tc.max {
			t.Errorf("%s batch of %d: %d entries", tc.key, tc.max, n)
		}
		wantError(t, srv, "/v1/"+tc.key+"?ids="+strings.Join(many, ","), 400, "Too many ids requested")
	}
}

func TestBatchLimits(t *testing.T) {
	srv := start(t)
	al := id(t, srv, KindAlbum, 0)
	twenty := strings.Repeat(al+",", 19) + al
	if n := len(getObj(t, srv, "/v1/albums?ids="+twenty)["albums"].([]any)); n != 20 {
		t.Fatalf("20 albums: got %d", n)
	}
	wantError(t, srv, "/v1/albums?ids="+twenty+","+al, 400, "Too many ids requested")
	wantError(t, srv, "/v1/tracks?ids=", 400, "")
	wantError(t, srv, "/v1/tracks?ids=bad", 400, "invalid id")
}

// walk follows a paging object's next links from path to the end, then
// its previous links back, and returns the ids in both directions.
func walk(t *testing.T, srv *Server, path string, unwrap func(obj) obj) (forward, backward []string, total int) {
	t.Helper()
	var pages [][]string
	page := unwrap(getObj(t, srv, path))
	total = num(page, "total")
	for {
		ids := idsOf(items(t, page))
		pages = append(pages, ids)
		forward = append(forward, ids...)
		if page["next"] == nil {
			break
		}
		page = unwrap(getObj(t, srv, pathOf(t, srv, page["next"])))
	}
	for i := len(pages) - 1; ; i-- {
		if got := idsOf(items(t, page)); !slices.Equal(got, pages[i]) {
			t.Fatalf("walking back, page %d is %v, was %v", i, got, pages[i])
		}
		backward = append(pages[i], backward...)
		if page["previous"] == nil {
			if i != 0 {
				t.Fatalf("previous is null on page %d", i)
			}
			break
		}
		page = unwrap(getObj(t, srv, pathOf(t, srv, page["previous"])))
	}
	return forward, backward, total
}

func self(o obj) obj { return o }

func TestAlbumTracksPaging(t *testing.T) {
	srv := start(t)
	var al string
	for _, id := range srv.Catalog().All(KindAlbum) {
		if _, i, _ := srv.Catalog().Decode(id); srv.Catalog().trackCount(i) >= 14 {
			al = id
			break
		}
	}
	full := idsOf(items(t, getObj(t, srv, "/v1/albums/"+al+"/tracks?limit=50")))
	fwd, back, total := walk(t, srv, "/v1/albums/"+al+"/tracks?limit=3&market=SE", self)
	if total != len(full) || !slices.Equal(fwd, full) || !slices.Equal(back, full) {
		t.Fatalf("paging by 3: %d forward, %d back, total %d, want %d", len(fwd), len(back), total, len(full))
	}
	page := getObj(t, srv, "/v1/albums/"+al+"/tracks?limit=3&offset=3&market=SE")
	if page["href"] != srv.URL+"/v1/albums/"+al+"/tracks?offset=3&limit=3&market=SE" ||
		page["previous"] != srv.URL+"/v1/albums/"+al+"/tracks?offset=0&limit=3&market=SE" ||
		num(page, "limit") != 3 || num(page, "offset") != 3 {
		t.Fatalf("page hrefs %v %v", page["href"], page["previous"])
	}
	if len(items(t, getObj(t, srv, "/v1/albums/"+al+"/tracks"))) != min(20, len(full)) {
		t.Fatal("default limit is not 20")
	}
	beyond := getObj(t, srv, "/v1/albums/"+al+"/tracks?offset=100")
	if len(items(t, beyond)) != 0 || beyond["next"] != nil {
		t.Fatalf("offset beyond the end: %v", beyond)
	}
	for _, q := range []string{"limit=0", "limit=51", "limit=x", "limit=-1"} {
		wantError(t, srv, "/v1/albums/"+al+"/tracks?"+q, 400, "Invalid limit")
	}
	wantError(t, srv, "/v1/albums/"+al+"/tracks?offset=-1", 400, "Invalid offset")
}

func TestMarketParameter(t *testing.T) {
	srv := start(t)
	tr := id(t, srv, KindTrack, 0)
	plain := getObj(t, srv, "/v1/tracks/"+tr)
	if _, ok := plain["is_playable"]; ok {
		t.Fatal("is_playable without a market")
	}
	withMarket := getObj(t, srv, "/v1/tracks/"+tr+"?market=se")
	if _, ok := withMarket["available_markets"]; ok {
		t.Fatal("available_markets with a market")
	}
	markets := plain["available_markets"].([]any)
	if withMarket["is_playable"] != slices.Contains(markets, any("SE")) {
		t.Fatalf("is_playable %v but markets %v", withMarket["is_playable"], markets)
	}
	if getObj(t, srv, "/v1/tracks/"+tr+"?market=from_token")["is_playable"] == nil {
		t.Fatal("market=from_token")
	}
	wantError(t, srv, "/v1/tracks/"+tr+"?market=XX", 400, "Invalid market code")
}
