package middleware

import (
	"context"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/transport"
)

// outlives reports whether a wait of d, started now on c, would end after
// the deadline of ctx, or of its call's deadline hint when it has none
// ([transport.Deadline]): the waits of the chain give up at once instead.
func outlives(ctx context.Context, c clock.Clock, d time.Duration) bool {
	dl, ok := transport.Deadline(ctx)
	return clock.OutlivesDeadline(dl, ok, c, d)
}
