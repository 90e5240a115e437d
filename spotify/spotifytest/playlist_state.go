package spotifytest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Playlists with state: a playlist created through the API, or a
// generated playlist once written to, is held in memory (its generated
// entries copied on the first write) and served from there; the other
// playlists stay generated. Each change (details, add, reorder, replace,
// remove) makes a new snapshot_id, base64 "<version>,<hex>" like the
// generated ones. The old /tracks routes and the 2026 /items routes act
// on the same entries. Only the owner may change a playlist (403).
//
// GET /me/playlists lists the playlists the user created (newest first)
// before the generated ones, and shows the state of those written to.
//
// Not done: GET /users/{id}/playlists shows neither, cover images of
// created playlists (404), cover image uploads, the snapshot_id of a write is not checked against the
// current one (Spotify applies a write to an older snapshot too).

// plEntry is one entry of a stateful playlist.
type plEntry struct {
	episode bool
	index   int
	at      time.Time
	by      int
}

// plState is a stateful playlist.
type plState struct {
	owner          int
	name, desc     string
	public, collab bool
	followers      int
	version        int
	entries        []plEntry
}

// playlists holds the stateful playlists. Its zero value is ready.
type playlists struct {
	mu      sync.Mutex
	created int // playlists created so far: index numPlaylists()+n
	m       map[int]*plState
}

// snapshot returns the snapshot id of playlist p at st.version.
func (s *Server) snapshotOf(p int, st *plState) string {
	return base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(st.version) + "," + hex40(s.cat.h(kPlaylist, p, fSnapshot)+uint64(st.version))))
}

// statePlaylist returns playlist p's state (nil for a generated playlist
// never written); s.pl.mu is held.
func (s *Server) statePlaylist(p int) *plState {
	return s.pl.m[p]
}

// materialize returns playlist p's state, copying a generated one; s.pl.mu
// is held.
func (s *Server) materialize(p int) *plState {
	if st := s.pl.m[p]; st != nil {
		return st
	}
	cat := s.cat
	n := cat.playlistLen(p)
	st := &plState{
		owner: cat.playlistOwner(p), name: cat.playlistWords(p).String(), desc: cat.playlistDescription(p),
		public: cat.playlistPublic(p), collab: cat.playlistCollaborative(p), followers: cat.playlistFollowers(p),
		version: 1 + n, entries: make([]plEntry, n),
	}
	for k := range n {
		e := cat.playlistEntry(p, k)
		at, _ := time.Parse(time.RFC3339, cat.entryAddedAt(p, k))
		st.entries[k] = plEntry{episode: e.episode, index: e.index, at: at, by: cat.entryAddedBy(p, k)}
	}
	if s.pl.m == nil {
		s.pl.m = map[int]*plState{}
	}
	s.pl.m[p] = st
	return st
}

// playlistParam resolves the playlist_id parameter: a generated playlist
// or a created one. 400 for a malformed id, 404 for an unknown one.
func (c *call) playlistParam() (int, bool) {
	id := c.param("playlist_id")
	if !wellFormed(id) {
		c.fail(http.StatusBadRequest, "invalid id")
		return 0, false
	}
	k, p, ok := c.s.cat.decodeID(id)
	if ok && k == kPlaylist {
		if c.s.cat.exists(k, p) {
			return p, true
		}
		c.s.pl.mu.Lock()
		st := c.s.pl.m[p]
		c.s.pl.mu.Unlock()
		if st != nil {
			return p, true
		}
	}
	c.fail(http.StatusNotFound, "Resource not found")
	return 0, false
}

// stateView renders playlist p from its state under s.pl.mu; ok false when
// it has none (the caller falls back to the generated answer).
func (c *call) stateView(p int, write func(v *view, p int, st *plState)) bool {
	c.s.pl.mu.Lock()
	defer c.s.pl.mu.Unlock()
	st := c.s.statePlaylist(p)
	if st == nil {
		return false
	}
	v := c.view()
	if v == nil {
		return true
	}
	write(v, p, st)
	c.send(v)
	return true
}

// handlePlaylistState answers GET /v1/playlists/{playlist_id}.
func handlePlaylistState(c *call) {
	p, ok := c.playlistParam()
	if !ok {
		return
	}
	if !c.stateView(p, func(v *view, p int, st *plState) { c.s.writePlaylist(v, p, st) }) {
		handlePlaylist(c)
	}
}

// playlistEntriesState answers GET .../items and .../tracks.
func playlistEntriesState(maxLimit int, item2026 bool) func(*call) {
	return func(c *call) {
		p, ok := c.playlistParam()
		if !ok {
			return
		}
		offset, limit, ok := c.page(20, maxLimit, 0)
		if !ok {
			return
		}
		if !c.stateView(p, func(v *view, p int, st *plState) {
			writeStateEntries(v, p, st, offset, limit, item2026, c.optKV("market", "additional_types"))
		}) {
			c.playlistEntries(maxLimit, item2026)
		}
	}
}

// writePlaylist writes a PlaylistObject from st.
func (s *Server) writePlaylist(v *view, p int, st *plState) {
	v.obj()
	v.kb("collaborative", st.collab)
	v.ksn("description", st.desc)
	v.k("images")
	v.arr()
	v.arrEnd()
	v.ks("name", st.name)
	v.k("owner")
	v.playlistUser(st.owner, true)
	v.kn("primary_color")
	v.kb("public", st.public)
	v.ks("snapshot_id", s.snapshotOf(p, st))
	v.ref(kPlaylist, v.id(kPlaylist, p))
	v.followers(st.followers)
	v.k("items")
	writeStateEntries(v, p, st, 0, 50, true, nil)
	v.k("tracks")
	writeStateEntries(v, p, st, 0, 100, false, nil)
	v.objEnd()
}

// writeStateEntries writes a page of st's entries (see view.entries).
func writeStateEntries(v *view, p int, st *plState, offset, limit int, item2026 bool, post []kv) {
	sub := "/tracks"
	keys := []string{"track"}
	if item2026 {
		sub, keys = "/items", []string{"item", "track"}
	}
	spec := pageSpec{path: apiPath(kPlaylist, v.id(kPlaylist, p)) + sub, post: post}
	v.page(spec, offset, limit, len(st.entries), func(k int) {
		e := st.entries[k]
		v.obj()
		v.ks("added_at", e.at.UTC().Format(time.RFC3339))
		v.k("added_by")
		v.playlistUser(e.by, false)
		v.kb("is_local", false)
		v.kn("primary_color")
		for _, key := range keys {
			v.k(key)
			if e.episode {
				v.episode(e.index, true)
			} else {
				v.track(e.index, true)
			}
		}
		v.k("video_thumbnail")
		v.obj()
		v.kn("url")
		v.objEnd()
		v.objEnd()
	})
}

// addPlaylistWriteRoutes registers the playlist write routes.
func addPlaylistWriteRoutes(rt *router) {
	rt.add(http.MethodPost, "/v1/me/playlists", handleCreatePlaylist)
	rt.add(http.MethodPost, "/v1/users/{user_id}/playlists", handleCreatePlaylist, extendedOnly)
	rt.add(http.MethodPut, "/v1/playlists/{playlist_id}", handlePlaylistDetails)
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

func (d playlistDetails) apply(st *plState) {
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
	st := &plState{owner: u, public: true, version: 1}
	d.apply(st)
	s := c.s
	s.pl.mu.Lock()
	p := s.cat.numPlaylists() + s.pl.created
	s.pl.created++
	if s.pl.m == nil {
		s.pl.m = map[int]*plState{}
	}
	s.pl.m[p] = st
	v := c.view()
	if v == nil {
		s.pl.mu.Unlock()
		return
	}
	s.writePlaylist(v, p, st)
	s.pl.mu.Unlock()
	writeJSON(c.w, http.StatusCreated, v.b)
	v.free()
}

// owned resolves the playlist, checks the scope and that the user owns it,
// and returns it with s.pl.mu held (the caller unlocks).
func (c *call) owned() (p int, st *plState, ok bool) {
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
	if st.owner != u && !st.collab {
		c.s.pl.mu.Unlock()
		c.fail(http.StatusForbidden, "You cannot modify a playlist you do not own")
		return 0, nil, false
	}
	return p, st, true
}

// handlePlaylistDetails answers PUT /v1/playlists/{playlist_id}: 200 with
// an empty body.
func handlePlaylistDetails(c *call) {
	var d playlistDetails
	if !c.readBody(&d) {
		return
	}
	_, st, ok := c.owned()
	if !ok {
		return
	}
	d.apply(st)
	st.version++
	c.s.pl.mu.Unlock()
	c.sendEmpty()
}

// parseEntryURIs turns spotify:track: and spotify:episode: URIs into
// entries; 400 on another or an unknown one.
func (c *call) parseEntryURIs(uris []string, by int) ([]plEntry, bool) {
	now := c.s.now()
	out := make([]plEntry, 0, len(uris))
	for _, uri := range uris {
		parts := strings.Split(strings.TrimSpace(uri), ":")
		if len(parts) != 3 || parts[0] != "spotify" || (parts[1] != "track" && parts[1] != "episode") {
			c.fail(http.StatusBadRequest, "Invalid track uri: "+uri)
			return nil, false
		}
		k := kTrack
		if parts[1] == "episode" {
			k = kEpisode
		}
		i, ok := c.s.cat.lookup(k, parts[2])
		if !ok {
			c.fail(http.StatusBadRequest, "Invalid track uri: "+uri)
			return nil, false
		}
		out = append(out, plEntry{episode: k == kEpisode, index: i, at: now, by: by})
	}
	return out, true
}

// entryURI returns the URI of an entry.
func (s *Server) entryURI(e plEntry) string {
	if e.episode {
		return "spotify:episode:" + s.cat.encodeID(kEpisode, e.index)
	}
	return "spotify:track:" + s.cat.encodeID(kTrack, e.index)
}

// sendSnapshot answers status with {"snapshot_id": ...}; s.pl.mu is held
// and released.
func (c *call) sendSnapshot(status, p int, st *plState) {
	snap := c.s.snapshotOf(p, st)
	c.s.pl.mu.Unlock()
	j := newJW()
	j.obj()
	j.ks("snapshot_id", snap)
	j.objEnd()
	writeJSON(c.w, status, j.b)
	j.free()
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
	p, st, ok := c.owned()
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
	st.version++
	c.sendSnapshot(http.StatusCreated, p, st)
}

// handlePlaylistUpdate answers PUT /v1/playlists/{id}/items and /tracks:
// with range_start and insert_before, moves range_length (default 1)
// entries; else replaces every entry with uris (query or body, at most
// 100). 200 {"snapshot_id"}.
func handlePlaylistUpdate(c *call) {
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
	p, st, ok := c.owned()
	if !ok {
		return
	}
	if !reorder {
		st.entries = repl
		st.version++
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
	}
	st.version++
	c.sendSnapshot(http.StatusOK, p, st)
}

// handlePlaylistRemove answers DELETE /v1/playlists/{id}/items and
// /tracks: body {"items"|"tracks":[{"uri":...}], "snapshot_id"}, at most
// 100; every occurrence of each URI goes. 200 {"snapshot_id"}.
func handlePlaylistRemove(key string) func(*call) {
	return func(c *call) {
		var body map[string]json.RawMessage
		if !c.readBody(&body) {
			return
		}
		var refs []struct {
			URI string `json:"uri"`
		}
		raw := body[key]
		if raw == nil {
			raw = body["tracks"]
		}
		if raw == nil {
			raw = body["items"]
		}
		if raw == nil || json.Unmarshal(raw, &refs) != nil || len(refs) == 0 {
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
		if _, ok := c.parseEntryURIs(uris, 0); !ok {
			return
		}
		gone := map[string]bool{}
		for _, u := range uris {
			gone[strings.TrimSpace(u)] = true
		}
		p, st, ok := c.owned()
		if !ok {
			return
		}
		kept := st.entries[:0]
		for _, e := range st.entries {
			if !gone[c.s.entryURI(e)] {
				kept = append(kept, e)
			}
		}
		st.entries = kept
		st.version++
		c.sendSnapshot(http.StatusOK, p, st)
	}
}

// myCreated returns the playlists user u created, newest first.
func (s *Server) myCreated(u int) []int {
	s.pl.mu.Lock()
	defer s.pl.mu.Unlock()
	var out []int
	base := s.cat.numPlaylists()
	for p := base + s.pl.created - 1; p >= base; p-- {
		if st := s.pl.m[p]; st != nil && st.owner == u {
			out = append(out, p)
		}
	}
	return out
}

// simplifiedState writes a SimplifiedPlaylistObject of playlist p from its
// state; false when it has none.
func (s *Server) simplifiedState(v *view, p int) bool {
	s.pl.mu.Lock()
	defer s.pl.mu.Unlock()
	st := s.pl.m[p]
	if st == nil {
		return false
	}
	path := v.base + apiPath(kPlaylist, v.id(kPlaylist, p))
	v.obj()
	v.kb("collaborative", st.collab)
	v.ks("description", st.desc)
	v.k("images")
	v.arr()
	v.arrEnd()
	v.ks("name", st.name)
	v.k("owner")
	v.playlistUser(st.owner, true)
	v.kn("primary_color")
	v.kb("public", st.public)
	v.ks("snapshot_id", s.snapshotOf(p, st))
	v.ref(kPlaylist, v.id(kPlaylist, p))
	v.k("items")
	v.refPage(path+"/items", len(st.entries))
	v.k("tracks")
	v.refPage(path+"/tracks", len(st.entries))
	v.objEnd()
	return true
}
