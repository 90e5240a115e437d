package spotify

import (
	"fmt"
	"strings"

	"github.com/spotifysdk/spotify-go/transport"
)

// ChunkError reports a write that Spotify's per-call limit split into
// several requests and that failed part-way: which items were applied,
// which failed, and which were never sent (unknown to Spotify). Nothing is
// retried for you: send Failed and NotSent again when the cause is gone.
// Err is the error of the failed request.
type ChunkError struct {
	// Applied holds the items of the requests that succeeded.
	Applied []string
	// Failed holds the items of the request that failed. They may or may
	// not have been applied (a broken connection leaves it unknown).
	Failed []string
	// NotSent holds the items after the failure, which were not sent.
	NotSent []string
	// Err is the failed request's error.
	Err error
}

// Error counts the applied, failed and unsent items and gives the cause.
func (e *ChunkError) Error() string {
	return fmt.Sprintf("spotify: chunked write failed after %d applied items: %d failed (%s), %d not sent: %s",
		len(e.Applied), len(e.Failed), preview(e.Failed), len(e.NotSent), causeText(e.Err))
}

// Unwrap returns the failed request's error, so errors.Is(err,
// ErrRateLimited) and the like see through the chunking.
func (e *ChunkError) Unwrap() error { return e.Err }

func preview(items []string) string {
	if len(items) <= 3 {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:3], ", ") + ", ..."
}

// chunks splits items into runs of at most n.
func chunks(items []string, n int) [][]string {
	var out [][]string
	for len(items) > n {
		out = append(out, items[:n:n])
		items = items[n:]
	}
	if len(items) > 0 {
		out = append(out, items)
	}
	return out
}

// runChunks sends items in chunks of n, in order, one request at a time,
// and stops at the first failure with a *ChunkError. Chunks run in order
// because later ones may depend on earlier ones (playlist positions). The
// chunks of one operation share one 429 retry budget, throttle (nil for a
// single chunk: the call's own).
func runChunks(items []string, n int, send func(i int, chunk []string, throttle *transport.Throttle) error) error {
	cs := chunks(items, n)
	var throttle *transport.Throttle
	if len(cs) > 1 {
		throttle = transport.NewThrottle()
	}
	done := 0
	for i, ch := range cs {
		if err := send(i, ch, throttle); err != nil {
			return &ChunkError{
				Applied: items[:done:done],
				Failed:  ch,
				NotSent: items[done+len(ch):],
				Err:     err,
			}
		}
		done += len(ch)
	}
	return nil
}
