package spotifytest

import (
	"net/http"
	"strings"
)

// The uris parameter of the 2026 library routes (PUT/DELETE /v1/me/library,
// GET /v1/me/library/contains): at most 40 Spotify URIs of tracks, albums,
// episodes, shows, audiobooks, artists, users and playlists.

// libraryRef is one URI of a library request: its type and, when the
// catalogue has the item, the item.
type libraryRef struct {
	typ   string
	key   itemKey
	known bool
}

// libraryURIs reads the uris parameter. scopes gives, for each URI type
// the route accepts, the scopes that allow it (any one). It answers 400
// for a missing or malformed list, more than 40 URIs or an unsupported
// type, and 403 when the token lacks the scope of one URI's type; a
// well-formed id the catalogue does not have (or of another kind than its
// type) comes back with known false.
func (c *call) libraryURIs(scopes map[string][]string) ([]libraryRef, bool) {
	raw := c.q.Get("uris")
	if strings.TrimSpace(raw) == "" {
		c.fail(http.StatusBadRequest, "Missing required field: uris")
		return nil, false
	}
	uris := strings.Split(raw, ",")
	if len(uris) > 40 {
		c.fail(http.StatusBadRequest, "Too many uris requested")
		return nil, false
	}
	cat := c.s.cat
	refs := make([]libraryRef, len(uris))
	for n, uri := range uris {
		parts := strings.Split(strings.TrimSpace(uri), ":")
		if len(parts) != 3 || parts[0] != "spotify" || parts[2] == "" {
			c.fail(http.StatusBadRequest, "Invalid uri: "+uri)
			return nil, false
		}
		typ, id := parts[1], parts[2]
		if _, ok := scopes[typ]; !ok {
			c.fail(http.StatusBadRequest, "Unsupported uri type: "+typ)
			return nil, false
		}
		if typ != "user" && !wellFormed(id) {
			c.fail(http.StatusBadRequest, "Invalid uri: "+uri)
			return nil, false
		}
		refs[n].typ = typ
		if k, i, ok := cat.decodeID(id); ok && cat.exists(k, i) && (string(k.Kind()) == typ || string(uriKind(k)) == typ) {
			refs[n].key, refs[n].known = itemKey{k, i}, true
		}
	}
	for _, r := range refs {
		if !c.tok.hasAny(scopes[r.typ]) {
			c.fail(http.StatusForbidden, "Insufficient client scope")
			return nil, false
		}
	}
	return refs, true
}

// hasAny reports whether the token was granted one of scopes.
func (t *token) hasAny(scopes []string) bool {
	for _, sc := range scopes {
		if t.has(sc) {
			return true
		}
	}
	return false
}
