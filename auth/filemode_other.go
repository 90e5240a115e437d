//go:build !unix

package auth

import "io/fs"

// checkTokenFileMode accepts every file on systems without Unix permission
// bits (on Windows the mode bits do not say who may read a file).
func checkTokenFileMode(string, fs.FileInfo) error { return nil }
