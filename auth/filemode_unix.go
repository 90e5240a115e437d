//go:build unix

package auth

import "io/fs"

// checkTokenFileMode refuses a regular token file open to group or others,
// with an *InsecureTokenFileError. info describes the file as opened
// (symbolic links followed); what is not a regular file (a directory) is
// left to fail when read.
func checkTokenFileMode(path string, info fs.FileInfo) error {
	if perm := info.Mode().Perm(); info.Mode().IsRegular() && perm&insecureMode != 0 {
		return &InsecureTokenFileError{Path: path, Mode: perm}
	}
	return nil
}
