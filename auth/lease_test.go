package auth

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/clock"
)

// lockingStore is a store with a lock, as both of this package's are.
type lockingStore interface {
	TokenStore
	TokenLocker
}

// eachStore runs test on a fresh memory store and a fresh file store.
func eachStore(t *testing.T, test func(t *testing.T, store lockingStore)) {
	fs, err := NewFileStore(filepath.Join(t.TempDir(), "token.json"))
	require.NoError(t, err)
	for name, store := range map[string]lockingStore{"memory": NewMemoryStore(), "file": fs} {
		t.Run(name, func(t *testing.T) { test(t, store) })
	}
}

func stored(at string) *StoredToken {
	return &StoredToken{Token: Token{AccessToken: at, RefreshToken: "rt-" + at}, FamilyID: "fam"}
}

// A lease saves only over the version it read: a token saved by another
// writer in between (here a plain Save, as a holder whose lease expired
// would) is never overwritten, and the refusal is a typed error.
func TestLeaseSaveUnderAStaleVersionIsRefused(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, store lockingStore) {
		l, err := store.Lock(ctx)
		require.NoError(t, err)
		defer func() { require.NoError(t, l.Unlock(ctx)) }()
		assert.Empty(t, l.Version(), "an empty store has no version")
		st, err := l.Load(ctx)
		require.NoError(t, err)
		assert.Nil(t, st)

		require.NoError(t, l.Save(ctx, stored("a1")))
		v1 := l.Version()
		assert.NotEmpty(t, v1, "a save gives a version")

		require.NoError(t, store.Save(ctx, stored("other"))) // another writer
		err = l.Save(ctx, stored("a2"))
		require.ErrorIs(t, err, ErrVersionConflict)
		var conflict *VersionConflictError
		require.ErrorAs(t, err, &conflict)
		assert.Equal(t, v1, conflict.Read)
		assert.NotEqual(t, v1, conflict.Stored)
		assert.Contains(t, err.Error(), "Lease.Save")
		got, err := store.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, "other", got.Token.AccessToken, "the newer token stays")
		assert.Equal(t, v1, l.Version(), "a refused save changes nothing")

		// Having read the newer token, the lease may save over it.
		got, err = l.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, "other", got.Token.AccessToken)
		assert.Equal(t, conflict.Stored, l.Version())
		require.NoError(t, l.Save(ctx, stored("a3")))
		got, err = store.Load(ctx)
		require.NoError(t, err)
		assert.Equal(t, "a3", got.Token.AccessToken)
	})
}

// A lease taken on a store that holds a token starts at that token's
// version, and two leases in turn see each other's saves.
func TestLeaseStartsAtTheStoredVersion(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, store lockingStore) {
		require.NoError(t, store.Save(ctx, stored("a1")))
		first, err := store.Lock(ctx)
		require.NoError(t, err)
		v := first.Version()
		assert.NotEmpty(t, v)
		require.NoError(t, first.Save(ctx, stored("a2")), "no Load needed to save over the version at Lock")
		assert.NotEqual(t, v, first.Version())
		require.NoError(t, first.Unlock(ctx))

		second, err := store.Lock(ctx)
		require.NoError(t, err)
		assert.Equal(t, first.Version(), second.Version())
		require.NoError(t, second.Unlock(ctx))
	})
}

// After Unlock a lease can neither read nor write, and says so.
func TestUnlockedLeaseIsLost(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, store lockingStore) {
		l, err := store.Lock(ctx)
		require.NoError(t, err)
		require.NoError(t, l.Valid(ctx))
		require.NoError(t, l.Unlock(ctx))
		require.NoError(t, l.Unlock(ctx), "a second Unlock does nothing")
		assert.ErrorIs(t, l.Valid(ctx), ErrLeaseLost)
		assert.ErrorIs(t, l.Save(ctx, stored("x")), ErrLeaseLost)
		_, err = l.Load(ctx)
		assert.ErrorIs(t, err, ErrLeaseLost)
		st, err := store.Load(ctx)
		require.NoError(t, err)
		assert.Nil(t, st, "nothing was saved")
	})
}

// wrapStore is a memory store whose leases wrap passes through.
type wrapStore struct {
	*MemoryStore
	wrap func(Lease) Lease
}

func (s wrapStore) Lock(ctx context.Context) (Lease, error) {
	l, err := s.MemoryStore.Lock(ctx)
	if err != nil {
		return nil, err
	}
	return s.wrap(l), nil
}

// refreshThrough seeds store with a token that has expired, and asks a
// provider on it for a token, which makes it refresh.
func refreshThrough(t *testing.T, store TokenStore, cfg AuthorizationCodeConfig) (*userServer, *Token, error) {
	t.Helper()
	srv := newUserServer(t, "")
	fc := clock.NewFake()
	require.NoError(t, store.Save(context.Background(), srv.seed(fc, 60)))
	cfg.Store, cfg.Clock = store, fc
	a := newAC(t, srv, cfg)
	fc.Advance(time.Hour)
	tok, err := a.Token(context.Background())
	return srv, tok, err
}

// expiredLease stands for the lease of a networked store whose lock
// expired while its holder waited.
type expiredLease struct{ Lease }

func (expiredLease) Valid(context.Context) error { return ErrLeaseLost }

// The provider checks its lease right before the refresh request: an
// expired lease sends nothing.
func TestRefreshIsNotSentUnderAnExpiredLease(t *testing.T) {
	verifyNoLeaks(t)
	store := wrapStore{NewMemoryStore(), func(l Lease) Lease { return expiredLease{l} }}
	srv, _, err := refreshThrough(t, store, AuthorizationCodeConfig{})
	require.ErrorIs(t, err, ErrLeaseLost)
	assert.Zero(t, srv.refreshes.Load(), "no refresh request was sent")
}

// interferingLease lets another writer save between the provider's read
// and its save, as a worker whose lease expired would.
type interferingLease struct {
	Lease
	m *MemoryStore
}

func (l interferingLease) Load(ctx context.Context) (*StoredToken, error) {
	st, err := l.Lease.Load(ctx)
	if err == nil {
		err = l.m.Save(ctx, stored("written-by-another-worker"))
	}
	return st, err
}

// The provider saves its refreshed token through the lease: when another
// writer saved since the lease read the store, the save is refused, the
// newer token stays, and OnStoreError is told with a typed error.
func TestRefreshDoesNotOverwriteANewerToken(t *testing.T) {
	verifyNoLeaks(t)
	m := NewMemoryStore()
	store := wrapStore{m, func(l Lease) Lease { return interferingLease{l, m} }}
	var storeErr error
	srv, tok, err := refreshThrough(t, store, AuthorizationCodeConfig{OnStoreError: func(err error) { storeErr = err }})
	require.NoError(t, err, "the refreshed token is still used")
	assert.Equal(t, int32(1), srv.refreshes.Load())
	require.ErrorIs(t, storeErr, ErrVersionConflict)
	var conflict *VersionConflictError
	assert.True(t, errors.As(storeErr, &conflict))
	got, err := store.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "written-by-another-worker", got.Token.AccessToken, "the newer token was not overwritten")
	assert.NotEqual(t, got.Token.AccessToken, tok.AccessToken)
}
