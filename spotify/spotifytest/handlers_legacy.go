package spotifytest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Read routes Spotify removed for new and Development Mode apps in
// November 2024; Extended Quota apps keep them, so the emulator serves
// them in Extended Quota Mode (and answers 403 in Development Mode, like
// every removed route).

func handleRelatedArtists(c *call) {
	c.one(kArtist, "id", func(v *view, a int) {
		v.obj()
		v.k("artists")
		v.arr()
		x := v.cat.h(kArtist, a, fPick)
		for k, n := 0, 0; n < min(20, v.cat.artists-1) && k < 100; k++ {
			if r := int(mix(x+uint64(k)) % uint64(v.cat.artists)); r != a {
				v.artist(r)
				n++
			}
		}
		v.arrEnd()
		v.objEnd()
	})
}

func handleAudioFeatures(c *call) { c.one(kTrack, "id", (*view).audioFeatures) }

func handleSeveralAudioFeatures(c *call) {
	c.batch(kTrack, "audio_features", 100, (*view).audioFeatures)
}

func handleAudioAnalysis(c *call) { c.one(kTrack, "id", (*view).audioAnalysis) }

func handleGenreSeeds(c *call) {
	v := c.view()
	if v == nil {
		return
	}
	v.obj()
	v.k("genres")
	v.strs(genreSeeds()...)
	v.objEnd()
	c.send(v)
}

// handleRecommendations answers GET /v1/recommendations: 1..5 seeds
// (artists, genres, tracks), limit 1..100 default 20. Tunable attributes
// (min_*, max_*, target_*) are accepted and do not change the draw.
func handleRecommendations(c *call) {
	type seed struct {
		kind, id string
	}
	var seeds []seed
	for _, p := range []struct{ param, kind string }{{"seed_artists", "ARTIST"}, {"seed_genres", "GENRE"}, {"seed_tracks", "TRACK"}} {
		for _, s := range strings.Split(c.q.Get(p.param), ",") {
			if s = strings.TrimSpace(s); s != "" {
				seeds = append(seeds, seed{p.kind, s})
			}
		}
	}
	if len(seeds) == 0 || len(seeds) > 5 {
		c.fail(http.StatusBadRequest, "Between 1 and 5 seeds must be given")
		return
	}
	for _, s := range seeds {
		var ok bool
		switch s.kind {
		case "ARTIST":
			_, ok = c.s.cat.lookup(kArtist, s.id)
		case "TRACK":
			_, ok = c.s.cat.lookup(kTrack, s.id)
		default:
			ok = slices.Contains(genreSeeds(), s.id)
		}
		if !ok {
			c.fail(http.StatusBadRequest, "invalid request: unknown seed "+strings.ToLower(s.kind)+" "+s.id)
			return
		}
	}
	limit := 20
	if raw := c.q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 100 {
			c.fail(http.StatusBadRequest, "Invalid limit")
			return
		}
		limit = n
	}
	v := c.view()
	if v == nil {
		return
	}
	q := parseQuery(c.r.URL.RawQuery) // a hash of the whole query seeds the draw
	v.obj()
	v.k("seeds")
	v.arr()
	for _, s := range seeds {
		v.obj()
		v.ki("afterFilteringSize", 250)
		v.ki("afterRelinkingSize", 250)
		if s.kind != "GENRE" { // a genre has no href
			v.ks("href", v.base+"/v1/"+strings.ToLower(s.kind)+"s/"+s.id)
		}
		v.ks("id", s.id)
		v.ki("initialPoolSize", 250)
		v.ks("type", s.kind)
		v.objEnd()
	}
	v.arrEnd()
	v.k("tracks")
	v.arr()
	for i := range limit {
		v.track(v.cat.randomTrack(mix(q.seed^v.cat.key+uint64(i))), false)
	}
	v.arrEnd()
	v.objEnd()
	c.send(v)
}

// featuredPlaylists writes {"message", "playlists": page} of n playlists,
// playlist i being pick(i).
func (c *call) featuredPlaylists(path, message string, n int, pick func(int) int) {
	offset, limit, v := c.pageView(20, 50, 0)
	if v == nil {
		return
	}
	v.obj()
	v.ks("message", message)
	v.k("playlists")
	v.page(pageSpec{path: path, post: c.optKV("locale", "country")}, offset, limit, n, func(i int) {
		c.s.writeSimplifiedPlaylist(v, pick(i))
	})
	v.objEnd()
	c.send(v)
}

func handleFeaturedPlaylists(c *call) {
	np := c.s.cat.numPlaylists()
	c.featuredPlaylists("/v1/browse/featured-playlists", "Popular Playlists", min(30, np), func(i int) int {
		return i * 13 % np
	})
}

func handleCategoryPlaylists(c *call) {
	id := c.param("category_id")
	ci, ok := categoryIndex(id)
	if !ok {
		c.fail(http.StatusNotFound, "Resource not found")
		return
	}
	np := c.s.cat.numPlaylists()
	c.featuredPlaylists("/v1/browse/categories/"+id+"/playlists", categories[ci][1], min(25, np), func(i int) int {
		return (ci + i*len(categories)) % np
	})
}
