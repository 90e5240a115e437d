package clock

import (
	"context"
	"time"
)

// Sleep waits for d on c, or until ctx is done, whichever comes first. It
// returns ctx's error when the context ended first and nil otherwise. A d of
// zero or less returns at once (after checking ctx).
func Sleep(ctx context.Context, c Clock, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := Or(c).NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Outlives reports whether a wait of d, started now on c, would end after
// ctx's deadline. A context without one is never outlived.
func Outlives(ctx context.Context, c Clock, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return OutlivesDeadline(dl, ok, c, d)
}

// OutlivesDeadline reports whether a wait of d, started now on c, would end
// after dl; ok false means no deadline, which is never outlived.
func OutlivesDeadline(dl time.Time, ok bool, c Clock, d time.Duration) bool {
	return ok && Or(c).Now().Add(d).After(dl)
}
