package spotifytest

import (
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Per-user write state, layered over the generated libraries
// (catalog_me.go): each user has a small overlay recording, per item
// (track, album, episode, show, audiobook, followed artist, followed user,
// followed playlist), whether the user's writes made it saved or not and
// when. An item without an entry has its generated state. The 2026 routes
// (PUT/DELETE /v1/me/library?uris=) and the old type-specific ones
// (PUT/DELETE /v1/me/tracks?ids=, /me/following?type=&ids=, ...) write the
// same overlay, and every read of the library (contains, saved pages)
// reads it.
//
// Counters: for each (user, item) the server counts the write requests
// that named the item (Server.Writes) and the writes that changed its
// state (Server.Applied): saving an item already saved, or removing one
// not saved, is idempotent, answers success and does not count as
// applied. So a test proves a save was applied exactly once with
// Applied == 1 whatever the retries, and sees the retries in Writes.
//
// Unknown but well-formed ids and URIs are ignored (counted in Writes,
// never applied); malformed ones answer 400 and write nothing.

// itemKey names one catalogue item.
type itemKey struct {
	k kind
	i int
}

// libEntry is the overlay's state of one item.
type libEntry struct {
	saved bool
	at    time.Time // when the state last changed
	seq   uint64    // order of the changes, for the saved pages
}

// userLib is one user's overlay and counters.
type userLib struct {
	items   map[itemKey]*libEntry
	applied map[itemKey]int
	writes  map[itemKey]int
}

// library holds every user's overlay. Its zero value is ready.
type library struct {
	mu    sync.Mutex
	seq   uint64
	users map[int]*userLib
}

// user returns user u's overlay, creating it; l.mu is held.
func (l *library) user(u int) *userLib {
	if l.users == nil {
		l.users = map[int]*userLib{}
	}
	ul := l.users[u]
	if ul == nil {
		ul = &userLib{items: map[itemKey]*libEntry{}, applied: map[itemKey]int{}, writes: map[itemKey]int{}}
		l.users[u] = ul
	}
	return ul
}

// state returns the overlay's state of item key for user u; ok false when
// the user never changed it.
func (l *library) state(u int, key itemKey) (saved, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ul := l.users[u]; ul != nil {
		if e := ul.items[key]; e != nil {
			return e.saved, true
		}
	}
	return false, false
}

// writeLibrary applies one write request of user u: save (or follow) the
// items when save, else remove them, at the server's clock. The items'
// generated states are read before s.lib.mu is taken.
func (s *Server) writeLibrary(u int, keys []itemKey, save bool) {
	now := s.now()
	gen := make([]bool, len(keys))
	for n, key := range keys {
		gen[n] = s.generated(u, key)
	}
	l := &s.lib
	l.mu.Lock()
	defer l.mu.Unlock()
	ul := l.user(u)
	for n, key := range keys {
		ul.writes[key]++
		cur := gen[n]
		if e := ul.items[key]; e != nil {
			cur = e.saved
		}
		if cur == save {
			continue
		}
		l.seq++
		ul.items[key] = &libEntry{saved: save, at: now, seq: l.seq}
		ul.applied[key]++
	}
}

// savedEntry is one entry of a saved page.
type savedEntry struct {
	i  int
	at time.Time
}

// merged returns user u's saved items of kind k, newest first: the items
// saved through the overlay, then the generated shelf without the items
// the overlay changed. It returns nil when the overlay holds no item of
// kind k (the page is the generated shelf).
func (s *Server) merged(u int, k kind, sh shelf) []savedEntry {
	s.lib.mu.Lock()
	type added struct {
		savedEntry
		seq uint64
	}
	var adds []added
	changed := map[int]bool{}
	if ul := s.lib.users[u]; ul != nil {
		for key, e := range ul.items {
			if key.k != k {
				continue
			}
			changed[key.i] = true
			if e.saved {
				adds = append(adds, added{savedEntry{key.i, e.at}, e.seq})
			}
		}
	}
	s.lib.mu.Unlock()
	if len(changed) == 0 {
		return nil
	}
	sort.Slice(adds, func(a, b int) bool { return adds[a].seq > adds[b].seq })
	out := make([]savedEntry, 0, len(adds)+64)
	for _, a := range adds {
		out = append(out, a.savedEntry)
	}
	cat := s.cat
	w := cat.shelf(u, sh)
	for j := range w.count {
		_, i := cat.shelfItem(sh, w, j)
		if !changed[i] {
			out = append(out, savedEntry{i, cat.addedAt(u, sh, j)})
		}
	}
	return out
}

// has reports whether user u holds item key: the overlay's state, else
// the generated one.
func (s *Server) has(u int, key itemKey) bool {
	if saved, ok := s.lib.state(u, key); ok {
		return saved
	}
	return s.generated(u, key)
}

// generated reports whether item key is in user u's generated library:
// saved (tracks, ...) or followed (artists, users, playlists: a playlist
// created through the API is followed by its owner only, a generated one
// as Catalog.followsPlaylist says).
func (s *Server) generated(u int, key itemKey) bool {
	cat := s.cat
	switch key.k {
	case kUser:
		return cat.follows(u, key.i)
	case kPlaylist:
		if owner, ok := s.createdOwner(key.i); ok {
			return owner == u
		}
		return cat.followsPlaylist(u, key.i)
	}
	if sh, ok := savedShelf(key.k); ok {
		return cat.shelfHas(u, sh, key.k, key.i)
	}
	return false
}

// userKey resolves a user id and uri for the counters.
func (s *Server) userKey(userID, uri string) (int, itemKey, bool) {
	u, ok := s.cat.lookup(kUser, userID)
	if !ok {
		return 0, itemKey{}, false
	}
	_, id, ok := splitURI(uri)
	if !ok {
		return 0, itemKey{}, false
	}
	k, i, ok := s.cat.decodeID(id)
	if !ok {
		return 0, itemKey{}, false
	}
	return u, itemKey{k, i}, true
}

// Applied returns how many write requests of the user with userID changed
// the library state of the item with uri ("spotify:track:..."): saves of
// an unsaved item, removals of a saved one, follows and unfollows. A
// repeated save of a saved item does not count.
func (s *Server) Applied(userID, uri string) int {
	return s.libCount(userID, uri, func(ul *userLib) map[itemKey]int { return ul.applied })
}

// Writes returns how many library write requests (save, remove, follow,
// unfollow; any route) of the user with userID named the item with uri,
// whether or not they changed anything.
func (s *Server) Writes(userID, uri string) int {
	return s.libCount(userID, uri, func(ul *userLib) map[itemKey]int { return ul.writes })
}

// libCount reads one of the counters of the user with userID for the item
// with uri; 0 for an unknown user or item.
func (s *Server) libCount(userID, uri string, counts func(*userLib) map[itemKey]int) int {
	u, key, ok := s.userKey(userID, uri)
	if !ok {
		return 0
	}
	s.lib.mu.Lock()
	defer s.lib.mu.Unlock()
	if ul := s.lib.users[u]; ul != nil {
		return counts(ul)[key]
	}
	return 0
}

// Scopes of the write routes.
const (
	scopeLibraryModify  = "user-library-modify"
	scopeFollowModify   = "user-follow-modify"
	scopePlaylistPublic = "playlist-modify-public"
	scopePlaylistPriv   = "playlist-modify-private"
)

// libraryWriteScopes are the scopes that allow writing each URI type
// (any one of them).
var libraryWriteScopes = map[string][]string{
	"track": {scopeLibraryModify}, "album": {scopeLibraryModify}, "episode": {scopeLibraryModify},
	"show": {scopeLibraryModify}, "audiobook": {scopeLibraryModify},
	"artist": {scopeFollowModify}, "user": {scopeFollowModify},
	"playlist": {scopePlaylistPublic, scopePlaylistPriv},
}

// addLibraryWriteRoutes registers the write routes of the library and
// follows.
func addLibraryWriteRoutes(rt *router) {
	for _, m := range []string{http.MethodPut, http.MethodDelete} {
		save := m == http.MethodPut
		rt.add(m, "/v1/me/library", handleLibraryWrite(save))
		rt.add(m, "/v1/me/tracks", handleSavedWrite(kTrack, 50, save), extendedOnly)
		rt.add(m, "/v1/me/albums", handleSavedWrite(kAlbum, 20, save), extendedOnly)
		rt.add(m, "/v1/me/episodes", handleSavedWrite(kEpisode, 50, save), extendedOnly)
		rt.add(m, "/v1/me/shows", handleSavedWrite(kShow, 50, save), extendedOnly)
		rt.add(m, "/v1/me/audiobooks", handleSavedWrite(kAudiobook, 50, save), extendedOnly)
		rt.add(m, "/v1/me/following", handleFollowWrite(save), extendedOnly)
		rt.add(m, "/v1/playlists/{playlist_id}/followers", handlePlaylistFollowWrite(save), extendedOnly)
	}
}

// sendEmpty answers 200 with an empty body, as Spotify answers a library
// write.
func (c *call) sendEmpty() {
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
}

// handleLibraryWrite answers PUT/DELETE /v1/me/library?uris= (2026): at
// most 40 URIs of tracks, albums, episodes, shows, audiobooks, artists,
// users and playlists; 200 with an empty body.
func handleLibraryWrite(save bool) func(*call) {
	return func(c *call) {
		u, ok := c.me()
		if !ok {
			return
		}
		refs, ok := c.libraryURIs(libraryWriteScopes)
		if !ok {
			return
		}
		var keys []itemKey
		for _, r := range refs {
			if r.known { // unknown: ignored
				keys = append(keys, r.key)
			}
		}
		c.s.writeLibrary(u, keys, save)
		c.sendEmpty()
	}
}

// bodyIDs reads the ids of a write: the ids query parameter, else a JSON
// body {"ids":[...]}. At most maxIDs; 400 on a malformed one.
func (c *call) bodyIDs(maxIDs int) ([]string, bool) {
	if c.q.Get("ids") != "" || c.r.Body == nil || c.r.ContentLength == 0 {
		return c.ids(maxIDs)
	}
	var body struct {
		IDs []string `json:"ids"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 1<<20)).Decode(&body); err != nil || len(body.IDs) == 0 {
		c.fail(http.StatusBadRequest, "Missing required parameter: ids")
		return nil, false
	}
	if len(body.IDs) > maxIDs {
		c.fail(http.StatusBadRequest, "Too many ids requested")
		return nil, false
	}
	for _, id := range body.IDs {
		if !wellFormed(id) {
			c.fail(http.StatusBadRequest, "invalid id")
			return nil, false
		}
	}
	return body.IDs, true
}

// handleSavedWrite answers PUT/DELETE /v1/me/<kind>s?ids= (or a JSON
// body {"ids":[...]}), removed for Development Mode in 2026: 200 with an
// empty body.
func handleSavedWrite(k kind, maxIDs int, save bool) func(*call) {
	return func(c *call) {
		u, ok := c.me(scopeLibraryModify)
		if !ok {
			return
		}
		ids, ok := c.bodyIDs(maxIDs)
		if !ok {
			return
		}
		var keys []itemKey
		for _, id := range ids {
			if i, ok := c.s.cat.lookup(k, id); ok {
				keys = append(keys, itemKey{k, i})
			}
		}
		c.s.writeLibrary(u, keys, save)
		c.sendEmpty()
	}
}

// handleFollowWrite answers PUT/DELETE /v1/me/following?type=artist|user
// &ids= (or a JSON body {"ids":[...]}), removed for Development Mode in
// 2026: 204.
func handleFollowWrite(save bool) func(*call) {
	return func(c *call) {
		u, ok := c.me(scopeFollowModify)
		if !ok {
			return
		}
		k := kArtist
		switch c.q.Get("type") {
		case "artist":
		case "user":
			k = kUser
		case "":
			c.fail(http.StatusBadRequest, "Missing required parameter: type")
			return
		default:
			c.fail(http.StatusBadRequest, "Invalid type")
			return
		}
		ids, ok := c.bodyIDs(50)
		if !ok {
			return
		}
		var keys []itemKey
		for _, id := range ids {
			if i, ok := c.s.cat.lookup(k, id); ok {
				keys = append(keys, itemKey{k, i})
			}
		}
		c.s.writeLibrary(u, keys, save)
		c.w.WriteHeader(http.StatusNoContent)
	}
}

// handlePlaylistFollowWrite answers PUT/DELETE
// /v1/playlists/{playlist_id}/followers (removed for Development Mode in
// 2026, in favour of /me/library): 200 with an empty body. The follow is
// the same library entry as spotify:playlist:<id> in /me/library.
func handlePlaylistFollowWrite(save bool) func(*call) {
	return func(c *call) {
		u, ok := c.me(scopePlaylistPublic, scopePlaylistPriv)
		if !ok {
			return
		}
		p, ok := c.playlistParam()
		if !ok {
			return
		}
		c.s.writeLibrary(u, []itemKey{{kPlaylist, p}}, save)
		c.sendEmpty()
	}
}
