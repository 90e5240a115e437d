package transport

import (
	"context"
	"sync"
	"time"
)

// CallInfo collects what the chain did for one call: the attempts made, the
// 429s absorbed, the last Retry-After, whether the cache served it. Attach
// one with [WithCallInfo]; the stages update it while the call runs and the
// caller reads it after the call returned. It is safe for concurrent use.
type CallInfo struct {
	mu          sync.Mutex
	attempts    int
	rateLimited int
	retryAfter  time.Duration
	fromCache   bool
	waited      time.Duration
}

// CallStats is a snapshot of a [CallInfo].
type CallStats struct {
	// Attempts is how many times the request was sent (0 if it never was).
	Attempts int
	// RateLimited is how many 429 answers the call received.
	RateLimited int
	// RetryAfter is the last Retry-After the server sent, or 0.
	RetryAfter time.Duration
	// FromCache reports whether the cache answered the call.
	FromCache bool
	// Waited is the time the call spent waiting in backoff and cool-downs.
	Waited time.Duration
}

// WithCallInfo attaches info to ctx for the stages to fill.
func WithCallInfo(ctx context.Context, info *CallInfo) context.Context {
	return context.WithValue(ctx, callInfoKey, info)
}

// CallInfoFrom returns the [CallInfo] attached to ctx, or nil. All of its
// methods accept a nil receiver and then do nothing.
func CallInfoFrom(ctx context.Context) *CallInfo {
	i, _ := ctx.Value(callInfoKey).(*CallInfo)
	return i
}

// Stats returns a snapshot.
func (c *CallInfo) Stats() CallStats {
	if c == nil {
		return CallStats{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return CallStats{Attempts: c.attempts, RateLimited: c.rateLimited, RetryAfter: c.retryAfter, FromCache: c.fromCache, Waited: c.waited}
}

// AddAttempt counts one send of the request.
func (c *CallInfo) AddAttempt() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.attempts++
	c.mu.Unlock()
}

// AddRateLimited counts one 429 and records its Retry-After (0 if none).
func (c *CallInfo) AddRateLimited(retryAfter time.Duration) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.rateLimited++
	if retryAfter > 0 {
		c.retryAfter = retryAfter
	}
	c.mu.Unlock()
}

// AddWait adds d to the time spent waiting.
func (c *CallInfo) AddWait(d time.Duration) {
	if c == nil || d <= 0 {
		return
	}
	c.mu.Lock()
	c.waited += d
	c.mu.Unlock()
}

// SetFromCache marks the call as served by the cache.
func (c *CallInfo) SetFromCache() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.fromCache = true
	c.mu.Unlock()
}
