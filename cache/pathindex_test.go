package cache

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPathIndex_AddRemovePrunes(t *testing.T) {
	var ix pathIndex
	a, b := key("a"), key("b")
	ix.add("/v1/playlists/x/items", a)
	ix.add("/v1/playlists/x/", b) // the node of /v1/playlists/x
	require.NotNil(t, ix.find("/v1/playlists/x"))
	assert.Contains(t, ix.find("/v1/playlists/x").keys, b)

	ix.remove("/v1/playlists/x/items", a)
	assert.Nil(t, ix.find("/v1/playlists/x/items"), "an empty leaf goes")
	assert.NotNil(t, ix.find("/v1/playlists/x"), "a node with keys stays")
	ix.remove("/v1/playlists/x", b)
	assert.Empty(t, ix.top.children, "every empty node up to the top goes")
	ix.remove("/v1/never/stored", a) // a no-op
	assert.Empty(t, ix.top.children)

	keys, visited := ix.collect(Invalidation{Path: "/v1/playlists/x", Prefixes: []string{"/v1"}}, nil)
	assert.Empty(t, keys)
	assert.Zero(t, visited, "nothing to visit in an empty index")
}

// The index drops exactly the entries Invalidation.Drops names, whatever
// the paths look like (trailing and doubled slashes, no leading slash).
func TestPathIndex_AgreesWithDrops(t *testing.T) {
	segs := []string{"", "a", "b", "ab"}
	r := rand.New(rand.NewPCG(1, 2))
	randPath := func() string {
		var b strings.Builder
		if r.IntN(8) > 0 {
			b.WriteByte('/')
		}
		for i := range r.IntN(4) {
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(segs[r.IntN(len(segs))])
		}
		if r.IntN(4) == 0 {
			b.WriteByte('/')
		}
		return b.String()
	}
	for range 500 {
		c := NewLRU(LRUOptions{})
		paths := make(map[Key]string)
		for i := range 20 {
			k := Key{Principal: fmt.Sprint("user:", i%3), Request: fmt.Sprint(i)}
			paths[k] = randPath()
			require.NoError(t, c.Put(context.Background(), k, sized(paths[k], 1)))
		}
		inv := Invalidation{Path: randPath()}
		if r.IntN(3) == 0 {
			inv.Path = ""
		}
		for range r.IntN(3) {
			inv.Prefixes = append(inv.Prefixes, randPath())
		}
		require.NoError(t, c.Invalidate(context.Background(), inv))
		for k, p := range paths {
			_, ok, err := c.Get(context.Background(), k)
			require.NoError(t, err)
			require.Equal(t, !inv.Drops(p), ok, "entry at %q after %+v", p, inv)
		}
		checkInvariants(t, c, DefaultMaxEntries)
	}
}

// An invalidation looks at the index nodes of its path and their subtree,
// never at the entries of other resources: with 10,000 of them stored, it
// visits as many nodes as with none.
func TestPathIndex_InvalidationVisitsOnlyItsPath(t *testing.T) {
	c := NewLRU(LRUOptions{MaxEntries: 20_000, MaxBytes: 1 << 30})
	ctx := context.Background()
	written := Invalidation{Path: "/v1/playlists/x/items", Prefixes: []string{"/v1/me/playlists"}}
	mine := func() {
		for _, p := range []string{"/v1/playlists/x", "/v1/playlists/x/items", "/v1/me/playlists"} {
			put(t, c, "GET "+p, sized(p, 1))
		}
	}
	mine()
	_, alone := c.index.collect(written, nil)

	for i := range 10_000 {
		p := fmt.Sprintf("/v1/albums/%d", i)
		if i%2 == 0 {
			p = fmt.Sprintf("/v1/playlists/p%d/items", i)
		}
		require.NoError(t, c.Put(ctx, Key{Principal: fmt.Sprint("user:", i%100), Request: "GET " + p}, sized(p, 1)))
	}
	mine()
	require.Equal(t, 10_003, c.Len())
	keys, visited := c.index.collect(written, nil)
	assert.Len(t, keys, 3)
	assert.Equal(t, alone, visited, "the other entries are not visited")
	assert.LessOrEqual(t, visited, 9, "the nodes of /v1/playlists/x/items (5) and /v1/me/playlists (4)")
	require.NoError(t, c.Invalidate(ctx, written))
	assert.Equal(t, 10_000, c.Len())
}

// BenchmarkLRU_Invalidate measures the invalidation of one resource's
// entries in stores holding more and more entries of other resources: the
// time per invalidation stays flat.
func BenchmarkLRU_Invalidate(b *testing.B) {
	for _, others := range []int{100, 10_000, 100_000} {
		b.Run(fmt.Sprint("others=", others), func(b *testing.B) {
			ctx := context.Background()
			c := NewLRU(LRUOptions{MaxEntries: others + 10, MaxBytes: 1 << 30})
			for i := range others {
				p := fmt.Sprintf("/v1/playlists/p%d/items", i)
				_ = c.Put(ctx, Key{Principal: "user:a", Request: p}, sized(p, 0))
			}
			mine := sized("/v1/playlists/x/items", 0)
			k := Key{Principal: "user:a", Request: "GET /v1/playlists/x/items"}
			inv := Invalidation{Path: "/v1/playlists/x/items"}
			b.ReportAllocs()
			for b.Loop() {
				_ = c.Put(ctx, k, mine)
				_ = c.Invalidate(ctx, inv)
			}
			if c.Len() != others {
				b.Fatalf("%d entries, want %d", c.Len(), others)
			}
		})
	}
}

// fill stores, for principals user:a and app:b, entries under several paths.
func fill(t *testing.T, c *LRU) {
	for _, p := range []string{"user:a", "app:b"} {
		for _, path := range []string{
			"/v1/playlists/x",
			"/v1/playlists/x/items",
			"/v1/playlists/x/items?offset=50",
			"/v1/playlists/xy",
			"/v1/playlists/y",
			"/v1/me/tracks",
		} {
			e := newEntry(p, path, []byte("body of "+path))
			e.Path, _, _ = strings.Cut(path, "?")
			require.NoError(t, c.Put(context.Background(), Key{Principal: p, Request: "GET " + path}, e))
		}
	}
}

func TestLRU_Invalidate(t *testing.T) {
	ctx := context.Background()
	c := NewLRU(LRUOptions{})
	fill(t, c)
	require.Equal(t, 12, c.Len())

	require.NoError(t, c.Invalidate(ctx, Invalidation{Path: "/v1/playlists/x/items"}))
	assert.Equal(t, 6, c.Len(), "three entries for each of two principals")
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
			e, ok, err := c.Get(ctx, Key{Principal: p, Request: "GET " + path})
			require.NoError(t, err)
			assert.Equal(t, kept, ok, "%s %s", p, path)
			if ok {
				want += e.Size()
			}
		}
	}
	assert.Equal(t, want, c.Bytes())
	checkInvariants(t, c, DefaultMaxEntries)

	// A prefix drops its subtree only, not its ancestors; empty prefixes
	// are ignored.
	require.NoError(t, c.Invalidate(ctx, Invalidation{Prefixes: []string{"", "/v1/me/tracks/"}}))
	assert.Equal(t, 4, c.Len())
	require.NoError(t, c.Invalidate(ctx, Invalidation{Prefixes: []string{"/v1/nothing/here"}}))
	require.NoError(t, c.Invalidate(ctx, Invalidation{Path: "/v1/nothing/here"}))
	require.NoError(t, c.Invalidate(ctx, Invalidation{}))
	assert.Equal(t, 4, c.Len())
	require.NoError(t, c.Invalidate(ctx, Invalidation{Path: "/"}))
	assert.Zero(t, c.Len(), "/ is a prefix of every path")
	assert.Zero(t, c.Bytes())
	assert.Empty(t, c.index.top.children, "the index is empty again")
	require.NoError(t, c.Invalidate(ctx, Invalidation{Path: "/"}), "an empty store")
	checkInvariants(t, c, DefaultMaxEntries)
}

func TestLRU_InvalidateDoesNotRefresh(t *testing.T) {
	c := NewLRU(LRUOptions{MaxEntries: 3})
	put(t, c, "a", sized("/a", 1))
	put(t, c, "b", sized("/b", 1))
	put(t, c, "c", sized("/c", 1))
	require.NoError(t, c.Invalidate(context.Background(), Invalidation{Path: "/c"}))
	put(t, c, "d", sized("/d", 1))
	put(t, c, "e", sized("/e", 1))
	_, ok := get(t, c, "a")
	assert.False(t, ok, "invalidating is not a use: a is still the oldest")
	_, ok = get(t, c, "b")
	assert.True(t, ok)
}

// A key stored again under another path moves in the index: the old path's
// invalidation no longer drops it.
func TestLRU_ReplaceMovesTheKeyInTheIndex(t *testing.T) {
	c := NewLRU(LRUOptions{})
	put(t, c, "k", sized("/v1/old", 1))
	put(t, c, "k", sized("/v1/new", 1))
	require.NoError(t, c.Invalidate(context.Background(), Invalidation{Path: "/v1/old"}))
	_, ok := get(t, c, "k")
	assert.True(t, ok)
	require.NoError(t, c.Invalidate(context.Background(), Invalidation{Path: "/v1/new"}))
	_, ok = get(t, c, "k")
	assert.False(t, ok)
	checkInvariants(t, c, DefaultMaxEntries)
}
