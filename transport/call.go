package transport

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Call is the record of one API call: what the service layer knows about it
// when it starts (route, principal, replay rule, auth provider, per-call
// overrides, response capture, the client's lifetime) and what the stages
// learn while it runs (attempts, 429s, Retry-After, waits, a cache hit).
// It is the one value a call carries on its context: the client attaches it
// once with [StartCall], stages and user middleware read it with [CallFrom].
//
// The facts fixed at the start have accessor methods only, so user
// middleware cannot change them; the counters have methods for the stages
// that maintain them, and are safe for concurrent use.
// Every method accepts a nil *Call: the getters then report the zero
// value and the updates do nothing.
//
// A Call serves one call: attach a fresh one to every request.
type Call struct {
	route     string
	principal string
	provider  any
	overrides *Overrides // nil for none: most calls have none, and the record stays small
	lifetime  context.Context
	capture   any
	attempt   int32 // the send this view is for (see ForAttempt)
	idem      int8  // 0: by method, 1: may be replayed, -1: may not

	stats *callStats // shared by the views of one call; &own unless a view
	own   callStats
	key   keyMemo   // the request key of this view's request (RequestKey)
	thr   *Throttle // CallSpec.Throttle, shared by an operation's calls; nil: stats.ownThrottle
}

// callStats is what the stages record while the call runs.
type callStats struct {
	attempts    atomic.Int32
	rateLimited atomic.Int32
	retryAfter  atomic.Int64 // the last 429's Retry-After
	lastRA      atomic.Int64 // the last response's Retry-After, 0 for none
	waited      atomic.Int64
	fromCache   atomic.Bool
	quota       atomic.Bool // the last 429 was a quota stop
	ownThrottle Throttle    // the call's 429 budget, unless CallSpec.Throttle

}

// CallSpec is what the service layer fixes when a call starts.
type CallSpec struct {
	// Route is the route template ("/albums/{id}"): spans and metrics are
	// named by it, never by the URL's ids.
	Route string
	// Principal is whose data the response is. The cache and the coalescing
	// stage share responses only within one principal, and leave requests
	// without one alone.
	Principal string
	// Idempotent says whether the operation may be replayed after an answer
	// that does not prove it was not applied (a 5xx, a broken connection);
	// nil falls back to the method ([IdempotentMethod]).
	Idempotent *bool
	// Provider is the auth provider of the call (an auth.Provider; transport
	// does not import auth). The auth stage uses it instead of its own.
	Provider any
	// Overrides are the per-call changes to the chain's configuration.
	Overrides Overrides
	// Lifetime is the client's lifetime. A record that names it promises
	// that its call's context ends when the lifetime ends: [StartCall]
	// binds a context that cannot end otherwise to it, and the caller
	// binds one that can (spotify's Client does, before the chain). The
	// coalescing stage relies on it to send such a request as it is.
	Lifetime context.Context
	// Capture is where the service layer records the call's outcome once it
	// returned (spotify's WithResponseCapture). The stages do not touch it.
	Capture any
	// Throttle is the 429 retry budget the call shares with the other
	// calls of its operation (the chunks of a chunked write); nil gives
	// the call one of its own.
	Throttle *Throttle
}

// Overrides are per-call changes to the chain's configuration. The zero value
// changes nothing.
type Overrides struct {
	// NoCache makes the cache stage neither serve nor store this call, and
	// the coalescing stage not share it.
	NoCache bool
	// MaxRetries, when set, replaces the retry stage's limit for this call:
	// 0 means no retry.
	MaxRetries *int
	// Timeout, when positive, replaces the per-attempt timeout.
	Timeout time.Duration
	// Header holds extra request headers for this call.
	Header http.Header
}

// IsZero reports whether o changes nothing.
func (o Overrides) IsZero() bool {
	return !o.NoCache && o.MaxRetries == nil && o.Timeout == 0 && len(o.Header) == 0
}

// CallStats is a snapshot of what the stages recorded on a [Call].
type CallStats struct {
	// Attempts is how many times the request was sent (0 if it never was).
	Attempts int
	// RateLimited is how many 429 answers the call received.
	RateLimited int
	// RetryAfter is the last Retry-After a 429 carried, or 0.
	RetryAfter time.Duration
	// FromCache reports whether the cache answered the call.
	FromCache bool
	// Waited is the time the call spent waiting in backoff and cool-downs.
	Waited time.Duration
}

// NewCall returns a record with the facts of s. Attach it with [WithCall];
// [StartCall] does both in one allocation.
func NewCall(s CallSpec) *Call {
	c := new(Call)
	c.init(s)
	return c
}

func (c *Call) init(s CallSpec) {
	c.route, c.principal, c.provider = s.Route, s.Principal, s.Provider
	c.lifetime, c.capture = s.Lifetime, s.Capture
	// Not IsZero: an empty but non-nil Header is kept as given
	// (TestCallOverridesKeptAsGiven).
	if o := &s.Overrides; o.NoCache || o.MaxRetries != nil || o.Timeout != 0 || o.Header != nil {
		c.overrides = new(Overrides)
		*c.overrides = *o
	}
	if s.Idempotent != nil {
		c.idem = -1
		if *s.Idempotent {
			c.idem = 1
		}
	}
	c.stats = &c.own
	c.thr = s.Throttle
}

// Spec returns the facts the call started with, for a call that starts
// from this one (its overrides and capture, say). The Header of the
// overrides is shared: clone it before changing it.
func (c *Call) Spec() CallSpec {
	if c == nil {
		return CallSpec{}
	}
	s := CallSpec{Route: c.route, Principal: c.principal, Provider: c.provider,
		Overrides: c.Overrides(), Lifetime: c.lifetime, Capture: c.capture}
	if c.idem != 0 {
		idem := c.idem > 0 // a variable of its own: the caller may change it
		s.Idempotent = &idem
	}
	return s
}

// Route returns the route template, or "".
func (c *Call) Route() string {
	if c == nil {
		return ""
	}
	return c.route
}

// Principal returns whose data the response is, or "".
func (c *Call) Principal() string {
	if c == nil {
		return ""
	}
	return c.principal
}

// Provider returns the call's auth provider, or nil.
func (c *Call) Provider() any {
	if c == nil {
		return nil
	}
	return c.provider
}

// Overrides returns the per-call overrides. Their Header must not be
// changed.
func (c *Call) Overrides() Overrides {
	if c == nil || c.overrides == nil {
		return Overrides{}
	}
	return *c.overrides
}

// Lifetime returns the client's lifetime context, or nil.
func (c *Call) Lifetime() context.Context {
	if c == nil {
		return nil
	}
	return c.lifetime
}

// Capture returns the service layer's capture value, or nil.
func (c *Call) Capture() any {
	if c == nil {
		return nil
	}
	return c.capture
}

// Attempt returns the number of the send this record is for: 0 for the
// first, 1 for the first retry (see [Call.ForAttempt]).
func (c *Call) Attempt() int {
	if c == nil {
		return 0
	}
	return int(c.attempt)
}

// ForAttempt returns the view of the call for send n (0 for the first), for
// the context of that send: the same facts and the same counters, with
// [Call.Attempt] n. The retry stage makes one per retry. On a nil *Call it
// returns a record of its own.
func (c *Call) ForAttempt(n int) *Call {
	v := new(Call)
	if c == nil {
		v.stats = &v.own
	} else {
		v.route, v.principal, v.idem, v.provider = c.route, c.principal, c.idem, c.provider
		v.overrides, v.lifetime, v.capture = c.overrides, c.lifetime, c.capture
		v.stats, v.thr = c.stats, c.thr
	}
	v.attempt = int32(n)
	return v
}

// Stats returns a snapshot of the counters.
func (c *Call) Stats() CallStats {
	if c == nil {
		return CallStats{}
	}
	s := c.stats
	return CallStats{
		Attempts:    int(s.attempts.Load()),
		RateLimited: int(s.rateLimited.Load()),
		RetryAfter:  time.Duration(s.retryAfter.Load()),
		FromCache:   s.fromCache.Load(),
		Waited:      time.Duration(s.waited.Load()),
	}
}

// RateLimited returns how many 429s the call met so far: Stats().RateLimited
// without building the whole snapshot, for the retry stage's every attempt.
func (c *Call) RateLimited() int {
	if c == nil {
		return 0
	}
	return int(c.stats.rateLimited.Load())
}

// RetryAfter returns the Retry-After of the last response the retry stage
// saw (a 429 or a 5xx), or 0 when it had none.
func (c *Call) RetryAfter() time.Duration {
	if c == nil {
		return 0
	}
	return time.Duration(c.stats.lastRA.Load())
}

// AddAttempt counts one send of the request (the attempt stage).
func (c *Call) AddAttempt() {
	if c != nil {
		c.stats.attempts.Add(1)
	}
}

// SetRetryAfter records the parsed Retry-After of the last response, 0 for
// none (the retry stage).
func (c *Call) SetRetryAfter(d time.Duration) {
	if c != nil {
		c.stats.lastRA.Store(int64(d))
	}
}

// AddRateLimited counts one 429 and records its Retry-After (0 if none).
func (c *Call) AddRateLimited(retryAfter time.Duration) {
	if c == nil {
		return
	}
	c.stats.rateLimited.Add(1)
	if retryAfter > 0 {
		c.stats.retryAfter.Store(int64(retryAfter))
	}
}

// AddWait adds d to the time spent waiting.
func (c *Call) AddWait(d time.Duration) {
	if c != nil && d > 0 {
		c.stats.waited.Add(int64(d))
	}
}

// SetFromCache marks the call as served by the cache.
func (c *Call) SetFromCache() {
	if c != nil {
		c.stats.fromCache.Store(true)
	}
}

// Attempt returns the attempt number of the request whose context is ctx: 0
// for the first send, 1 for the first retry, and so on. Above the retry
// stage it is 0.
func Attempt(ctx context.Context) int { return CallFrom(ctx).Attempt() }

// Idempotent reports whether req may be replayed: its call's replay rule,
// or without one, the method's ([IdempotentMethod]).
func Idempotent(req *http.Request) bool {
	if c := CallFrom(req.Context()); c != nil && c.idem != 0 {
		return c.idem > 0
	}
	return IdempotentMethod(req.Method)
}

// IdempotentMethod is the replay rule of a method alone: GET, HEAD,
// OPTIONS, PUT and DELETE (and "", which net/http sends as GET) may be
// replayed, POST (an append) and others may not.
func IdempotentMethod(method string) bool {
	switch strings.ToUpper(method) {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, "":
		return true
	}
	return false
}

// The states of a keyMemo.
const (
	keyEmpty uint32 = iota
	keyWriting
	keySet
)

// keyMemo holds the key of one request of a call (see [Call.RequestKey]):
// written once, then only read.
type keyMemo struct {
	state atomic.Uint32
	req   *http.Request
	key   string
}

// RequestKey returns key(req), computing it once for the request of the
// call: the stages that share reads (the cache and the coalescing stage)
// key the same request in turn, and the later ones get the string the
// first one computed. Every caller must pass the same key function, which
// must depend on the request alone; the request must not change while the
// call runs (no RoundTripper changes its request). The record keeps the
// key of the first request it is asked about: any other request, and a nil
// *Call, get key(req) computed anew each time. It is safe for concurrent
// use.
func (c *Call) RequestKey(req *http.Request, key func(*http.Request) string) string {
	if c == nil {
		return key(req)
	}
	m := &c.key
	switch m.state.Load() {
	case keySet:
		if m.req == req {
			return m.key
		}
	case keyEmpty:
		if m.state.CompareAndSwap(keyEmpty, keyWriting) {
			k := key(req)
			m.req, m.key = req, k
			m.state.Store(keySet)
			return k
		}
	}
	return key(req)
}
