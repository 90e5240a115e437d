package transport

import (
	"sync/atomic"
	"time"
)

// Throttle is the 429 retry budget of one operation: the 429s retried and
// the waits allowed for them, which the retry stage holds against its
// limits ([middleware.RetryOptions] MaxRateLimitRetries and
// MaxRateLimitWait). Every call has one of its own, shared by every view
// of it (and so by every caller of a coalesced flight, which runs on one
// record). An operation that sends several requests (a chunked write, a
// batch read in chunks) gives them one, through [CallSpec].Throttle, so
// that its pieces share one budget rather than one each.
//
// A Throttle is safe for concurrent use; its zero value is an unused
// budget.
//
// [middleware.RetryOptions]: https://pkg.go.dev/github.com/spotifysdk/spotify-go/middleware#RetryOptions
type Throttle struct {
	retries atomic.Int32 // 429s retried
	waited  atomic.Int64 // the waits allowed for them
}

// NewThrottle returns an unused budget, for the calls of one operation.
func NewThrottle() *Throttle { return new(Throttle) }

// throttle returns the budget c counts on: its operation's, or its own.
func (c *Call) throttle() *Throttle {
	if c.thr != nil {
		return c.thr
	}
	return &c.stats.ownThrottle
}

// SetQuota records whether the last 429 the call met was a quota stop (the
// ratelimit stage, which classifies it).
func (c *Call) SetQuota(quota bool) {
	if c != nil {
		c.stats.quota.Store(quota)
	}
}

// Quota reports whether the last 429 the call met was a quota stop.
func (c *Call) Quota() bool {
	return c != nil && c.stats.quota.Load()
}

// AddThrottleRetry counts one retry after a 429 that waits wait (the retry
// stage), on the call's [Throttle].
func (c *Call) AddThrottleRetry(wait time.Duration) {
	if c != nil {
		t := c.throttle()
		t.retries.Add(1)
		t.waited.Add(int64(max(wait, 0)))
	}
}

// ThrottleRetries returns how many 429s the call's [Throttle] retried and
// the waits allowed for them, in total: the call's own, or those of every
// call of its operation when they share one.
func (c *Call) ThrottleRetries() (int, time.Duration) {
	if c == nil {
		return 0, 0
	}
	t := c.throttle()
	return int(t.retries.Load()), time.Duration(t.waited.Load())
}
