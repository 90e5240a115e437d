package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/redistest"
)

// newTestStore returns a store on the test server under a prefix of its
// own, its keys deleted at the end of the test.
func newTestStore(t *testing.T, o Options) *Store {
	t.Helper()
	c := redistest.Client(t)
	if o.Client == nil && o.URL == "" {
		o.Client = c
	}
	if o.Prefix == "" {
		o.Prefix = redistest.Prefix(t)
	}
	if o.Key == "" {
		o.Key = "user-1"
	}
	s, err := New(o)
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = c.Del(context.Background(), s.tokenKey, s.lockKey).Err()
		_ = s.Close()
	})
	return s
}

// token returns a stored token whose secrets end in n.
func token(n int) *auth.StoredToken {
	return &auth.StoredToken{
		Token:    auth.Token{AccessToken: fmt.Sprintf("access-%d", n), RefreshToken: fmt.Sprintf("refresh-%d", n), Expiry: time.Now().Add(time.Hour).UTC().Truncate(time.Second)},
		FamilyID: "fam",
	}
}

func TestStoreLoadSave(t *testing.T) {
	s := newTestStore(t, Options{})
	ctx := context.Background()
	st, err := s.Load(ctx)
	require.NoError(t, err)
	assert.Nil(t, st, "nothing stored yet")

	require.NoError(t, s.Save(ctx, token(1)))
	st, err = s.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, token(1), st)

	ttl := redistest.Client(t).PTTL(ctx, s.tokenKey).Val()
	assert.Greater(t, ttl, time.Duration(0), "the token key has an expiry")
	assert.NotContains(t, s.String(), "access-1")
}

// TestLeaseCompareAndSet: a lease saves only over the version it read; a
// plain Save in between makes its Save a *auth.VersionConflictError that
// writes nothing.
func TestLeaseCompareAndSet(t *testing.T) {
	s := newTestStore(t, Options{})
	ctx := context.Background()
	require.NoError(t, s.Save(ctx, token(1)))

	l, err := s.Lock(ctx)
	require.NoError(t, err)
	defer l.Unlock(ctx)
	st, err := l.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, token(1), st)
	read := l.Version()
	assert.NotEmpty(t, read)

	require.NoError(t, l.Save(ctx, token(2)), "the store still holds the version the lease read")
	assert.NotEqual(t, read, l.Version(), "a save changes the version")

	require.NoError(t, s.Save(ctx, token(3)), "another writer, without the lock")
	err = l.Save(ctx, token(4))
	var conflict *auth.VersionConflictError
	require.ErrorAs(t, err, &conflict)
	assert.ErrorIs(t, err, auth.ErrVersionConflict)
	got, err := s.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, token(3), got, "the refused save wrote nothing")
}

// TestLockExcludes: while one lease holds the lock, a second Lock waits,
// and takes it once the first unlocks.
func TestLockExcludes(t *testing.T) {
	s := newTestStore(t, Options{})
	other, err := New(Options{Client: s.client, Prefix: strings.SplitN(s.tokenKey, ":", 2)[0], Key: s.key})
	require.NoError(t, err)
	ctx := context.Background()
	l, err := s.Lock(ctx)
	require.NoError(t, err)

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err = other.Lock(short)
	cancel()
	require.ErrorIs(t, err, context.DeadlineExceeded, "the lock is held")

	got := make(chan error, 1)
	go func() {
		l2, err := other.Lock(ctx)
		if err == nil {
			err = l2.Unlock(ctx)
		}
		got <- err
	}()
	time.Sleep(100 * time.Millisecond)
	require.NoError(t, l.Unlock(ctx))
	select {
	case err := <-got:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the second Lock did not get the lock after Unlock")
	}
}

// TestLeaseExpired: a lease whose lock expired (and was taken by another
// process) neither passes the fence nor saves, and its Unlock leaves the
// other's lock alone.
func TestLeaseExpired(t *testing.T) {
	s := newTestStore(t, Options{LockTTL: 150 * time.Millisecond})
	ctx := context.Background()
	require.NoError(t, s.Save(ctx, token(1)))
	l, err := s.Lock(ctx)
	require.NoError(t, err)
	time.Sleep(300 * time.Millisecond)
	l2, err := s.Lock(ctx)
	require.NoError(t, err, "the expired lock is free")

	err = l.Valid(ctx)
	require.ErrorIs(t, err, auth.ErrLeaseLost, "the fence")
	err = l.Save(ctx, token(2))
	require.ErrorIs(t, err, auth.ErrLeaseLost)
	require.NoError(t, l.Unlock(ctx))
	require.NoError(t, l2.Valid(ctx), "the first lease's Unlock did not release the second's lock")
	require.NoError(t, l2.Save(ctx, token(3)))
	require.NoError(t, l2.Unlock(ctx))
	got, err := s.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, token(3), got)
}

// TestLeaseSaveWithExpiredLockRefused: even when no one else took the
// lock, an expired lease does not save.
func TestLeaseSaveWithExpiredLockRefused(t *testing.T) {
	s := newTestStore(t, Options{LockTTL: 100 * time.Millisecond})
	ctx := context.Background()
	l, err := s.Lock(ctx)
	require.NoError(t, err)
	time.Sleep(250 * time.Millisecond)
	require.ErrorIs(t, l.Save(ctx, token(1)), auth.ErrLeaseLost)
}

// TestValidRenewsLock: the fence renews the lock to a full LockTTL, so it
// outlives the request sent after it.
func TestValidRenewsLock(t *testing.T) {
	s := newTestStore(t, Options{LockTTL: 2 * time.Second})
	ctx := context.Background()
	l, err := s.Lock(ctx)
	require.NoError(t, err)
	defer l.Unlock(ctx)
	c := redistest.Client(t)
	time.Sleep(500 * time.Millisecond)
	before := c.PTTL(ctx, s.lockKey).Val()
	require.NoError(t, l.Valid(ctx))
	after := c.PTTL(ctx, s.lockKey).Val()
	assert.Less(t, before, 1600*time.Millisecond)
	assert.Greater(t, after, 1800*time.Millisecond, "renewed")
}

// TestValidRefusesDeadlineBeyondLock: a refresh whose context may outlive
// the lock is not sent.
func TestValidRefusesDeadlineBeyondLock(t *testing.T) {
	s := newTestStore(t, Options{LockTTL: time.Second})
	ctx := context.Background()
	l, err := s.Lock(ctx)
	require.NoError(t, err)
	defer l.Unlock(ctx)
	long, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	err = l.Valid(long)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "LockTTL")
}

// TestNewRefusesPlainRemote: tokens are not sent to a Redis reached
// without TLS at a non-loopback address, unless allowed; the error never
// shows the password.
func TestNewRefusesPlainRemote(t *testing.T) {
	_, err := New(Options{URL: "redis://app:hunter2@10.1.2.3:6379/0", Key: "u"})
	var insecure *InsecureError
	require.ErrorAs(t, err, &insecure)
	assert.ErrorIs(t, err, ErrInsecure)
	assert.Equal(t, "10.1.2.3:6379", insecure.Addr)
	assert.NotContains(t, err.Error(), "hunter2")

	_, err = New(Options{Client: redis.NewClient(&redis.Options{Addr: "cache.internal:6379"}), Key: "u"})
	require.ErrorIs(t, err, ErrInsecure, "a user-built client is checked too")

	for _, ok := range []Options{
		{URL: "rediss://app:hunter2@10.1.2.3:6379/0", Key: "u"},
		{URL: "redis://10.1.2.3:6379/0", Key: "u", AllowInsecure: true},
		{URL: "redis://localhost:6379/0", Key: "u"},
		{URL: "redis://[::1]:6379/0", Key: "u"},
	} {
		s, err := New(ok)
		require.NoError(t, err, ok.URL)
		assert.NotContains(t, s.String(), "hunter2")
		require.NoError(t, s.Close())
	}
}

func TestNewArguments(t *testing.T) {
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{URL: "redis://127.0.0.1:1/0"}, "empty Options.Key"},
		{Options{Key: "u"}, "neither Client nor URL"},
		{Options{Key: "u", URL: "redis://127.0.0.1:1/0", Prefix: "a{b"}, "brace"},
		{Options{Key: "u", URL: "http://x:secret@127.0.0.1:1/"}, "cannot be parsed"},
	} {
		_, err := New(tc.o)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
		assert.True(t, strings.HasPrefix(err.Error(), "redisstore: New: "), err.Error())
		assert.NotContains(t, err.Error(), "secret")
	}
}

// TestLockWithRedisDown: with Redis gone, Lock waits UnavailableWait and
// fails with an *UnavailableError saying why; it never hands out a lease.
func TestLockWithRedisDown(t *testing.T) {
	srv := redistest.StartServer(t)
	s, err := New(Options{URL: srv.URL(), Key: "u", UnavailableWait: 300 * time.Millisecond})
	require.NoError(t, err)
	defer s.Close()
	srv.Stop()
	start := time.Now()
	l, err := s.Lock(context.Background())
	waited := time.Since(start)
	require.Nil(t, l)
	var un *UnavailableError
	require.ErrorAs(t, err, &un)
	assert.ErrorIs(t, err, ErrUnavailable)
	assert.GreaterOrEqual(t, waited, 300*time.Millisecond)
	assert.Less(t, waited, 5*time.Second, "bounded")
	assert.Contains(t, err.Error(), "not refreshed")
	assert.False(t, errors.Is(err, auth.ErrLeaseLost))
}
