package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// FileStore is a [TokenStore] in a JSON file, for command-line programs and
// services that must keep a user's refresh token across restarts:
//
//   - the file is created with mode 0600 (its directory, if created, 0700),
//     and on Unix a file that group or others may read or write is refused
//     when loaded (see [InsecureTokenFileError]), as ssh refuses such a
//     private key;
//   - every save writes a temporary file in the same directory, syncs it
//     and renames it over the old one, so a reader sees the old file or the
//     new one, never a part of either;
//   - its [TokenLocker] takes an exclusive lock on a sidecar file (path +
//     ".lock"; flock on Unix), which the provider holds across re-reading,
//     refreshing and saving, so that two processes sharing the file never
//     spend the same rotated refresh token; the lock never expires (it
//     goes away with a process that dies);
//   - the version a [Lease] compares before it saves is a hash of the
//     file's bytes ("" for no file), so the file's format is unchanged and
//     any other write to it (a plain Save, an edit by hand) is noticed;
//   - a file that cannot be parsed is an error naming the path; it is never
//     overwritten silently (delete it to log in again).
//
// On systems without flock the lock only serializes providers within one
// process.
type FileStore struct {
	path string
}

var (
	_ TokenStore  = (*FileStore)(nil)
	_ TokenLocker = (*FileStore)(nil)
)

// NewFileStore returns a store in the file at path. A leading "~/" is the
// user's home directory. Nothing is read or created until the first use.
func NewFileStore(path string) (*FileStore, error) {
	if path == "" {
		return nil, errors.New("auth: NewFileStore: empty path")
	}
	if path == "~" || strings.HasPrefix(path, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("auth: NewFileStore: %w", err)
		}
		path = filepath.Join(home, path[1:])
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("auth: NewFileStore: %w", err)
	}
	return &FileStore{path: abs}, nil
}

// Path returns the absolute path of the token file.
func (s *FileStore) Path() string { return s.path }

// String prints the store's path (never its token).
func (s *FileStore) String() string { return fmt.Sprintf("auth.FileStore{Path:%q}", s.path) }

// maxTokenFile bounds the size of the token file read.
const maxTokenFile = 1 << 20

// Load reads the file. A missing file is (nil, nil); a file that cannot be
// read or parsed is an error naming the path. On Unix, a file that group or
// others may read or write is refused with an [*InsecureTokenFileError]
// (matching [ErrInsecureTokenFile]) before it is read.
func (s *FileStore) Load(context.Context) (*StoredToken, error) {
	b, err := s.read(true)
	if err != nil || b == nil {
		return nil, err
	}
	return s.parse(b)
}

// read returns the file's bytes, or nil for a missing file. With
// checkMode, a file that group or others may use is refused first (a
// caller that only hashes the bytes does not trust them).
func (s *FileStore) read(checkMode bool) ([]byte, error) {
	f, err := os.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: reading token file: %w", err)
	}
	defer f.Close()
	if checkMode {
		info, err := f.Stat()
		if err != nil {
			return nil, fmt.Errorf("auth: reading token file: %w", err)
		}
		if err := checkTokenFileMode(s.path, info); err != nil {
			return nil, err
		}
	}
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	if err != nil {
		return nil, fmt.Errorf("auth: reading token file: %w", err)
	}
	if len(b) > maxTokenFile {
		return nil, fmt.Errorf("auth: token file %s is larger than %d bytes; delete it to log in again", s.path, maxTokenFile)
	}
	return b, nil
}

// parse decodes the file's bytes.
func (s *FileStore) parse(b []byte) (*StoredToken, error) {
	tok, err := UnmarshalStoredToken(b)
	switch {
	case errors.Is(err, ErrNoStoredToken):
		return nil, fmt.Errorf("auth: token file %s holds no token; delete it to log in again", s.path)
	case err != nil:
		return nil, fmt.Errorf("auth: token file %s cannot be parsed (it is left as it is; delete it to log in again): %v", s.path, err)
	}
	return tok, nil
}

// Save replaces the file atomically: a temporary file (mode 0600) in the
// same directory is written, synced and renamed over the old one, and the
// directory is synced. It takes no lock and compares no version (a
// [Lease] does both).
func (s *FileStore) Save(_ context.Context, tok *StoredToken) error {
	if tok == nil {
		return errors.New("auth: FileStore.Save: nil token")
	}
	b, err := encodeTokenFile(tok)
	if err != nil {
		return err
	}
	return s.write(b)
}

// encodeTokenFile returns the file's bytes for tok: the stored form,
// indented for a reader.
func encodeTokenFile(tok *StoredToken) ([]byte, error) {
	b, err := MarshalStoredToken(tok)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, fmt.Errorf("auth: encoding token: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// write replaces the file with b atomically (see Save).
func (s *FileStore) write(b []byte) error {
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("auth: creating token directory: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(s.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("auth: writing token file: %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("auth: writing token file: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		return fmt.Errorf("auth: writing token file: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("auth: writing token file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("auth: writing token file: %w", err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("auth: replacing token file: %w", err)
	}
	ok = true
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable, where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// Lock takes the exclusive lock on the sidecar file path + ".lock",
// waiting for it or for ctx, and reads the file's version. The lease
// never expires; it holds the lock until Unlock.
func (s *FileStore) Lock(ctx context.Context) (Lease, error) {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return nil, fmt.Errorf("auth: creating token directory: %w", err)
	}
	unlock, err := lockFile(ctx, s.path+".lock")
	if err != nil {
		return nil, err
	}
	b, err := s.read(false)
	if err != nil {
		unlock()
		return nil, err
	}
	return &fileLease{s: s, unlock: unlock, version: fileVersion(b)}, nil
}

// fileVersion is the version of a token file's bytes: the first 16 bytes
// of their SHA-256 in hex, or "" for no file.
func fileVersion(b []byte) string {
	if b == nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// fileLease is the [Lease] of a [FileStore]: it holds the flock.
type fileLease struct {
	s       *FileStore
	unlock  func() // nil once unlocked
	version string
}

func (l *fileLease) Load(context.Context) (*StoredToken, error) {
	if l.unlock == nil {
		return nil, ErrLeaseLost
	}
	b, err := l.s.read(true)
	if err != nil {
		return nil, err
	}
	l.version = fileVersion(b)
	if b == nil {
		return nil, nil
	}
	return l.s.parse(b)
}

func (l *fileLease) Version() string { return l.version }

func (l *fileLease) Valid(context.Context) error {
	if l.unlock == nil {
		return ErrLeaseLost
	}
	return nil
}

func (l *fileLease) Save(_ context.Context, tok *StoredToken) error {
	if l.unlock == nil {
		return ErrLeaseLost
	}
	if tok == nil {
		return errors.New("auth: Lease.Save: nil token")
	}
	b, err := encodeTokenFile(tok)
	if err != nil {
		return err
	}
	cur, err := l.s.read(false)
	if err != nil {
		return err
	}
	if v := fileVersion(cur); v != l.version {
		return &VersionConflictError{Read: l.version, Stored: v}
	}
	if err := l.s.write(b); err != nil {
		return err
	}
	l.version = fileVersion(b)
	return nil
}

func (l *fileLease) Unlock(context.Context) error {
	if l.unlock != nil {
		l.unlock()
		l.unlock = nil
	}
	return nil
}
