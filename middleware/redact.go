package middleware

import (
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/spotifysdk/spotify-go/internal/scrub"
)

// Redacted is what the SDK writes in place of a secret value: in the
// headers the tracing and attempt stages record, and in every error text
// and error body it scrubs.
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

// redactMessage removes from msg (an error's text) what [RedactURL] leaves
// out of u, in every form [scrub.Secrets.Add] lists: the raw query, each
// query value, the fragment and the user information, in case an error
// below quoted the request's URL. Values shorter than [scrub.MinLen] are
// too likely to match innocent text and are left.
func redactMessage(msg string, u *url.URL) string {
	if u == nil {
		return msg
	}
	var s scrub.Secrets
	s.Add(u.RawQuery, u.Fragment)
	if u.RawQuery != "" {
		for _, vs := range u.Query() {
			s.Add(vs...)
		}
	}
	if u.User != nil {
		s.Add(u.User.Username())
		if p, ok := u.User.Password(); ok {
			s.AddBasic(u.User.Username(), p)
		}
	}
	return s.Replace(msg)
}

// scrubSentCredentials returns body, the body of an error answer, with
// every form of the credentials of sent (the request the answer is for, as
// the stages below sent it: its Authorization header included) replaced
// by [Redacted], in case the server echoed them. body itself is not
// changed. A nil sent gives body.
func scrubSentCredentials(body []byte, sent *http.Request) []byte {
	if sent == nil {
		return body
	}
	var s scrub.Secrets
	s.AddRequest(sent)
	return s.Bytes(body)
}
