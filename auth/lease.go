package auth

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// TokenLocker is implemented by stores that several providers (or
// processes) may share. An [AuthorizationCode] provider takes the lock for
// every refresh and for the save of a new login, and does all of its
// reading and writing through the [Lease]:
//
//  1. Lock waits for the lock (or for ctx) and returns the lease;
//  2. Lease.Load re-reads the store: a newer token saved by another
//     provider is adopted instead of spending a refresh token that one
//     already rotated;
//  3. Lease.Valid is checked right before the refresh request is sent (a
//     fence: a lease that expired while waiting sends nothing);
//  4. Lease.Save writes the new token only if the store still holds the
//     version the lease read (compare-and-set), so a provider whose lease
//     expired can never overwrite a newer token;
//  5. Lease.Unlock releases the lock.
//
// A refresh's whole locked section is bounded by the provider's refresh
// timeout ([DefaultRefreshTimeout] unless configured). A store whose locks expire
// (one on a network, where a holder may die without unlocking) must give
// them a lifetime longer than that timeout, which includes the token
// request and its retries; the [MemoryStore] and [FileStore] locks never
// expire (the file lock goes away with a process that dies).
//
// A type that wraps a store (embedding a *FileStore to change its Save,
// say) must wrap Lock and the lease as well: the provider reads and writes
// a locking store only through its lease, never through its Load and
// Save.
type TokenLocker interface {
	// Lock takes the store's lock, waiting for it or for ctx. The lease
	// starts at the version the store holds when the lock is taken.
	Lock(ctx context.Context) (Lease, error)
}

// Lease is one holding of a [TokenLocker]'s lock, together with the
// version of the stored token it last saw. A version is an opaque text
// that changes whenever the stored token does ("" for an empty store): the
// [MemoryStore]'s counts its saves, the [FileStore]'s is a hash of the
// file's content. A lease is used by one goroutine at a time.
type Lease interface {
	// Load reads the stored token (nil when there is none) and makes its
	// version the lease's.
	Load(ctx context.Context) (*StoredToken, error)
	// Version returns the version the lease last loaded or saved, or the
	// one the store held when the lock was taken.
	Version() string
	// Valid returns nil while the lease holds the lock, and an error
	// matching [ErrLeaseLost] once it does not (it expired, or was
	// unlocked). It may ask the store (a networked lock).
	Valid(ctx context.Context) error
	// Save writes tok if the store still holds the lease's version, and
	// makes the new version the lease's. If another writer saved since
	// (a holder whose lease expired, or a plain [TokenStore.Save]),
	// nothing is written and the error is a [*VersionConflictError]; an
	// expired or unlocked lease gives [ErrLeaseLost].
	Save(ctx context.Context, tok *StoredToken) error
	// Unlock releases the lock; later calls do nothing. The provider calls
	// it even when the refresh's context is done, on a context of its own
	// with a short timeout.
	Unlock(ctx context.Context) error
}

// ErrLeaseLost is returned (possibly wrapped) by a [Lease] that no longer
// holds its store's lock: it was unlocked, or, on a store whose locks
// expire, it expired. Nothing is saved and no refresh is sent under it.
var ErrLeaseLost = errors.New("auth: the token store's lease no longer holds its lock")

// ErrVersionConflict matches (with errors.Is) a [*VersionConflictError].
var ErrVersionConflict = errors.New("auth: the token store changed since the lease read it")

// VersionConflictError is returned by [Lease.Save] when the store no longer
// holds the version the lease read: another writer saved a token since.
// Nothing was written. A provider passes it to its OnStoreError.
type VersionConflictError struct {
	// Read is the version the lease read or last saved.
	Read string
	// Stored is the version the store holds now.
	Stored string
}

// Error says that the save was refused and names both versions.
func (e *VersionConflictError) Error() string {
	return fmt.Sprintf("auth: Lease.Save: the token store changed since the lease read it (version %q, now %q): nothing was saved", e.Read, e.Stored)
}

// Is reports whether target is [ErrVersionConflict].
func (e *VersionConflictError) Is(target error) bool { return target == ErrVersionConflict }

// unlockTimeout bounds the release of a lease, which runs even when the
// refresh's context is done.
const unlockTimeout = 5 * time.Second

// lease takes a lease on store: its own lock if it is a [TokenLocker],
// otherwise an [openLease], which locks nothing.
func lease(ctx context.Context, store TokenStore) (Lease, error) {
	l, ok := store.(TokenLocker)
	if !ok {
		return openLease{store}, nil
	}
	held, err := l.Lock(ctx)
	if err == nil && held == nil {
		err = fmt.Errorf("auth: %T.Lock returned neither a lease nor an error", store)
	}
	return held, err
}

// release unlocks l on a context of its own, detached from ctx's
// cancellation and bounded by unlockTimeout.
func release(ctx context.Context, l Lease) {
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), unlockTimeout)
	defer cancel()
	_ = l.Unlock(uctx)
}

// openLease is the lease on a store without a lock: it reads and writes
// the store as it is (no version, no compare-and-set) and never expires.
type openLease struct{ store TokenStore }

func (l openLease) Load(ctx context.Context) (*StoredToken, error) { return l.store.Load(ctx) }
func (l openLease) Version() string                                { return "" }
func (l openLease) Valid(context.Context) error                    { return nil }
func (l openLease) Save(ctx context.Context, tok *StoredToken) error {
	return l.store.Save(ctx, tok)
}
func (l openLease) Unlock(context.Context) error { return nil }
