package spotifytest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"mime"
	"net/http"
	"strings"
)

// Cover images of playlists. A generated playlist has generated images
// (view.playlistImages) until a cover is uploaded; a created one has none
// until then. PUT /v1/playlists/{id}/images takes a JPEG as base64 text
// with Content-Type image/jpeg, from the owner only, and answers 202
// Accepted with an empty body, as Spotify does; the playlist then shows
// one image whose URL is drawn from a hash of the JPEG's bytes (the same
// image gives the same URL), with height and width null, as Spotify
// answers for uploaded covers. The upload does not change the snapshot_id.
//
// Spotify's reference names no status for a body over 256 KB of base64
// or for another Content-Type; the emulator answers 413 and 415.

const (
	// scopeImageUpload is the scope of cover uploads, with one of the
	// playlist-modify scopes.
	scopeImageUpload = "ugc-image-upload"
	// maxCoverBase64 is the largest body of a cover upload: 256 KB of
	// base64 text.
	maxCoverBase64 = 256 << 10
)

// coverURL returns the URL of an uploaded cover with the bytes jpeg.
func coverURL(jpeg []byte) string {
	sum := sha256.Sum256(jpeg)
	return "https://image-cdn-fa.spotifycdn.com/image/ab67706c0000d72c" + hex.EncodeToString(sum[:12])
}

// stateImages writes the images of playlist p from its state: the
// uploaded cover, else the generated images of a generated playlist,
// else none.
func (v *view) stateImages(p int, st *plState) {
	switch {
	case st.cover != "":
		v.arr()
		v.obj()
		v.kn("height")
		v.ks("url", st.cover)
		v.kn("width")
		v.objEnd()
		v.arrEnd()
	case st.gen:
		v.playlistImages(p)
	default:
		v.arr()
		v.arrEnd()
	}
}

// handlePlaylistImages answers GET /v1/playlists/{id}/images: the cover
// images, a bare JSON array.
func handlePlaylistImages(c *call) {
	p, ok := c.playlistParam()
	if !ok {
		return
	}
	if c.stateView(p, func(v *view, p int, st *plState) { v.stateImages(p, st) }) {
		return
	}
	v := c.view()
	if v == nil {
		return
	}
	v.playlistImages(p)
	c.send(v)
}

// readCover reads and checks the body of a cover upload and returns the
// JPEG's bytes; on a bad body it answers and returns ok false.
func (c *call) readCover() ([]byte, bool) {
	if mt, _, err := mime.ParseMediaType(c.r.Header.Get("Content-Type")); err != nil || mt != "image/jpeg" {
		c.fail(http.StatusUnsupportedMediaType, "Content-Type must be image/jpeg")
		return nil, false
	}
	var text []byte
	if c.r.Body != nil {
		var err error
		if text, err = io.ReadAll(io.LimitReader(c.r.Body, maxCoverBase64+1)); err != nil {
			c.fail(http.StatusBadRequest, "Could not read the image")
			return nil, false
		}
	}
	if len(text) > maxCoverBase64 {
		c.fail(http.StatusRequestEntityTooLarge, "Image too large: at most 256 KB of base64")
		return nil, false
	}
	jpeg, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(text)))
	if err != nil || len(jpeg) == 0 {
		c.fail(http.StatusBadRequest, "Image is not valid base64")
		return nil, false
	}
	if len(jpeg) < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 {
		c.fail(http.StatusBadRequest, "Image is not a JPEG")
		return nil, false
	}
	return jpeg, true
}

// handleCoverUpload answers PUT /v1/playlists/{playlist_id}/images:
// scopes ugc-image-upload and playlist-modify-public or -private, the
// owner only (a collaborator gets 403). 202 with an empty body.
func handleCoverUpload(c *call) {
	c.countWrite()
	if _, ok := c.me(scopeImageUpload); !ok {
		return
	}
	jpeg, ok := c.readCover()
	if !ok {
		return
	}
	p, st, ok := c.owned(false)
	if !ok {
		return
	}
	if url := coverURL(jpeg); st.cover != url {
		st.cover = url
		c.s.pl.applied[p]++
	}
	c.s.pl.mu.Unlock()
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusAccepted)
}
