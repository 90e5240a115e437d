package spotifytest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/spotify"
)

// coverScopes are the scopes of a cover upload, with reading.
var coverScopes = []string{"ugc-image-upload", "playlist-modify-private", "playlist-modify-public", "playlist-read-private"}

// encodedImage returns an 8×8 picture with one green pixel at (x, x),
// encoded with enc and then as base64.
func encodedImage(t testing.TB, x int, enc func(*bytes.Buffer, image.Image) error) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(x, x, color.RGBA{G: 200, A: 255})
	var buf bytes.Buffer
	require.NoError(t, enc(&buf, img))
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func jpegOf(t testing.TB, x int) string {
	return encodedImage(t, x, func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) })
}

// upload sends a cover upload and returns the status and body.
func upload(t testing.TB, srv *Server, tok, pid, body, ctype string) (int, []byte) {
	t.Helper()
	status, b, _ := do(t, srv, tok, http.MethodPut, "/v1/playlists/"+pid+"/images", body, "Content-Type", ctype)
	return status, b
}

// foreignPlaylists returns a generated playlist that the login user
// neither owns nor may change (not collaborative), and a collaborative one
// of another user ("" when the first playlists have none), read from the
// catalogue (a collaborative playlist is private: no user's public list
// shows it).
func foreignPlaylists(t testing.TB, srv *Server) (plain, collab string) {
	t.Helper()
	cat := srv.Catalog()
	me, ok := cat.lookup(kUser, srv.LoginUser())
	require.True(t, ok)
	for p := 0; p < cat.numPlaylists() && p < 2000 && (plain == "" || collab == ""); p++ {
		if cat.playlistOwner(p) == me {
			continue
		}
		switch {
		case cat.playlistCollaborative(p) && collab == "":
			collab = cat.encodeID(kPlaylist, p)
		case !cat.playlistCollaborative(p) && plain == "":
			plain = cat.encodeID(kPlaylist, p)
		}
	}
	require.NotEmpty(t, plain, "no playlist of another user")
	return plain, collab
}

// createPlaylist creates a playlist of the login user and returns its id.
func createPlaylist(t testing.TB, srv *Server, tok, name string) string {
	t.Helper()
	var pl obj
	require.NoError(t, json.Unmarshal(mustDo(t, srv, tok, http.MethodPost, "/v1/me/playlists", `{"name":"`+name+`"}`, http.StatusCreated), &pl))
	return pl["id"].(string)
}

// imagesOf decodes GET /v1/playlists/{id}/images.
func imagesOf(t testing.TB, srv *Server, tok, pid string) []any {
	t.Helper()
	var list []any
	require.NoError(t, json.Unmarshal(mustDo(t, srv, tok, http.MethodGet, "/v1/playlists/"+pid+"/images", "", http.StatusOK), &list))
	return list
}

func TestCoverUploadShowsImage(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(coverScopes...)
	pid := createPlaylist(t, srv, tok, "Covers")

	assert.Empty(t, imagesOf(t, srv, tok, pid), "a new playlist has no images")
	assert.Empty(t, getMe(t, srv, tok, "/v1/playlists/"+pid)["images"])

	pic := jpegOf(t, 1)
	status, body := upload(t, srv, tok, pid, pic, "image/jpeg")
	require.Equal(t, http.StatusAccepted, status, "%s", body)
	assert.Empty(t, body, "an upload answers no body")

	list := imagesOf(t, srv, tok, pid)
	require.Len(t, list, 1)
	img := list[0].(obj)
	url, _ := img["url"].(string)
	assert.True(t, strings.HasPrefix(url, "https://"), "url %q", url)
	assert.Contains(t, img, "height")
	assert.Nil(t, img["height"])
	assert.Contains(t, img, "width")
	assert.Nil(t, img["width"])
	assert.Equal(t, list, getMe(t, srv, tok, "/v1/playlists/"+pid)["images"], "the playlist shows the same image")
	first := items(t, getMe(t, srv, tok, "/v1/me/playlists?limit=1"))[0].(obj)
	assert.Equal(t, list, first["images"], "the user's list shows the image")

	// The same image again: the same URL, not applied again.
	status, _ = upload(t, srv, tok, pid, pic+"\n", "image/jpeg")
	require.Equal(t, http.StatusAccepted, status)
	assert.Equal(t, url, imagesOf(t, srv, tok, pid)[0].(obj)["url"])
	assert.Equal(t, 1, srv.PlaylistApplied(pid))
	assert.Equal(t, 2, srv.PlaylistWrites(pid))

	// Another image, another URL; a stable one across servers.
	status, _ = upload(t, srv, tok, pid, jpegOf(t, 2), "image/jpeg; charset=binary")
	require.Equal(t, http.StatusAccepted, status)
	url2 := imagesOf(t, srv, tok, pid)[0].(obj)["url"]
	assert.NotEqual(t, url, url2)
	assert.Equal(t, 2, srv.PlaylistApplied(pid))

	other := start(t)
	otok := other.UserToken(coverScopes...)
	opid := createPlaylist(t, other, otok, "Elsewhere")
	status, _ = upload(t, other, otok, opid, pic, "image/jpeg")
	require.Equal(t, http.StatusAccepted, status)
	assert.Equal(t, url, imagesOf(t, other, otok, opid)[0].(obj)["url"], "the URL depends on the bytes only")
}

func TestCoverUploadRefusals(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(coverScopes...)
	pid := createPlaylist(t, srv, tok, "Mine")
	notMine, collab := foreignPlaylists(t, srv)
	pic := jpegOf(t, 3)
	pngPic := encodedImage(t, 3, func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) })
	big := strings.Repeat("A", 256<<10+4)

	cases := []struct {
		name, tok, pid, body, ctype string
		status                      int
	}{
		{"not base64", tok, pid, "not*base64!", "image/jpeg", http.StatusBadRequest},
		{"a PNG", tok, pid, pngPic, "image/jpeg", http.StatusBadRequest},
		{"base64 of text", tok, pid, base64.StdEncoding.EncodeToString([]byte("hello")), "image/jpeg", http.StatusBadRequest},
		{"no body", tok, pid, "", "image/jpeg", http.StatusBadRequest},
		{"over 256 KB", tok, pid, big, "image/jpeg", http.StatusRequestEntityTooLarge},
		{"JSON content type", tok, pid, pic, "application/json", http.StatusUnsupportedMediaType},
		{"no ugc-image-upload", srv.UserToken("playlist-modify-public", "playlist-modify-private"), pid, pic, "image/jpeg", http.StatusForbidden},
		{"no playlist-modify", srv.UserToken("ugc-image-upload"), pid, pic, "image/jpeg", http.StatusForbidden},
		{"app token", srv.Token(), pid, pic, "image/jpeg", http.StatusUnauthorized},
		{"not the owner", tok, notMine, pic, "image/jpeg", http.StatusForbidden},
		{"an album id", tok, id(t, srv, KindAlbum, 0), pic, "image/jpeg", http.StatusNotFound},
		{"malformed id", tok, "bad!", pic, "image/jpeg", http.StatusBadRequest},
	}
	if collab != "" {
		cases = append(cases, struct {
			name, tok, pid, body, ctype string
			status                      int
		}{"a collaborator", tok, collab, pic, "image/jpeg", http.StatusForbidden})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.PlaylistWrites(tc.pid)
			status, body := upload(t, srv, tc.tok, tc.pid, tc.body, tc.ctype)
			assert.Equal(t, tc.status, status, "%s", body)
			assert.Equal(t, before+1, srv.PlaylistWrites(tc.pid), "every request counts as a write")
			assert.Zero(t, srv.PlaylistApplied(tc.pid), "a refused upload changes nothing")
		})
	}
	assert.Empty(t, imagesOf(t, srv, tok, pid), "refused uploads leave no image")
}

func TestCoverOfGeneratedPlaylist(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(coverScopes...)
	me := srv.LoginUser()
	var pid string
	for _, id := range srv.Catalog().IDs(KindPlaylist, 200) {
		pl := getObj(t, srv, "/v1/playlists/"+id)
		if pl["owner"].(obj)["id"] == me && len(pl["images"].([]any)) > 0 {
			pid = id
			break
		}
	}
	require.NotEmpty(t, pid, "no generated playlist of the login user with images")
	generated := imagesOf(t, srv, tok, pid)

	// A write keeps the generated images.
	tr := "spotify:track:" + id(t, srv, KindTrack, 0)
	mustDo(t, srv, tok, http.MethodPost, "/v1/playlists/"+pid+"/items?uris="+tr, "", http.StatusCreated)
	assert.Equal(t, generated, imagesOf(t, srv, tok, pid))

	// An upload replaces them.
	status, _ := upload(t, srv, tok, pid, jpegOf(t, 4), "image/jpeg")
	require.Equal(t, http.StatusAccepted, status)
	got := imagesOf(t, srv, tok, pid)
	require.Len(t, got, 1)
	assert.NotEqual(t, generated, got)
	assert.Equal(t, got, getMe(t, srv, tok, "/v1/playlists/"+pid)["images"])
}

func TestCoverThroughSDK(t *testing.T) {
	srv := start(t)
	c, err := spotify.NewClient(append(srv.ClientOptions(), spotify.WithAccessToken(srv.UserToken(coverScopes...)), spotify.WithMaxRetries(0))...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()

	pl, err := c.Playlists.Create(ctx, "SDK cover", nil)
	require.NoError(t, err)
	imgs, err := c.Playlists.GetCoverImage(ctx, pl.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, imgs)

	require.NoError(t, c.Playlists.UploadCoverImage(ctx, pl.ID, jpegOf(t, 5), nil))
	imgs, err = c.Playlists.GetCoverImage(ctx, pl.ID, nil)
	require.NoError(t, err)
	require.Len(t, imgs, 1)
	assert.True(t, strings.HasPrefix(imgs[0].URL, "https://"))
	assert.Nil(t, imgs[0].Height)
	assert.Nil(t, imgs[0].Width)

	err = c.Playlists.UploadCoverImage(ctx, pl.ID, base64.StdEncoding.EncodeToString([]byte("GIF89a")), nil)
	require.Error(t, err, "a GIF is refused")
	assert.Equal(t, 1, srv.PlaylistApplied(pl.ID))
	assert.Equal(t, 2, srv.PlaylistWrites(pl.ID))
}
