package spotifytest

import (
	"math"
	"slices"
	"testing"
)

func TestRelatedArtists(t *testing.T) {
	srv := start(t)
	ar := id(t, srv, KindArtist, 2)
	list := getObj(t, srv, "/v1/artists/"+ar+"/related-artists")["artists"].([]any)
	if len(list) != 20 || slices.Contains(idsOf(list), ar) {
		t.Fatalf("%d related artists (self included: %v)", len(list), slices.Contains(idsOf(list), ar))
	}
}

func TestAudioFeaturesAndAnalysis(t *testing.T) {
	srv := start(t)
	tr := id(t, srv, KindTrack, 9)
	af := getObj(t, srv, "/v1/audio-features/"+tr)
	if af["id"] != tr || af["type"] != "audio_features" || af["track_href"] != srv.URL+"/v1/tracks/"+tr {
		t.Fatalf("audio features %v", af)
	}
	for _, k := range []string{"acousticness", "danceability", "energy", "instrumentalness", "liveness", "speechiness", "valence"} {
		if f := af[k].(float64); f < 0 || f > 1 {
			t.Errorf("%s = %v", k, f)
		}
	}
	if k := num(af, "key"); k < -1 || k > 11 {
		t.Errorf("key %d", k)
	}
	foreign := newCatalog(999, 10).encodeID(kTrack, 0)
	several := getObj(t, srv, "/v1/audio-features?ids="+tr+","+foreign)["audio_features"].([]any)
	if len(several) != 2 || several[1] != nil || several[0].(obj)["id"] != tr {
		t.Fatalf("several audio features %v", several)
	}
	aa := getObj(t, srv, pathOf(t, srv, af["analysis_url"]))
	track := aa["track"].(obj)
	dur, tempo := track["duration"].(float64), track["tempo"].(float64)
	beats := len(aa["beats"].([]any))
	if want := dur * tempo / 60; math.Abs(float64(beats)-want) > 2 {
		t.Fatalf("%d beats in %.1f s at %.1f BPM", beats, dur, tempo)
	}
	seg := aa["segments"].([]any)[0].(obj)
	if len(seg["pitches"].([]any)) != 12 || len(seg["timbre"].([]any)) != 12 {
		t.Fatalf("segment %v", seg)
	}
	for _, k := range []string{"meta", "bars", "tatums", "sections"} {
		if aa[k] == nil {
			t.Errorf("analysis has no %s", k)
		}
	}
}

func TestRecommendations(t *testing.T) {
	srv := start(t)
	ar, tr := id(t, srv, KindArtist, 0), id(t, srv, KindTrack, 0)
	rec := getObj(t, srv, "/v1/recommendations?seed_artists="+ar+"&seed_tracks="+tr+"&seed_genres=hip-hop&limit=7&min_energy=0.4")
	seeds := rec["seeds"].([]any)
	if len(seeds) != 3 || len(rec["tracks"].([]any)) != 7 || seeds[0].(obj)["type"] != "ARTIST" || seeds[1].(obj)["href"] != nil {
		t.Fatalf("recommendations: %d seeds %v, %d tracks", len(seeds), seeds, len(rec["tracks"].([]any)))
	}
	again := getObj(t, srv, "/v1/recommendations?seed_artists="+ar+"&seed_tracks="+tr+"&seed_genres=hip-hop&limit=7&min_energy=0.4")
	if !slices.Equal(idsOf(rec["tracks"].([]any)), idsOf(again["tracks"].([]any))) {
		t.Fatal("recommendations are not deterministic")
	}
	wantError(t, srv, "/v1/recommendations", 400, "")
	wantError(t, srv, "/v1/recommendations?seed_genres=polka", 400, "")
	wantError(t, srv, "/v1/recommendations?seed_genres=pop&limit=101", 400, "Invalid limit")
	g := getObj(t, srv, "/v1/recommendations/available-genre-seeds")["genres"].([]any)
	if !slices.Contains(g, any("hip-hop")) || !slices.Contains(g, any("rnb")) {
		t.Fatalf("genre seeds %v", g)
	}
}

func TestFeaturedAndCategoryPlaylists(t *testing.T) {
	srv := start(t)
	unwrap := func(o obj) obj { return o["playlists"].(obj) }
	fwd, back, total := walk(t, srv, "/v1/browse/featured-playlists?limit=7&locale=sv_SE", unwrap)
	if total != 30 || len(fwd) != 30 || !slices.Equal(fwd, back) {
		t.Fatalf("featured: %d of %d", len(fwd), total)
	}
	cp := getObj(t, srv, "/v1/browse/categories/rock/playlists")
	if cp["message"] != "Rock" || num(unwrap(cp), "total") == 0 {
		t.Fatalf("category playlists %v", cp["message"])
	}
	wantError(t, srv, "/v1/browse/categories/nope/playlists", 404, "Resource not found")
	dev := start(t, WithDevelopmentMode())
	wantError(t, dev, "/v1/browse/featured-playlists", 403, "Forbidden")
	wantError(t, dev, "/v1/audio-features/"+id(t, dev, KindTrack, 0), 403, "Forbidden")
}
