package auth

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFileStoreRoundTripAndMode(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sub")
	fs, err := NewFileStore(filepath.Join(dir, "token.json"))
	require.NoError(t, err)
	ctx := context.Background()
	st, err := fs.Load(ctx)
	require.NoError(t, err)
	assert.Nil(t, st, "a missing file is no token")

	want := &StoredToken{Token: Token{AccessToken: "a", TokenType: "Bearer", RefreshToken: "r", Scope: "s t", Expiry: time.Date(2026, 11, 28, 12, 0, 0, 5, time.UTC)}, FamilyID: "fam"}
	require.NoError(t, fs.Save(ctx, want))
	got, err := fs.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	if runtime.GOOS != "windows" {
		info, err := os.Stat(fs.Path())
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
		dinfo, err := os.Stat(dir)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o700), dinfo.Mode().Perm())
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.NotContains(t, e.Name(), ".tmp-", "no temporary file is left behind")
	}
	assert.Contains(t, fmt.Sprint(fs), "token.json")

	_, err = NewFileStore("")
	assert.Error(t, err)
	home, err := NewFileStore("~/x.json")
	if err == nil {
		assert.True(t, filepath.IsAbs(home.Path()))
		assert.False(t, strings.Contains(home.Path(), "~"))
	}
}

func TestFileStoreCorruptedFileIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	const junk = `{"access_token": "AT-SECRET-VALUE", "refresh_token": ` // cut short
	require.NoError(t, os.WriteFile(path, []byte(junk), 0o600))
	fs, err := NewFileStore(path)
	require.NoError(t, err)
	_, err = fs.Load(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.NotContains(t, err.Error(), "AT-SECRET-VALUE")

	_, err = NewAuthorizationCode(AuthorizationCodeConfig{ClientID: testID, RedirectURI: testRedirect, Store: fs})
	require.Error(t, err, "the provider refuses a corrupted store")
	assert.Contains(t, err.Error(), path)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, junk, string(b), "the file is not overwritten")

	for _, bad := range []string{`{}`, `{"access_token": 3}`, `{"access_token":"a"} {"x":1}`, `[]`} {
		require.NoError(t, os.WriteFile(path, []byte(bad), 0o600))
		_, err = fs.Load(context.Background())
		assert.Error(t, err, bad)
	}
}

func TestFileStoreReadersNeverSeeAPartialFile(t *testing.T) {
	verifyNoLeaks(t)
	fs, err := NewFileStore(filepath.Join(t.TempDir(), "token.json"))
	require.NoError(t, err)
	ctx := context.Background()
	big := strings.Repeat("x", 64<<10) // a write larger than one page
	require.NoError(t, fs.Save(ctx, &StoredToken{Token: Token{AccessToken: "a0", RefreshToken: big}, FamilyID: "f"}))

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			assert.NoError(t, fs.Save(ctx, &StoredToken{Token: Token{AccessToken: fmt.Sprintf("a%d", i), RefreshToken: big}, FamilyID: "f"}))
		}
	}()
	deadline := time.Now().Add(300 * time.Millisecond)
	reads := 0
	for time.Now().Before(deadline) {
		st, err := fs.Load(ctx)
		require.NoError(t, err)
		require.NotNil(t, st)
		require.Len(t, st.Token.RefreshToken, len(big))
		reads++
	}
	close(stop)
	wg.Wait()
	assert.Positive(t, reads)
}

func TestFileStoreLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	a, err := NewFileStore(path)
	require.NoError(t, err)
	b, err := NewFileStore(path)
	require.NoError(t, err)
	held, err := a.Lock(context.Background())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = b.Lock(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded, "a second holder waits")
	require.NoError(t, held.Unlock(context.Background()))
	held2, err := b.Lock(context.Background())
	require.NoError(t, err)
	require.NoError(t, held2.Unlock(context.Background()))
}

func TestMemoryStore(t *testing.T) {
	m := NewMemoryStore()
	st, err := m.Load(context.Background())
	require.NoError(t, err)
	assert.Nil(t, st)
	in := &StoredToken{Token: Token{AccessToken: "a"}, FamilyID: "f"}
	require.NoError(t, m.Save(context.Background(), in))
	in.Token.AccessToken = "changed"
	st, err = m.Load(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "a", st.Token.AccessToken, "the store keeps a copy")
	assert.Error(t, m.Save(context.Background(), nil))

	held, err := m.Lock(context.Background())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = m.Lock(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	require.NoError(t, held.Unlock(context.Background()))
}
