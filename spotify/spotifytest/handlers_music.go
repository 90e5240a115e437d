package spotifytest

import (
	"net/http"
	"slices"
	"strings"
)

// Read routes of albums, artists and tracks.

// one answers a single get: the item named by the path parameter name, or
// 400/404.
func (c *call) one(k kind, name string, write func(v *view, i int)) {
	i, ok := c.item(k, name)
	if !ok {
		return
	}
	v := c.view()
	if v == nil {
		return
	}
	write(v, i)
	c.send(v)
}

// batch answers a batch get {"<key>":[obj|null, ...]} of at most maxIDs
// ids: null for an id the catalogue does not have.
func (c *call) batch(k kind, key string, maxIDs int, write func(v *view, i int)) {
	ids, ok := c.ids(maxIDs)
	if !ok {
		return
	}
	v := c.view()
	if v == nil {
		return
	}
	v.obj()
	v.k(key)
	v.arr()
	for _, id := range ids {
		if i, ok := c.s.cat.lookup(k, id); ok {
			write(v, i)
		} else {
			v.null()
		}
	}
	v.arrEnd()
	v.objEnd()
	c.send(v)
}

// marketKV returns the market parameter for paging hrefs, if given.
func (c *call) marketKV() []kv {
	if m := c.q.Get("market"); m != "" {
		return []kv{{"market", m}}
	}
	return nil
}

func handleAlbum(c *call) { c.one(kAlbum, "id", c.counted(kAlbum, (*view).album)) }

func handleAlbums(c *call) { c.batch(kAlbum, "albums", 20, c.counted(kAlbum, (*view).album)) }

func handleAlbumTracks(c *call) {
	c.children(kAlbum, "tracks", (*Catalog).trackCount, tracksPerAlbum, (*view).simplifiedTrack)
}

func handleArtist(c *call) { c.one(kArtist, "id", c.counted(kArtist, (*view).artist)) }

func handleArtists(c *call) { c.batch(kArtist, "artists", 50, c.counted(kArtist, (*view).artist)) }

// albumGroups are the include_groups values, in the order Spotify lists
// an artist's discography.
var albumGroups = []string{"album", "single", "compilation", "appears_on"}

func handleArtistAlbums(c *call) {
	a, ok := c.item(kArtist, "id")
	if !ok {
		return
	}
	groups := albumGroups
	if raw := c.q.Get("include_groups"); raw != "" {
		groups = strings.Split(raw, ",")
		for _, g := range groups {
			if !slices.Contains(albumGroups, g) {
				c.fail(http.StatusBadRequest, "Invalid include_groups value: "+g)
				return
			}
		}
	}
	def, maxLimit := 20, 50
	if c.s.cfg.mode == DevelopmentMode {
		def, maxLimit = 5, 10
	}
	offset, limit, v := c.pageView(def, maxLimit, 0)
	if v == nil {
		return
	}
	var albums []int
	for _, g := range albumGroups { // Spotify's order, whatever the parameter's
		if !slices.Contains(groups, g) {
			continue
		}
		for j := range c.s.cat.albumCount(a) {
			if al := a*albumsPerArtist + j; c.s.cat.albumType(al) == g {
				albums = append(albums, al)
			}
		}
	}
	spec := pageSpec{path: apiPath(kArtist, c.param("id")) + "/albums"}
	if raw := c.q.Get("include_groups"); raw != "" {
		spec.post = append(spec.post, kv{"include_groups", raw})
	}
	spec.post = append(spec.post, c.marketKV()...)
	v.page(spec, offset, limit, len(albums), func(i int) {
		v.simplifiedAlbum(albums[i], c.s.cat.albumType(albums[i]))
	})
	c.send(v)
}

func handleArtistTopTracks(c *call) {
	c.one(kArtist, "id", func(v *view, a int) {
		v.obj()
		v.k("tracks")
		v.arr()
		for _, t := range v.cat.topTracks(a) {
			v.track(t, false)
		}
		v.arrEnd()
		v.objEnd()
	})
}

func handleTrack(c *call) { c.one(kTrack, "id", c.counted(kTrack, fullTrack)) }

func handleTracks(c *call) { c.batch(kTrack, "tracks", 50, c.counted(kTrack, fullTrack)) }

func fullTrack(v *view, t int) { v.track(t, false) }
