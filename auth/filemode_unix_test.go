//go:build unix

package auth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeTokenFile writes a valid token file at path with exactly mode perm
// (os.WriteFile's mode is filtered by the umask).
func writeTokenFile(t *testing.T, path string, perm fs.FileMode) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(`{"access_token":"AT-SECRET","refresh_token":"RT-SECRET","family_id":"fam"}`), 0o600))
	require.NoError(t, os.Chmod(path, perm))
}

// A token file that group or others may read or write is refused on load,
// as ssh refuses such a private key, with an error that names the path and
// the mode and says how to fix it; a private one loads.
func TestFileStoreRefusesATokenFileOpenToOthers(t *testing.T) {
	for _, perm := range []fs.FileMode{0o644, 0o640, 0o604, 0o620, 0o602, 0o660, 0o666, 0o700 | 0o004} {
		t.Run(fmt.Sprintf("%04o", uint32(perm)), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "token.json")
			writeTokenFile(t, path, perm)
			store, err := NewFileStore(path)
			require.NoError(t, err)

			st, err := store.Load(context.Background())
			require.Error(t, err)
			assert.Nil(t, st)
			assert.ErrorIs(t, err, ErrInsecureTokenFile)
			var ie *InsecureTokenFileError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, path, ie.Path)
			assert.Equal(t, perm, ie.Mode)
			msg := err.Error()
			assert.Contains(t, msg, path)
			assert.Contains(t, msg, fmt.Sprintf("%04o", uint32(perm)))
			assert.Contains(t, msg, "chmod 600 "+path)
			assert.NotContains(t, msg, "SECRET")

			info, serr := os.Stat(path)
			require.NoError(t, serr)
			assert.Equal(t, perm, info.Mode().Perm(), "the file is left as it is")

			// The fix the message gives works.
			require.NoError(t, os.Chmod(path, 0o600))
			st, err = store.Load(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "RT-SECRET", st.Token.RefreshToken)
		})
	}
}

func TestFileStoreLoadsAPrivateTokenFile(t *testing.T) {
	for _, perm := range []fs.FileMode{0o600, 0o400} {
		path := filepath.Join(t.TempDir(), "token.json")
		writeTokenFile(t, path, perm)
		store, err := NewFileStore(path)
		require.NoError(t, err)
		st, err := store.Load(context.Background())
		require.NoError(t, err, "%04o", uint32(perm))
		assert.Equal(t, "AT-SECRET", st.Token.AccessToken)
	}
}

// The provider refuses such a file when it is made, with the same error.
func TestAuthorizationCodeRefusesATokenFileOpenToOthers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	writeTokenFile(t, path, 0o644)
	store, err := NewFileStore(path)
	require.NoError(t, err)
	_, err = NewAuthorizationCode(AuthorizationCodeConfig{ClientID: "id", RedirectURI: "http://127.0.0.1:8080/callback", Store: store})
	require.ErrorIs(t, err, ErrInsecureTokenFile)
	assert.False(t, errors.Is(err, ErrLoginRequired))
}

// Save replaces an open file with a private one; what it writes loads.
func TestFileStoreSaveWritesAPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	writeTokenFile(t, path, 0o644)
	store, err := NewFileStore(path)
	require.NoError(t, err)
	require.NoError(t, store.Save(context.Background(), &StoredToken{Token: Token{RefreshToken: "r", Expiry: time.Now()}}))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o600), info.Mode().Perm())
	_, err = store.Load(context.Background())
	require.NoError(t, err)
}

// A path with characters a shell treats specially is quoted in the advice.
func TestInsecureTokenFileErrorQuotesThePath(t *testing.T) {
	e := &InsecureTokenFileError{Path: "/home/me/my tokens/it's.json", Mode: 0o644}
	assert.Equal(t, `auth: token file /home/me/my tokens/it's.json has mode 0644 (-rw-r--r--): it must not be open to group or others; run chmod 600 '/home/me/my tokens/it'\''s.json'`, e.Error())
	assert.ErrorIs(t, e, ErrInsecureTokenFile)
}
