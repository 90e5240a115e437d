package spotifytest

import (
	"net/http"
	"strings"
)

// Read routes of the user's follows: followed artists (a cursor page),
// whether the user follows artists, users or a playlist; answered from the
// generated follows (catalog_me.go) under the user's writes (library.go).

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
				out[n] = c.s.has(u, itemKey{kArtist, a})
			}
		} else if v, ok := cat.lookup(kUser, id); ok {
			out[n] = c.s.has(u, itemKey{kUser, v})
		}
	}
	c.sendBools(out)
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
	p, ok := c.playlistParam()
	if !ok {
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
	c.sendBools([]bool{c.s.has(u, itemKey{kPlaylist, p})})
}
