package auth

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
)

// StoredToken is what a [TokenStore] keeps: the user's token and the id of
// its token family, created at code exchange and kept through every
// refresh. The family id makes the provider's identity ("user:" + id), so
// cached responses stay partitioned by user across restarts. It prints
// itself redacted.
type StoredToken struct {
	// Token is the access and refresh token.
	Token Token
	// FamilyID names the login the token descends from.
	FamilyID string
}

// String prints the stored token with its secrets redacted.
func (s StoredToken) String() string {
	return fmt.Sprintf("auth.StoredToken{Token:%s, FamilyID:%q}", s.Token.String(), s.FamilyID)
}

// GoString is like String, for %#v.
func (s StoredToken) GoString() string { return s.String() }

// Format makes every fmt verb print the redacted form.
func (s StoredToken) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue makes slog print the stored token redacted.
func (s StoredToken) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("token", s.Token), slog.String("family_id", s.FamilyID))
}

// TokenStore keeps one user's token. Load returns nil and no error when
// nothing was saved yet; an unreadable or corrupted store is an error (it
// is never silently overwritten). Save replaces the stored token as a
// whole. Implementations are safe for concurrent use; callers must not
// modify what Load returns, and implementations must not keep the pointer
// given to Save.
type TokenStore interface {
	Load(ctx context.Context) (*StoredToken, error)
	Save(ctx context.Context, tok *StoredToken) error
}

// TokenLocker is implemented by stores that several providers (or
// processes) may share. The provider holds the lock across re-reading the
// store, refreshing (only if the stored token is still the one it holds;
// otherwise it adopts the newer one) and saving, so that a rotated refresh
// token is never spent twice. Lock waits for the lock or for ctx; unlock
// releases it and must be called exactly once.
type TokenLocker interface {
	Lock(ctx context.Context) (unlock func(), err error)
}

// MemoryStore is a [TokenStore] in memory, the default. Its [TokenLocker]
// serializes providers that share it within one process. Make one with
// [NewMemoryStore].
type MemoryStore struct {
	lock chan struct{}
	mu   sync.Mutex
	tok  *StoredToken
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
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok == nil {
		return nil, nil
	}
	c := *m.tok
	return &c, nil
}

// Save keeps a copy of tok.
func (m *MemoryStore) Save(_ context.Context, tok *StoredToken) error {
	if tok == nil {
		return fmt.Errorf("auth: MemoryStore.Save: nil token")
	}
	c := *tok
	m.mu.Lock()
	m.tok = &c
	m.mu.Unlock()
	return nil
}

// Lock takes the store's lock, waiting for it or for ctx.
func (m *MemoryStore) Lock(ctx context.Context) (func(), error) {
	select {
	case m.lock <- struct{}{}:
		return func() { <-m.lock }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// String prints the store without its token.
func (m *MemoryStore) String() string { return "auth.MemoryStore{}" }
