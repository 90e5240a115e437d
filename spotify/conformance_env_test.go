package spotify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// confEnv is what the calls of the conformance table work on: two clients
// of one emulator that send through one recording transport, and valid
// arguments taken from the emulator's catalogue.
type confEnv struct {
	srv *spotifytest.Server
	rec *recorder
	// me holds the login user's token with every scope; app authenticates
	// as the app (client credentials), so its first call asks /api/token.
	me, app *spotify.Client

	catalogIDs
	user                 string   // the login user's id
	other                string   // another user's id
	trackURIs            []string // the URIs of tracks
	episodeURI, albumURI string
	own                  string // a playlist the login user created, with the tracks in it
	coverJPEG            string // a small JPEG, base64
}

// newConfEnv starts an emulator with opts, makes the clients (every option
// of extra applies to both) and picks the arguments. It creates one
// playlist for the login user through the SDK, holding the tracks, and
// makes the user play the first track; those requests are recorded too.
func newConfEnv(t *testing.T, opts []spotifytest.Option, extra ...spotify.Option) *confEnv {
	t.Helper()
	srv := spotifytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	base := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(base.CloseIdleConnections)
	e := &confEnv{srv: srv, rec: &recorder{base: base}}

	common := append(srv.ClientOptions(), spotify.WithHTTPClient(&http.Client{Transport: e.rec}),
		spotify.WithMaxRetries(0), spotify.WithCache(nil))
	common = append(common, extra...)
	var err error
	e.me, err = spotify.NewClient(append(common, spotify.WithAccessToken(srv.UserToken(spotifytest.AllScopes())))...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = e.me.Close() })
	e.app, err = spotify.NewClient(append(common, spotify.WithClientCredentials(spotifytest.ClientID, spotifytest.ClientSecret))...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = e.app.Close() })

	cat := srv.Catalog()
	e.catalogIDs = pickCatalogIDs(t, cat)
	users := cat.IDs(spotifytest.KindUser, 2)
	require.Len(t, users, 2)
	e.user = srv.LoginUser()
	e.other = users[0]
	if e.other == e.user {
		e.other = users[1]
	}
	e.trackURIs = uriOf(t, srv, spotifytest.KindTrack, e.tracks...)
	e.episodeURI = uriOf(t, srv, spotifytest.KindEpisode, e.episode)[0]
	e.albumURI = uriOf(t, srv, spotifytest.KindAlbum, e.album)[0]
	e.coverJPEG = tinyJPEG(t)
	require.NoError(t, srv.SetPlaying(e.user, e.track))

	pl, err := e.me.Playlists.Create(context.Background(), "conformance", nil)
	require.NoError(t, err)
	e.own = pl.ID
	_, err = e.me.Playlists.AddItems(context.Background(), e.own, e.trackURIs, nil)
	require.NoError(t, err)
	return e
}

// uriOf returns the URIs of the catalogue items of kind k with ids.
func uriOf(t *testing.T, srv *spotifytest.Server, k spotifytest.Kind, ids ...string) []string {
	t.Helper()
	uris := make([]string, 0, len(ids))
	for _, id := range ids {
		got, i, ok := srv.Catalog().Decode(id)
		require.True(t, ok && got == k, "id %s is not of kind %s", id, k)
		uris = append(uris, srv.Catalog().URI(k, i))
	}
	return uris
}

// tinyJPEG encodes an 8×8 image as JPEG, base64, as a cover upload takes.
func tinyJPEG(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{R: 30, G: 215, B: 96, A: 255})
	}
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, nil))
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// exchange is one request the clients sent and the answer they got.
type exchange struct {
	req      *http.Request // its body already read into body
	body     []byte
	status   int
	header   http.Header
	respBody []byte
}

// recorder is the base transport of the conformance clients: it keeps a
// copy of every request and response that pass through it.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	log  []exchange
}

// RoundTrip sends req through the base transport and records it with the
// answer, both bodies read in full and put back.
func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	x := exchange{req: req.Clone(req.Context())}
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		x.body = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	x.status, x.header, x.respBody = resp.StatusCode, resp.Header.Clone(), b
	r.mu.Lock()
	r.log = append(r.log, x)
	r.mu.Unlock()
	return resp, nil
}

// take returns the exchanges recorded since the last take.
func (r *recorder) take() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	xs := r.log
	r.log = nil
	return xs
}
