package spotifytest

import (
	"bytes"
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
