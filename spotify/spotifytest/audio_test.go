package spotifytest

import (
	"slices"
	"strings"
	"testing"
)

func TestShowAndEpisodes(t *testing.T) {
	srv := start(t)
	shID := id(t, srv, KindShow, 0)
	sh := getObj(t, srv, "/v1/shows/"+shID)
	if sh["type"] != "show" || sh["uri"] != "spotify:show:"+shID || num(sh, "total_episodes") != num(sh["episodes"].(obj), "total") {
		t.Fatalf("show %v %v %v", sh["type"], sh["uri"], sh["total_episodes"])
	}
	embedded := idsOf(items(t, sh["episodes"].(obj)))
	fwd, back, total := walk(t, srv, "/v1/shows/"+shID+"/episodes?limit=7", self)
	if total != num(sh, "total_episodes") || len(fwd) != total || !slices.Equal(fwd[:len(embedded)], embedded) || !slices.Equal(back, fwd) {
		t.Fatalf("episodes paging: %d/%d of %d, %d embedded", len(fwd), len(back), total, len(embedded))
	}
	if len(embedded) != min(50, total) {
		t.Fatalf("%d episodes embedded of %d", len(embedded), total)
	}
	ep := getObj(t, srv, "/v1/episodes/"+fwd[0])
	if ep["type"] != "episode" || ep["show"].(obj)["id"] != shID {
		t.Fatalf("episode %v of show %v", ep["id"], ep["show"])
	}
	if _, ok := ep["show"].(obj)["episodes"]; ok {
		t.Fatal("the episode's show is not simplified")
	}
	// Newest first: release dates do not increase.
	dates := []string{}
	for _, x := range items(t, getObj(t, srv, "/v1/shows/"+shID+"/episodes?limit=50")) {
		dates = append(dates, x.(obj)["release_date"].(string))
	}
	if len(dates) < 2 {
		t.Fatalf("show %s has %d episodes: the order check needs at least 2", shID, len(dates))
	}
	if !slices.IsSortedFunc(dates, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Fatalf("episode dates not newest first: %v", dates)
	}
	shows := getObj(t, srv, "/v1/shows?ids="+shID)["shows"].([]any)
	if _, ok := shows[0].(obj)["episodes"]; ok {
		t.Fatal("batch shows are not simplified")
	}
}

func TestAudiobookAndChapters(t *testing.T) {
	srv := start(t)
	abID := id(t, srv, KindAudiobook, 0)
	ab := getObj(t, srv, "/v1/audiobooks/"+abID)
	// Spotify's quirk: an audiobook's URI and link say show, a chapter's
	// episode.
	if ab["type"] != "audiobook" || ab["uri"] != "spotify:show:"+abID || ab["href"] != srv.URL+"/v1/audiobooks/"+abID {
		t.Fatalf("audiobook %v %v %v", ab["type"], ab["uri"], ab["href"])
	}
	if got := ab["available_markets"].([]any); len(got) != 6 {
		t.Fatalf("audiobook markets %v", got)
	}
	chapters := items(t, ab["chapters"].(obj))
	if len(chapters) != num(ab, "total_chapters") || chapters[0].(obj)["name"] != "Opening Credits" || num(chapters[0].(obj), "chapter_number") != 0 {
		t.Fatalf("chapters %d of %d, first %v", len(chapters), num(ab, "total_chapters"), chapters[0])
	}
	chID := chapters[1].(obj)["id"].(string)
	ch := getObj(t, srv, "/v1/chapters/"+chID)
	if ch["type"] != "chapter" || ch["uri"] != "spotify:episode:"+chID || ch["audiobook"].(obj)["id"] != abID {
		t.Fatalf("chapter %v %v of %v", ch["type"], ch["uri"], ch["audiobook"])
	}
	fwd, back, _ := walk(t, srv, "/v1/audiobooks/"+abID+"/chapters?limit=2", self)
	if !slices.Equal(fwd, idsOf(chapters)) || !slices.Equal(back, fwd) {
		t.Fatal("chapter paging differs from the embedded chapters")
	}
	if ch := getObj(t, srv, "/v1/chapters/"+chID+"?market=SE"); ch["is_playable"] != false {
		t.Fatalf("a chapter is playable in SE: %v", ch["is_playable"])
	}
}
