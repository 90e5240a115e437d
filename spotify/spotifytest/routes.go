package spotifytest

import (
	"net/http"
	"sort"
	"strings"
)

// The emulator's own route table: method + path pattern with {params}.
// It never reads the SDK's operation registry, so a wrong path in the SDK
// answers 404 here instead of matching a shared definition.

// route is one entry of the table.
type route struct {
	method  string
	pattern string   // "/v1/albums/{id}"
	segs    []string // pattern split at "/"; "{x}" marks a parameter
	names   []string // parameter names, in order
	lits    int      // literal segments: more wins when two patterns match
	h       func(*call)
	// extended: only Extended Quota apps have it; Development Mode apps
	// get 403 (the operations Spotify removed in 2024 and 2026).
	extended bool
	// public: no bearer token needed (the accounts service).
	public bool
	name   string // "GET /v1/albums/{id}", the key of the counters
	id     int    // position in the table
}

type routeFlag func(*route)

// extendedOnly marks a route Development Mode apps lost.
func extendedOnly(r *route) { r.extended = true }

// public marks a route that needs no bearer token.
func public(r *route) { r.public = true }

// router is a list of routes; a path is matched against each, which is
// cheap enough for a table of about a hundred routes. Matching allocates
// the path's segments, the parameter slice and, for a 405, the allowed
// methods.
type router struct {
	routes []*route
}

// add registers a route. It panics on a duplicate, which is a bug of the
// table.
func (rt *router) add(method, pattern string, h func(*call), flags ...routeFlag) {
	r := &route{method: method, pattern: pattern, h: h, name: method + " " + pattern, id: len(rt.routes)}
	r.segs = strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	for _, s := range r.segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			r.names = append(r.names, s[1:len(s)-1])
		} else {
			r.lits++
		}
	}
	for _, f := range flags {
		f(r)
	}
	for _, o := range rt.routes {
		if o.name == r.name {
			panic("spotifytest: duplicate route " + r.name)
		}
	}
	rt.routes = append(rt.routes, r)
}

// match finds the route of method and path. With no route for the path it
// returns nil and no methods (404); with routes for the path but not for
// the method, nil and the methods that exist (405).
func (rt *router) match(method, path string) (r *route, params []string, allowed []string) {
	if !strings.HasPrefix(path, "/") {
		return nil, nil, nil
	}
	segs := strings.Split(path[1:], "/")
	best := -1
	for _, cand := range rt.routes {
		if !segsMatch(cand.segs, segs) {
			continue
		}
		if cand.method != method {
			allowed = append(allowed, cand.method)
			continue
		}
		if cand.lits > best {
			r, best = cand, cand.lits
		}
	}
	if r == nil {
		sort.Strings(allowed)
		return nil, nil, allowed
	}
	for i, s := range r.segs {
		if s[0] == '{' {
			params = append(params, segs[i])
		}
	}
	return r, params, nil
}

// segsMatch reports whether a path's segments fit a pattern's: literals
// equal, parameters non-empty.
func segsMatch(pat, segs []string) bool {
	if len(pat) != len(segs) {
		return false
	}
	for i, p := range pat {
		if p != "" && p[0] == '{' {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if p != segs[i] {
			return false
		}
	}
	return true
}

// newRouter returns the table of every route the emulator serves.
func newRouter() *router {
	rt := &router{}
	const get = http.MethodGet
	rt.add(http.MethodPost, "/api/token", handleToken, public)
	rt.add(get, "/authorize", handleAuthorize, public)

	// Albums, artists, tracks.
	rt.add(get, "/v1/albums/{id}", handleAlbum)
	rt.add(get, "/v1/albums/{id}/tracks", handleAlbumTracks)
	rt.add(get, "/v1/albums", handleAlbums, extendedOnly)
	rt.add(get, "/v1/artists/{id}", handleArtist)
	rt.add(get, "/v1/artists/{id}/albums", handleArtistAlbums)
	rt.add(get, "/v1/artists/{id}/top-tracks", handleArtistTopTracks, extendedOnly)
	rt.add(get, "/v1/artists", handleArtists, extendedOnly)
	rt.add(get, "/v1/tracks/{id}", handleTrack)
	rt.add(get, "/v1/tracks", handleTracks, extendedOnly)

	// Shows, episodes, audiobooks, chapters.
	rt.add(get, "/v1/shows/{id}", handleShow)
	rt.add(get, "/v1/shows/{id}/episodes", handleShowEpisodes)
	rt.add(get, "/v1/shows", handleShows, extendedOnly)
	rt.add(get, "/v1/episodes/{id}", handleEpisode)
	rt.add(get, "/v1/episodes", handleEpisodes, extendedOnly)
	rt.add(get, "/v1/audiobooks/{id}", handleAudiobook)
	rt.add(get, "/v1/audiobooks/{id}/chapters", handleAudiobookChapters)
	rt.add(get, "/v1/audiobooks", handleAudiobooks, extendedOnly)
	rt.add(get, "/v1/chapters/{id}", handleChapter)
	rt.add(get, "/v1/chapters", handleChapters, extendedOnly)

	// Browse, markets, users, search.
	rt.add(get, "/v1/browse/categories", handleCategories, extendedOnly)
	rt.add(get, "/v1/browse/categories/{category_id}", handleCategory, extendedOnly)
	rt.add(get, "/v1/browse/new-releases", handleNewReleases, extendedOnly)
	rt.add(get, "/v1/markets", handleMarkets, extendedOnly)
	rt.add(get, "/v1/users/{user_id}", handleUser, extendedOnly)
	rt.add(get, "/v1/users/{user_id}/playlists", handleUserPlaylists, extendedOnly)
	rt.add(get, "/v1/search", handleSearch)

	// Playlists.
	// Served from the playlist's state once written (playlist_state.go).
	rt.add(get, "/v1/playlists/{playlist_id}", handlePlaylistState)
	rt.add(get, "/v1/playlists/{playlist_id}/items", playlistEntriesState(50, true))
	rt.add(get, "/v1/playlists/{playlist_id}/tracks", playlistEntriesState(100, false), extendedOnly)
	addPlaylistWriteRoutes(rt)
	rt.add(get, "/v1/playlists/{playlist_id}/images", handlePlaylistImages)

	// Removed for new and Development Mode apps in November 2024.
	rt.add(get, "/v1/artists/{id}/related-artists", handleRelatedArtists, extendedOnly)
	rt.add(get, "/v1/audio-features/{id}", handleAudioFeatures, extendedOnly)
	rt.add(get, "/v1/audio-features", handleSeveralAudioFeatures, extendedOnly)
	rt.add(get, "/v1/audio-analysis/{id}", handleAudioAnalysis, extendedOnly)
	rt.add(get, "/v1/recommendations", handleRecommendations, extendedOnly)
	rt.add(get, "/v1/recommendations/available-genre-seeds", handleGenreSeeds, extendedOnly)
	rt.add(get, "/v1/browse/featured-playlists", handleFeaturedPlaylists, extendedOnly)
	rt.add(get, "/v1/browse/categories/{category_id}/playlists", handleCategoryPlaylists, extendedOnly)

	// The current user (handlers_me.go).
	addMeRoutes(rt)
	return rt
}
