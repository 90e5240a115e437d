package transport

import (
	"sync/atomic"
	"time"
)

// throttleStats is what the retry stage counts of a call's 429 retries,
// shared by every view of the call (and so by every caller of a coalesced
// flight, which runs on one record).
type throttleStats struct {
	quota   atomic.Bool  // the last 429 was a quota stop
	retries atomic.Int32 // 429s retried
	waited  atomic.Int64 // the waits allowed for them
}

// SetQuota records whether the last 429 the call met was a quota stop (the
// ratelimit stage, which classifies it).
func (c *Call) SetQuota(quota bool) {
	if c != nil {
		c.stats.throttle.quota.Store(quota)
	}
}

// Quota reports whether the last 429 the call met was a quota stop.
func (c *Call) Quota() bool {
	return c != nil && c.stats.throttle.quota.Load()
}

// AddThrottleRetry counts one retry after a 429 that waits wait (the retry
// stage).
func (c *Call) AddThrottleRetry(wait time.Duration) {
	if c != nil {
		c.stats.throttle.retries.Add(1)
		c.stats.throttle.waited.Add(int64(max(wait, 0)))
	}
}

// ThrottleRetries returns how many 429s the call retried and the waits
// allowed for them, in total.
func (c *Call) ThrottleRetries() (int, time.Duration) {
	if c == nil {
		return 0, 0
	}
	return int(c.stats.throttle.retries.Load()), time.Duration(c.stats.throttle.waited.Load())
}
