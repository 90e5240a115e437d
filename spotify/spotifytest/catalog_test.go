package spotifytest

import (
	"regexp"
	"testing"
)

func TestCatalogSize(t *testing.T) {
	c := newCatalog(DefaultSeed, DefaultArtists)
	if n := c.Len(KindTrack); n < 100_000 {
		t.Fatalf("default catalogue has %d tracks, want at least 100,000", n)
	}
	for _, k := range []Kind{KindArtist, KindAlbum, KindShow, KindEpisode, KindAudiobook, KindChapter, KindCategory, KindUser, KindPlaylist} {
		if c.Len(k) == 0 {
			t.Errorf("no %s in the default catalogue", k)
		}
	}
	if c.Len("nonsense") != 0 {
		t.Error("Len of an unknown kind is not 0")
	}
}

func TestCatalogWalkOrder(t *testing.T) {
	c := newCatalog(7, 50)
	prev, n := -1, 0
	for i, id := range c.All(KindTrack) {
		if i <= prev {
			t.Fatalf("track index %d after %d", i, prev)
		}
		if !c.exists(kTrack, i) {
			t.Fatalf("All yields missing track %d", i)
		}
		if K, j, ok := c.Decode(id); !ok || K != KindTrack || j != i {
			t.Fatalf("track %d: id %q decodes to %v %d %v", i, id, K, j, ok)
		}
		prev = i
		n++
	}
	if n != c.Len(KindTrack) {
		t.Fatalf("All yielded %d tracks, Len says %d", n, c.Len(KindTrack))
	}
	if ids := c.IDs(KindArtist, 3); len(ids) != 3 {
		t.Fatalf("IDs(artist, 3) = %v", ids)
	}
	if ids := c.IDs(KindArtist, 0); len(ids) != 50 {
		t.Fatalf("IDs(artist, 0) has %d ids, want 50", len(ids))
	}
}

func TestCatalogProperties(t *testing.T) {
	c := newCatalog(3, 200)
	dateRE := regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
	isrcRE := regexp.MustCompile(`^[A-Z]{2}[A-Z0-9]{3}\d{7}$`)
	for al := range c.indexes(kAlbum) {
		if n := c.trackCount(al); n < 1 || n > tracksPerAlbum {
			t.Fatalf("album %d has %d tracks", al, n)
		}
		if d := c.albumDate(al); !dateRE.MatchString(d.String()) {
			t.Fatalf("album %d date %q", al, d)
		}
		if c.albumType(al) == "single" && c.albumName(al) != c.trackWords(al*tracksPerAlbum).String() {
			t.Fatalf("single %d is not named after its first track", al)
		}
	}
	for tr := range c.indexes(kTrack) {
		if d := c.trackDuration(tr); d < 90_000 || d > 420_000 {
			t.Fatalf("track %d lasts %d ms", tr, d)
		}
		if p := c.trackPopularity(tr); p < 0 || p > 100 {
			t.Fatalf("track %d popularity %d", tr, p)
		}
		if isrc := c.trackISRC(tr); !isrcRE.MatchString(isrc) {
			t.Fatalf("track %d ISRC %q", tr, isrc)
		}
	}
	for a := range c.artists {
		if p := c.artistPopularity(a); p < 0 || p > 100 {
			t.Fatalf("artist %d popularity %d", a, p)
		}
		if len(c.topTracks(a)) == 0 || len(c.topTracks(a)) > 10 {
			t.Fatalf("artist %d has %d top tracks", a, len(c.topTracks(a)))
		}
	}
	for p := range c.numPlaylists() {
		for k := range min(10, c.playlistLen(p)) {
			e := c.playlistEntry(p, k)
			if e.episode && !c.exists(kEpisode, e.index) || !e.episode && !c.exists(kTrack, e.index) {
				t.Fatalf("playlist %d entry %d is missing item %+v", p, k, e)
			}
		}
	}
	m := marketsOf(12345)
	n := 0
	for i := range markets {
		if m.has(i) {
			n++
		}
	}
	if n < 170 {
		t.Fatalf("an item has %d markets, want about 170 or more", n)
	}
}

func TestWordsAndNames(t *testing.T) {
	for w, want := range map[string]string{"City": "Cities", "Day": "Days", "Circus": "Circuses", "Wolf": "Wolfs", "Sky": "Skies"} {
		if got := plural(w); got != want {
			t.Errorf("plural(%q) = %q, want %q", w, got, want)
		}
	}
	c := newCatalog(1, 10)
	ws := c.artistWords(3)
	if ws.String() == "" || ws.n == 0 {
		t.Fatalf("artist name %q has %d words", ws, ws.n)
	}
	if !ws.matches(wordsMatching(toLower(vocab[ws.w[0]])[:3])) {
		t.Fatalf("%q does not match a prefix of its first word", ws)
	}
	if c.artistName(3) != newCatalog(1, 10).artistName(3) {
		t.Fatal("names are not deterministic")
	}
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
