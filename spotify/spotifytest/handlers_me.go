package spotifytest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Read routes of the current user (/v1/me...): profile, library, follows,
// top items and player state, answered from the user's generated shelves
// (catalog_me.go). Every route needs a user token (an app token answers
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
	offset, limit, v := c.pageView(20, 50, 0)
	if v == nil {
		return
	}
	n := v.cat.numUsers()
	created := c.s.myCreated(u) // playlist_state.go
	v.page(pageSpec{path: "/v1/me/playlists"}, offset, limit, len(created)+v.cat.userPlaylists(u), func(i int) {
		p := u + (i-len(created))*n
		if i < len(created) {
			p = created[i]
		}
		if !c.s.simplifiedState(v, p) {
			v.simplifiedPlaylist(p)
		}
	})
	c.send(v)
}

// saved returns the handler of a saved-items page (GET /v1/me/tracks,
// ...): {added_at, <key>: object}, newest first, limit 1..50, default 20.
func saved(s shelf, key, path string, write func(v *view, i int)) func(*call) {
	return func(c *call) {
		u, ok := c.me(scopeLibraryRead)
		if !ok {
			return
		}
		offset, limit, ok := c.page(20, 50, 0)
		if !ok {
			return
		}
		v := c.view()
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
	s, _ := savedShelf(k)
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
				out[n] = c.s.has(u, itemKey{k, i}, func() bool { return c.s.cat.shelfHas(u, s, k, i) })
			}
		}
		c.sendBools(out)
	}
}

// libraryTypes are the URI types GET /me/library/contains accepts, with
// the scope each needs.
var libraryTypes = map[string]string{
	"track": scopeLibraryRead, "album": scopeLibraryRead, "episode": scopeLibraryRead,
	"show": scopeLibraryRead, "audiobook": scopeLibraryRead,
	"artist": scopeFollowRead, "user": scopeFollowRead, "playlist": scopePlaylistPrivate,
}

// handleLibraryContains answers GET /v1/me/library/contains?uris= (at
// most 40 Spotify URIs, added in 2026): for each, whether the user saved
// it, follows it (artists, users) or owns it (playlists).
func handleLibraryContains(c *call) {
	u, ok := c.me()
	if !ok {
		return
	}
	raw := c.q.Get("uris")
	if strings.TrimSpace(raw) == "" {
		c.fail(http.StatusBadRequest, "Missing required field: uris")
		return
	}
	uris := strings.Split(raw, ",")
	if len(uris) > 40 {
		c.fail(http.StatusBadRequest, "Too many uris requested")
		return
	}
	type ref struct{ typ, id string }
	refs := make([]ref, len(uris))
	for n, uri := range uris {
		parts := strings.Split(strings.TrimSpace(uri), ":")
		if len(parts) != 3 || parts[0] != "spotify" || parts[2] == "" {
			c.fail(http.StatusBadRequest, "Invalid uri: "+uri)
			return
		}
		if _, ok := libraryTypes[parts[1]]; !ok {
			c.fail(http.StatusBadRequest, "Unsupported uri type: "+parts[1])
			return
		}
		if parts[1] != "user" && !wellFormed(parts[2]) {
			c.fail(http.StatusBadRequest, "Invalid uri: "+uri)
			return
		}
		refs[n] = ref{parts[1], parts[2]}
	}
	for _, r := range refs {
		if !c.tok.has(libraryTypes[r.typ]) {
			c.fail(http.StatusForbidden, "Insufficient client scope")
			return
		}
	}
	cat := c.s.cat
	out := make([]bool, len(refs))
	for n, r := range refs {
		k, i, ok := cat.decodeID(r.id)
		if !ok || !cat.exists(k, i) || (string(k.Kind()) != r.typ && string(uriKind(k)) != r.typ) {
			continue
		}
		key := itemKey{k, i}
		out[n] = c.s.has(u, key, func() bool { return c.s.generated(u, key) })
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
		offset, limit, ok := c.page(20, 50, 0)
		if !ok {
			return
		}
		v := c.view()
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

// handleFollowing answers GET /v1/me/following?type=artist: a cursor page
// wrapped in "artists"; after is the last artist id of the previous page.
func handleFollowing(c *call) {
	u, ok := c.me(scopeFollowRead)
	if !ok {
		return
	}
	if typ := c.q.Get("type"); typ != "artist" {
		if typ == "" {
			c.fail(http.StatusBadRequest, "Missing required parameter: type")
		} else {
			c.fail(http.StatusBadRequest, "Invalid type: only artist is supported")
		}
		return
	}
	_, limit, ok := c.page(20, 50, 0)
	if !ok {
		return
	}
	cat := c.s.cat
	w := cat.shelf(u, shelfArtists)
	// The followed artists: the generated shelf, or its merge with the
	// user's follows and unfollows (library.go).
	count, artist := w.count, w.parent
	if list := c.s.merged(u, kArtist, shelfArtists); list != nil {
		count, artist = len(list), func(j int) int { return list[j].i }
	}
	start := 0
	if after := c.q.Get("after"); after != "" {
		if !wellFormed(after) {
			c.fail(http.StatusBadRequest, "invalid id")
			return
		}
		start = count // an artist the user does not follow: nothing after it
		if a, ok := cat.lookup(kArtist, after); ok {
			for j := range count {
				if artist(j) == a {
					start = j + 1
					break
				}
			}
		}
	}
	end := min(count, start+limit)
	next := ""
	if end < count {
		next = cat.encodeID(kArtist, artist(end-1))
	}
	v := c.view()
	if v == nil {
		return
	}
	v.obj()
	v.k("artists")
	v.cursorPage("/v1/me/following", []kv{{"type", "artist"}}, limit, count, next, "", func() {
		for j := start; j < end; j++ {
			v.artist(artist(j))
		}
	})
	v.objEnd()
	c.send(v)
}

// handleFollowingContains answers GET /v1/me/following/contains?type=&ids=
// (removed for Development Mode in 2026).
func handleFollowingContains(c *call) {
	u, ok := c.me(scopeFollowRead)
	if !ok {
		return
	}
	typ := c.q.Get("type")
	if typ != "artist" && typ != "user" {
		c.fail(http.StatusBadRequest, "Invalid type")
		return
	}
	ids, ok := c.ids(50)
	if !ok {
		return
	}
	cat := c.s.cat
	out := make([]bool, len(ids))
	for n, id := range ids {
		if typ == "artist" {
			if a, ok := cat.lookup(kArtist, id); ok {
				out[n] = c.s.has(u, itemKey{kArtist, a}, func() bool { return cat.shelfHas(u, shelfArtists, kArtist, a) })
			}
		} else if v, ok := cat.lookup(kUser, id); ok {
			out[n] = c.s.has(u, itemKey{kUser, v}, func() bool { return cat.follows(u, v) })
		}
	}
	c.sendBools(out)
}

// deviceKinds are the types and names of a user's devices.
var deviceKinds = [][2]string{{"Computer", "Desktop"}, {"Smartphone", "Phone"}, {"Speaker", "Kitchen Speaker"}}

// device writes a DeviceObject: user u's device j.
func (v *view) device(u, j int, active bool) {
	x := v.cat.h(kUser, u, fShelf+110+uint64(j))
	v.obj()
	v.ks("id", hex40(x))
	v.kb("is_active", active)
	v.kb("is_private_session", false)
	v.kb("is_restricted", false)
	v.ks("name", v.cat.userName(u)+"'s "+deviceKinds[j%len(deviceKinds)][1])
	v.kb("supports_volume", j != 2)
	v.ks("type", deviceKinds[j%len(deviceKinds)][0])
	if j == 2 {
		v.kn("volume_percent")
	} else {
		v.ki("volume_percent", 10*int(x%11))
	}
	v.objEnd()
}

// albumContext writes the context {external_urls, href, type, uri} of a
// track played from its album.
func (v *view) albumContext(t int) {
	id := v.id(kAlbum, t/tracksPerAlbum)
	v.obj()
	v.k("external_urls")
	v.obj()
	v.ks("spotify", "https://open.spotify.com/album/"+id)
	v.objEnd()
	v.ks("href", v.base+apiPath(kAlbum, id))
	v.ks("type", "album")
	v.ks("uri", "spotify:album:"+id)
	v.objEnd()
}

// playingFields writes the fields of a CurrentlyPlayingObject for track t,
// without the braces: progress follows the server's clock.
func (c *call) playingFields(v *view, t int) {
	now := c.s.now().UnixMilli()
	v.k("context")
	v.albumContext(t)
	v.ki("timestamp", int(now))
	v.ki("progress_ms", int(now%int64(v.cat.trackDuration(t))))
	v.kb("is_playing", true)
	v.k("item")
	v.track(t, false)
	v.ks("currently_playing_type", "track")
	v.k("actions")
	v.obj()
	v.k("disallows")
	v.obj()
	v.kb("resuming", true)
	v.objEnd()
	v.objEnd()
}

// nowPlaying checks the scope and returns the user and the track playing;
// with nothing playing it answers 204 and ok false.
func (c *call) nowPlaying(scopes ...string) (u, t int, ok bool) {
	u, ok = c.me(scopes...)
	if !ok {
		return 0, 0, false
	}
	t, ok = c.s.accounts.playing(u)
	if !ok {
		c.w.WriteHeader(http.StatusNoContent)
		return 0, 0, false
	}
	return u, t, true
}

// handlePlayer answers GET /v1/me/player: 204 when nothing plays, else a
// CurrentlyPlayingContextObject on the user's first device.
func handlePlayer(c *call) {
	u, t, ok := c.nowPlaying(scopePlaybackState)
	if !ok {
		return
	}
	v := c.view()
	if v == nil {
		return
	}
	v.obj()
	v.k("device")
	v.device(u, 0, true)
	v.ks("repeat_state", "off")
	v.kb("shuffle_state", false)
	v.kb("smart_shuffle", false)
	c.playingFields(v, t)
	v.objEnd()
	c.send(v)
}

// handleCurrentlyPlaying answers GET /v1/me/player/currently-playing: 204
// when nothing plays.
func handleCurrentlyPlaying(c *call) {
	_, t, ok := c.nowPlaying(scopeCurrentlyPlay, scopePlaybackState)
	if !ok {
		return
	}
	v := c.view()
	if v == nil {
		return
	}
	v.obj()
	c.playingFields(v, t)
	v.objEnd()
	c.send(v)
}

// handleDevices answers GET /v1/me/player/devices: the user's 1..3
// devices, the first active while something plays.
func handleDevices(c *call) {
	u, ok := c.me(scopePlaybackState)
	if !ok {
		return
	}
	_, playing := c.s.accounts.playing(u)
	v := c.view()
	if v == nil {
		return
	}
	v.obj()
	v.k("devices")
	v.arr()
	for j := range v.cat.devices(u) {
		v.device(u, j, playing && j == 0)
	}
	v.arrEnd()
	v.objEnd()
	c.send(v)
}

// handleQueue answers GET /v1/me/player/queue: the track playing and the
// next 20 (the rest of its album, then the user's saved tracks), or
// {"currently_playing":null,"queue":[]} when nothing plays.
func handleQueue(c *call) {
	u, ok := c.me(scopeCurrentlyPlay, scopePlaybackState)
	if !ok {
		return
	}
	v := c.view()
	if v == nil {
		return
	}
	cat := v.cat
	v.obj()
	t, playing := c.s.accounts.playing(u)
	v.k("currently_playing")
	if !playing {
		v.null()
		v.k("queue")
		v.arr()
		v.arrEnd()
		v.objEnd()
		c.send(v)
		return
	}
	v.track(t, false)
	v.k("queue")
	v.arr()
	n := 0
	al := t / tracksPerAlbum
	for k := t%tracksPerAlbum + 1; k < cat.trackCount(al) && n < 20; k++ {
		v.track(al*tracksPerAlbum+k, false)
		n++
	}
	w := cat.shelf(u, shelfTracks)
	for j := 0; j < w.count && n < 20; j++ {
		v.track(cat.shelfTrack(w, j), false)
		n++
	}
	v.arrEnd()
	v.objEnd()
	c.send(v)
}

// handleRecentlyPlayed answers GET /v1/me/player/recently-played: a cursor
// page of the user's last 50 plays, newest first. before (Unix ms) gives
// the plays before it; after the plays after it (the oldest of them, still
// newest first); not both. cursors.after and cursors.before are the
// times of the first and last item, next pages back with before.
func handleRecentlyPlayed(c *call) {
	u, ok := c.me(scopeRecentlyPlayed)
	if !ok {
		return
	}
	_, limit, ok := c.page(20, 50, 0)
	if !ok {
		return
	}
	ms := func(name string) (int64, bool, bool) {
		raw := c.q.Get(name)
		if raw == "" {
			return 0, false, true
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 0 {
			c.fail(http.StatusBadRequest, "Invalid "+name+" cursor")
			return 0, false, false
		}
		return n, true, true
	}
	after, hasAfter, ok := ms("after")
	if !ok {
		return
	}
	before, hasBefore, ok := ms("before")
	if !ok {
		return
	}
	if hasAfter && hasBefore {
		c.fail(http.StatusBadRequest, "Only one of before or after may be given")
		return
	}
	cat := c.s.cat
	from, to := 0, recentPlays // plays [from, to), newest first
	switch {
	case hasAfter:
		to = 0
		for to < recentPlays && cat.playedAt(u, to) > after {
			to++
		}
		from = max(0, to-limit)
	case hasBefore:
		for from < recentPlays && cat.playedAt(u, from) >= before {
			from++
		}
		to = min(recentPlays, from+limit)
	default:
		to = min(recentPlays, limit)
	}
	v := c.view()
	if v == nil {
		return
	}
	href := func(cursor string, at int64) string {
		s := v.base + "/v1/me/player/recently-played?"
		if cursor != "" {
			s += cursor + "=" + strconv.FormatInt(at, 10) + "&"
		}
		return s + "limit=" + itoa(limit)
	}
	w := cat.shelf(u, shelfRecent)
	v.obj()
	switch {
	case hasAfter:
		v.ks("href", href("after", after))
	case hasBefore:
		v.ks("href", href("before", before))
	default:
		v.ks("href", href("", 0))
	}
	v.k("items")
	v.arr()
	for j := from; j < to; j++ {
		t := cat.shelfTrack(w, j)
		v.obj()
		v.k("track")
		v.track(t, false)
		v.ks("played_at", time.UnixMilli(cat.playedAt(u, j)).UTC().Format("2006-01-02T15:04:05.000Z"))
		v.k("context")
		if w.draw(j)%3 == 0 {
			v.null()
		} else {
			v.albumContext(t)
		}
		v.objEnd()
	}
	v.arrEnd()
	v.ki("limit", limit)
	v.k("next")
	if from < to && to < recentPlays {
		v.str(href("before", cat.playedAt(u, to-1)))
	} else {
		v.null()
	}
	v.k("cursors")
	if from < to {
		v.obj()
		v.ks("after", strconv.FormatInt(cat.playedAt(u, from), 10))
		v.ks("before", strconv.FormatInt(cat.playedAt(u, to-1), 10))
		v.objEnd()
	} else {
		v.null()
	}
	v.objEnd()
	c.send(v)
}

// followsPlaylist reports whether user u follows playlist p: its owner
// does, and about a third of the other users.
func (c *Catalog) followsPlaylist(u, p int) bool {
	return c.playlistOwner(p) == u || mix(c.h(kPlaylist, p, fShelf+103)+uint64(u))%3 == 0
}

// handlePlaylistFollowersContains answers GET
// /v1/playlists/{playlist_id}/followers/contains: a list of one boolean,
// whether the current user (or the one user named by the deprecated ids
// parameter) follows the playlist.
func handlePlaylistFollowersContains(c *call) {
	u, ok := c.me()
	if !ok {
		return
	}
	cat := c.s.cat
	p, ok := cat.lookup(kPlaylist, c.param("playlist_id"))
	if !ok {
		c.fail(http.StatusNotFound, "Resource not found")
		return
	}
	if raw := c.q.Get("ids"); raw != "" {
		v, ok := cat.lookup(kUser, raw)
		if !ok || strings.Contains(raw, ",") {
			c.fail(http.StatusBadRequest, "Invalid user id")
			return
		}
		u = v
	}
	c.sendBools([]bool{c.s.has(u, itemKey{kPlaylist, p}, func() bool { return cat.followsPlaylist(u, p) })})
}
