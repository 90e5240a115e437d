package spotifytest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/spotifysdk/spotify-go/internal/shareddata"
)

// samplePath returns the path of Spotify's real answer name, in ../shared
// beside the repository (never copied into it): t is skipped when ../shared
// is absent, or fails in CI (see shareddata.Path).
func samplePath(t *testing.T, name string) string {
	t.Helper()
	return shareddata.Path(t, "spotify-api/samples/"+name)
}

// shape maps every key path of a JSON value ("tracks.items[].album.id")
// to the kind of value found there: object, array, scalar or null (array
// elements are merged).
func shape(v any, path string, out map[string]string) {
	kind := "scalar"
	switch x := v.(type) {
	case map[string]any:
		kind = "object"
		for k, e := range x {
			shape(e, path+"."+k, out)
		}
	case []any:
		kind = "array"
		for _, e := range x {
			shape(e, path+"[]", out)
		}
	case nil:
		kind = "null"
	}
	if old, ok := out[path]; !ok || old == "null" {
		out[path] = kind
	}
}

// TestShapesMatchSamples checks that the emulator's answers have every
// member, at the same place and of the same JSON kind, that Spotify's
// shapeGaps returns what the sample file has that body lacks: each path
// of the sample (but those under ignore) that body has not, or has with
// another kind (null matches any), sorted.
func shapeGaps(t *testing.T, sample string, body []byte, ignore []string) []string {
	t.Helper()
	raw, err := os.ReadFile(samplePath(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	ws, gs := map[string]string{}, map[string]string{}
	shape(want, "", ws)
	shape(got, "", gs)
	var missing []string
	for p, kind := range ws {
		if ignored(p, ignore) {
			continue
		}
		g, ok := gs[p]
		switch {
		case !ok:
			missing = append(missing, p+" (absent)")
		case kind != g && kind != "null" && g != "null":
			missing = append(missing, p+" ("+g+", want "+kind+")")
		}
	}
	sort.Strings(missing)
	return missing
}

// recorded answers in ../shared have. It is skipped when ../shared is
// absent, or fails in CI.
func TestShapesMatchSamples(t *testing.T) {
	shareddata.Path(t, "spotify-api/samples")
	srv := start(t)
	dev := start(t, WithDevelopmentMode())
	c := srv.Catalog()
	one := func(k Kind) string { return c.IDs(k, 1)[0] }
	unknown := newCatalog(999, 10).encodeID(kTrack, 0)
	tr := c.IDs(KindTrack, 2)
	pl, plEpisodes := c.IDs(KindPlaylist, 3)[2], c.IDs(KindPlaylist, 4)[3]
	pictured := 0 // a user with a picture (a quarter have none)
	for c.h(kUser, pictured, fImage)%4 == 0 {
		pictured++
	}
	userWithPicture, _ := c.ID(KindUser, pictured)
	for _, tc := range []struct {
		sample, path string
		srv          *Server
		ignore       []string // sample paths absent by design, with the reason
	}{
		// album.json was captured through an artist's albums (album_group).
		{"album.json", "/v1/albums/" + one(KindAlbum), srv, []string{".album_group"}},
		{"albums-several.json", "/v1/albums?ids=" + one(KindAlbum), srv, nil},
		{"album-tracks-page.json", "/v1/albums/" + one(KindAlbum) + "/tracks?limit=1", srv, nil},
		{"artist.json", "/v1/artists/" + one(KindArtist), srv, nil},
		{"artist-top-tracks.json", "/v1/artists/" + one(KindArtist) + "/top-tracks", srv, nil},
		{"artist-albums-page.json", "/v1/artists/" + one(KindArtist) + "/albums?limit=2", srv, nil},
		{"track.json", "/v1/tracks/" + tr[0], srv, nil},
		{"tracks-several.json", "/v1/tracks?ids=" + tr[0] + "," + tr[1], srv, nil},
		{"tracks-several-with-null.json", "/v1/tracks?ids=" + tr[0] + "," + unknown, srv, nil},
		{"search-tracks.json", "/v1/search?q=golden&type=track&limit=2", srv, nil},
		{"search-tracks-and-playlists.json", "/v1/search?q=golden&type=track,playlist&limit=2", srv, nil},
		{"search-artists.json", "/v1/search?q=golden&type=artist", srv, nil},
		{"playlist.json", "/v1/playlists/" + pl, srv, nil},
		{"playlist-items-page.json", "/v1/playlists/" + pl + "/tracks", srv, nil},
		{"playlist-items-episodes-and-tracks-page.json", "/v1/playlists/" + plEpisodes + "/tracks?additional_types=track,episode", srv, nil},
		{"current-user-playlists-page.json", "/v1/users/" + one(KindUser) + "/playlists", srv, nil},
		{"user-profile.json", "/v1/users/" + userWithPicture, srv, nil},
		{"show.json", "/v1/shows/" + one(KindShow), srv, nil},
		{"show-episodes-page.json", "/v1/shows/" + one(KindShow) + "/episodes?limit=2&offset=1", srv, nil},
		{"episode.json", "/v1/episodes/" + one(KindEpisode), srv, nil},
		{"audiobook.json", "/v1/audiobooks/" + one(KindAudiobook), srv, nil},
		// The sample chapter is restricted; its audiobook carries an empty
		// chapters page that a SimplifiedAudiobookObject does not have.
		{"chapter.json", "/v1/chapters/" + one(KindChapter), srv, []string{".restrictions", ".audiobook.chapters"}},
		{"audiobook-chapters-page.json", "/v1/audiobooks/" + one(KindAudiobook) + "/chapters", srv, nil},
		{"categories-page.json", "/v1/browse/categories", srv, nil},
		{"new-releases.json", "/v1/browse/new-releases", srv, nil},
		{"playlist-cover-images.json", "/v1/playlists/" + pl + "/images", srv, nil},
		{"errors/api-400-invalid-id.json", "/v1/tracks/2KrxsD86ARO5beq7Q0Drfqa", srv, nil},
		{"errors/api-401-access-token-expired.json", "TOKEN:BQexpired", srv, nil},
		{"errors/api-403-forbidden-devmode.json", "/v1/tracks?ids=" + tr[0], dev, nil},
		{"token-client-credentials.json", "POST:" + ClientSecret, srv, nil},
		{"errors/token-invalid-client-secret.json", "POST:wrong", srv, nil},
	} {
		t.Run(tc.sample, func(t *testing.T) {
			missing := shapeGaps(t, tc.sample, answer(t, tc.srv, tc.path), tc.ignore)
			if len(missing) > 0 {
				t.Errorf("GET %s lacks what %s has:\n%s", tc.path, tc.sample, strings.Join(missing, "\n"))
			}
		})
	}
}

func ignored(p string, prefixes []string) bool {
	for _, x := range prefixes {
		if p == x || strings.HasPrefix(p, x+".") || strings.HasPrefix(p, x+"[") {
			return true
		}
	}
	return false
}

// answer returns the body of a request: a GET of path with a token,
// "TOKEN:<tok>" (GET /v1/markets with that token) or "POST:<secret>" (a
// client credentials grant of the default app with that secret).
func answer(t *testing.T, srv *Server, path string) []byte {
	t.Helper()
	if tok, ok := strings.CutPrefix(path, "TOKEN:"); ok {
		_, b := fetch(t, srv, tok, "/v1/markets")
		return b
	}
	if secret, ok := strings.CutPrefix(path, "POST:"); ok {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(ClientID, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return b
	}
	_, b := fetch(t, srv, srv.Token(), path)
	return b
}
