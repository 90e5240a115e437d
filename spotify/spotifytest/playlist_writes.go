package spotifytest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Writes to playlists: create, change details, add, reorder, replace and
// remove entries, through the 2026 /items routes and the older /tracks
// ones (Extended Quota only). Each write that reaches a handler with a
// playlist_id counts in Server.PlaylistWrites, whatever it answers; each
// that changes the playlist counts in Server.PlaylistApplied and gives it
// a new snapshot_id (playlist_snapshot.go).

// addPlaylistWriteRoutes registers the playlist write routes.
func addPlaylistWriteRoutes(rt *router) {
	rt.add(http.MethodPost, "/v1/me/playlists", handleCreatePlaylist)
	rt.add(http.MethodPost, "/v1/users/{user_id}/playlists", handleCreatePlaylist, extendedOnly)
	rt.add(http.MethodPut, "/v1/playlists/{playlist_id}", handlePlaylistDetails)
	rt.add(http.MethodPut, "/v1/playlists/{playlist_id}/images", handleCoverUpload) // playlist_images.go
	for _, sub := range []string{"/items", "/tracks"} {
		var flags []routeFlag
		if sub == "/tracks" {
			flags = append(flags, extendedOnly)
		}
		rt.add(http.MethodPost, "/v1/playlists/{playlist_id}"+sub, handlePlaylistAdd, flags...)
		rt.add(http.MethodPut, "/v1/playlists/{playlist_id}"+sub, handlePlaylistUpdate, flags...)
		rt.add(http.MethodDelete, "/v1/playlists/{playlist_id}"+sub, handlePlaylistRemove(sub[1:]), flags...)
	}
}

// readBody decodes a JSON body into dst; an empty body leaves it as is.
func (c *call) readBody(dst any) bool {
	if c.r.Body == nil || c.r.ContentLength == 0 {
		return true
	}
	if err := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 1<<20)).Decode(dst); err != nil {
		c.fail(http.StatusBadRequest, "Error parsing JSON.")
		return false
	}
	return true
}

// playlistDetails is the body of a create or details request.
type playlistDetails struct {
	Name          *string `json:"name"`
	Public        *bool   `json:"public"`
	Collaborative *bool   `json:"collaborative"`
	Description   *string `json:"description"`
}

// apply sets the fields d names and reports whether one changed.
func (d playlistDetails) apply(st *plState) bool {
	before := *st
	if d.Name != nil {
		st.name = *d.Name
	}
	if d.Public != nil {
		st.public = *d.Public
	}
	if d.Collaborative != nil {
		st.collab = *d.Collaborative
	}
	if d.Description != nil {
		st.desc = *d.Description
	}
	return st.name != before.name || st.public != before.public || st.collab != before.collab || st.desc != before.desc
}

// handleCreatePlaylist answers POST /v1/me/playlists and POST
// /v1/users/{user_id}/playlists (the current user only, else 403): 201
// with the new PlaylistObject.
func handleCreatePlaylist(c *call) {
	u, ok := c.me(scopePlaylistPublic, scopePlaylistPriv)
	if !ok {
		return
	}
	if uid := c.param("user_id"); uid != "" && uid != c.s.cat.encodeID(kUser, u) {
		c.fail(http.StatusForbidden, "You cannot create a playlist for another user")
		return
	}
	var d playlistDetails
	if !c.readBody(&d) {
		return
	}
	if d.Name == nil || *d.Name == "" {
		c.fail(http.StatusBadRequest, "Missing required field: name")
		return
	}
	v := c.view() // a bad market answers 400 before anything is stored
	if v == nil {
		return
	}
	st := &plState{owner: u, public: true, version: 1, base: 1}
	d.apply(st)
	s := c.s
	s.pl.mu.Lock()
	p := s.cat.numPlaylists() + s.pl.created
	s.pl.created++
	s.pl.init()
	s.pl.m[p] = st
	s.writePlaylist(v, p, st)
	s.pl.mu.Unlock()
	writeJSON(c.w, http.StatusCreated, v.b)
	v.free()
}

// countWrite counts a write request to the playlist the request names.
func (c *call) countWrite() {
	s := c.s
	s.pl.mu.Lock()
	s.pl.init()
	s.pl.writes[c.param("playlist_id")]++
	s.pl.mu.Unlock()
}

// owned resolves the playlist, checks the scope and that the user owns it
// (or, for a change of its entries, that it is collaborative: Spotify lets
// collaborators add, move and remove entries, but only the owner change
// the details or the cover), and returns it with s.pl.mu held (the caller
// unlocks).
func (c *call) owned(entries bool) (p int, st *plState, ok bool) {
	u, ok := c.me(scopePlaylistPublic, scopePlaylistPriv)
	if !ok {
		return 0, nil, false
	}
	p, ok = c.playlistParam()
	if !ok {
		return 0, nil, false
	}
	c.s.pl.mu.Lock()
	st = c.s.materialize(p)
	if st.owner != u && !(entries && st.collab) {
		c.s.pl.mu.Unlock()
		c.fail(http.StatusForbidden, "You cannot modify a playlist you do not own")
		return 0, nil, false
	}
	return p, st, true
}

// handlePlaylistDetails answers PUT /v1/playlists/{playlist_id}: 200 with
// an empty body.
func handlePlaylistDetails(c *call) {
	c.countWrite()
	var d playlistDetails
	if !c.readBody(&d) {
		return
	}
	p, st, ok := c.owned(false)
	if !ok {
		return
	}
	if d.apply(st) {
		c.s.bump(p, st)
	}
	c.s.pl.mu.Unlock()
	c.sendEmpty()
}

// parseEntryURIs turns spotify:track: and spotify:episode: URIs into
// entries added by user by; 400 on another or an unknown one (itemURI).
func (c *call) parseEntryURIs(uris []string, by int) ([]plEntry, bool) {
	now := c.s.now()
	out := make([]plEntry, 0, len(uris))
	for _, uri := range uris {
		it, ok := c.itemURI(uri)
		if !ok {
			return nil, false
		}
		out = append(out, plEntry{episode: it.episode, index: it.i, at: now, by: by})
	}
	return out, true
}

// urisOf reads uris from the query (comma separated) or the body's uris.
func (c *call) urisOf(body []string) []string {
	if raw := c.q.Get("uris"); raw != "" {
		return strings.Split(raw, ",")
	}
	return body
}

// handlePlaylistAdd answers POST /v1/playlists/{id}/items and /tracks:
// uris (query or body, at most 100), position (query or body; default
// the end): 201 {"snapshot_id"}.
func handlePlaylistAdd(c *call) {
	c.countWrite()
	var body struct {
		URIs     []string `json:"uris"`
		Position *int     `json:"position"`
	}
	if !c.readBody(&body) {
		return
	}
	uris := c.urisOf(body.URIs)
	if len(uris) == 0 {
		c.fail(http.StatusBadRequest, "Missing required field: uris")
		return
	}
	if len(uris) > 100 {
		c.fail(http.StatusBadRequest, "You can add a maximum of 100 tracks per request.")
		return
	}
	pos := -1
	if body.Position != nil {
		pos = *body.Position
	}
	if raw := c.q.Get("position"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			c.fail(http.StatusBadRequest, "Invalid position")
			return
		}
		pos = n
	}
	u, ok := c.me(scopePlaylistPublic, scopePlaylistPriv)
	if !ok {
		return
	}
	add, ok := c.parseEntryURIs(uris, u)
	if !ok {
		return
	}
	p, st, ok := c.owned(true)
	if !ok {
		return
	}
	if pos < 0 {
		pos = len(st.entries)
	}
	if pos > len(st.entries) {
		c.s.pl.mu.Unlock()
		c.fail(http.StatusBadRequest, "Index out of bounds")
		return
	}
	st.entries = append(st.entries[:pos], append(add, st.entries[pos:]...)...)
	c.s.bump(p, st)
	c.sendSnapshot(http.StatusCreated, p, st)
}

// handlePlaylistUpdate answers PUT /v1/playlists/{id}/items and /tracks:
// with range_start and insert_before, moves range_length (default 1)
// entries; else replaces every entry with uris (query or body, at most
// 100). A snapshot_id in the body must be one the playlist had. 200
// {"snapshot_id"}.
func handlePlaylistUpdate(c *call) {
	c.countWrite()
	var body struct {
		URIs         []string `json:"uris"`
		RangeStart   *int     `json:"range_start"`
		InsertBefore *int     `json:"insert_before"`
		RangeLength  *int     `json:"range_length"`
		SnapshotID   string   `json:"snapshot_id"`
	}
	if !c.readBody(&body) {
		return
	}
	u, ok := c.me(scopePlaylistPublic, scopePlaylistPriv)
	if !ok {
		return
	}
	reorder := body.RangeStart != nil || body.InsertBefore != nil
	var repl []plEntry
	if !reorder {
		uris := c.urisOf(body.URIs)
		if len(uris) > 100 {
			c.fail(http.StatusBadRequest, "You can add a maximum of 100 tracks per request.")
			return
		}
		if repl, ok = c.parseEntryURIs(uris, u); !ok {
			return
		}
	} else if body.RangeStart == nil || body.InsertBefore == nil {
		c.fail(http.StatusBadRequest, "Missing required field: range_start or insert_before")
		return
	}
	p, st, ok := c.owned(true)
	if !ok || !c.checkSnapshot(p, st, body.SnapshotID) {
		return
	}
	if !reorder {
		if !sameURIs(st.entries, repl) {
			st.entries = repl
			c.s.bump(p, st)
		}
		c.sendSnapshot(http.StatusOK, p, st)
		return
	}
	start, before, n := *body.RangeStart, *body.InsertBefore, 1
	if body.RangeLength != nil {
		n = *body.RangeLength
	}
	if start < 0 || n < 1 || start+n > len(st.entries) || before < 0 || before > len(st.entries) {
		c.s.pl.mu.Unlock()
		c.fail(http.StatusBadRequest, "Index out of bounds")
		return
	}
	if before < start || before > start+n { // inside the range: nothing moves
		moved := append([]plEntry(nil), st.entries[start:start+n]...)
		rest := append(append([]plEntry(nil), st.entries[:start]...), st.entries[start+n:]...)
		at := before
		if before > start {
			at -= n
		}
		st.entries = append(rest[:at], append(moved, rest[at:]...)...)
		c.s.bump(p, st)
	}
	c.sendSnapshot(http.StatusOK, p, st)
}

// handlePlaylistRemove answers DELETE /v1/playlists/{id}/items and
// /tracks: body {"items"|"tracks":[{"uri":...}], "snapshot_id"}, at most
// 100; every occurrence of each URI goes. A snapshot_id must be one the
// playlist had. 200 {"snapshot_id"}.
func handlePlaylistRemove(key string) func(*call) {
	return func(c *call) {
		c.countWrite()
		type ref struct {
			URI string `json:"uri"`
		}
		var body struct {
			Items      []ref  `json:"items"`
			Tracks     []ref  `json:"tracks"`
			SnapshotID string `json:"snapshot_id"`
		}
		if !c.readBody(&body) {
			return
		}
		// The route's own key first, then the other one.
		refs, other := body.Items, body.Tracks
		if key == "tracks" {
			refs, other = other, refs
		}
		if refs == nil {
			refs = other
		}
		if len(refs) == 0 {
			c.fail(http.StatusBadRequest, "Missing required field: "+key)
			return
		}
		if len(refs) > 100 {
			c.fail(http.StatusBadRequest, "You can remove a maximum of 100 tracks per request.")
			return
		}
		uris := make([]string, len(refs))
		for i, r := range refs {
			uris[i] = r.URI
		}
		parsed, ok := c.parseEntryURIs(uris, 0)
		if !ok {
			return
		}
		type item struct {
			episode bool
			index   int
		}
		gone := make(map[item]bool, len(parsed))
		for _, e := range parsed {
			gone[item{e.episode, e.index}] = true
		}
		p, st, ok := c.owned(true)
		if !ok || !c.checkSnapshot(p, st, body.SnapshotID) {
			return
		}
		kept := st.entries[:0]
		for _, e := range st.entries {
			if !gone[item{e.episode, e.index}] {
				kept = append(kept, e)
			}
		}
		if len(kept) != len(st.entries) {
			st.entries = kept
			c.s.bump(p, st)
		}
		c.sendSnapshot(http.StatusOK, p, st)
	}
}
