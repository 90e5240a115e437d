package middleware

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/transport"
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
	c := canonicalURLOf(u)
	var b strings.Builder
	b.Grow(c.len())
	c.writeTo(&b)
	return b.String()
}

// canonicalParts are the parts of a canonical URL (see canonicalURL), so
// that a key can write it into its own buffer.
type canonicalParts struct{ scheme, host, path, query string }

// canonicalURLOf returns the canonical parts of u.
func canonicalURLOf(u *url.URL) canonicalParts {
	if c, ok := canonicalURLFast(u); ok {
		return c
	}
	return canonicalURLSlow(u)
}

// canonicalURLSlow is canonicalURLOf for any URL: every part is taken
// apart and put together again.
func canonicalURLSlow(u *url.URL) canonicalParts {
	scheme := asciiLower(u.Scheme)
	return canonicalParts{scheme, canonicalHost(scheme, u.Host), canonicalPath(u), canonicalQuery(u.RawQuery)}
}

// canonicalURLFast is canonicalURLOf for the URLs a client sends, and
// reports ok only for those: scheme "https" or "http", no query, no opaque
// part, no raw path, a path that [canonicalPath] returns as it is, and a
// host that [canonicalPlainHost] accepts. Such a URL is canonical as it
// is: its parts are taken as they are, with no parsing and no escaping.
// FuzzCanonicalURLFast checks that it agrees with canonicalURLSlow.
func canonicalURLFast(u *url.URL) (canonicalParts, bool) {
	if u.RawQuery != "" || u.Opaque != "" || u.RawPath != "" || (u.Scheme != "https" && u.Scheme != "http") ||
		!canonicalPlainPath(u.Path) || !canonicalPlainHost(u.Scheme, u.Host) {
		return canonicalParts{}, false
	}
	return canonicalParts{scheme: u.Scheme, host: u.Host, path: u.Path}, true
}

// canonicalPlainPath reports whether p is a path that url.URL.EscapedPath
// leaves as it is (with no RawPath) and that starts with "/": it holds
// only the bytes of plainPathByte.
func canonicalPlainPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	for i := 1; i < len(p); i++ {
		if !plainPathByte[p[i]] {
			return false
		}
	}
	return true
}

// plainPathByte marks the bytes a plain path may hold: ASCII letters,
// digits, "-", ".", "_", "~" and "/", which url.URL.EscapedPath never
// escapes.
var plainPathByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '/'
	}
	return t
}()

// len is an upper bound of the length of the URL writeTo writes.
func (c canonicalParts) len() int {
	return len(c.scheme) + len(c.host) + len(c.path) + len(c.query) + 4
}

// writeTo writes the canonical URL to b.
func (c canonicalParts) writeTo(b *strings.Builder) {
	if c.scheme != "" {
		b.WriteString(c.scheme)
		b.WriteByte(':')
	}
	if c.scheme != "" || c.host != "" {
		b.WriteString("//")
		b.WriteString(c.host)
	} else if strings.HasPrefix(c.path, "//") && !strings.HasPrefix(c.path, "///") {
		// "//x" alone would parse as host x; "///x" stays a path.
		b.WriteByte('/')
	}
	b.WriteString(c.path)
	if c.query != "" {
		b.WriteByte('?')
		b.WriteString(c.query)
	}
}

// canonicalHost returns host (as url.URL holds it: unescaped, IPv6 literals
// in brackets) with its ASCII letters in lower case (an IPv6 zone keeps its
// case), without trailing dots, without a default or empty port, and
// escaped the way url.Parse unescapes hosts. A host with nothing left after
// that (".", ":") is kept as it is.
func canonicalHost(scheme, host string) string {
	if host == "" || canonicalPlainHost(scheme, host) {
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
// no parsing: lower-case letters, digits, '-' and '.', not ending in '.',
// and at most a port of digits that is not scheme's default
// ("api.spotify.com", "127.0.0.1:8080"), so the common hosts cost no
// allocation.
func canonicalPlainHost(scheme, host string) bool {
	name, port, hasPort := strings.Cut(host, ":")
	if hasPort {
		if port == "" || port == schemeDefaultPort(scheme) {
			return false
		}
		for i := 0; i < len(port); i++ {
			if c := port[i]; c < '0' || c > '9' {
				return false
			}
		}
	}
	if name == "" || name[len(name)-1] == '.' {
		return false
	}
	// Byte by byte: a byte of a multi-byte rune is no letter either.
	for i := 0; i < len(name); i++ {
		if c := name[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
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

// selectorHeaders are the request headers that select a part or a variant
// of the answer to a GET (a range, or a 304 instead of a 200): requests
// that differ in them must not share an answer. [requestKey] includes them;
// the cache stage neither serves nor stores a request that has any of them
// ([hasSelectors]).
var selectorHeaders = [...]string{"Range", "If-Range", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since"}

// hasSelectors reports whether req has any of the [selectorHeaders].
func hasSelectors(req *http.Request) bool {
	for _, h := range selectorHeaders {
		if len(req.Header[h]) > 0 { // h is canonical
			return true
		}
	}
	return false
}

// requestKey is the key of a read in the cache and the coalescing stage:
// the principal, and a Request string made of the method ("" counts as
// GET), the values of Accept-Language, the values of the [selectorHeaders]
// the request has, and the canonical URL ([canonicalURL]).
//
// Request writes the method and Accept-Language as their length, ":" and
// the value; then each selector header present as its digit in
// selectorHeaders, its length, ":" and its values joined by ", "; then ";"
// and the URL. That makes it unambiguous whatever the fields hold: two
// requests share a key exactly when all of these parts are equal.
//
// The values of the headers a response names in Vary are not part of the
// key: the cache stage records them with the entry and compares them on a
// hit ([cacheVaryMatches]).
func requestKey(principal string, req *http.Request) cache.Key {
	return cache.Key{Principal: principal, Request: requestKeyString(req)}
}

// callRequestKey is requestKey computed once per request of a call: the
// cache stage computes it, and the coalescing stage below gets it from the
// call record ([transport.Call.RequestKey]).
func callRequestKey(principal string, req *http.Request) cache.Key {
	return cache.Key{Principal: principal, Request: transport.CallFrom(req.Context()).RequestKey(req, requestKeyString)}
}

// callRequestKeyUnselected is callRequestKey for a request that has none
// of the [selectorHeaders] (hasSelectors(req) is false), which it does not
// look up again: the cache stage, which has checked, computes the key so.
func callRequestKeyUnselected(principal string, req *http.Request) cache.Key {
	return cache.Key{Principal: principal, Request: transport.CallFrom(req.Context()).RequestKey(req, requestKeyStringUnselected)}
}

// requestKeyString returns the Request string of requestKey, in one
// allocation.
func requestKeyString(req *http.Request) string { return keyString(req, true) }

// requestKeyStringUnselected is requestKeyString for a request without
// any of the [selectorHeaders], which it does not look up: for such a
// request both give the same string (FuzzRequestKey checks it).
func requestKeyStringUnselected(req *http.Request) string { return keyString(req, false) }

// keyString is requestKeyString, with the selector headers looked up only
// when selected is set.
func keyString(req *http.Request, selected bool) string {
	u := canonicalURLOf(req.URL)
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	lang := strings.Join(req.Header[fieldAcceptLanguage], ", ")
	size := len(method) + len(lang) + u.len() + 8
	var selectors [len(selectorHeaders)][]string
	if selected {
		for i, h := range selectorHeaders {
			selectors[i] = req.Header[h] // h is canonical
			for _, v := range selectors[i] {
				size += len(v) + 6
			}
		}
	}
	var b strings.Builder
	b.Grow(size)
	for _, f := range [...]string{method, lang} {
		writeKeyField(&b, f)
	}
	for i, vs := range selectors {
		if len(vs) > 0 {
			b.WriteByte(byte('0' + i))
			writeKeyField(&b, strings.Join(vs, ", "))
		}
	}
	b.WriteByte(';')
	u.writeTo(&b)
	return b.String()
}

// writeKeyField writes f to b as its length, ":" and f.
func writeKeyField(b *strings.Builder, f string) {
	b.WriteString(strconv.Itoa(len(f)))
	b.WriteByte(':')
	b.WriteString(f)
}
