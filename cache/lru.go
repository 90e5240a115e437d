package cache

import (
	"context"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// Defaults of [LRUOptions].
const (
	// DefaultMaxEntries is the entry bound of an LRU store whose
	// LRUOptions.MaxEntries is zero.
	DefaultMaxEntries = 10_000
	// DefaultMaxBytes is the byte bound (16 MiB) of an LRU store whose
	// LRUOptions.MaxBytes is zero.
	DefaultMaxBytes int64 = 16 << 20
)

// LRUOptions bounds an [LRU] store. The zero value gives the defaults.
type LRUOptions struct {
	// MaxEntries is the most entries the store keeps. Zero or less means
	// DefaultMaxEntries (10,000).
	MaxEntries int
	// MaxBytes is the most bytes the store keeps, counted with
	// [Entry.Size]. Zero or less means DefaultMaxBytes (16 MiB). An entry
	// larger than MaxBytes is never stored.
	MaxBytes int64
}

// LRU is a [Store] bounded by entries and bytes that drops the least
// recently used entries first. A Get counts as a use; a Put stores the entry
// as the most recently used one. An Invalidate drops the entries it names at
// once, finding them through an index of paths: its cost grows with the
// depth of the paths and the entries it drops, not with the store. It is
// safe for concurrent use, and its methods never fail: they ignore their
// context and always return a nil error.
//
// LRU is built on the simplelru package of hashicorp/golang-lru/v2 behind
// one mutex.
type LRU struct {
	maxBytes int64

	mu    sync.Mutex // guards lru, bytes and index
	lru   *simplelru.LRU[Key, lruItem]
	bytes int64
	index pathIndex // the key of every entry in lru, by its path
}

// lruItem is an entry with the size and path it was accounted for when
// stored, so the byte count and the index stay right even if a caller
// changes an entry it stored.
type lruItem struct {
	e    *Entry
	size int64
	path string
}

var _ Store = (*LRU)(nil)

// NewLRU returns an empty LRU store with the bounds of o.
func NewLRU(o LRUOptions) *LRU {
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	c := &LRU{maxBytes: o.MaxBytes}
	// The callback runs for every entry simplelru drops (an eviction by the
	// entry bound, Remove, RemoveOldest), always under c.mu. simplelru does
	// not call it when Add replaces a key: Put accounts for that itself.
	l, err := simplelru.NewLRU(o.MaxEntries, func(k Key, it lruItem) {
		c.bytes -= it.size
		c.index.remove(it.path, k)
	})
	if err != nil {
		// Only a size <= 0 fails, and MaxEntries is positive here.
		panic("cache: " + err.Error())
	}
	c.lru = l
	return c
}

// Get returns the entry stored under key and marks it as recently used.
func (c *LRU) Get(_ context.Context, key Key) (*Entry, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.lru.Get(key)
	if !ok {
		return nil, false, nil
	}
	return it.e, true, nil
}

// Put stores e under key as the most recently used entry, replacing any
// entry there, then drops least recently used entries until the store is
// within both of its bounds. An entry larger than the byte bound is not
// stored, and the entry it would have replaced is dropped all the same; so
// is the entry under key when e is nil.
func (c *LRU) Put(_ context.Context, key Key, e *Entry) error {
	var size int64
	if e != nil {
		size = e.Size() // outside the lock: it walks the headers
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e == nil || size > c.maxBytes {
		c.lru.Remove(key)
		return nil
	}
	old, replacing := c.lru.Peek(key)
	if replacing {
		c.bytes -= old.size
	}
	c.bytes += size
	c.lru.Add(key, lruItem{e: e, size: size, path: e.Path}) // may evict by the entry bound
	switch {
	case !replacing:
		c.index.add(e.Path, key)
	case old.path != e.Path:
		// Added first, so that the ancestors both paths share are not
		// pruned and made again.
		c.index.add(e.Path, key)
		c.index.remove(old.path, key)
	}
	for c.bytes > c.maxBytes {
		if _, _, ok := c.lru.RemoveOldest(); !ok {
			break
		}
	}
	return nil
}

// Delete drops the entry under key, if any.
func (c *LRU) Delete(_ context.Context, key Key) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Remove(key)
	return nil
}

// Invalidate drops, for every principal, the entries whose path inv drops
// ([Invalidation.Drops]). It looks only at the index nodes of inv's paths,
// their ancestors and the nodes below them, never at other entries.
// Dropping does not count as a use of the entries that stay.
func (c *LRU) Invalidate(_ context.Context, inv Invalidation) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys, _ := c.index.collect(inv, nil)
	for _, k := range keys {
		c.lru.Remove(k) // the callback takes it out of the index
	}
	return nil
}

// Len returns the number of entries stored.
func (c *LRU) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// Bytes returns the bytes the stored entries account for, the sum of their
// [Entry.Size] when they were stored. It never exceeds the byte bound.
func (c *LRU) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}
