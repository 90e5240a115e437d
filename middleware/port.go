package middleware

import (
	"net/url"
	"strconv"
)

// schemeDefaultPort returns the default port of a lower-case scheme: "443"
// for https, "80" for http, "" for any other.
func schemeDefaultPort(scheme string) string {
	switch scheme {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// urlPort returns the port of u, or its scheme's default port; 0 when it
// has neither.
func urlPort(u *url.URL) int {
	if n, err := strconv.Atoi(u.Port()); err == nil {
		return n
	}
	n, _ := strconv.Atoi(schemeDefaultPort(u.Scheme))
	return n
}
