//go:build !unix

package auth

import (
	"context"
	"fmt"
	"sync"
)

// fileLocks holds one in-process lock per lock-file path.
var fileLocks sync.Map // path -> chan struct{}

// lockFile, on systems without flock, serializes the providers of one
// process only: processes sharing a token file there must not refresh at
// the same time.
func lockFile(ctx context.Context, path string) (func(), error) {
	v, _ := fileLocks.LoadOrStore(path, make(chan struct{}, 1))
	ch := v.(chan struct{})
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("auth: waiting for the lock on %s: %w", path, ctx.Err())
	}
}
