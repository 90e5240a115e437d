package spotifytest

import (
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
)

// HTTP caching of the answers to GETs of user data (/v1/me...,
// /v1/playlists..., /v1/users...; every 200 JSON answer sent through
// call.send):
//
//   - ETag: a strong validator, the FNV-64a hash of the body in quotes, so
//     that it changes with any change of the answer (a playlist's entries,
//     a saved page after a library write, ...). A GET whose If-None-Match
//     names it ("*" or a list, W/ prefixes ignored, the weak comparison of
//     RFC 9110 §13.1.2) answers 304 Not Modified with no body, and the
//     same ETag and Cache-Control.
//   - Cache-Control: "private, max-age=0", which Spotify sends on user
//     data.
//
// Catalogue answers (albums, artists, tracks, search, ...) carry neither:
// a choice. Spotify's CDN answers carry "public, max-age=..."; sending it
// (or an ETag) here makes the SDK's ETag/max-age cache answer or
// revalidate repeated catalogue GETs, and the emulator's tests that count
// the requests the SDK sends (retries, rate limits, faults) rely on every
// call reaching the server.

// cacheControl returns the Cache-Control of a GET answer for path, "" for
// none (catalogue data).
func cacheControl(path string) string {
	for _, p := range []string{"/v1/me", "/v1/playlists/", "/v1/users/"} {
		if path == p || strings.HasPrefix(path, p) {
			return "private, max-age=0"
		}
	}
	return ""
}

// etagOf returns the strong ETag of body.
func etagOf(body []byte) string {
	h := fnv.New64a()
	_, _ = h.Write(body)
	return `"` + strconv.FormatUint(h.Sum64(), 16) + `"`
}

// etagMatches reports whether an If-None-Match header value names tag.
func etagMatches(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

// cached sets the caching headers of a 200 answer with body to a GET and
// answers 304 when the request's If-None-Match matches; it reports
// whether it answered.
func (c *call) cached(body []byte) bool {
	cc := cacheControl(c.r.URL.Path)
	if c.r.Method != http.MethodGet || cc == "" {
		return false
	}
	tag := etagOf(body)
	h := c.w.Header()
	h.Set("ETag", tag)
	h.Set("Cache-Control", cc)
	if inm := c.r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, tag) {
		c.w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}
