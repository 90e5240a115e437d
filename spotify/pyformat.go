package spotify

import (
	"slices"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// The validation and response-check messages are the Python SDK's, word
// for word, so users of both read the same errors. These helpers write
// values the way Python prints them.

// pySet writes vs as Python prints a set of strings ({'a', 'b'}), in the
// order given.
func pySet(vs []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyRepr(v))
	}
	b.WriteByte('}')
	return b.String()
}

// pySortedSet is pySet with the values sorted, so a message is stable.
func pySortedSet(vs []string) string {
	vs = slices.Clone(vs)
	slices.Sort(vs)
	return pySet(vs)
}

// pyRepr quotes s as Python's repr does for a plain string: single quotes,
// or double quotes when s holds a single quote and no double quote.
func pyRepr(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// pyType names a JSON value's kind as Python's type name; an empty body is
// {} in the Python SDK, so "dict".
func pyType(raw jsontext.Value) string {
	switch raw.Kind() {
	case '[':
		return "list"
	case '"':
		return "str"
	case 't', 'f':
		return "bool"
	case 'n':
		return "NoneType"
	case '0':
		if strings.ContainsAny(string(raw), ".eE") {
			return "float"
		}
		return "int"
	}
	return "dict"
}
