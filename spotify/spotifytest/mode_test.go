package spotifytest

import (
	"net/http"
	"strings"
	"testing"
)

func TestDevelopmentModeForbidsRemovedRoutes(t *testing.T) {
	srv := start(t, WithDevelopmentMode())
	if srv.Mode() != DevelopmentMode || srv.Mode().String() != "DevelopmentMode" {
		t.Fatalf("Mode() = %v", srv.Mode())
	}
	tr, al, ar := id(t, srv, KindTrack, 0), id(t, srv, KindAlbum, 0), id(t, srv, KindArtist, 0)
	pl, us := id(t, srv, KindPlaylist, 3), id(t, srv, KindUser, 0)
	for _, path := range []string{
		"/v1/tracks?ids=" + tr, "/v1/albums?ids=" + al, "/v1/artists?ids=" + ar,
		"/v1/shows?ids=" + id(t, srv, KindShow, 0), "/v1/episodes?ids=" + id(t, srv, KindEpisode, 0),
		"/v1/audiobooks?ids=" + id(t, srv, KindAudiobook, 0), "/v1/chapters?ids=" + id(t, srv, KindChapter, 0),
		"/v1/artists/" + ar + "/top-tracks", "/v1/browse/new-releases", "/v1/browse/categories",
		"/v1/browse/categories/pop", "/v1/markets", "/v1/users/" + us, "/v1/users/" + us + "/playlists",
		"/v1/playlists/" + pl + "/tracks",
	} {
		wantError(t, srv, path, http.StatusForbidden, "Forbidden")
	}
	for _, path := range []string{"/v1/tracks/" + tr, "/v1/albums/" + al, "/v1/playlists/" + pl + "/items", "/v1/search?q=x&type=track"} {
		getObj(t, srv, path)
	}
	albums := getObj(t, srv, "/v1/artists/"+ar+"/albums")
	if num(albums, "limit") != 5 {
		t.Fatalf("artist albums default limit %d in Development Mode, want 5", num(albums, "limit"))
	}
	wantError(t, srv, "/v1/artists/"+ar+"/albums?limit=11", 400, "Invalid limit")
	// Without a token, 401 comes first.
	if status, body := fetch(t, srv, "", "/v1/markets"); status != 401 || !strings.Contains(string(body), "No token") {
		t.Fatalf("no token on a removed route: %d %s", status, body)
	}
}

func TestExtendedQuotaModeIsDefault(t *testing.T) {
	srv := start(t)
	if srv.Mode() != ExtendedQuotaMode {
		t.Fatalf("default mode %v", srv.Mode())
	}
	if srv := start(t, WithDevelopmentMode(), WithExtendedQuotaMode()); srv.Mode() != ExtendedQuotaMode {
		t.Fatal("the last mode option does not win")
	}
	getObj(t, srv, "/v1/markets")
}

func TestOptionsPanicOnBadValues(t *testing.T) {
	for name, opt := range map[string]Option{
		"size 0":     WithCatalogSize(0),
		"lifetime 0": WithTokenLifetime(0),
		"nil clock":  WithClock(nil),
		"empty app":  WithApp("", "x"),
		"huge size":  WithCatalogSize(1<<24 + 1),
		"negative":   WithTokenLifetime(-1),
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			var c config
			opt(&c)
		}()
	}
}
