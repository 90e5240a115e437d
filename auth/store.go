package auth

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
)

// StoredToken is what a [TokenStore] keeps: the user's token and the id of
// its token family, created at code exchange and kept through every
// refresh. The family id makes the provider's identity ("user:" + id), so
// cached responses stay partitioned by user across restarts. It prints
// redacted through fmt (its Token does) and slog ([StoredToken.LogValue]).
type StoredToken struct {
	// Token is the access and refresh token.
	Token Token
	// FamilyID names the login the token descends from.
	FamilyID string
}

// LogValue makes slog print the stored token redacted. (fmt needs no
// method of its own: it prints the Token field redacted.)
func (s StoredToken) LogValue() slog.Value {
	return view{name: "auth.StoredToken", fields: []field{{"Token", s.Token}, {"FamilyID", s.FamilyID}}}.LogValue()
}

// TokenStore keeps one user's token. Load returns nil and no error when
// nothing was saved yet; an unreadable or corrupted store is an error (it
// is never silently overwritten). Save replaces the stored token as a
// whole. Implementations are safe for concurrent use; callers must not
// modify what Load returns, and implementations must not keep the pointer
// given to Save. A store that several providers or processes share also
// implements [TokenLocker].
type TokenStore interface {
	Load(ctx context.Context) (*StoredToken, error)
	Save(ctx context.Context, tok *StoredToken) error
}

// MemoryStore is a [TokenStore] in memory, the default. Its [TokenLocker]
// serializes providers that share it within one process; its version is a
// counter that every save increments (see [Lease]). Make one with
// [NewMemoryStore].
type MemoryStore struct {
	lock    chan struct{}
	mu      sync.Mutex
	tok     *StoredToken
	version uint64 // saves so far; 0 = nothing saved
}

var (
	_ TokenStore  = (*MemoryStore)(nil)
	_ TokenLocker = (*MemoryStore)(nil)
)

// NewMemoryStore returns an empty memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{lock: make(chan struct{}, 1)}
}

// Load returns a copy of the saved token, or nil.
func (m *MemoryStore) Load(context.Context) (*StoredToken, error) {
	st, _ := m.load()
	return st, nil
}

// load returns a copy of the saved token (or nil) and its version.
func (m *MemoryStore) load() (*StoredToken, uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok == nil {
		return nil, m.version
	}
	c := *m.tok
	return &c, m.version
}

// Save keeps a copy of tok, without a lease: it increments the version, so
// a lease that read an earlier one can no longer save.
func (m *MemoryStore) Save(_ context.Context, tok *StoredToken) error {
	_, err := m.save("auth: MemoryStore.Save", tok, nil)
	return err
}

// save keeps a copy of tok and returns the new version. With want set,
// the store must still hold version *want (compare-and-set).
func (m *MemoryStore) save(method string, tok *StoredToken, want *uint64) (uint64, error) {
	if tok == nil {
		return 0, fmt.Errorf("%s: nil token", method)
	}
	c := *tok
	m.mu.Lock()
	defer m.mu.Unlock()
	if want != nil && *want != m.version {
		return 0, &VersionConflictError{Read: memoryVersion(*want), Stored: memoryVersion(m.version)}
	}
	m.tok = &c
	m.version++
	return m.version, nil
}

// Lock takes the store's lock, waiting for it or for ctx. The lease never
// expires; it holds the lock until Unlock.
func (m *MemoryStore) Lock(ctx context.Context) (Lease, error) {
	select {
	case m.lock <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	_, v := m.load()
	return &memoryLease{m: m, version: v, held: true}, nil
}

// String prints the store without its token.
func (m *MemoryStore) String() string { return "auth.MemoryStore{}" }

// memoryLease is the [Lease] of a [MemoryStore].
type memoryLease struct {
	m       *MemoryStore
	version uint64
	held    bool
}

func (l *memoryLease) Load(context.Context) (*StoredToken, error) {
	if !l.held {
		return nil, ErrLeaseLost
	}
	st, v := l.m.load()
	l.version = v
	return st, nil
}

func (l *memoryLease) Version() string { return memoryVersion(l.version) }

func (l *memoryLease) Valid(context.Context) error {
	if !l.held {
		return ErrLeaseLost
	}
	return nil
}

func (l *memoryLease) Save(_ context.Context, tok *StoredToken) error {
	if !l.held {
		return ErrLeaseLost
	}
	v, err := l.m.save("auth: Lease.Save", tok, &l.version)
	if err == nil {
		l.version = v
	}
	return err
}

func (l *memoryLease) Unlock(context.Context) error {
	if l.held {
		l.held = false
		<-l.m.lock
	}
	return nil
}

// memoryVersion is the text of a memory store's version: "" before the
// first save, then the count of saves.
func memoryVersion(v uint64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatUint(v, 10)
}
