package middleware

import (
	"iter"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/transport"
)

// This file holds the HTTP caching rules of the [Cache] stage: which
// requests it may answer, what is fresh, what may be stored, how Vary is
// matched, and how a 304 is merged into a stored response. They follow
// RFC 9111 as far as a private, per-principal client cache needs.

// The header fields the cache rules read, by their canonical names, and
// looked up by them directly: Header.Values and Header.Get would
// canonicalize the name again on every call, which costs more than the
// lookup. TestCacheFieldNamesAreCanonical checks the names (the ETag field
// is "Etag" in canonical form).
const (
	fieldCacheControl   = "Cache-Control"
	fieldPragma         = "Pragma"
	fieldConnection     = "Connection"
	fieldVary           = "Vary"
	fieldETag           = "Etag"
	fieldAge            = "Age"
	fieldAcceptLanguage = "Accept-Language"
)

// fieldValue returns the first value of the field canonical (a canonical
// name) in h, or "": h.Get(canonical) without the canonicalization.
func fieldValue(h http.Header, canonical string) string {
	if vs := h[canonical]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// cacheableRequest reports whether a GET may be served and stored: no
// per-call NoCache, no Range, no conditional header, no request no-store.
func cacheableRequest(req *http.Request) bool {
	if transport.CallFrom(req.Context()).Overrides().NoCache {
		return false
	}
	if hasSelectors(req) {
		return false
	}
	_, noStore := cacheDirective(req.Header, "no-store")
	return !noStore
}

// cacheRequestRevalidates reports whether a request asks not to be served
// without revalidation (Cache-Control no-cache or max-age=0, or Pragma:
// no-cache without Cache-Control).
func cacheRequestRevalidates(h http.Header) bool {
	if len(h[fieldCacheControl]) == 0 {
		return strings.Contains(strings.ToLower(strings.Join(h[fieldPragma], ",")), "no-cache")
	}
	_, noCache := cacheDirective(h, "no-cache")
	maxAge, _ := cacheDirective(h, "max-age")
	return noCache || maxAge == "0"
}

// cacheHopByHop are the header fields that describe one connection: they
// are never stored nor merged from a 304, and neither are the fields the
// Connection field names.
var cacheHopByHop = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Proxy-Connection": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

// cacheCopyFields copies the end-to-end fields of src over dst (a new
// header when dst is nil), leaving out Content-Length when exceptLength is
// set (a 304's length is not the stored body's), and returns dst.
func cacheCopyFields(dst, src http.Header, exceptLength bool) http.Header {
	if dst == nil {
		dst = make(http.Header, len(src))
	}
	var named map[string]bool // the fields Connection names
	for _, v := range src[fieldConnection] {
		for c := range strings.SplitSeq(v, ",") {
			if named == nil {
				named = make(map[string]bool)
			}
			named[http.CanonicalHeaderKey(strings.TrimSpace(c))] = true
		}
	}
	for k, vs := range src {
		if !cacheHopByHop[k] && !named[k] && !(exceptLength && k == "Content-Length") {
			dst[k] = append([]string(nil), vs...)
		}
	}
	return dst
}

// cacheVaryNames yields the request header names listed in the Vary fields
// of h (canonical form; "*" stays "*").
func cacheVaryNames(h http.Header) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, v := range h[fieldVary] {
			for name := range strings.SplitSeq(v, ",") {
				if name = strings.TrimSpace(name); name != "" && !yield(http.CanonicalHeaderKey(name)) {
					return
				}
			}
		}
	}
}

// cacheVaryValues returns, for every request header named in the Vary of
// the response header h, the values req sent (nil when Vary names none).
func cacheVaryValues(h http.Header, req *http.Request) http.Header {
	var vh http.Header
	for name := range cacheVaryNames(h) {
		if vh == nil {
			vh = make(http.Header)
		}
		if vs := req.Header.Values(name); len(vs) > 0 {
			vh[name] = slices.Clone(vs)
		}
	}
	return vh
}

// cacheVaryMatches reports whether req sends the same values as stored for
// every header named in the Vary of a stored response with header h and
// recorded values stored. A stored "Vary: *" never matches.
func cacheVaryMatches(h, stored http.Header, req *http.Request) bool {
	for name := range cacheVaryNames(h) {
		if name == "*" {
			return false
		}
		if strings.Join(stored.Values(name), ", ") != strings.Join(req.Header.Values(name), ", ") {
			return false
		}
	}
	return true
}

// cacheDirective returns the value (unquoted) of the Cache-Control
// directive name, given in lower case, and whether h has it; the first
// occurrence wins.
func cacheDirective(h http.Header, name string) (string, bool) {
	for _, v := range h[fieldCacheControl] {
		for d := range strings.SplitSeq(v, ",") {
			if k, val, _ := strings.Cut(d, "="); strings.EqualFold(strings.TrimSpace(k), name) {
				return strings.Trim(strings.TrimSpace(val), `"`), true
			}
		}
	}
	return "", false
}

// cacheLifetime returns how long a response with header h stays fresh
// after it was received: max-age minus Age, or 0 when it has no-cache, no
// valid max-age, or max-age=0.
func cacheLifetime(h http.Header) time.Duration { return cacheControlOf(h).lifetime(h) }

// cacheControl is what the stage reads of a response's Cache-Control:
// whether it has no-store and no-cache, and the value of its first max-age
// (unquoted), as cacheDirective finds each, read in one pass.
type cacheControl struct {
	noStore, noCache bool
	maxAge           string
}

// cacheControlOf reads the Cache-Control of h.
func cacheControlOf(h http.Header) cacheControl {
	var cc cacheControl
	maxAge := false
	for _, v := range h[fieldCacheControl] {
		for d := range strings.SplitSeq(v, ",") {
			k, val, _ := strings.Cut(d, "=")
			switch k = strings.TrimSpace(k); {
			case strings.EqualFold(k, "no-store"):
				cc.noStore = true
			case strings.EqualFold(k, "no-cache"):
				cc.noCache = true
			case !maxAge && strings.EqualFold(k, "max-age"):
				maxAge = true
				cc.maxAge = strings.Trim(strings.TrimSpace(val), `"`)
			}
		}
	}
	return cc
}

// lifetime is cacheLifetime of the header h that cc was read from.
func (cc cacheControl) lifetime(h http.Header) time.Duration {
	if cc.noCache {
		return 0
	}
	maxAge, ok := cacheSeconds(cc.maxAge)
	if !ok {
		return 0
	}
	age, _ := cacheSeconds(fieldValue(h, fieldAge))
	return time.Duration(maxAge-age) * time.Second
}

// cacheSeconds parses a delta-seconds value (max-age, Age), capped at 2^31
// as RFC 9111 §1.2.2 allows, so that no time.Duration made of it overflows.
func cacheSeconds(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		// Absent (the usual case for Age): no parse, so no error to allocate.
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return min(n, 1<<31), true
}

// cacheFresh reports whether e may be served at now without revalidation.
func cacheFresh(e *cache.Entry, now time.Time) bool {
	life := cacheLifetime(e.Header)
	return life > 0 && max(now.Sub(e.Stored), 0) < life
}

// cacheStorable reports whether a GET answer with this status and header
// may be stored and is worth storing (an ETag or a positive lifetime).
func cacheStorable(status int, h http.Header) bool {
	if status != http.StatusOK {
		return false
	}
	cc := cacheControlOf(h)
	if cc.noStore {
		return false
	}
	for name := range cacheVaryNames(h) {
		if name == "*" {
			return false
		}
	}
	return fieldValue(h, fieldETag) != "" || cc.lifetime(h) > 0
}
