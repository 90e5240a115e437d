package spotifytest

import (
	"net/http"
	"slices"
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
		typ, id, ok := splitURI(strings.TrimSpace(uri))
		if !ok {
			c.fail(http.StatusBadRequest, "Invalid uri: "+uri)
			return nil, false
		}
		if _, ok := scopes[typ]; !ok {
			c.fail(http.StatusBadRequest, "Unsupported uri type: "+typ)
			return nil, false
		}
		if typ != "user" && !wellFormed(id) {
			c.fail(http.StatusBadRequest, "Invalid uri: "+uri)
			return nil, false
		}
		refs[n].typ = typ
		if k, i, ok := cat.decodeID(id); ok && c.s.itemExists(k, i) && (string(k.Kind()) == typ || string(uriKind(k)) == typ) {
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

// splitURI splits a Spotify URI, "spotify:<type>:<id>", into its type
// and id; ok false for another shape (an empty type or id included).
func splitURI(uri string) (typ, id string, ok bool) {
	rest, ok := strings.CutPrefix(uri, "spotify:")
	if !ok {
		return "", "", false
	}
	typ, id, ok = strings.Cut(rest, ":")
	if !ok || typ == "" || id == "" || strings.Contains(id, ":") {
		return "", "", false
	}
	return typ, id, true
}

// itemExists reports whether item i of kind k exists: in the catalogue,
// or for a playlist, created through the API.
func (s *Server) itemExists(k kind, i int) bool {
	if k == kPlaylist {
		return s.playlistExists(i)
	}
	return s.cat.exists(k, i)
}

// hasAny reports whether the token was granted one of scopes.
func (t *token) hasAny(scopes []string) bool {
	return slices.ContainsFunc(scopes, t.has)
}
