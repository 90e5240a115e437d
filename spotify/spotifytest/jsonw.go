package spotifytest

import (
	"strconv"
	"sync"
	"unicode/utf8"
)

// jw is a small streaming JSON writer. Commas are placed automatically: a
// value or key after a complete value gets one.
type jw struct {
	b     []byte
	comma bool
}

var jwPool = sync.Pool{New: func() any { return &jw{b: make([]byte, 0, 16<<10)} }}

// newJW returns an empty writer from the pool; release it with free.
func newJW() *jw {
	w := jwPool.Get().(*jw)
	w.b, w.comma = w.b[:0], false
	return w
}

// free returns w to the pool (buffers over 1 MiB are dropped).
func (w *jw) free() {
	if cap(w.b) <= 1<<20 {
		jwPool.Put(w)
	}
}

func (w *jw) sep() {
	if w.comma {
		w.b = append(w.b, ',')
	}
}

// obj opens an object.
func (w *jw) obj() { w.sep(); w.b = append(w.b, '{'); w.comma = false }

// objEnd closes an object.
func (w *jw) objEnd() { w.b = append(w.b, '}'); w.comma = true }

// arr opens an array.
func (w *jw) arr() { w.sep(); w.b = append(w.b, '['); w.comma = false }

// arrEnd closes an array.
func (w *jw) arrEnd() { w.b = append(w.b, ']'); w.comma = true }

// k writes a key; the next call writes its value.
func (w *jw) k(key string) {
	w.sep()
	w.b = appendQuoted(w.b, key)
	w.b = append(w.b, ':')
	w.comma = false
}

func (w *jw) str(s string) { w.sep(); w.b = appendQuoted(w.b, s); w.comma = true }
func (w *jw) int(n int)    { w.sep(); w.b = strconv.AppendInt(w.b, int64(n), 10); w.comma = true }
func (w *jw) null()        { w.sep(); w.b = append(w.b, "null"...); w.comma = true }
func (w *jw) bool(v bool)  { w.sep(); w.b = strconv.AppendBool(w.b, v); w.comma = true }

// strcat writes the concatenation of parts as one JSON string without
// building it. Each part is escaped on its own, which is the escaping of
// the whole when no part splits a UTF-8 sequence.
func (w *jw) strcat(parts ...string) {
	w.sep()
	w.b = append(w.b, '"')
	for _, p := range parts {
		w.b = appendEscaped(w.b, p)
	}
	w.b = append(w.b, '"')
	w.comma = true
}

// float writes v in plain decimal notation (no exponent) with the fewest
// digits that read back as v.
func (w *jw) float(v float64) {
	w.sep()
	w.b = strconv.AppendFloat(w.b, v, 'f', -1, 64)
	w.comma = true
}

// Key-value shorthands.
func (w *jw) ks(key, v string) { w.k(key); w.str(v) }
func (w *jw) ki(key string, v int) {
	w.k(key)
	w.int(v)
}
func (w *jw) kb(key string, v bool) { w.k(key); w.bool(v) }
func (w *jw) kn(key string)         { w.k(key); w.null() }

// kscat writes key: the concatenation of parts (see strcat).
func (w *jw) kscat(key string, parts ...string) { w.k(key); w.strcat(parts...) }

// ksn writes key: v, or key: null when v is "".
func (w *jw) ksn(key, v string) {
	w.k(key)
	if v == "" {
		w.null()
	} else {
		w.str(v)
	}
}

// strs writes an array of strings.
func (w *jw) strs(vs ...string) {
	w.arr()
	for _, v := range vs {
		w.str(v)
	}
	w.arrEnd()
}

const hexDigits = "0123456789abcdef"

// appendQuoted appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendEscaped(b, s)
	return append(b, '"')
}

// appendEscaped appends s escaped for the inside of a JSON string.
// Invalid UTF-8 becomes U+FFFD.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\ufffd"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}
