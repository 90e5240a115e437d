package cache

import (
	"iter"
	"strings"
)

// Invalidation names the entries one write makes stale, by their
// [Entry.Path]. Paths are compared segment by segment: "/v1/playlists/x" is
// a prefix of itself and of "/v1/playlists/x/items", not of
// "/v1/playlists/xy"; trailing slashes are ignored, and "/" is a prefix of
// every path that starts with one.
type Invalidation struct {
	// Path is the written path ("/v1/playlists/x/items"): the entries whose
	// path is a prefix of it ("/v1/playlists/x") or has it as a prefix
	// ("/v1/playlists/x/items", whatever the query) are dropped. Empty
	// means none.
	Path string
	// Prefixes are further paths whose entries are dropped together with
	// every entry below them, for writes whose effects their path does not
	// show (a write to "/v1/me/library" changes "/v1/me/tracks"). Empty
	// prefixes are ignored.
	Prefixes []string
}

// Drops reports whether inv drops an entry whose path is p.
func (inv Invalidation) Drops(p string) bool {
	if inv.Path != "" && (pathWithin(p, inv.Path) || pathWithin(inv.Path, p)) {
		return true
	}
	for _, prefix := range inv.Prefixes {
		if prefix != "" && pathWithin(p, prefix) {
			return true
		}
	}
	return false
}

// pathWithin reports whether prefix is a path-segment prefix of p:
// "/v1/playlists/x" is one of itself and of "/v1/playlists/x/items", not of
// "/v1/playlists/xy". Trailing slashes are ignored ("/" is a prefix of every
// path that starts with one).
func pathWithin(p, prefix string) bool {
	p, prefix = strings.TrimRight(p, "/"), strings.TrimRight(prefix, "/")
	return strings.HasPrefix(p, prefix) && (len(p) == len(prefix) || p[len(prefix)] == '/')
}

// pathSegments yields the segments of p that [pathWithin] compares: p
// without its trailing slashes, split at every "/" ("/v1/me" gives "", "v1",
// "me"; "/" and "" give ""). A path q is within prefix exactly when the
// segments of prefix begin the segments of q.
func pathSegments(p string) iter.Seq[string] {
	return strings.SplitSeq(strings.TrimRight(p, "/"), "/")
}
