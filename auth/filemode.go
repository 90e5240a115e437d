package auth

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// ErrInsecureTokenFile matches (with errors.Is) an [*InsecureTokenFileError].
var ErrInsecureTokenFile = errors.New("auth: token file is open to group or others")

// InsecureTokenFileError is returned by [FileStore.Load] for a token file
// that its group or other users may read or write (any of the mode bits
// 0077), as ssh refuses a private key that others can read: a refresh token
// in such a file is as good as shared. The file is neither read nor
// changed. Make it private with `chmod 600 <path>` (the store itself
// always writes 0600 files). The check needs Unix permissions; elsewhere
// it is skipped.
type InsecureTokenFileError struct {
	// Path is the token file's absolute path.
	Path string
	// Mode is the file's permission bits.
	Mode fs.FileMode
}

// Error names the file, its mode and the command that fixes it, for
// example "auth: token file /home/me/.spotify.json has mode 0644
// (-rw-r--r--): it must not be open to group or others; run chmod 600
// /home/me/.spotify.json".
func (e *InsecureTokenFileError) Error() string {
	perm := e.Mode.Perm()
	return fmt.Sprintf("auth: token file %s has mode %04o (%v): it must not be open to group or others; run chmod 600 %s",
		e.Path, uint32(perm), perm, shellQuote(e.Path))
}

// Is reports whether target is [ErrInsecureTokenFile].
func (e *InsecureTokenFileError) Is(target error) bool { return target == ErrInsecureTokenFile }

// insecureMode holds the permission bits a token file must not have.
const insecureMode fs.FileMode = 0o077

// shellQuote returns p as one word for a POSIX shell: as it is when it
// holds only characters no shell treats specially, else in single quotes.
func shellQuote(p string) string {
	safe := func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+,:@%", r)
	}
	if p != "" && strings.IndexFunc(p, func(r rune) bool { return !safe(r) }) < 0 {
		return p
	}
	return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
}
