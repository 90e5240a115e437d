package cache

import (
	"net/http"
	"time"
)

// Entry is one stored response. Entries are immutable once stored: a store
// hands out the same *Entry to every reader, and the cache stage replaces
// an entry instead of changing it.
type Entry struct {
	// Principal is whose data the response is ("user:…", "app:…").
	Principal string
	// Path is the request's canonical path ("/v1/playlists/x/items"), used
	// to drop the entry when a write touches the same resource.
	Path string
	// StatusCode, Header and Body are the response as received.
	StatusCode int
	Header     http.Header
	Body       []byte
	// Stored is when the response was received or last revalidated.
	Stored time.Time
	// VaryHeader holds, for every request header named in the response's
	// Vary, the value the request that stored it sent.
	VaryHeader http.Header
}

// Size returns the bytes the entry accounts for: body, headers and a fixed
// overhead, so a flood of small entries is bounded too.
func (e *Entry) Size() int64 {
	n := int64(len(e.Body)) + int64(len(e.Principal)+len(e.Path)) + 256
	for k, vs := range e.Header {
		n += int64(len(k))
		for _, v := range vs {
			n += int64(len(v))
		}
	}
	for k, vs := range e.VaryHeader {
		n += int64(len(k))
		for _, v := range vs {
			n += int64(len(v))
		}
	}
	return n
}

// Store keeps entries by key. Implementations are safe for concurrent use
// and may drop entries at any time (to stay within their bounds).
type Store interface {
	// Get returns the entry stored under key.
	Get(key string) (*Entry, bool)
	// Put stores e under key, replacing any entry there.
	Put(key string, e *Entry)
	// Delete drops the entry under key.
	Delete(key string)
	// DeleteFunc drops every entry for which match returns true and returns
	// how many it dropped.
	DeleteFunc(match func(key string, e *Entry) bool) int
	// Len returns the number of entries.
	Len() int
}
