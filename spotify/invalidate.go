package spotify

import (
	"net/http"
	"strings"
)

// libraryViews are the listings a write to /me/library can change: the
// 2026 library is one store behind the old type-specific routes.
var libraryViews = []string{
	"/me/tracks", "/me/albums", "/me/episodes", "/me/shows", "/me/audiobooks",
	"/me/following", "/me/library",
}

// invalidateRelated tells the cache stage which cached listings a write
// that may have been applied makes stale beyond its own path (the stage
// drops the path itself): a library write changes the saved-items
// listings, a playlist write the user's playlist listing, a follow or save
// on a type-specific route the library. The stage passes the prefixes to
// the store as [cache.Invalidation.Prefixes], for every principal.
func (f *family) invalidateRelated(req *http.Request) []string {
	basePath := strings.TrimRight(f.base.EscapedPath(), "/")
	p := strings.TrimPrefix(req.URL.EscapedPath(), basePath)
	var out []string
	switch {
	case underAny(p, libraryViews):
		for _, v := range libraryViews {
			out = append(out, basePath+v)
		}
	case strings.HasPrefix(p, "/playlists/") || p == "/me/playlists" || strings.HasPrefix(p, "/users/"):
		out = append(out, basePath+"/me/playlists")
	case strings.HasPrefix(p, "/me/player"):
		out = append(out, basePath+"/me/player")
	}
	return out
}

// underAny reports whether path p is one of paths or below one of them.
func underAny(p string, paths []string) bool {
	for _, v := range paths {
		if p == v || strings.HasPrefix(p, v+"/") {
			return true
		}
	}
	return false
}
