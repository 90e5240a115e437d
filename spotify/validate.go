package spotify

import (
	"strconv"
	"strings"
)

// requireID checks a path id, with the Python SDK's message; "." and ".."
// are refused too, since as a path segment they would leave the
// endpoint's path.
func requireID(id string) error {
	switch strings.TrimSpace(id) {
	case "":
		return invalidArgument("id cannot be empty")
	case ".", "..":
		return invalidArgument("id %q is not an id", id)
	}
	return nil
}

// query builds the query of a call; its methods skip unset values, so a
// parameter the caller did not give is not sent and Spotify's default
// applies.
type query map[string][]string

// requireURIs checks a list of URIs with the Python SDK's rules and
// messages, in its order: not empty, no empty value. Long lists are
// chunked by the caller (40 for the library, 100 for a playlist), not
// rejected.
func requireURIs(uris []string) error {
	if len(uris) == 0 {
		return invalidArgument("uris cannot be empty")
	}
	for _, u := range uris {
		if u == "" {
			return invalidArgument("uris cannot contain empty values")
		}
	}
	return nil
}

// str sets k when v is not empty.
func (q query) str(k, v string) query {
	if v != "" {
		q[k] = []string{v}
	}
	return q
}

// num sets k to v unconditionally.
func (q query) num(k string, v int) query {
	q[k] = []string{strconv.Itoa(v)}
	return q
}

// optNum sets k to v when v is not 0 (a parameter the Python SDK sends
// only when given).
func (q query) optNum(k string, v int) query {
	if v != 0 {
		q[k] = []string{strconv.Itoa(v)}
	}
	return q
}

// list sets k to the comma-joined values when there are any.
func (q query) list(k string, vs []string) query {
	if len(vs) > 0 {
		q[k] = []string{strings.Join(vs, ",")}
	}
	return q
}

// or returns v, or def when v is 0 (for limits and offsets whose zero value
// means "the default").
func or(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}
