// Package scrub cuts secrets out of the texts the SDK keeps: error
// messages, error bodies, log lines and span statuses. A server may echo
// what it received (a token endpoint its form and Authorization header, an
// API its bearer token) in an error; a [Secrets] built from the values a
// request carried replaces every form of them, raw or encoded, with
// [Redacted].
//
// This is the one place that knows how a secret can be spelled on the way
// out; package auth (token requests), middleware (error bodies, messages)
// and spotify (API errors) all use it.
package scrub

import (
	"bytes"
	"slices"
	"strings"
)

// Redacted is what replaces a secret.
const Redacted = "[REDACTED]"

// MinLen is the length, in bytes, under which a form of a secret is not
// looked for. A one- to three-byte value would match ordinary letters and
// numbers and turn the text into garbage, and it protects nothing (it is
// found in a few million guesses at most). The longer forms of a short
// value are still cut out: the Basic credential of a short password, for
// example, is the base64 of the whole "user:password".
const MinLen = 4

// Secrets is a set of secret values, each held in every form in which a
// request may carry it or a server may echo it (see [Secrets.Add]). The
// zero value and nil are empty sets, which change nothing. Add and its
// siblings must not run concurrently with any other method; Replace and
// Bytes may run concurrently with each other.
type Secrets struct {
	forms []string // distinct, each at least MinLen bytes
}

// New returns the set of values, as [Secrets.Add] adds them.
func New(values ...string) *Secrets {
	s := &Secrets{}
	s.Add(values...)
	return s
}

// Add adds each value in each of its forms: as it is, query-escaped
// (url.QueryEscape, which is also how a form body encodes it),
// path-escaped (url.PathEscape), both escapes with lower-case hex digits,
// and each of these as the inside of a JSON string (with and without
// HTML escaping, and with "/" written "\/"). Empty values, and forms
// shorter than [MinLen], are ignored.
func (s *Secrets) Add(values ...string) {
	for _, v := range values {
		for _, f := range forms(v) {
			if len(f) >= MinLen && !slices.Contains(s.forms, f) {
				s.forms = append(s.forms, f)
			}
		}
	}
}

// Replace returns text with every occurrence of every form replaced by
// [Redacted]. Overlapping or adjacent occurrences become one [Redacted],
// so no part of a secret is left between two of them.
func (s *Secrets) Replace(text string) string {
	if s == nil || len(s.forms) == 0 || len(text) < MinLen {
		return text
	}
	var spans []span
	for _, f := range s.forms {
		for i := 0; i <= len(text)-len(f); {
			j := strings.Index(text[i:], f)
			if j < 0 {
				break
			}
			spans = append(spans, span{i + j, i + j + len(f)})
			i += j + 1
		}
	}
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	b.Grow(len(text))
	last := 0 // end of the text already written or cut
	for k := 0; k < len(spans); {
		start, end := spans[k].start, spans[k].end
		for k++; k < len(spans) && spans[k].start <= end; k++ {
			end = max(end, spans[k].end)
		}
		b.WriteString(text[last:start])
		b.WriteString(Redacted)
		last = end
	}
	b.WriteString(text[last:])
	return b.String()
}

// Bytes is [Secrets.Replace] for a byte slice. It returns b itself when b
// holds no secret, and a new slice otherwise: b is never changed, so a
// buffer shared with others can be passed.
func (s *Secrets) Bytes(b []byte) []byte {
	if s == nil {
		return b
	}
	for _, f := range s.forms {
		if bytes.Contains(b, []byte(f)) {
			return []byte(s.Replace(string(b)))
		}
	}
	return b
}

// span is the place of one occurrence of a form: text[start:end].
type span struct{ start, end int }
