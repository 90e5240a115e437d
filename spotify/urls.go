package spotify

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
