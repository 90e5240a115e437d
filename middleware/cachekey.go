package middleware

import (
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spotifysdk/spotify-go/cache"
)

// canonicalURL returns the form of u that the cache and the coalescing stage
// key on:
//
//   - the scheme in lower case; the host in lower case (ASCII letters only),
//     without trailing dots, without the scheme's default port or an empty
//     one, and escaped as url.URL.String escapes hosts;
//   - user info and fragment dropped;
//   - the path as [canonicalPath] gives it;
//   - the query as [canonicalQuery] gives it.
//
// The result is itself a URL: parsing it and canonicalizing again gives the
// same string (FuzzCanonicalURL checks it). A URL without scheme and host
// (never a request's) gives its path and query alone, a path starting with
// exactly two slashes getting a third so that it does not read as a host.
func canonicalURL(u *url.URL) string {
	scheme := asciiLower(u.Scheme)
	host := canonicalHost(scheme, u.Host)
	path := canonicalPath(u)
	query := canonicalQuery(u.RawQuery)
	var b strings.Builder
	b.Grow(len(scheme) + len(host) + len(path) + len(query) + 4)
	if scheme != "" {
		b.WriteString(scheme)
		b.WriteByte(':')
	}
	if scheme != "" || host != "" {
		b.WriteString("//")
		b.WriteString(host)
	} else if strings.HasPrefix(path, "//") && !strings.HasPrefix(path, "///") {
		// "//x" alone would parse as host x; "///x" stays a path.
		b.WriteByte('/')
	}
	b.WriteString(path)
	if query != "" {
		b.WriteByte('?')
		b.WriteString(query)
	}
	return b.String()
}

// canonicalHost returns host (as url.URL holds it: unescaped, IPv6 literals
// in brackets) with its ASCII letters in lower case (an IPv6 zone keeps its
// case), without trailing dots, without a default or empty port, and
// escaped the way url.Parse unescapes hosts. A host with nothing left after
// that (".", ":") is kept as it is.
func canonicalHost(scheme, host string) string {
	if host == "" || canonicalPlainHost(host) {
		return host
	}
	hu := &url.URL{Host: host}
	name, port := hu.Hostname(), hu.Port()
	if port == schemeDefaultPort(scheme) {
		port = ""
	}
	switch {
	case strings.HasPrefix(host, "["):
		addr, _, _ := strings.Cut(name, "%") // the zone after it keeps its case
		name = "[" + asciiLower(addr) + name[len(addr):] + "]"
	case strings.Contains(name, ":") && port == "":
		// url.Parse accepts a name with colons ("a:b:", "::") as long as
		// the last one ends it; keep that colon so it parses again.
		name = asciiLower(strings.TrimRight(name, ".")) + ":"
	default:
		name = asciiLower(strings.TrimRight(name, "."))
	}
	if port != "" {
		name += ":" + port
	}
	if name == "" {
		// Nothing left ("." or ":"): keep the host as it came, so that the
		// URL keeps its authority and parses back the same.
		name = asciiLower(host)
	}
	// url.Parse takes raw bytes (non-ASCII included) in a host, "%25" for
	// "%", and "%20" for a space (only an IPv6 zone can hold one).
	// url.URL.String would escape non-ASCII bytes, which a zone rejects.
	return canonicalHostEscaper.Replace(name)
}

// canonicalHostEscaper escapes a host for canonicalHost.
var canonicalHostEscaper = strings.NewReplacer("%", "%25", " ", "%20")

// canonicalPlainHost reports whether host is already canonical and needs
// no parsing: lower-case letters, digits, '-' and '.', not ending in '.'
// ("api.spotify.com").
func canonicalPlainHost(host string) bool {
	return host[len(host)-1] != '.' && !strings.ContainsFunc(host, func(c rune) bool {
		return !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.')
	})
}

// canonicalQuery returns the query raw re-encoded so that equivalent
// queries read the same: empty pairs dropped, every key and value unescaped
// and escaped again with url.QueryEscape ("ids=a,b" and "ids=a%2Cb", "q=a+b"
// and "q=a%20b" are one query), a missing "=" added, and the pairs sorted by
// key, stably (the values of one key keep their order). A key or value that
// holds a ";" or an invalid escape is kept as it is: its meaning depends on
// the server, so it is never merged with another spelling.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type pair struct{ k, v string }
	pairs := make([]pair, 0, strings.Count(raw, "&")+1)
	for piece := range strings.SplitSeq(raw, "&") {
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		pairs = append(pairs, pair{canonicalQueryPart(k), canonicalQueryPart(v)})
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return strings.Compare(a.k, b.k) })
	var b strings.Builder
	b.Grow(len(raw) + len(pairs))
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// canonicalQueryPart re-escapes one key or value of a query; see
// [canonicalQuery].
func canonicalQueryPart(s string) string {
	if s == "" || strings.Contains(s, ";") {
		return s
	}
	un, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return url.QueryEscape(un)
}

// canonicalPath returns the escaped path of u, the part of a URL that write
// invalidation compares: u.EscapedPath(), or for an opaque URL the path its
// opaque part names ("//host/path" gives "/path", escaped as url.Parse
// would escape it), always with a leading "/".
func canonicalPath(u *url.URL) string {
	p := u.EscapedPath()
	if op := u.Opaque; op != "" {
		if rest, ok := strings.CutPrefix(op, "//"); ok {
			op = "/"
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				op = rest[i:]
			}
		}
		pu := &url.URL{Path: op}
		if un, err := url.PathUnescape(op); err == nil {
			pu = &url.URL{Path: un, RawPath: op}
		}
		p = pu.EscapedPath()
	}
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	return p
}

// asciiLower lowers the ASCII letters of s and leaves every other byte as
// it is (strings.ToLower would also fold non-ASCII letters and replace
// invalid UTF-8).
func asciiLower(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// requestKey is the key of a GET in the cache and the coalescing stage:
// principal, method ("" counts as GET), the values of Accept-Language, each
// written as its length, ":" and the value, then the canonical URL. The
// lengths make the key unambiguous whatever the fields hold: two requests
// share a key only when all four parts are equal.
func requestKey(principal string, req *http.Request) string {
	u := canonicalURL(req.URL)
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	lang := strings.Join(req.Header.Values("Accept-Language"), ", ")
	var b strings.Builder
	b.Grow(len(principal) + len(method) + len(lang) + len(u) + 12)
	for _, f := range [...]string{principal, method, lang} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
	}
	b.WriteString(u)
	return b.String()
}

// cacheVaryNames yields the request header names listed in the Vary fields
// of h (canonical form; "*" stays "*").
func cacheVaryNames(h http.Header) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, v := range h.Values("Vary") {
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
	for _, v := range h.Values("Cache-Control") {
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
func cacheLifetime(h http.Header) time.Duration {
	if _, noCache := cacheDirective(h, "no-cache"); noCache {
		return 0
	}
	v, _ := cacheDirective(h, "max-age")
	maxAge, ok := cacheSeconds(v)
	if !ok {
		return 0
	}
	age, _ := cacheSeconds(h.Get("Age"))
	return time.Duration(maxAge-age) * time.Second
}

// cacheSeconds parses a delta-seconds value (max-age, Age), capped at 2^31
// as RFC 9111 §1.2.2 allows, so that no time.Duration made of it overflows.
func cacheSeconds(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
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
	if _, noStore := cacheDirective(h, "no-store"); noStore {
		return false
	}
	for name := range cacheVaryNames(h) {
		if name == "*" {
			return false
		}
	}
	return h.Get("ETag") != "" || cacheLifetime(h) > 0
}

// cacheInvalidation is what one write drops: the entries whose path is a
// path-segment prefix of path or has it as one, and those under prefixes.
type cacheInvalidation struct {
	path     string
	prefixes []string
}

// drops reports whether the invalidation drops an entry of path p.
func (inv *cacheInvalidation) drops(p string) bool {
	if cachePathWithin(p, inv.path) || cachePathWithin(inv.path, p) {
		return true
	}
	for _, prefix := range inv.prefixes {
		if cachePathWithin(p, prefix) {
			return true
		}
	}
	return false
}

// cachePathWithin reports whether prefix is a path-segment prefix of p:
// "/v1/playlists/x" is one of itself and of "/v1/playlists/x/items", not of
// "/v1/playlists/xy". Trailing slashes are ignored ("/" is a prefix of every
// path).
func cachePathWithin(p, prefix string) bool {
	p, prefix = strings.TrimRight(p, "/"), strings.TrimRight(prefix, "/")
	return strings.HasPrefix(p, prefix) && (len(p) == len(prefix) || p[len(prefix)] == '/')
}

// cacheWriteLogSize is how many recent writes a [cacheWriteLog] remembers; a
// GET that overlapped more writes than that does not store its answer.
const cacheWriteLogSize = 256

// cacheWriteLog numbers the writes that dropped entries and remembers the
// last ones, so that a GET can tell whether a write touched its path while
// it was in flight. Each [Cache] middleware has one; it is safe for
// concurrent use.
type cacheWriteLog struct {
	mu   sync.Mutex
	seq  uint64 // number of the last write
	ring [cacheWriteLogSize]cacheInvalidation
}

// current returns the number of the last write.
func (l *cacheWriteLog) current() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

// add records a write. It is called before the write's entries are
// dropped, so a GET that does not see it stores before they are dropped.
func (l *cacheWriteLog) add(inv cacheInvalidation) {
	l.mu.Lock()
	l.seq++
	l.ring[l.seq%cacheWriteLogSize] = inv
	l.mu.Unlock()
}

// touched reports whether a write numbered after since drops entries of
// path p (true, too, when more writes than the log holds came after since).
func (l *cacheWriteLog) touched(since uint64, p string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seq-since > cacheWriteLogSize {
		return true
	}
	for s := since + 1; s <= l.seq; s++ {
		if l.ring[s%cacheWriteLogSize].drops(p) {
			return true
		}
	}
	return false
}
