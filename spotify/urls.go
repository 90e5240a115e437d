package spotify

// This file holds URL handling: checking a base or token URL, whether a
// URL is under the base URL, resolving paths and next-page links against
// it, and the URL of a service method's call (opURL).

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/spotifysdk/spotify-go/internal/netx"
)

// parseServiceURL checks a base or token URL: absolute, https, or http to a
// loopback host (tests, the emulator), with no user info.
func parseServiceURL(option, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("spotify: %s(%q): %v", option, raw, err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("spotify: %s(%q): need an absolute https:// URL", option, raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("spotify: %s: the URL must not carry user info", option)
	}
	if u.Scheme == "http" && !netx.IsLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("spotify: %s(%q): http:// is allowed only for loopback hosts (127.0.0.1, ::1, localhost); use https://", option, raw)
	}
	return u, nil
}

// underBase reports whether u points under the base URL: same scheme and
// host, and a path below the base path. A page's next link is followed only
// then, so a crafted link cannot send the token elsewhere.
func underBase(base, u *url.URL) bool {
	if !strings.EqualFold(u.Scheme, base.Scheme) || !strings.EqualFold(u.Host, base.Host) || u.User != nil {
		return false
	}
	for seg := range strings.SplitSeq(u.Path, "/") {
		if seg == "." || seg == ".." {
			return false // "/v1/../admin" is not under /v1/, whatever its prefix
		}
	}
	bp := strings.TrimRight(base.EscapedPath(), "/") + "/"
	return strings.HasPrefix(u.EscapedPath(), bp)
}

// trimBasePath strips the base URL's path once from a path that starts
// with it ("/v1/albums/x" → "/albums/x"), so that resolve does not add it
// a second time. Other paths, and absolute URLs, are returned as they are.
func (c *Client) trimBasePath(path string) string {
	bp := strings.TrimRight(c.fam.base.EscapedPath(), "/")
	if bp == "" || strings.Contains(path, "://") || !strings.HasPrefix(path, bp) {
		return path
	}
	rest := path[len(bp):]
	if rest == "" || strings.ContainsRune("/?#", rune(rest[0])) {
		return "/" + strings.TrimLeft(rest, "/")
	}
	return path // "/v1x/..." does not start with the segment "/v1"
}

// resolve turns a path relative to the base URL ("me/player", a leading
// slash ignored) or an absolute URL into a URL under the base URL.
func (c *Client) resolve(path string) (*url.URL, error) {
	if !strings.Contains(path, "://") {
		path = strings.TrimLeft(path, "/")
	}
	return c.resolveRef(path)
}

// resolveRef resolves a URL reference (absolute, host-relative as in
// "/v1/albums", or relative to the base) against the base URL, dot
// segments removed, and accepts the result only when it is under the base
// URL: a page's next link cannot carry a call, and its token, elsewhere.
func (c *Client) resolveRef(ref string) (*url.URL, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("spotify: bad URL: %v", err)
	}
	base := *c.fam.base
	base.Path = strings.TrimRight(base.Path, "/") + "/"
	base.RawPath = ""
	u := base.ResolveReference(r)
	if !underBase(c.fam.base, u) {
		return nil, fmt.Errorf("spotify: %s is not under the base URL %s: refused", u.Redacted(), c.fam.base)
	}
	return u, nil
}

// callURL returns the URL cl sends to: its next-page link resolved, or its
// operation's path with its query (opURL). When the URL can be built
// without parsing (see requestURL) it returns it in parts, ready for the
// request, and "": the URL http.NewRequest would make of the string, made
// without printing and parsing it.
func (c *Client) callURL(cl *call) (*requestParts, string, error) {
	if cl.next != "" {
		u, err := c.resolveRef(cl.next)
		if err != nil {
			return nil, "", err
		}
		return nil, u.String(), nil
	}
	if p := c.requestURL(cl.op, cl.args, cl.query); p != nil {
		return p, "", nil
	}
	raw, err := c.opURL(cl.op.expand(cl.args...), cl.query)
	return nil, raw, err
}

// opURL returns the URL of a call of an operation whose path (the template
// filled in) is path, with query as its query (none when nil or empty): the
// string Client.resolve's URL would print. A plain path (see plainRef) is
// appended to the family's plainBase as it is, which gives the same string
// without parsing and resolving a reference; any other takes resolve.
func (c *Client) opURL(path string, query url.Values) (string, error) {
	if ref := strings.TrimLeft(path, "/"); c.fam.plainBase != "" && plainRef(ref) {
		if len(query) > 0 {
			if q := query.Encode(); q != "" {
				return c.fam.plainBase + ref + "?" + q, nil
			}
		}
		return c.fam.plainBase + ref, nil
	}
	u, err := c.resolve(path)
	if err != nil {
		return "", err
	}
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	return u.String(), nil
}

// plainBaseOf returns the string that a plain reference (see plainRef) is
// appended to so as to give the URL resolveRef would print for it: the base
// URL with its path ending in one "/" ("https://api.spotify.com/v1/"). It
// returns "" (every path takes resolve) for a base whose path resolving
// would change: one with dot segments, a leading "//", or escapes that
// url.URL spells otherwise. A reference "x" stands for every plain one: a
// plain reference's segments are appended as they are, after the same
// prefix.
func plainBaseOf(base *url.URL) string {
	const probe = "x"
	b := *base
	b.Path = strings.TrimRight(b.Path, "/") + "/"
	b.RawPath = ""
	u := b.ResolveReference(&url.URL{Path: probe})
	prefix, ok := strings.CutSuffix(u.String(), probe)
	want := strings.TrimRight(base.EscapedPath(), "/") + "/" + probe
	if !ok || u.EscapedPath() != want || !underBase(base, u) {
		return ""
	}
	return prefix
}

// plainRef reports whether ref, a path relative to the base URL with no
// leading slash, resolves to the base URL's path followed by ref exactly
// as it is: ref is not empty, holds only bytes that url.URL leaves as they
// are in an escaped path (no query, fragment, space or colon, so nothing
// can read as a scheme), its escapes are valid and none is an escaped dot,
// and it has no dot segment ("." or ".."), which resolving would remove and
// underBase refuses. "%2A" is not plain either: url.URL prints the path "*"
// unescaped.
func plainRef(ref string) bool {
	if ref == "" || strings.EqualFold(ref, "%2A") {
		return false
	}
	seg := 0 // where the current segment starts
	for i := 0; i <= len(ref); i++ {
		if i == len(ref) || ref[i] == '/' {
			if s := ref[seg:i]; s == "." || s == ".." {
				return false
			}
			seg = i + 1
			continue
		}
		switch c := ref[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!$&'()*+,;=@", c) >= 0:
		case c == '%':
			if i+2 >= len(ref) || !isHex(ref[i+1]) || !isHex(ref[i+2]) ||
				(ref[i+1] == '2' && (ref[i+2] == 'E' || ref[i+2] == 'e')) {
				return false
			}
			i += 2
		default:
			return false
		}
	}
	return true
}

// isHex reports whether c is a hexadecimal digit.
func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// belowBase returns u's escaped path with the base URL's path trimmed off
// once ("/v1/albums/x" → "/albums/x" for the base path "/v1").
func belowBase(base, u *url.URL) string {
	return strings.TrimPrefix(u.EscapedPath(), strings.TrimRight(base.EscapedPath(), "/"))
}

// requestParts is what a request of a service method needs besides the
// request itself, in one allocation: its URL and the values of the
// headers setHeaders sets.
type requestParts struct {
	url  url.URL
	vals [2]string // User-Agent, Content-Type
}

// requestURL returns the URL of a call of op with the path parameters args
// and query (none when nil or empty), built without printing and parsing
// it, or nil when that takes the long way (opURL, then parsing): the URL
// equals the one http.NewRequest makes of opURL's string. That holds for a
// base with a request template (requestBaseOf) and a filled-in path that
// is plain (plainRef) and holds only bytes url.URL neither escapes nor
// unescapes in a path (fastRef): the string is then the template's
// prefix, the path and the query, which parsing splits back into those
// parts as they are.
func (c *Client) requestURL(op *operation, args []string, query url.Values) *requestParts {
	tmpl := c.fam.reqBase
	if tmpl == nil {
		return nil
	}
	path := expandAfter(tmpl.Path, op.path, args)
	if !fastRef(path[len(tmpl.Path):]) {
		return nil
	}
	p := &requestParts{url: *tmpl}
	p.url.Path = path
	p.url.RawQuery = encodeQuery(query)
	return p
}

// encodeQuery returns query.Encode(), for the few parameters of a service
// method's call in one allocation: the keys sorted on the stack (Encode
// allocates a slice for them) and the string sized once (Encode grows it
// as it goes). A larger query takes Encode.
func encodeQuery(query url.Values) string {
	if len(query) == 0 {
		return ""
	}
	var stack [8]string
	if len(query) > len(stack) {
		return query.Encode()
	}
	keys, n := stack[:0], 0
	for k, vs := range query {
		keys = append(keys, k)
		for _, v := range vs {
			n += len(k) + len(v) + 2 // "k=v&", the escapes aside
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	b.Grow(n)
	for _, k := range keys {
		ke := url.QueryEscape(k)
		for _, v := range query[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ke)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// expandAfter returns prefix followed by the path template filled in with
// args, each escaped as one path segment, its leading slashes removed:
// prefix + strings.TrimLeft(op.expand(args...), "/"), in one allocation.
func expandAfter(prefix, template string, args []string) string {
	return fillPath(prefix, template, args, true)
}

// fillPath returns prefix followed by template with its {name} parameters
// replaced by args in order, each escaped as one path segment (extra
// parameters stay as they are), in one allocation; with trimLead, the
// slashes that would come first after prefix are left out.
func fillPath(prefix, template string, args []string, trimLead bool) string {
	var escaped [4]string // the escaped args, on the stack for up to 4
	esc := escaped[:0]
	n := len(prefix) + len(template)
	for _, a := range args {
		e := escapeSegment(a)
		esc = append(esc, e)
		n += len(e)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(prefix)
	lead := trimLead // nothing but slashes written after prefix so far
	put := func(s string) {
		if lead {
			s = strings.TrimLeft(s, "/")
			lead = s == ""
		}
		b.WriteString(s)
	}
	rest := template
	for _, e := range esc {
		i := strings.IndexByte(rest, '{')
		j := strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			break
		}
		put(rest[:i])
		put(e)
		rest = rest[j+1:]
	}
	put(rest)
	return b.String()
}

// fastRef reports whether ref, a path relative to the base URL with no
// leading slash, is plain (plainRef) and holds only bytes that url.URL
// keeps as they are in a path, both ways: letters, digits and
// "-._~$&+,;=@/". No escapes: parsing would unescape them.
func fastRef(ref string) bool {
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~$&+,;=@/", c) >= 0:
		default:
			return false
		}
	}
	return plainRef(ref)
}

// requestBaseOf returns the template of the URLs requestURL builds for a
// base whose plain references are appended to plainBase (see plainBaseOf):
// the URL http.NewRequest makes of plainBase and a plain reference, with
// the reference cut off its path. It returns nil, sending every call the
// long way, when there is no plainBase or when parsing it spells it
// otherwise (its path then has escapes, RawPath set). A reference "x"
// stands for every fast one (fastRef): their bytes are kept as they are.
func requestBaseOf(plainBase string) *url.URL {
	if plainBase == "" {
		return nil
	}
	req, err := http.NewRequest(http.MethodGet, plainBase+"x", nil)
	if err != nil {
		return nil
	}
	u := *req.URL
	path, ok := strings.CutSuffix(u.Path, "x")
	if !ok || !strings.HasSuffix(path, "/") || u.RawPath != "" || u.Opaque != "" || u.User != nil ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.RawFragment != "" || u.Host != req.Host {
		return nil
	}
	u.Path = path
	return &u
}
