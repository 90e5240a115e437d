package cache

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newEntry returns an entry of principal for path whose body is body.
func newEntry(principal, path string, body []byte) *Entry {
	return &Entry{
		Principal:  principal,
		Path:       path,
		StatusCode: http.StatusOK,
		Body:       body,
		Stored:     time.Unix(0, 0),
	}
}

// sized returns an entry for path with a body of n bytes.
func sized(path string, n int) *Entry {
	return newEntry("user:a", path, make([]byte, n))
}

// checkInvariants asserts, under the store's lock, that the byte count is
// the sum of the stored entries' sizes and that both bounds hold.
func checkInvariants(t *testing.T, c *LRU, maxEntries int) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	var sum int64
	for _, it := range c.lru.Values() {
		assert.Equal(t, it.e.Size(), it.size, "accounted size of %s", it.e.Path)
		sum += it.size
	}
	assert.Equal(t, sum, c.bytes, "byte count")
	assert.LessOrEqual(t, c.bytes, c.maxBytes, "byte bound")
	assert.LessOrEqual(t, c.lru.Len(), maxEntries, "entry bound")
}

func TestNewLRU_Defaults(t *testing.T) {
	for _, o := range []LRUOptions{{}, {MaxEntries: -1, MaxBytes: -1}} {
		c := NewLRU(o)
		assert.Equal(t, DefaultMaxBytes, c.maxBytes)
		assert.Equal(t, int64(16<<20), DefaultMaxBytes)

		for i := range DefaultMaxEntries + 5 {
			c.Put(fmt.Sprint("k", i), sized("/p", 0))
		}
		assert.Equal(t, DefaultMaxEntries, c.Len())
		_, ok := c.Get("k4")
		assert.False(t, ok, "the oldest entries were evicted")
		_, ok = c.Get(fmt.Sprint("k", DefaultMaxEntries+4))
		assert.True(t, ok)
		checkInvariants(t, c, DefaultMaxEntries)
	}
}

func TestLRU_GetPutReplaceDelete(t *testing.T) {
	c := NewLRU(LRUOptions{})
	_, ok := c.Get("a")
	assert.False(t, ok)
	assert.Zero(t, c.Len())
	assert.Zero(t, c.Bytes())

	a := sized("/a", 100)
	c.Put("a", a)
	got, ok := c.Get("a")
	require.True(t, ok)
	assert.Same(t, a, got)
	assert.Equal(t, 1, c.Len())
	assert.Equal(t, a.Size(), c.Bytes())

	b := sized("/b", 10)
	c.Put("b", b)
	assert.Equal(t, 2, c.Len())
	assert.Equal(t, a.Size()+b.Size(), c.Bytes())

	// Replacing adjusts the byte count, up and down.
	a2 := sized("/a", 5000)
	c.Put("a", a2)
	got, ok = c.Get("a")
	require.True(t, ok)
	assert.Same(t, a2, got)
	assert.Equal(t, 2, c.Len())
	assert.Equal(t, a2.Size()+b.Size(), c.Bytes())
	a3 := sized("/a", 1)
	c.Put("a", a3)
	assert.Equal(t, a3.Size()+b.Size(), c.Bytes())

	// Putting the same entry again changes nothing.
	c.Put("a", a3)
	assert.Equal(t, 2, c.Len())
	assert.Equal(t, a3.Size()+b.Size(), c.Bytes())

	c.Delete("a")
	_, ok = c.Get("a")
	assert.False(t, ok)
	assert.Equal(t, 1, c.Len())
	assert.Equal(t, b.Size(), c.Bytes())

	c.Delete("missing") // a no-op
	assert.Equal(t, 1, c.Len())

	// A nil entry drops the key.
	c.Put("b", nil)
	assert.Zero(t, c.Len())
	assert.Zero(t, c.Bytes())
	checkInvariants(t, c, DefaultMaxEntries)
}

func TestLRU_SizeAccountedAtPut(t *testing.T) {
	c := NewLRU(LRUOptions{})
	e := sized("/a", 100)
	size := e.Size()
	c.Put("a", e)
	// Entries are immutable by contract; should a caller break it, the
	// count still drops back to zero.
	e.Body = make([]byte, 5000)
	assert.Equal(t, size, c.Bytes())
	c.Delete("a")
	assert.Zero(t, c.Bytes())
}

func TestLRU_EvictsLeastRecentlyUsed(t *testing.T) {
	e := sized("/x", 100)
	bounds := map[string]LRUOptions{
		"entries": {MaxEntries: 3},
		"bytes":   {MaxBytes: 3*e.Size() + e.Size()/2},
	}
	for name, o := range bounds {
		t.Run(name, func(t *testing.T) {
			c := NewLRU(o)
			c.Put("a", sized("/x", 100))
			c.Put("b", sized("/x", 100))
			c.Put("c", sized("/x", 100))
			_, ok := c.Get("a") // a is now the most recently used
			require.True(t, ok)

			c.Put("d", sized("/x", 100))
			assert.Equal(t, 3, c.Len())
			_, ok = c.Get("b")
			assert.False(t, ok, "b was the least recently used")
			for _, k := range []string{"a", "c", "d"} {
				_, ok := c.Get(k)
				assert.True(t, ok, k)
			}
			// Order of use is now a, c, d: replacing c refreshes it too.
			c.Put("c", sized("/x", 100))
			c.Put("e", sized("/x", 100))
			_, ok = c.Get("a")
			assert.False(t, ok, "a was the least recently used")
			for _, k := range []string{"c", "d", "e"} {
				_, ok := c.Get(k)
				assert.True(t, ok, k)
			}
			checkInvariants(t, c, 3)
		})
	}
}

func TestLRU_EntryBound(t *testing.T) {
	const maxEntries = 100
	c := NewLRU(LRUOptions{MaxEntries: maxEntries})
	for i := range 1000 {
		c.Put(fmt.Sprint("k", i), sized("/p", i))
		require.LessOrEqual(t, c.Len(), maxEntries)
	}
	assert.Equal(t, maxEntries, c.Len())
	for i := range 1000 {
		_, ok := c.Get(fmt.Sprint("k", i))
		assert.Equal(t, i >= 900, ok, "k%d", i)
	}
	checkInvariants(t, c, maxEntries)
}

func TestLRU_OversizedEntryIsNeverStored(t *testing.T) {
	const maxBytes = 4096
	c := NewLRU(LRUOptions{MaxBytes: maxBytes})
	small := sized("/s", 10)
	c.Put("s", small)
	c.Put("k", sized("/k", 10))

	// Too big: not stored, the older entry under its key dropped, the
	// others kept.
	big := sized("/k", maxBytes)
	require.Greater(t, big.Size(), int64(maxBytes))
	c.Put("k", big)
	_, ok := c.Get("k")
	assert.False(t, ok)
	got, ok := c.Get("s")
	require.True(t, ok)
	assert.Same(t, small, got)
	assert.Equal(t, small.Size(), c.Bytes())

	c.Put("new", big)
	_, ok = c.Get("new")
	assert.False(t, ok)
	assert.Equal(t, 1, c.Len())

	// Exactly the bound fits, and evicts everything else.
	exact := sized("/e", maxBytes-int(sized("/e", 0).Size()))
	require.Equal(t, int64(maxBytes), exact.Size())
	c.Put("e", exact)
	got, ok = c.Get("e")
	require.True(t, ok)
	assert.Same(t, exact, got)
	assert.Equal(t, 1, c.Len())
	assert.Equal(t, int64(maxBytes), c.Bytes())
	checkInvariants(t, c, DefaultMaxEntries)
}

func TestLRU_ReplaceWithLargerEntryEvictsOthers(t *testing.T) {
	unit := sized("/x", 100).Size()
	c := NewLRU(LRUOptions{MaxBytes: 4 * unit})
	for _, k := range []string{"a", "b", "c", "d"} {
		c.Put(k, sized("/x", 100))
	}
	assert.Equal(t, 4, c.Len())

	// "a" grows to just over two units: the two least recently used others
	// go, never the entry just stored.
	a := sized("/x", 100+int(unit)+1)
	require.Equal(t, 2*unit+1, a.Size())
	c.Put("a", a)
	got, ok := c.Get("a")
	require.True(t, ok)
	assert.Same(t, a, got)
	for k, want := range map[string]bool{"b": false, "c": false, "d": true} {
		_, ok := c.Get(k)
		assert.Equal(t, want, ok, k)
	}
	assert.Equal(t, a.Size()+unit, c.Bytes())
	checkInvariants(t, c, DefaultMaxEntries)
}

func TestLRU_ByteBoundUnderConcurrentFlood(t *testing.T) {
	const (
		maxBytes   = 1 << 20
		workers    = 8
		total      = 10_000
		bodySize   = 64 << 10
		oversizeAt = 97 // every 97th put is larger than the bound
	)
	c := NewLRU(LRUOptions{MaxBytes: maxBytes})
	body := make([]byte, bodySize) // shared: entries are immutable
	huge := make([]byte, maxBytes+1)
	entrySize := newEntry("user:a", "/tracks/00000", body).Size()
	maxLen := maxBytes / int(entrySize)
	require.Equal(t, 15, maxLen)

	var (
		wg         sync.WaitGroup
		next       atomic.Int64
		violations atomic.Int64
		hugeSeen   atomic.Int64
	)
	for range workers {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= total {
					return
				}
				key := fmt.Sprintf("user:a GET /tracks/%05d", i)
				if i%oversizeAt == 0 {
					c.Put(key, newEntry("user:a", fmt.Sprintf("/tracks/%05d", i), huge))
					if _, ok := c.Get(key); ok {
						hugeSeen.Add(1)
					}
				} else {
					c.Put(key, newEntry("user:a", fmt.Sprintf("/tracks/%05d", i), body))
				}
				if b, n := c.Bytes(), c.Len(); b > maxBytes || n > maxLen {
					violations.Add(1)
				}
				// Refresh a random recent key now and then.
				if i%5 == 0 {
					c.Get(fmt.Sprintf("user:a GET /tracks/%05d", rand.Int64N(i+1)))
				}
			}
		})
	}
	wg.Wait()

	assert.Zero(t, violations.Load(), "a bound was exceeded")
	assert.Zero(t, hugeSeen.Load(), "an oversized entry was stored")
	assert.LessOrEqual(t, c.Bytes(), int64(maxBytes))
	assert.Equal(t, maxLen, c.Len(), "the store is full of 64 KiB entries")
	assert.Equal(t, int64(maxLen)*entrySize, c.Bytes())
	checkInvariants(t, c, maxLen)
}

// fill stores, for principals a and b, entries under several paths and
// returns the keys by path.
func fill(c *LRU) {
	for _, p := range []string{"user:a", "app:b"} {
		for _, path := range []string{
			"/v1/playlists/x",
			"/v1/playlists/x/items",
			"/v1/playlists/x/items?offset=50",
			"/v1/playlists/xy",
			"/v1/playlists/y",
			"/v1/me/tracks",
		} {
			c.Put(p+" GET "+path, newEntry(p, path, []byte("body of "+path)))
		}
	}
}

func TestLRU_DeleteFunc(t *testing.T) {
	c := NewLRU(LRUOptions{})
	fill(c)
	require.Equal(t, 12, c.Len())

	written := "/v1/playlists/x/items"
	related := func(path string) bool {
		path, _, _ = strings.Cut(path, "?")
		return path == written ||
			strings.HasPrefix(written, path+"/") ||
			strings.HasPrefix(path, written+"/")
	}
	var seen int
	n := c.DeleteFunc(func(key string, e *Entry) bool {
		seen++
		c.Len() // match may use the store: it runs without the lock
		return related(e.Path)
	})
	assert.Equal(t, 12, seen, "match sees every entry once")
	assert.Equal(t, 6, n, "three paths for each of two principals")
	assert.Equal(t, 6, c.Len())

	var want int64
	for _, p := range []string{"user:a", "app:b"} {
		for path, kept := range map[string]bool{
			"/v1/playlists/x":                 false,
			"/v1/playlists/x/items":           false,
			"/v1/playlists/x/items?offset=50": false,
			"/v1/playlists/xy":                true,
			"/v1/playlists/y":                 true,
			"/v1/me/tracks":                   true,
		} {
			e, ok := c.Get(p + " GET " + path)
			assert.Equal(t, kept, ok, "%s %s", p, path)
			if ok {
				want += e.Size()
			}
		}
	}
	assert.Equal(t, want, c.Bytes())
	checkInvariants(t, c, DefaultMaxEntries)

	assert.Zero(t, c.DeleteFunc(func(string, *Entry) bool { return false }))
	assert.Equal(t, 6, c.DeleteFunc(func(string, *Entry) bool { return true }))
	assert.Zero(t, c.Len())
	assert.Zero(t, c.Bytes())
	assert.Zero(t, c.DeleteFunc(func(string, *Entry) bool { return true }), "empty store")
}

func TestLRU_DeleteFuncDoesNotRefresh(t *testing.T) {
	c := NewLRU(LRUOptions{MaxEntries: 3})
	c.Put("a", sized("/a", 1))
	c.Put("b", sized("/b", 1))
	c.Put("c", sized("/c", 1))
	assert.Zero(t, c.DeleteFunc(func(string, *Entry) bool { return false }))
	c.Put("d", sized("/d", 1))
	_, ok := c.Get("a")
	assert.False(t, ok, "matching is not a use: a is still the oldest")
}

func TestLRU_DeleteFuncKeepsEntriesStoredMeanwhile(t *testing.T) {
	c := NewLRU(LRUOptions{})
	fill(c)
	replaced := "user:a GET /v1/playlists/x"
	deleted := "app:b GET /v1/playlists/x"
	fresh := newEntry("user:a", "/v1/playlists/x", []byte("fresh"))

	n := c.DeleteFunc(func(key string, e *Entry) bool {
		// Stand-ins for a Put and a Delete that land between the snapshot
		// and the removal.
		switch key {
		case replaced:
			c.Put(replaced, fresh)
		case deleted:
			c.Delete(deleted)
		}
		return e.Path == "/v1/playlists/x" || strings.HasPrefix(e.Path, "/v1/playlists/x/")
	})
	// Six entries matched; one was replaced and one deleted meanwhile.
	assert.Equal(t, 4, n)
	got, ok := c.Get(replaced)
	require.True(t, ok, "the entry stored after the snapshot is kept")
	assert.Same(t, fresh, got)
	_, ok = c.Get(deleted)
	assert.False(t, ok)
	assert.Equal(t, 7, c.Len())
	checkInvariants(t, c, DefaultMaxEntries)
}

func TestLRU_ConcurrentUse(t *testing.T) {
	const (
		maxEntries = 64
		workers    = 8
		ops        = 2000
	)
	c := NewLRU(LRUOptions{MaxEntries: maxEntries, MaxBytes: 32 << 10})
	paths := []string{"/v1/me", "/v1/me/tracks", "/v1/playlists/x", "/v1/playlists/x/items", "/v1/albums/y"}

	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for range ops {
				path := paths[r.IntN(len(paths))]
				key := fmt.Sprintf("user:%d GET %s?page=%d", r.IntN(4), path, r.IntN(20))
				switch op := r.IntN(100); {
				case op < 45:
					if e, ok := c.Get(key); ok {
						_ = e.Size() // read the shared entry
					}
				case op < 85:
					c.Put(key, newEntry("user:x", path, make([]byte, r.IntN(2048))))
				case op < 90:
					c.Delete(key)
				case op < 95:
					prefix := paths[r.IntN(len(paths))]
					c.DeleteFunc(func(_ string, e *Entry) bool {
						return strings.HasPrefix(e.Path, prefix)
					})
				default:
					assert.LessOrEqual(t, c.Len(), maxEntries)
					assert.LessOrEqual(t, c.Bytes(), int64(32<<10))
				}
			}
		})
	}
	wg.Wait()
	checkInvariants(t, c, maxEntries)

	c.DeleteFunc(func(string, *Entry) bool { return true })
	assert.Zero(t, c.Len())
	assert.Zero(t, c.Bytes())
}
