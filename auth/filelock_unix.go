//go:build unix

package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/spotifysdk/spotify-go/clock"
)

// lockPoll is the pause between attempts to take a busy file lock.
const lockPoll = 5 * time.Millisecond

// lockFile takes an exclusive flock on path (created with mode 0600),
// trying again every few milliseconds until it succeeds or ctx ends. flock
// locks belong to the open file, so two opens in one process exclude each
// other as two processes do; the lock goes away with the process if it
// dies.
func lockFile(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("auth: opening lock file: %w", err)
	}
	fd := int(f.Fd())
	for {
		err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, unix.EWOULDBLOCK) && !errors.Is(err, unix.EINTR) {
			_ = f.Close()
			return nil, fmt.Errorf("auth: locking %s: %w", path, err)
		}
		if err := clock.Sleep(ctx, nil, lockPoll); err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("auth: waiting for the lock on %s: %w", path, err)
		}
	}
	return func() {
		_ = unix.Flock(fd, unix.LOCK_UN)
		_ = f.Close()
	}, nil
}
