package cache

import (
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
// as the most recently used one. It is safe for concurrent use.
//
// LRU is built on the simplelru package of hashicorp/golang-lru/v2 behind
// one mutex.
type LRU struct {
	maxBytes int64

	mu    sync.Mutex // guards lru and bytes
	lru   *simplelru.LRU[string, lruItem]
	bytes int64
}

// lruItem is an entry with the size it was accounted for when stored, so
// the byte count stays right even if a caller changes an entry it stored.
type lruItem struct {
	e    *Entry
	size int64
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
	l, err := simplelru.NewLRU(o.MaxEntries, func(_ string, it lruItem) {
		c.bytes -= it.size
	})
	if err != nil {
		// Only a size <= 0 fails, and MaxEntries is positive here.
		panic("cache: " + err.Error())
	}
	c.lru = l
	return c
}

// Get returns the entry stored under key and marks it as recently used.
func (c *LRU) Get(key string) (*Entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.lru.Get(key)
	if !ok {
		return nil, false
	}
	return it.e, true
}

// Put stores e under key as the most recently used entry, replacing any
// entry there, then drops least recently used entries until the store is
// within both of its bounds. An entry larger than the byte bound is not
// stored, and the entry it would have replaced is dropped all the same; so
// is the entry under key when e is nil.
func (c *LRU) Put(key string, e *Entry) {
	var size int64
	if e != nil {
		size = e.Size() // outside the lock: it walks the headers
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e == nil {
		c.lru.Remove(key)
		return
	}
	if size > c.maxBytes {
		c.lru.Remove(key)
		return
	}
	if old, ok := c.lru.Peek(key); ok {
		c.bytes -= old.size
	}
	c.bytes += size
	c.lru.Add(key, lruItem{e: e, size: size}) // may evict by the entry bound
	for c.bytes > c.maxBytes {
		if _, _, ok := c.lru.RemoveOldest(); !ok {
			break
		}
	}
}

// Delete drops the entry under key, if any.
func (c *LRU) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Remove(key)
}

// DeleteFunc drops every entry for which match returns true and returns how
// many it dropped.
//
// It takes a snapshot of the entries and calls match on them without
// holding the store's lock, so match may be slow or use the store, and Get
// and Put go on meanwhile. An entry is dropped only if it is still the one
// match saw: an entry that a concurrent Put stored after the snapshot is
// kept, as if that Put had come after DeleteFunc. Entries dropped by
// eviction meanwhile are not counted. Matching does not count as a use.
func (c *LRU) DeleteFunc(match func(key string, e *Entry) bool) int {
	c.mu.Lock()
	keys := c.lru.Keys() // Keys and Values share one order, oldest first
	items := c.lru.Values()
	c.mu.Unlock()

	var drop []int
	for i, k := range keys {
		if match(k, items[i].e) {
			drop = append(drop, i)
		}
	}
	if len(drop) == 0 {
		return 0
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, i := range drop {
		if it, ok := c.lru.Peek(keys[i]); ok && it.e == items[i].e {
			c.lru.Remove(keys[i])
			n++
		}
	}
	return n
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
