package spotifytest

import (
	"net/http"
	"strings"
	"time"
)

// Read routes of the current user (/v1/me...): profile, library and top
// items (follows are in follow_reads.go, the player in player_reads.go),
// answered from the user's generated shelves (catalog_me.go). Every route needs a user token (an app token answers
// 401) and the scope the spec lists for it (else 403 "Insufficient client
// scope"), except GET /me, which answers any user token and adds email
// with user-read-email and country, product and explicit_content with
// user-read-private.

// Scopes the routes need.
const (
	scopeLibraryRead     = "user-library-read"
	scopeFollowRead      = "user-follow-read"
	scopeTopRead         = "user-top-read"
	scopePlaylistPrivate = "playlist-read-private"
	scopePlaybackState   = "user-read-playback-state"
	scopeCurrentlyPlay   = "user-read-currently-playing"
	scopeRecentlyPlayed  = "user-read-recently-played"
)

// addMeRoutes registers the /me read routes.
func addMeRoutes(rt *router) {
	const get = http.MethodGet
	rt.add(get, "/v1/me", handleMe)
	rt.add(get, "/v1/me/playlists", handleMyPlaylists)
	rt.add(get, "/v1/me/tracks", saved(shelfTracks, "track", "/v1/me/tracks", fullTrack))
	rt.add(get, "/v1/me/albums", saved(shelfAlbums, "album", "/v1/me/albums", (*view).album))
	rt.add(get, "/v1/me/episodes", saved(shelfEpisodes, "episode", "/v1/me/episodes", fullEpisode))
	rt.add(get, "/v1/me/shows", saved(shelfShows, "show", "/v1/me/shows", (*view).simplifiedShow))
	rt.add(get, "/v1/me/audiobooks", saved(shelfAudiobooks, "audiobook", "/v1/me/audiobooks", (*view).simplifiedAudiobook))
	rt.add(get, "/v1/me/tracks/contains", savedContains(kTrack, 50), extendedOnly)
	rt.add(get, "/v1/me/albums/contains", savedContains(kAlbum, 20), extendedOnly)
	rt.add(get, "/v1/me/episodes/contains", savedContains(kEpisode, 50), extendedOnly)
	rt.add(get, "/v1/me/shows/contains", savedContains(kShow, 50), extendedOnly)
	rt.add(get, "/v1/me/audiobooks/contains", savedContains(kAudiobook, 50), extendedOnly)
	rt.add(get, "/v1/me/library/contains", handleLibraryContains)
	rt.add(get, "/v1/me/top/artists", top(false))
	rt.add(get, "/v1/me/top/tracks", top(true))
	rt.add(get, "/v1/me/following", handleFollowing)
	rt.add(get, "/v1/me/following/contains", handleFollowingContains, extendedOnly)
	rt.add(get, "/v1/playlists/{playlist_id}/followers/contains", handlePlaylistFollowersContains, extendedOnly)
	rt.add(get, "/v1/me/player", handlePlayer)
	rt.add(get, "/v1/me/player/currently-playing", handleCurrentlyPlaying)
	rt.add(get, "/v1/me/player/devices", handleDevices)
	rt.add(get, "/v1/me/player/recently-played", handleRecentlyPlayed)
	rt.add(get, "/v1/me/player/queue", handleQueue)
	addLibraryWriteRoutes(rt) // library.go
	addPlayerRoutes(rt)       // handlers_player.go
}

// handleMe answers GET /v1/me with a PrivateUserObject. Development Mode
// drops country, email, explicit_content, followers and product.
func handleMe(c *call) {
	u, ok := c.me()
	if !ok {
		return
	}
	v := c.view()
	if v == nil {
		return
	}
	cat := v.cat
	full := v.mode != DevelopmentMode
	private := full && c.tok.has("user-read-private")
	v.obj()
	v.ks("account_id", hex40(cat.h(kUser, u, fShelf+104))[:32])
	if private {
		v.ks("country", cat.userCountry(u))
	}
	name := cat.userName(u)
	v.ks("display_name", name)
	if full && c.tok.has("user-read-email") {
		v.ks("email", strings.ToLower(strings.Join(strings.Fields(name), "."))+"."+itoa(u)+"@example.com")
	}
	if private {
		v.k("explicit_content")
		v.obj()
		v.kb("filter_enabled", false)
		v.kb("filter_locked", false)
		v.objEnd()
	}
	if full {
		v.followers(cat.userFollowers(u))
	}
	v.userImages(u)
	if private {
		v.ks("product", cat.userProduct(u))
	}
	v.ref(kUser, v.id(kUser, u))
	v.objEnd()
	c.send(v)
}

// handleMyPlaylists answers GET /v1/me/playlists: the playlists the user
// owns, limit 1..50, default 20.
func handleMyPlaylists(c *call) {
	u, ok := c.me(scopePlaylistPrivate)
	if !ok {
		return
	}
	c.playlistsPage(u, "/v1/me/playlists", false) // handlers_people.go
}

// saved returns the handler of a saved-items page (GET /v1/me/tracks,
// ...): {added_at, <key>: object}, newest first, limit 1..50, default 20.
func saved(s shelf, key, path string, write func(v *view, i int)) func(*call) {
	return func(c *call) {
		u, ok := c.me(scopeLibraryRead)
		if !ok {
			return
		}
		offset, limit, v := c.pageView(20, 50, 0)
		if v == nil {
			return
		}
		cat := v.cat
		w := cat.shelf(u, s)
		k, _ := cat.shelfItem(s, w, 0)
		list := c.s.merged(u, k, s) // nil: no writes, the generated shelf
		count := w.count
		if list != nil {
			count = len(list)
		}
		v.page(pageSpec{path: path, post: c.marketKV()}, offset, limit, count, func(j int) {
			var i int
			var at time.Time
			if list != nil {
				i, at = list[j].i, list[j].at
			} else {
				_, i = cat.shelfItem(s, w, j)
				at = cat.addedAt(u, s, j)
			}
			v.obj()
			v.ks("added_at", at.UTC().Format(time.RFC3339))
			v.k(key)
			write(v, i)
			v.objEnd()
		})
		c.send(v)
	}
}

// bools writes a JSON array of booleans.
func (v *view) bools(bs []bool) {
	v.arr()
	for _, b := range bs {
		v.bool(b)
	}
	v.arrEnd()
}

// sendBools answers 200 with a JSON array of booleans.
func (c *call) sendBools(bs []bool) {
	v := c.view()
	if v == nil {
		return
	}
	v.bools(bs)
	c.send(v)
}

// savedContains returns the handler of GET /v1/me/<kind>s/contains?ids=
// (removed for Development Mode in 2026): for each id, whether it is in
// the user's library; an unknown id is false.
func savedContains(k kind, maxIDs int) func(*call) {
	return func(c *call) {
		u, ok := c.me(scopeLibraryRead)
		if !ok {
			return
		}
		ids, ok := c.ids(maxIDs)
		if !ok {
			return
		}
		out := make([]bool, len(ids))
		for n, id := range ids {
			if i, ok := c.s.cat.lookup(k, id); ok {
				out[n] = c.s.has(u, itemKey{k, i})
			}
		}
		c.sendBools(out)
	}
}

// libraryReadScopes are the URI types GET /me/library/contains accepts,
// with the scope each needs.
var libraryReadScopes = map[string][]string{
	"track": {scopeLibraryRead}, "album": {scopeLibraryRead}, "episode": {scopeLibraryRead},
	"show": {scopeLibraryRead}, "audiobook": {scopeLibraryRead},
	"artist": {scopeFollowRead}, "user": {scopeFollowRead}, "playlist": {scopePlaylistPrivate},
}

// handleLibraryContains answers GET /v1/me/library/contains?uris= (at
// most 40 Spotify URIs, added in 2026): for each, whether the user saved
// it or follows it (artists, users, playlists; see Server.generated).
func handleLibraryContains(c *call) {
	u, ok := c.me()
	if !ok {
		return
	}
	refs, ok := c.libraryURIs(libraryReadScopes)
	if !ok {
		return
	}
	out := make([]bool, len(refs))
	for n, r := range refs {
		if r.known {
			out[n] = c.s.has(u, r.key)
		}
	}
	c.sendBools(out)
}

// timeRanges are the time_range values of the top items, and their
// shelves.
var timeRanges = map[string]shelf{"short_term": shelfTopShort, "medium_term": shelfTopMedium, "long_term": shelfTopLong}

// top returns the handler of GET /v1/me/top/artists or /tracks:
// time_range short_term, medium_term (default) or long_term; limit 1..50,
// default 20.
func top(tracks bool) func(*call) {
	path, write := "/v1/me/top/artists", (*view).artist
	if tracks {
		path = "/v1/me/top/tracks"
	}
	return func(c *call) {
		u, ok := c.me(scopeTopRead)
		if !ok {
			return
		}
		tr := c.q.Get("time_range")
		s, ok := timeRanges[tr]
		if tr == "" {
			s, ok = shelfTopMedium, true
		}
		if !ok {
			c.fail(http.StatusBadRequest, "Invalid time range")
			return
		}
		offset, limit, v := c.pageView(20, 50, 0)
		if v == nil {
			return
		}
		cat := v.cat
		w := cat.shelf(u, s)
		v.page(pageSpec{path: path, post: c.optKV("time_range")}, offset, limit, w.count, func(j int) {
			if tracks {
				v.track(cat.shelfTrack(w, j), false)
			} else {
				write(v, w.parent(j))
			}
		})
		c.send(v)
	}
}
