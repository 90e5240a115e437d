package middleware

import (
	"sync"

	"github.com/spotifysdk/spotify-go/cache"
)

// cacheWriteLogSize is how many recent writes a [cacheWriteLog] remembers; a
// GET that overlapped more writes than that does not store its answer.
const cacheWriteLogSize = 256

// cacheWriteLog numbers the writes that dropped entries and remembers what
// the last ones dropped, so that a GET can tell whether a write touched its
// path while it was in flight: the store's Invalidate drops what was stored
// before the write, the log keeps out what was read before it and arrives
// after. Each [Cache] middleware has one; it is safe for concurrent use.
type cacheWriteLog struct {
	mu   sync.Mutex
	seq  uint64 // number of the last write
	ring [cacheWriteLogSize]cache.Invalidation
}

// current returns the number of the last write.
func (l *cacheWriteLog) current() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

// add records a write. It is called before the store invalidates the
// write's entries, so a GET that does not see it stores before they are
// dropped.
func (l *cacheWriteLog) add(inv cache.Invalidation) {
	l.mu.Lock()
	l.seq++
	l.ring[l.seq%cacheWriteLogSize] = inv
	l.mu.Unlock()
}

// touched reports whether a write numbered after since drops entries of
// path p (true, too, when more writes than the log holds came after since).
func (l *cacheWriteLog) touched(since uint64, p string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seq-since > cacheWriteLogSize {
		return true
	}
	for s := since + 1; s <= l.seq; s++ {
		if l.ring[s%cacheWriteLogSize].Drops(p) {
			return true
		}
	}
	return false
}
