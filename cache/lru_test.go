package cache

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
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

// key returns the key of user:a for request r.
func key(r string) Key { return Key{Principal: "user:a", Request: r} }

// get, put and del call the store's methods with the key of user:a for r
// and check that they do not fail.
func get(t *testing.T, c *LRU, r string) (*Entry, bool) {
	t.Helper()
	e, ok, err := c.Get(context.Background(), key(r))
	assert.NoError(t, err)
	return e, ok
}

func put(t *testing.T, c *LRU, r string, e *Entry) {
	t.Helper()
	assert.NoError(t, c.Put(context.Background(), key(r), e))
}

func del(t *testing.T, c *LRU, r string) {
	t.Helper()
	assert.NoError(t, c.Delete(context.Background(), key(r)))
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
	// The index holds exactly the stored keys, each under its entry's path.
	indexed, _ := c.index.top.subtree(nil, 0)
	assert.Len(t, indexed, c.lru.Len(), "indexed keys")
	for _, k := range c.lru.Keys() {
		it, _ := c.lru.Peek(k)
		n := c.index.find(it.path)
		if n == nil {
			assert.Fail(t, "a stored key's path is not indexed", "%v under %s", k, it.path)
		} else if _, ok := n.keys[k]; !ok {
			assert.Fail(t, "a stored key is not indexed", "%v under %s", k, it.path)
		}
	}
	assert.LessOrEqual(t, c.bytes, c.maxBytes, "byte bound")
	assert.LessOrEqual(t, c.lru.Len(), maxEntries, "entry bound")
}

func TestNewLRU_Defaults(t *testing.T) {
	for _, o := range []LRUOptions{{}, {MaxEntries: -1, MaxBytes: -1}} {
		c := NewLRU(o)
		assert.Equal(t, DefaultMaxBytes, c.maxBytes)
		assert.Equal(t, int64(16<<20), DefaultMaxBytes)

		for i := range DefaultMaxEntries + 5 {
			put(t, c, fmt.Sprint("k", i), sized("/p", 0))
		}
		assert.Equal(t, DefaultMaxEntries, c.Len())
		_, ok := get(t, c, "k4")
		assert.False(t, ok, "the oldest entries were evicted")
		_, ok = get(t, c, fmt.Sprint("k", DefaultMaxEntries+4))
		assert.True(t, ok)
		checkInvariants(t, c, DefaultMaxEntries)
	}
}

func TestLRU_GetPutReplaceDelete(t *testing.T) {
	c := NewLRU(LRUOptions{})
	_, ok := get(t, c, "a")
	assert.False(t, ok)
	assert.Zero(t, c.Len())
	assert.Zero(t, c.Bytes())

	a := sized("/a", 100)
	put(t, c, "a", a)
	got, ok := get(t, c, "a")
	require.True(t, ok)
	assert.Same(t, a, got)
	assert.Equal(t, 1, c.Len())
	assert.Equal(t, a.Size(), c.Bytes())

	b := sized("/b", 10)
	put(t, c, "b", b)
	assert.Equal(t, 2, c.Len())
	assert.Equal(t, a.Size()+b.Size(), c.Bytes())

	// Replacing adjusts the byte count, up and down.
	a2 := sized("/a", 5000)
	put(t, c, "a", a2)
	got, ok = get(t, c, "a")
	require.True(t, ok)
	assert.Same(t, a2, got)
	assert.Equal(t, 2, c.Len())
	assert.Equal(t, a2.Size()+b.Size(), c.Bytes())
	a3 := sized("/a", 1)
	put(t, c, "a", a3)
	assert.Equal(t, a3.Size()+b.Size(), c.Bytes())

	// Putting the same entry again changes nothing.
	put(t, c, "a", a3)
	assert.Equal(t, 2, c.Len())
	assert.Equal(t, a3.Size()+b.Size(), c.Bytes())

	del(t, c, "a")
	_, ok = get(t, c, "a")
	assert.False(t, ok)
	assert.Equal(t, 1, c.Len())
	assert.Equal(t, b.Size(), c.Bytes())

	del(t, c, "missing") // a no-op
	assert.Equal(t, 1, c.Len())

	// A nil entry drops the key.
	put(t, c, "b", nil)
	assert.Zero(t, c.Len())
	assert.Zero(t, c.Bytes())
	checkInvariants(t, c, DefaultMaxEntries)
}

func TestLRU_SizeAccountedAtPut(t *testing.T) {
	c := NewLRU(LRUOptions{})
	e := sized("/a", 100)
	size := e.Size()
	put(t, c, "a", e)
	// Entries are immutable by contract; should a caller break it, the
	// count still drops back to zero.
	e.Body = make([]byte, 5000)
	assert.Equal(t, size, c.Bytes())
	del(t, c, "a")
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
			put(t, c, "a", sized("/x", 100))
			put(t, c, "b", sized("/x", 100))
			put(t, c, "c", sized("/x", 100))
			_, ok := get(t, c, "a") // a is now the most recently used
			require.True(t, ok)

			put(t, c, "d", sized("/x", 100))
			assert.Equal(t, 3, c.Len())
			_, ok = get(t, c, "b")
			assert.False(t, ok, "b was the least recently used")
			for _, k := range []string{"a", "c", "d"} {
				_, ok := get(t, c, k)
				assert.True(t, ok, k)
			}
			// Order of use is now a, c, d: replacing c refreshes it too.
			put(t, c, "c", sized("/x", 100))
			put(t, c, "e", sized("/x", 100))
			_, ok = get(t, c, "a")
			assert.False(t, ok, "a was the least recently used")
			for _, k := range []string{"c", "d", "e"} {
				_, ok := get(t, c, k)
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
		put(t, c, fmt.Sprint("k", i), sized("/p", i))
		require.LessOrEqual(t, c.Len(), maxEntries)
	}
	assert.Equal(t, maxEntries, c.Len())
	for i := range 1000 {
		_, ok := get(t, c, fmt.Sprint("k", i))
		assert.Equal(t, i >= 900, ok, "k%d", i)
	}
	checkInvariants(t, c, maxEntries)
}

func TestLRU_OversizedEntryIsNeverStored(t *testing.T) {
	const maxBytes = 4096
	c := NewLRU(LRUOptions{MaxBytes: maxBytes})
	small := sized("/s", 10)
	put(t, c, "s", small)
	put(t, c, "k", sized("/k", 10))

	// Too big: not stored, the older entry under its key dropped, the
	// others kept.
	big := sized("/k", maxBytes)
	require.Greater(t, big.Size(), int64(maxBytes))
	put(t, c, "k", big)
	_, ok := get(t, c, "k")
	assert.False(t, ok)
	got, ok := get(t, c, "s")
	require.True(t, ok)
	assert.Same(t, small, got)
	assert.Equal(t, small.Size(), c.Bytes())

	put(t, c, "new", big)
	_, ok = get(t, c, "new")
	assert.False(t, ok)
	assert.Equal(t, 1, c.Len())

	// Exactly the bound fits, and evicts everything else.
	exact := sized("/e", maxBytes-int(sized("/e", 0).Size()))
	require.Equal(t, int64(maxBytes), exact.Size())
	put(t, c, "e", exact)
	got, ok = get(t, c, "e")
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
		put(t, c, k, sized("/x", 100))
	}
	assert.Equal(t, 4, c.Len())

	// "a" grows to just over two units: the two least recently used others
	// go, never the entry just stored.
	a := sized("/x", 100+int(unit)+1)
	require.Equal(t, 2*unit+1, a.Size())
	put(t, c, "a", a)
	got, ok := get(t, c, "a")
	require.True(t, ok)
	assert.Same(t, a, got)
	for k, want := range map[string]bool{"b": false, "c": false, "d": true} {
		_, ok := get(t, c, k)
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
					put(t, c, key, newEntry("user:a", fmt.Sprintf("/tracks/%05d", i), huge))
					if _, ok := get(t, c, key); ok {
						hugeSeen.Add(1)
					}
				} else {
					put(t, c, key, newEntry("user:a", fmt.Sprintf("/tracks/%05d", i), body))
				}
				if b, n := c.Bytes(), c.Len(); b > maxBytes || n > maxLen {
					violations.Add(1)
				}
				// Refresh a random recent key now and then.
				if i%5 == 0 {
					get(t, c, fmt.Sprintf("user:a GET /tracks/%05d", rand.Int64N(i+1)))
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

func TestLRU_ConcurrentUse(t *testing.T) {
	const (
		maxEntries = 64
		workers    = 8
		ops        = 2000
	)
	c := NewLRU(LRUOptions{MaxEntries: maxEntries, MaxBytes: 32 << 10})
	paths := []string{"/v1/me", "/v1/me/tracks", "/v1/playlists/x", "/v1/playlists/x/items", "/v1/albums/y"}
	ctx := context.Background()

	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for range ops {
				path := paths[r.IntN(len(paths))]
				k := Key{Principal: fmt.Sprint("user:", r.IntN(4)), Request: fmt.Sprintf("GET %s?page=%d", path, r.IntN(20))}
				switch op := r.IntN(100); {
				case op < 45:
					if e, ok, _ := c.Get(ctx, k); ok {
						_ = e.Size() // read the shared entry
					}
				case op < 85:
					_ = c.Put(ctx, k, newEntry("user:x", path, make([]byte, r.IntN(2048))))
				case op < 90:
					_ = c.Delete(ctx, k)
				case op < 95:
					_ = c.Invalidate(ctx, Invalidation{Path: paths[r.IntN(len(paths))]})
				default:
					assert.LessOrEqual(t, c.Len(), maxEntries)
					assert.LessOrEqual(t, c.Bytes(), int64(32<<10))
				}
			}
		})
	}
	wg.Wait()
	checkInvariants(t, c, maxEntries)

	require.NoError(t, c.Invalidate(ctx, Invalidation{Path: "/"}))
	assert.Zero(t, c.Len())
	assert.Zero(t, c.Bytes())
}

// Storing an entry again under its key, as a revalidation does, costs no
// allocation in the index.
func TestLRU_ReplaceSamePathAllocatesNothingInTheIndex(t *testing.T) {
	c := NewLRU(LRUOptions{})
	ctx := context.Background()
	k, e := key("GET /v1/albums/a"), sized("/v1/albums/a", 10)
	require.NoError(t, c.Put(ctx, k, e))
	allocs := testing.AllocsPerRun(100, func() {
		_ = c.Put(ctx, k, e)
	})
	assert.Zero(t, allocs)
}
