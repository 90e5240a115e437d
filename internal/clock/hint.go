package clock

import (
	"context"
	"time"
)

// A deadline hint serves work done on behalf of several callers, such as a
// coalesced request: its context cannot carry their deadlines (they differ,
// and callers join later), yet a wait that would outlive all of them is
// pointless. The hint gives, when asked, the latest deadline of the callers
// still waiting, and the waits of the chain (Retry-After, backoff, the
// rate budget) give up as they would under that deadline.

// hintKey is the context key of a deadline hint.
type hintKey struct{}

// WithDeadlineHint returns ctx with hint, a function that reports the
// latest deadline of the callers the work is for, or false when one of them
// has none. It is called at each wait decision and must be safe for
// concurrent use.
func WithDeadlineHint(ctx context.Context, hint func() (time.Time, bool)) context.Context {
	return context.WithValue(ctx, hintKey{}, hint)
}

// Deadline returns ctx's deadline, or, when it has none, its hint's.
func Deadline(ctx context.Context) (time.Time, bool) {
	if dl, ok := ctx.Deadline(); ok {
		return dl, true
	}
	if hint, ok := ctx.Value(hintKey{}).(func() (time.Time, bool)); ok {
		return hint()
	}
	return time.Time{}, false
}
