package middleware

import (
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Redacted is what the tracing and attempt stages write in place of a
// secret value.
const Redacted = "[REDACTED]"

// SensitiveHeader reports whether the header's value must never appear in a
// log line or a span: Authorization, Proxy-Authorization, Cookie, Set-Cookie,
// and any header whose name contains "token", "secret", "key", "auth",
// "password" or "session" (case-insensitive).
func SensitiveHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie":
		return true
	}
	for _, w := range sensitiveWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

var sensitiveWords = [...]string{"token", "secret", "key", "auth", "password", "session"}

// RedactHeader returns a copy of h in which the value of every header named
// by [SensitiveHeader] is replaced by [Redacted]. h is not changed; a nil h
// gives nil.
func RedactHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, v := range h {
		if SensitiveHeader(k) {
			out[k] = []string{Redacted}
			continue
		}
		out[k] = slices.Clone(v)
	}
	return out
}

// RedactURL returns u as scheme://host/path: without user information,
// query or fragment. Spotify's paths hold ids but no secrets; a query may
// hold anything (an access_token, a code). A nil u gives "".
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	if u.Scheme == "" && u.Host == "" {
		return u.EscapedPath()
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

// redactedHeaderAttr returns the request headers as a slog group named "headers",
// sorted by name, with sensitive values redacted.
func redactedHeaderAttr(h http.Header) slog.Attr {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	attrs := make([]slog.Attr, 0, len(names))
	for _, k := range names {
		v := Redacted
		if !SensitiveHeader(k) {
			v = strings.Join(h[k], ", ")
		}
		attrs = append(attrs, slog.String(k, v))
	}
	return slog.GroupAttrs("headers", attrs...)
}

// minSecretLen is the shortest query value or user name that
// [redactMessage] looks for in a message: shorter ones are too likely to
// match innocent text.
const minSecretLen = 4

// redactMessage removes from msg (an error's text) what [RedactURL] leaves
// out of u: the raw query, each query value, the fragment and the user
// information, in case an error below quoted the request's URL.
func redactMessage(msg string, u *url.URL) string {
	if u == nil {
		return msg
	}
	if u.RawQuery != "" {
		msg = strings.ReplaceAll(msg, u.RawQuery, Redacted)
		for _, vs := range u.Query() {
			for _, v := range vs {
				if len(v) >= minSecretLen {
					msg = strings.ReplaceAll(msg, v, Redacted)
				}
			}
		}
	}
	if u.Fragment != "" && len(u.Fragment) >= minSecretLen {
		msg = strings.ReplaceAll(msg, u.Fragment, Redacted)
	}
	if u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, Redacted)
		}
		if n := u.User.Username(); len(n) >= minSecretLen {
			msg = strings.ReplaceAll(msg, n, Redacted)
		}
	}
	return msg
}
