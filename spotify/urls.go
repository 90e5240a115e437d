package spotify

// This file holds URL handling: checking a base or token URL, whether a
// URL is under the base URL, and resolving paths and next-page links
// against it.

import (
	"fmt"
	"net/url"
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

// belowBase returns u's escaped path with the base URL's path trimmed off
// once ("/v1/albums/x" → "/albums/x" for the base path "/v1").
func belowBase(base, u *url.URL) string {
	return strings.TrimPrefix(u.EscapedPath(), strings.TrimRight(base.EscapedPath(), "/"))
}
