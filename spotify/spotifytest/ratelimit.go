package spotifytest

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Rate limiting as Spotify does it: every app (the client id of the
// bearer token) has a budget of requests in a rolling window, 30 seconds
// by default; a request over the budget answers 429
// {"error":{"status":429,"message":"API rate limit exceeded"}} with a
// Retry-After header, and is not counted against the budget. A server in
// quota mode answers every /v1 request 429 with reason QUOTA_EXCEEDED,
// the answer of an app whose quota is spent. The accounts service
// (POST /api/token) is never limited.

// DefaultRateWindow is the rolling window of [WithRateLimit] when none
// is given: Spotify's 30 seconds.
const DefaultRateWindow = 30 * time.Second

// Messages and reason of the 429 answers.
const (
	rateLimitMessage    = "API rate limit exceeded"
	quotaMessage        = "Quota exceeded"
	reasonQuotaExceeded = "QUOTA_EXCEEDED"
)

// rateConfig is the limiter's part of the config.
type rateConfig struct {
	budget     int           // requests per window and app; 0: no limit
	window     time.Duration // rolling window
	retryAfter time.Duration // Retry-After sent; 0: until a slot frees, in whole seconds
	quota      bool          // quota mode
}

// WithRateLimit limits every app to budget requests in a rolling window
// (window 0 means [DefaultRateWindow]); budget 0 removes the limit, which
// is the default. The 429 carries Retry-After: the value of
// [WithRetryAfter] when set, otherwise the time until the oldest request
// of the window leaves it, in whole seconds rounded up, as Spotify sends.
func WithRateLimit(budget int, window time.Duration) Option {
	return func(c *config) {
		if budget < 0 || window < 0 {
			panic(fmt.Sprintf("spotifytest: WithRateLimit(%d, %v): want a budget >= 0 and a window >= 0", budget, window))
		}
		c.rate.budget, c.rate.window = budget, window
	}
}

// WithRetryAfter sets the Retry-After of the server's 429 answers (rate
// limit, quota mode, and [Fault429] faults without their own), written in
// seconds with as many decimals as d needs: 50*time.Millisecond sends
// "0.05", so tests of back-off stay fast.
func WithRetryAfter(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			panic(fmt.Sprintf("spotifytest: WithRetryAfter(%v): must be positive", d))
		}
		c.rate.retryAfter = d
	}
}

// WithQuotaExceeded starts the server in quota mode: every /v1 request
// answers 429 {"error":{"status":429,"message":"Quota exceeded",
// "reason":"QUOTA_EXCEEDED"}}. See [Server.SetQuotaExceeded].
func WithQuotaExceeded() Option { return func(c *config) { c.rate.quota = true } }

// limiter keeps the arrival times of each app's requests in the window.
type limiter struct {
	mu   sync.Mutex
	cfg  rateConfig
	hits map[string][]int64 // app -> arrivals (Unix ns), oldest first
}

func newLimiter(cfg rateConfig) *limiter {
	return &limiter{cfg: cfg, hits: map[string][]int64{}}
}

// windowLen returns the rolling window of c: its window, or
// DefaultRateWindow. The limiter reads it from a copy taken under its lock.
func (c rateConfig) windowLen() time.Duration {
	if c.window == 0 {
		return DefaultRateWindow
	}
	return c.window
}

// admit counts a request of app at now. When the request is over the
// budget or the server is in quota mode it answers the 429 and returns
// false.
func (l *limiter) admit(w http.ResponseWriter, app string, now time.Time) bool {
	l.mu.Lock()
	cfg := l.cfg
	if cfg.quota {
		l.mu.Unlock()
		ra := cfg.retryAfter
		if ra == 0 {
			ra = cfg.windowLen()
		}
		w.Header().Set("Retry-After", formatSeconds(ra))
		writeAPIErrorReason(w, http.StatusTooManyRequests, quotaMessage, reasonQuotaExceeded)
		return false
	}
	if cfg.budget == 0 {
		l.mu.Unlock()
		return true
	}
	win := cfg.windowLen()
	t := now.UnixNano()
	h := l.hits[app]
	i := 0
	for i < len(h) && h[i] <= t-int64(win) {
		i++
	}
	h = h[i:]
	if len(h) < cfg.budget {
		l.hits[app] = append(h, t)
		l.mu.Unlock()
		return true
	}
	l.hits[app] = h
	free := time.Duration(h[0] + int64(win) - t) // until the oldest leaves the window
	l.mu.Unlock()
	ra := formatSeconds(cfg.retryAfter)
	if cfg.retryAfter == 0 {
		ra = strconv.FormatInt(int64(max((free+time.Second-1)/time.Second, 1)), 10)
	}
	w.Header().Set("Retry-After", ra)
	writeAPIError(w, http.StatusTooManyRequests, rateLimitMessage)
	return false
}

// retryAfter returns the configured Retry-After, or def.
func (l *limiter) retryAfter(def time.Duration) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cfg.retryAfter != 0 {
		return l.cfg.retryAfter
	}
	return def
}

// formatSeconds writes d in seconds with the decimals it needs: "30",
// "0.05", "1.5".
func formatSeconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// SetRateLimit changes the rate limit at run time, as [WithRateLimit]
// does at construction (and panics on the same values); the requests
// already in the window still count.
func (s *Server) SetRateLimit(budget int, window time.Duration) {
	var c config
	WithRateLimit(budget, window)(&c) // validates
	s.limiter.mu.Lock()
	s.limiter.cfg.budget, s.limiter.cfg.window = budget, window
	s.limiter.mu.Unlock()
}

// SetQuotaExceeded switches quota mode on or off (see
// [WithQuotaExceeded]).
func (s *Server) SetQuotaExceeded(on bool) {
	s.limiter.mu.Lock()
	s.limiter.cfg.quota = on
	s.limiter.mu.Unlock()
}

// ResetRateLimit forgets the requests of every app's window.
func (s *Server) ResetRateLimit() {
	s.limiter.mu.Lock()
	clear(s.limiter.hits)
	s.limiter.mu.Unlock()
}
