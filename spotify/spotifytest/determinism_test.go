package spotifytest

import (
	"bytes"
	"strconv"
	"testing"
)

// deterministicPaths are answers that must be equal between two servers
// of one seed (the base URL aside).
func deterministicPaths(t *testing.T, srv *Server) []string {
	c := srv.Catalog()
	al, ar, tr := c.IDs(KindAlbum, 2), c.IDs(KindArtist, 2), c.IDs(KindTrack, 2)
	pl := c.IDs(KindPlaylist, 4)[3]
	return []string{
		"/v1/albums/" + al[1], "/v1/albums/" + al[0] + "/tracks?limit=3&offset=1",
		"/v1/artists/" + ar[1], "/v1/artists/" + ar[0] + "/albums", "/v1/artists/" + ar[0] + "/top-tracks",
		"/v1/tracks/" + tr[1] + "?market=SE", "/v1/tracks?ids=" + tr[0] + "," + tr[1],
		"/v1/shows/" + c.IDs(KindShow, 1)[0], "/v1/episodes/" + c.IDs(KindEpisode, 1)[0],
		"/v1/audiobooks/" + c.IDs(KindAudiobook, 1)[0], "/v1/chapters/" + c.IDs(KindChapter, 1)[0],
		"/v1/playlists/" + pl, "/v1/playlists/" + pl + "/items?offset=2&limit=5",
		"/v1/users/" + c.IDs(KindUser, 1)[0], "/v1/browse/new-releases", "/v1/browse/categories",
		"/v1/search?q=golden&type=track,artist,playlist", "/v1/search?q=holiday&type=album,show",
	}
}

func TestDeterminism(t *testing.T) {
	a, b := start(t, WithSeed(77), WithCatalogSize(300)), start(t, WithSeed(77), WithCatalogSize(300))
	other := start(t, WithSeed(78), WithCatalogSize(300))
	pa, pb := deterministicPaths(t, a), deterministicPaths(t, b)
	for i := range pa {
		if pa[i] != pb[i] {
			t.Fatalf("ids differ: %s vs %s", pa[i], pb[i])
		}
		_, ba := fetch(t, a, a.Token(), pa[i])
		_, bb := fetch(t, b, b.Token(), pb[i])
		ba = bytes.ReplaceAll(ba, []byte(a.URL), []byte("BASE"))
		bb = bytes.ReplaceAll(bb, []byte(b.URL), []byte("BASE"))
		if !bytes.Equal(ba, bb) {
			t.Fatalf("GET %s differs between two servers of one seed", pa[i])
		}
	}
	if po := deterministicPaths(t, other); po[0] == pa[0] {
		t.Fatal("another seed gives the same ids")
	}
}

// hex40Reference is the first form of hex40: the ids and URLs it draws
// are part of every answer, so the faster one must give the same digits.
func hex40Reference(x uint64) string {
	b := make([]byte, 0, 40)
	for len(b) < 40 {
		x = mix(x + 0x9e3779b97f4a7c15)
		s := strconv.FormatUint(x, 16)
		for i := len(s); i < 16; i++ {
			b = append(b, '0')
		}
		b = append(b, s...)
	}
	return string(b[:40])
}

func TestHex40Stable(t *testing.T) {
	xs := []uint64{0, 1, 2, 1 << 63, ^uint64(0)}
	for i := range uint64(10000) {
		xs = append(xs, mix(i))
	}
	short := 0 // draws whose hex has a leading zero exercise the padding
	for _, x := range xs {
		if got, want := hex40(x), hex40Reference(x); got != want {
			t.Fatalf("hex40(%#x) = %s, want %s", x, got, want)
		}
		if y := mix(x + 0x9e3779b97f4a7c15); y>>60 == 0 {
			short++
		}
	}
	if short == 0 {
		t.Fatal("no draw with a leading zero digit")
	}
}
