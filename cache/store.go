package cache

import (
	"context"
	"net/http"
	"time"
)

// Key names one stored response: whose data it is and which request it
// answers. Two requests share an entry only when both fields are equal.
type Key struct {
	// Principal is whose data the response is ("user:…", "app:…"); the
	// cache stage never stores an entry without one. A store may partition
	// by it.
	Principal string
	// Request identifies the request among the principal's: its method,
	// canonical URL and Accept-Language, as the cache stage writes them.
	// Stores treat it as an opaque string.
	Request string
}

// Entry is one stored response. Entries are immutable once stored: a store
// hands out the same *Entry to every reader, and the cache stage replaces
// an entry instead of changing it.
type Entry struct {
	// Principal is whose data the response is ("user:…", "app:…").
	Principal string
	// Path is the request's canonical escaped path ("/v1/playlists/x/items",
	// no query), which decides the invalidations that drop the entry (see
	// [Invalidation]).
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

// Store keeps entries by key and drops them by path when a write makes
// them stale. The package documentation says how an implementation must
// behave; in short:
//
//   - Every method takes the call's context and may fail. The cache stage
//     never fails a request for a store's error: a failed Get is a miss, a
//     failed Put, Delete or Invalidate is skipped and logged.
//   - Implementations are safe for concurrent use and may drop entries at
//     any time (bounds, expiries).
//   - The cost of Invalidate does not grow with the entries it keeps: no
//     scan of the whole store.
type Store interface {
	// Get returns the entry stored under key; ok is false on a miss, which
	// is not an error. It never returns an entry that an Invalidate which
	// returned before Get was called dropped.
	Get(ctx context.Context, key Key) (e *Entry, ok bool, err error)
	// Put stores e (never nil) under key, replacing any entry there. A
	// store may decline to keep it (too large, say) without an error.
	Put(ctx context.Context, key Key, e *Entry) error
	// Delete drops the entry under key; a missing key is not an error.
	Delete(ctx context.Context, key Key) error
	// Invalidate drops, for every principal, the entries whose Path inv
	// drops ([Invalidation.Drops]).
	Invalidate(ctx context.Context, inv Invalidation) error
}
