package scrub

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

// base64Encodings are the alphabets and paddings a Basic credential may be
// spelled in: the standard one that RFC 7617 asks for, and the URL-safe
// one, each with and without "=" padding.
var base64Encodings = [...]*base64.Encoding{
	base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
}

// AddBasic adds the password of an HTTP Basic credential and the
// credential itself: the base64 of "user:password" and of the two
// form-urlencoded first (as RFC 6749 §2.3.1 asks a client to send its id
// and secret), in each of [base64Encodings], every one in each form that
// [Secrets.Add] lists. The user alone is not a secret and is not added.
// An empty password adds nothing.
func (s *Secrets) AddBasic(user, password string) {
	if password == "" {
		return
	}
	s.Add(password)
	for _, cred := range []string{
		user + ":" + password,
		url.QueryEscape(user) + ":" + url.QueryEscape(password),
	} {
		for _, enc := range base64Encodings {
			s.Add(enc.EncodeToString([]byte(cred)))
		}
	}
}

// AddAuthorization adds the credentials of an Authorization (or
// Proxy-Authorization) header value such as "Bearer <token>" or
// "Basic <base64>": the credentials after the scheme, or the whole value
// when it has no scheme (a lone "Bearer" or "Basic" is a scheme without
// credentials, and adds nothing). A Basic credential is decoded, and its password
// added with [Secrets.AddBasic], both as sent and form-urldecoded.
func (s *Secrets) AddAuthorization(value string) {
	value = strings.TrimSpace(value)
	scheme, cred, found := strings.Cut(value, " ")
	if !found {
		if !strings.EqualFold(value, "Bearer") && !strings.EqualFold(value, "Basic") {
			s.Add(value) // credentials without a scheme
		}
		return
	}
	cred = strings.TrimSpace(cred)
	s.Add(cred)
	if !strings.EqualFold(scheme, "Basic") {
		return
	}
	for _, enc := range base64Encodings {
		raw, err := enc.DecodeString(cred)
		if err != nil {
			continue
		}
		user, password, _ := strings.Cut(string(raw), ":")
		s.AddBasic(user, password)
		if u, err := url.QueryUnescape(user); err == nil {
			if p, err := url.QueryUnescape(password); err == nil {
				s.AddBasic(u, p)
			}
		}
		return
	}
}

// AddHeader adds the credentials of h's Authorization and
// Proxy-Authorization values, as [Secrets.AddAuthorization] does. A nil h
// adds nothing.
func (s *Secrets) AddHeader(h http.Header) {
	for _, name := range []string{"Authorization", "Proxy-Authorization"} {
		for _, v := range h.Values(name) {
			s.AddAuthorization(v)
		}
	}
}

// AddRequest adds the credentials req carries: those of its headers
// ([Secrets.AddHeader]) and the password of its URL's user information
// ([Secrets.AddBasic], as net/http sends it). Its body is not read: a
// caller that sent secrets in a form adds them itself. A nil req adds
// nothing.
func (s *Secrets) AddRequest(req *http.Request) {
	if req == nil {
		return
	}
	s.AddHeader(req.Header)
	if req.URL != nil && req.URL.User != nil {
		if p, ok := req.URL.User.Password(); ok {
			s.AddBasic(req.URL.User.Username(), p)
		}
	}
}
