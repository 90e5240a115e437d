package scrub

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
)

// forms returns v in each spelling [Secrets.Add] lists; nil for "".
func forms(v string) []string {
	if v == "" {
		return nil
	}
	out := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	for _, f := range out[1:] {
		if strings.Contains(f, "%") {
			out = append(out, lowerHex(f))
		}
	}
	for _, f := range out {
		for _, j := range jsonForms(f) {
			if j != f {
				out = append(out, j)
			}
		}
	}
	return out
}

// lowerHex writes the hex digits of every percent-escape in s in lower
// case ("%2F" becomes "%2f"), as some servers re-encode what they decoded.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = toLower(b[i+1]), toLower(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func toLower(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// jsonForms returns s as it reads inside a JSON string: as encoding/json
// writes it with and without HTML escaping, and with "/" escaped as "\/"
// (PHP's habit), in case a server echoes it in a JSON body.
func jsonForms(s string) []string {
	var out []string
	for _, html := range []bool{true, false} {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(html)
		if enc.Encode(s) != nil {
			continue
		}
		q := strings.TrimSuffix(buf.String(), "\n")
		q = q[1 : len(q)-1] // the quotes
		out = append(out, q, strings.ReplaceAll(q, "/", `\/`))
	}
	return out
}
