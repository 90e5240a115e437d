package spotifytest

import "net/http"

// Read routes of browse categories, new releases, markets, users and
// playlists. The 2026 playlist routes (/items) and the older ones
// (/tracks) read the same generated entries.

// optKV returns the query parameters names that the request carries, for
// paging hrefs.
func (c *call) optKV(names ...string) []kv {
	var kvs []kv
	for _, n := range names {
		if val := c.q.Get(n); val != "" {
			kvs = append(kvs, kv{n, val})
		}
	}
	return kvs
}

func handleCategories(c *call) {
	offset, limit, v := c.pageView(20, 50, 0)
	if v == nil {
		return
	}
	v.obj()
	v.k("categories")
	spec := pageSpec{path: "/v1/browse/categories", pre: c.optKV("country"), post: c.optKV("locale")}
	v.page(spec, offset, limit, len(categories), v.category)
	v.objEnd()
	c.send(v)
}

func handleCategory(c *call) {
	id := c.param("category_id")
	i, ok := categoryIndex(id)
	if !ok {
		c.fail(http.StatusNotFound, "Resource not found")
		return
	}
	v := c.view()
	if v == nil {
		return
	}
	v.category(i)
	c.send(v)
}

func handleNewReleases(c *call) {
	offset, limit, v := c.pageView(20, 50, 0)
	if v == nil {
		return
	}
	v.obj()
	v.k("albums")
	spec := pageSpec{path: "/v1/browse/new-releases", pre: c.optKV("country")}
	v.page(spec, offset, limit, v.cat.newReleases(), func(i int) {
		v.simplifiedAlbum(v.cat.newRelease(i), "")
	})
	v.objEnd()
	c.send(v)
}

func handleMarkets(c *call) {
	v := c.view()
	if v == nil {
		return
	}
	v.obj()
	v.k("markets")
	v.strs(markets...)
	v.objEnd()
	c.send(v)
}

func handleUser(c *call) { c.one(kUser, "user_id", (*view).user) }

// handleUserPlaylists answers the playlists of a user:
// GET /v1/users/{user_id}/playlists, limit 1..50, default 20 (see
// playlistsPage). Another user's private playlists are left out, as are
// the user's own unless the token holds playlist-read-private.
func handleUserPlaylists(c *call) {
	u, ok := c.item(kUser, "user_id")
	if !ok {
		return
	}
	all := c.tok != nil && c.tok.user == u && c.tok.has(scopePlaylistPrivate)
	c.playlistsPage(u, apiPath(kUser, c.param("user_id"))+"/playlists", !all)
}

// playlistsPage answers a page of user u's playlists at path (GET
// /me/playlists, GET /users/{id}/playlists): those the user created
// through the API, newest first, then the generated ones, each from its
// state once written to (playlist_state.go); with publicOnly, only the
// public ones.
func (c *call) playlistsPage(u int, path string, publicOnly bool) {
	offset, limit, v := c.pageView(20, 50, 0)
	if v == nil {
		return
	}
	n := v.cat.numUsers()
	created := c.s.myCreated(u)
	total := len(created) + v.cat.userPlaylists(u)
	at := func(i int) int { // the i-th of all the user's playlists
		if i < len(created) {
			return created[i]
		}
		return u + (i-len(created))*n
	}
	var public []int
	if publicOnly {
		for i := range total {
			if p := at(i); c.s.playlistPublic(p) {
				public = append(public, p)
			}
		}
		total = len(public)
		at = func(i int) int { return public[i] }
	}
	v.page(pageSpec{path: path}, offset, limit, total, func(i int) {
		c.s.writeSimplifiedPlaylist(v, at(i))
	})
	c.send(v)
}

func handlePlaylist(c *call) { c.one(kPlaylist, "playlist_id", (*view).playlist) }

// playlistEntries answers GET /v1/playlists/{id}/items (limit 1..50,
// entries carrying item and its deprecated duplicate track) and .../tracks
// (limit 1..100, entries carrying track) of a generated playlist without
// state (playlistEntriesState in playlist_state.go).
func (c *call) playlistEntries(maxLimit int, item2026 bool) {
	p, ok := c.item(kPlaylist, "playlist_id")
	if !ok {
		return
	}
	offset, limit, v := c.pageView(20, maxLimit, 0)
	if v == nil {
		return
	}
	v.entries(p, offset, limit, item2026, c.optKV("market", "additional_types"))
	c.send(v)
}
