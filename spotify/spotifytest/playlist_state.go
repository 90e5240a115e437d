package spotifytest

import (
	"net/http"
	"sync"
	"time"
)

// Playlists with state: a playlist created through the API, or a
// generated playlist once written to, is held in memory (its generated
// entries copied on the first write) and served from there; the other
// playlists stay generated. Each change (details, add, reorder, replace,
// remove) makes a new snapshot_id (playlist_snapshot.go); a write that
// changes nothing (removing a URI the playlist lacks, a move within the
// moved range, the same details or entries again) keeps the state and
// its snapshot. The old /tracks routes and the 2026 /items routes act on
// the same entries. Only the owner, or anyone for a collaborative
// playlist, may change it, and only the owner its cover (else 403); the
// writes are in playlist_writes.go, cover images in playlist_images.go.
//
// GET /me/playlists and GET /users/{id}/playlists list the playlists the
// user created (newest first) before the generated ones, and show the
// state of those written to (handlers_people.go).
//
// The server counts, per playlist, the write requests that reached a
// handler (Server.PlaylistWrites) and those that changed the playlist
// (Server.PlaylistApplied), as Server.Writes and Server.Applied do for the
// library: a retried add counts twice in both, a retried remove twice in
// PlaylistWrites and once in PlaylistApplied.

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
	version        int    // the current version, see snapshotOf
	base           int    // the first version: 1, or 1+len for a generated playlist
	gen            bool   // a generated playlist (its images stay generated)
	cover          string // the URL of the uploaded cover image, "" for none
	entries        []plEntry
}

// playlists holds the stateful playlists and the write counters. Its
// zero value is ready.
type playlists struct {
	mu      sync.Mutex
	created int // playlists created so far: index numPlaylists()+n
	m       map[int]*plState
	writes  map[string]int // write requests per playlist_id parameter
	applied map[int]int    // writes that changed the playlist
}

// init makes the maps; s.pl.mu is held.
func (pl *playlists) init() {
	if pl.m == nil {
		pl.m = map[int]*plState{}
		pl.writes = map[string]int{}
		pl.applied = map[int]int{}
	}
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
		version: 1 + n, base: 1 + n, gen: true, entries: make([]plEntry, n),
	}
	for k := range n {
		e := cat.playlistEntry(p, k)
		at, _ := time.Parse(time.RFC3339, cat.entryAddedAt(p, k))
		st.entries[k] = plEntry{episode: e.episode, index: e.index, at: at, by: cat.entryAddedBy(p, k)}
	}
	s.pl.init()
	s.pl.m[p] = st
	return st
}

// createdOwner returns the owner of playlist p when it was created
// through the API; ok false for a generated playlist (written to or not)
// and for an index no playlist has.
func (s *Server) createdOwner(p int) (owner int, ok bool) {
	s.pl.mu.Lock()
	defer s.pl.mu.Unlock()
	if st := s.pl.m[p]; st != nil && !st.gen {
		return st.owner, true
	}
	return 0, false
}

// playlistExists reports whether playlist p exists: a generated playlist
// or one created through the API.
func (s *Server) playlistExists(p int) bool {
	if s.cat.exists(kPlaylist, p) {
		return true
	}
	_, ok := s.createdOwner(p)
	return ok
}

// playlistParam resolves the playlist_id parameter: a generated playlist
// or a created one. 400 for a malformed id, 404 for an unknown one.
func (c *call) playlistParam() (int, bool) {
	id := c.param("playlist_id")
	if !wellFormed(id) {
		c.fail(http.StatusBadRequest, "invalid id")
		return 0, false
	}
	if k, p, ok := c.s.cat.decodeID(id); ok && k == kPlaylist && c.s.playlistExists(p) {
		return p, true
	}
	c.fail(http.StatusNotFound, "Resource not found")
	return 0, false
}

// stateView renders playlist p from its state, built under s.pl.mu and
// sent after it is released; ok false when it has none (the caller falls
// back to the generated answer). A bad market is answered here (400) and
// counts as handled.
func (c *call) stateView(p int, write func(v *view, p int, st *plState)) bool {
	v := c.view()
	if v == nil {
		return true
	}
	c.s.pl.mu.Lock()
	st := c.s.statePlaylist(p)
	if st != nil {
		write(v, p, st)
	}
	c.s.pl.mu.Unlock()
	if st == nil {
		v.free()
		return false
	}
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
	v.writeHead(p, s.stateHead(v, p, st), false)
	v.followers(st.followers)
	v.k("items")
	writeStateEntries(v, p, st, 0, 50, true, nil)
	v.k("tracks")
	writeStateEntries(v, p, st, 0, 100, false, nil)
	v.objEnd()
}

// stateHead is the shared fields of playlist p from its state st.
func (s *Server) stateHead(v *view, p int, st *plState) plHead {
	return plHead{collab: st.collab, public: st.public, owner: st.owner, desc: st.desc, name: st.name,
		snapshot: s.snapshotOf(p, st), images: func() { v.stateImages(p, st) }}
}

// writeStateEntries writes a page of st's entries (see view.entries).
func writeStateEntries(v *view, p int, st *plState, offset, limit int, item2026 bool, post []kv) {
	v.entriesPage(p, offset, limit, len(st.entries), item2026, post, func(k int) {
		e := st.entries[k]
		v.entry(e.at.UTC().Format(time.RFC3339), e.by, e.episode, e.index, item2026)
	})
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
	v.writeHead(p, s.stateHead(v, p, st), true)
	v.k("items")
	v.refPage(path+"/items", len(st.entries))
	v.k("tracks")
	v.refPage(path+"/tracks", len(st.entries))
	v.objEnd()
	return true
}

// writeSimplifiedPlaylist writes a SimplifiedPlaylistObject of playlist
// p: from its state once written to (its edited name, details and
// entries), else the generated one. Every list of playlists (search,
// featured and category playlists, a user's playlists) writes it.
func (s *Server) writeSimplifiedPlaylist(v *view, p int) {
	if !s.simplifiedState(v, p) {
		v.simplifiedPlaylist(p)
	}
}

// sameURIs reports whether two lists of entries name the same items in
// the same order.
func sameURIs(a, b []plEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].episode != b[i].episode || a[i].index != b[i].index {
			return false
		}
	}
	return true
}

// PlaylistWrites returns how many write requests (change details, add,
// reorder, replace or remove entries, upload a cover; any route) named the
// playlist with playlistID and reached their handler, whatever they
// answered: refusals (400, 403, 404) and writes that changed nothing
// count too. Creating a playlist does not count.
func (s *Server) PlaylistWrites(playlistID string) int {
	s.pl.mu.Lock()
	defer s.pl.mu.Unlock()
	return s.pl.writes[playlistID]
}

// PlaylistApplied returns how many write requests changed the playlist
// with playlistID: each gave it a new snapshot_id, or a new cover image.
// A write that changes nothing (removing an item the playlist lacks,
// replacing its entries with the same items, the same details again, the
// same cover again) does not count, so a retried removal is applied once
// and a retried add twice.
func (s *Server) PlaylistApplied(playlistID string) int {
	k, p, ok := s.cat.decodeID(playlistID)
	if !ok || k != kPlaylist {
		return 0
	}
	s.pl.mu.Lock()
	defer s.pl.mu.Unlock()
	return s.pl.applied[p]
}

// playlistPublic reports whether playlist p is public: its state's flag
// once written to, else the generated one.
func (s *Server) playlistPublic(p int) bool {
	s.pl.mu.Lock()
	defer s.pl.mu.Unlock()
	if st := s.pl.m[p]; st != nil {
		return st.public
	}
	return s.cat.playlistPublic(p)
}
