package spotifytest

import (
	"encoding/base64"
	"reflect"
	"regexp"
	"slices"
	"testing"
)

func TestPlaylistObject(t *testing.T) {
	srv := start(t)
	plID := id(t, srv, KindPlaylist, 3) // every 7th playlist from 3 has episodes
	pl := getObj(t, srv, "/v1/playlists/"+plID)
	if pl["type"] != "playlist" || pl["uri"] != "spotify:playlist:"+plID || pl["owner"].(obj)["display_name"] == nil {
		t.Fatalf("playlist %v %v owner %v", pl["type"], pl["uri"], pl["owner"])
	}
	snap, err := base64.StdEncoding.DecodeString(pl["snapshot_id"].(string))
	if err != nil || !regexp.MustCompile(`^\d+,[0-9a-f]{40}$`).Match(snap) {
		t.Fatalf("snapshot_id %v decodes to %q", pl["snapshot_id"], snap)
	}
	newer, older := pl["items"].(obj), pl["tracks"].(obj)
	if num(newer, "limit") != 50 || num(older, "limit") != 100 || num(newer, "total") != num(older, "total") {
		t.Fatalf("embedded pages: items limit %d, tracks limit %d", num(newer, "limit"), num(older, "limit"))
	}
	if newer["href"] != pl["href"].(string)+"/items?offset=0&limit=50" {
		t.Fatalf("items href %v", newer["href"])
	}
	if len(items(t, newer)) == 0 || len(items(t, older)) == 0 {
		t.Fatalf("embedded pages are empty: %d items, %d tracks", len(items(t, newer)), len(items(t, older)))
	}
	for _, x := range items(t, newer) {
		e := x.(obj)
		if !reflect.DeepEqual(e["item"], e["track"]) || e["item"] == nil {
			t.Fatal("a 2026 entry's item and track differ")
		}
	}
	for _, x := range items(t, older) {
		if _, ok := x.(obj)["item"]; ok {
			t.Fatal("a pre-2026 entry has item")
		}
	}
	if n := min(50, num(newer, "total")); !slices.Equal(idsOf(items(t, newer)), idsOf(items(t, older))[:n]) {
		t.Fatal("items and tracks list different entries")
	}
}

func TestPlaylistEntriesBothShapes(t *testing.T) {
	srv := start(t)
	// Every 50th playlist from 1 has 1,000 to 4,999 entries: take the
	// shortest of the first twenty.
	big := 1
	for p := 51; p < 1000; p += 50 {
		if srv.Catalog().playlistLen(p) < srv.Catalog().playlistLen(big) {
			big = p
		}
	}
	plID := id(t, srv, KindPlaylist, big)
	newFwd, newBack, total := walk(t, srv, "/v1/playlists/"+plID+"/items?limit=50", self)
	oldFwd, oldBack, oldTotal := walk(t, srv, "/v1/playlists/"+plID+"/tracks?limit=100", self)
	if total < 1000 || total != oldTotal || len(newFwd) != total {
		t.Fatalf("playlist of %d (%d) entries, walked %d", total, oldTotal, len(newFwd))
	}
	if !slices.Equal(newFwd, oldFwd) || !slices.Equal(newFwd, newBack) || !slices.Equal(oldFwd, oldBack) {
		t.Fatal("the two generations list different entries")
	}
	page := getObj(t, srv, "/v1/playlists/"+plID+"/items?limit=2&offset=2")
	e := items(t, page)[0].(obj)
	for _, key := range []string{"added_at", "added_by", "is_local", "item", "track", "primary_color", "video_thumbnail"} {
		if _, ok := e[key]; !ok {
			t.Errorf("entry has no %s", key)
		}
	}
	if e["item"].(obj)["track"] != true || e["item"].(obj)["episode"] != false {
		t.Errorf("a track entry's flags: %v %v", e["item"].(obj)["track"], e["item"].(obj)["episode"])
	}
	wantError(t, srv, "/v1/playlists/"+plID+"/items?limit=51", 400, "Invalid limit")
	wantError(t, srv, "/v1/playlists/"+plID+"/tracks?limit=101", 400, "Invalid limit")
}

func TestPlaylistWithEpisodes(t *testing.T) {
	srv := start(t)
	plID := id(t, srv, KindPlaylist, 10)
	list := items(t, getObj(t, srv, "/v1/playlists/"+plID+"/items?limit=10&additional_types=track,episode"))
	if len(list) < 5 {
		t.Fatalf("playlist 10 has %d entries, want at least 5 (the catalogue is deterministic)", len(list))
	}
	ep := list[4].(obj)["item"].(obj)
	if ep["type"] != "episode" || ep["episode"] != true || ep["show"] == nil {
		t.Fatalf("entry 4 of playlist 10: %v %v", ep["type"], ep["episode"])
	}
}

func TestPlaylistImagesAndEmpty(t *testing.T) {
	srv := start(t)
	for i := range 200 {
		plID := id(t, srv, KindPlaylist, i)
		imgs := getJSON(t, srv, "/v1/playlists/"+plID+"/images", 200).([]any)
		n := num(getObj(t, srv, "/v1/playlists/"+plID+"/items?limit=1"), "total")
		if (n == 0) != (len(imgs) == 0) {
			t.Fatalf("playlist %d: %d entries, %d images", i, n, len(imgs))
		}
		if n == 0 {
			pl := getObj(t, srv, "/v1/playlists/"+plID)
			if len(items(t, pl["items"].(obj))) != 0 || pl["items"].(obj)["next"] != nil {
				t.Fatal("an empty playlist has entries")
			}
			return
		}
	}
	t.Fatal("no empty playlist among the first 200")
}
