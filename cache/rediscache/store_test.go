package rediscache

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/internal/redistest"
)

// newTestStore returns a store on the test server under a prefix of its
// own.
func newTestStore(t *testing.T, o Options) *Store {
	t.Helper()
	if o.Client == nil && o.URL == "" {
		o.Client = redistest.Client(t)
	}
	if o.Prefix == "" {
		o.Prefix = redistest.Prefix(t)
	}
	s, err := New(o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// entry returns an entry of principal at path.
func entry(principal, path string) *cache.Entry {
	return &cache.Entry{Principal: principal, Path: path, StatusCode: 200,
		Header: map[string][]string{"Etag": {`"1"`}}, Body: []byte(`{"path":"` + path + `"}`),
		Stored: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

// key returns the key of principal's GET of path.
func key(principal, path string) cache.Key {
	return cache.Key{Principal: principal, Request: "GET " + path}
}

func TestNodes(t *testing.T) {
	assert.Equal(t, []string{"", "/v1", "/v1/me"}, nodes("/v1/me"))
	assert.Equal(t, []string{"", "/v1", "/v1/me"}, nodes("/v1/me/"))
	assert.Equal(t, []string{""}, nodes("/"))
	assert.Equal(t, []string{""}, nodes(""))
}

func TestPutGetByPrincipal(t *testing.T) {
	s := newTestStore(t, Options{})
	ctx := context.Background()
	require.NoError(t, s.Put(ctx, key("user:a", "/v1/me"), entry("user:a", "/v1/me")))
	got, ok, err := s.Get(ctx, key("user:a", "/v1/me"))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, entry("user:a", "/v1/me"), got)

	_, ok, err = s.Get(ctx, key("user:b", "/v1/me"))
	require.NoError(t, err)
	assert.False(t, ok, "another principal's entry is never read")

	require.NoError(t, s.Delete(ctx, key("user:a", "/v1/me")))
	_, ok, _ = s.Get(ctx, key("user:a", "/v1/me"))
	assert.False(t, ok)
}

// TestGetChecksStoredKey: an entry found under a key's Redis key but
// stored for another principal (as a hash collision would) is a miss.
func TestGetChecksStoredKey(t *testing.T) {
	s := newTestStore(t, Options{})
	ctx := context.Background()
	require.NoError(t, s.Put(ctx, key("user:a", "/v1/me"), entry("user:a", "/v1/me")))
	c := redistest.Client(t)
	data, err := c.Get(ctx, s.entryKey(key("user:a", "/v1/me"))).Bytes()
	require.NoError(t, err)
	require.NoError(t, c.Set(ctx, s.entryKey(key("user:b", "/v1/me")), data, time.Minute).Err())
	_, ok, err := s.Get(ctx, key("user:b", "/v1/me"))
	require.NoError(t, err)
	assert.False(t, ok)
}

// TestInvalidateMatchesDrops: after any invalidation, exactly the entries
// whose path it drops (cache.Invalidation.Drops) are gone, for every
// principal, as in the LRU store.
func TestInvalidateMatchesDrops(t *testing.T) {
	paths := []string{"/", "/v1", "/v1/me", "/v1/me/tracks", "/v1/me/library", "/v1/playlists/x", "/v1/playlists/x/items",
		"/v1/playlists/xy", "/v1/playlists/x/items/", "/v1/playlists", "/v1/albums/a"}
	invs := []cache.Invalidation{
		{Path: "/v1/playlists/x/items"}, {Path: "/v1/playlists/x"}, {Path: "/v1/me/library", Prefixes: []string{"/v1/me/tracks"}},
		{Prefixes: []string{"/v1/playlists"}}, {Path: "/"}, {Path: "/v1/albums/b"}, {},
	}
	ctx := context.Background()
	for _, inv := range invs {
		t.Run(fmt.Sprintf("%+v", inv), func(t *testing.T) {
			s := newTestStore(t, Options{})
			for _, p := range paths {
				for _, who := range []string{"user:a", "app:b"} {
					require.NoError(t, s.Put(ctx, key(who, p), entry(who, p)))
				}
			}
			require.NoError(t, s.Invalidate(ctx, inv))
			for _, p := range paths {
				for _, who := range []string{"user:a", "app:b"} {
					_, ok, err := s.Get(ctx, key(who, p))
					require.NoError(t, err)
					assert.Equal(t, !inv.Drops(p), ok, "%s %s", who, p)
				}
			}
			// An entry stored after the invalidation is kept.
			require.NoError(t, s.Put(ctx, key("user:a", "/v1/playlists/x"), entry("user:a", "/v1/playlists/x")))
			_, ok, _ := s.Get(ctx, key("user:a", "/v1/playlists/x"))
			assert.True(t, ok)
		})
	}
}

// TestSizeCapAndExpiries: an entry over the cap is not stored (and drops
// the one it replaces); entries and counters all expire.
func TestSizeCapAndExpiries(t *testing.T) {
	s := newTestStore(t, Options{MaxEntryBytes: 1000, TTL: time.Minute})
	ctx := context.Background()
	k := key("user:a", "/v1/me")
	require.NoError(t, s.Put(ctx, k, entry("user:a", "/v1/me")))
	big := entry("user:a", "/v1/me")
	big.Body = bytes.Repeat([]byte("x"), 1000)
	require.NoError(t, s.Put(ctx, k, big))
	_, ok, _ := s.Get(ctx, k)
	assert.False(t, ok, "too large: not stored, and the old entry is dropped")

	require.NoError(t, s.Put(ctx, k, entry("user:a", "/v1/me")))
	require.NoError(t, s.Invalidate(ctx, cache.Invalidation{Path: "/v1/albums/a"}))
	c := redistest.Client(t)
	keys, err := c.Keys(ctx, strings.TrimSuffix(s.prefix, "v1:")+"*").Result()
	require.NoError(t, err)
	require.NotEmpty(t, keys)
	for _, k := range keys {
		assert.True(t, strings.HasPrefix(k, s.prefix), "under the versioned prefix: %s", k)
		ttl := c.PTTL(ctx, k).Val()
		assert.Positive(t, ttl, "%s has an expiry", k)
		assert.LessOrEqual(t, ttl, 2*time.Minute, k)
	}
}

func TestNewRefusesPlainRemote(t *testing.T) {
	_, err := New(Options{URL: "redis://:pw@192.0.2.7:6379/0"})
	require.ErrorIs(t, err, ErrInsecure)
	assert.NotContains(t, err.Error(), "pw@")
	s, err := New(Options{URL: "redis://:pw@192.0.2.7:6379/0", AllowInsecure: true})
	require.NoError(t, err)
	assert.Equal(t, "rediscache.Store{Redis:redis://:xxxxx@192.0.2.7:6379/0}", s.String())
	require.NoError(t, s.Close())
	_, err = New(Options{Client: redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:7000", "10.0.0.2:7000"}})})
	require.ErrorIs(t, err, ErrInsecure, "every node of a cluster must be local")
}

// TestRedisAwayAndBack: while Redis does not answer, the store answers
// from its local tier, says so once in the log, and keeps the
// invalidations it could not send; when Redis answers again it says so
// once and sends them.
func TestRedisAwayAndBack(t *testing.T) {
	rs := redistest.StartServer(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	admin := redis.NewClient(&redis.Options{Addr: strings.TrimSuffix(strings.TrimPrefix(rs.URL(), "redis://"), "/0")})
	t.Cleanup(func() { _ = admin.Close() })
	s := newTestStore(t, Options{URL: rs.URL(), Timeout: 100 * time.Millisecond, Logger: logger,
		Local: cache.NewLRU(cache.LRUOptions{})})
	// A second process's view: Redis only.
	other := newTestStore(t, Options{URL: rs.URL(), Prefix: strings.TrimSuffix(s.prefix, ":v1:")})
	ctx := context.Background()
	require.NoError(t, s.Put(ctx, key("user:a", "/v1/playlists/x"), entry("user:a", "/v1/playlists/x")))
	require.NoError(t, s.Put(ctx, key("user:a", "/v1/me"), entry("user:a", "/v1/me")))

	// Redis stops answering (every client paused), with its data kept.
	require.NoError(t, admin.Do(ctx, "CLIENT", "PAUSE", "1500", "ALL").Err())
	err := s.Invalidate(ctx, cache.Invalidation{Path: "/v1/playlists/x"})
	require.Error(t, err, "the shared entry may still be there")
	for range 20 {
		_, ok, err := s.Get(ctx, key("user:a", "/v1/me"))
		require.NoError(t, err)
		assert.True(t, ok, "the local tier answers")
		_ = s.Put(ctx, key("user:a", "/v1/albums/a"), entry("user:a", "/v1/albums/a"))
	}
	time.Sleep(1600 * time.Millisecond) // the pause ends
	time.Sleep(probeInterval)           // the next probe is due
	_, ok, err := s.Get(ctx, key("user:b", "/v1/me"))
	require.NoError(t, err)
	assert.False(t, ok)
	_, ok, err = other.Get(ctx, key("user:a", "/v1/playlists/x"))
	require.NoError(t, err)
	assert.False(t, ok, "the invalidation made while Redis was away was sent when it returned")
	_, ok, _ = other.Get(ctx, key("user:a", "/v1/me"))
	assert.True(t, ok, "sharing resumed")

	out := logs.String()
	assert.Equal(t, 1, strings.Count(out, "Redis is unreachable"), out)
	assert.Equal(t, 1, strings.Count(out, "Redis answers again"), out)
	assert.NotContains(t, out, "user:a")
}
