package middleware

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// sharedDeadlineSlices is how many slices a timeout is cut into for
// [sharedDeadlines]: the attempts that start within one slice share one
// deadline, so each attempt's deadline comes between its timeout and its
// timeout plus 1/32 of it after its start.
const sharedDeadlineSlices = 32

// sharedDeadlines hands the attempts of a timeout stage that run on a
// context whose cancellation is base's one deadline context per slice of
// time: the attempts that start within one slice share its context, whose
// deadline is the end of the slice plus the timeout. That costs one
// context and one runtime timer per slice instead of one of each per
// attempt (and the net/http contexts derived from an attempt register
// with the slice's context, which already has the map to hold them), at
// the price of a deadline that may come up to one slice late. It is used
// on the wall clock only: its deadlines are the runtime's timers.
type sharedDeadlines struct {
	base    context.Context // Background, or the client's lifetime
	timeout time.Duration
	slice   time.Duration
	cur     atomic.Pointer[deadlineSlice]
	mu      sync.Mutex // serialises the making of slices
}

// deadlineSlice is the shared deadline of the attempts that start before
// until.
type deadlineSlice struct {
	ctx    context.Context
	cancel context.CancelFunc // kept for the record: the deadline or base ends ctx
	until  time.Time
}

// newSharedDeadlines returns the shared deadlines of timeout over base.
func newSharedDeadlines(base context.Context, timeout time.Duration) *sharedDeadlines {
	return &sharedDeadlines{base: base, timeout: timeout, slice: timeout / sharedDeadlineSlices}
}

// at returns the deadline context of an attempt that starts at now.
func (s *sharedDeadlines) at(now time.Time) context.Context {
	if sl := s.cur.Load(); sl != nil && now.Before(sl.until) {
		return sl.ctx
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sl := s.cur.Load(); sl != nil && now.Before(sl.until) {
		return sl.ctx
	}
	until := now.Add(s.slice)
	ctx, cancel := context.WithDeadlineCause(s.base, until.Add(s.timeout), errAttemptDeadline)
	s.cur.Store(&deadlineSlice{ctx: ctx, cancel: cancel, until: until})
	return ctx
}

// sharedAttempt is one attempt on a shared deadline, in one allocation: its
// context, its copy of the request, and room for the header values of the
// auth stage, which writes them into the copy when it is lent
// ([TimeoutOptions.LendCopy], [lentCopy]).
type sharedAttempt struct {
	ctx  sharedAttemptCtx
	req  http.Request
	vals [authInline]string
}

// newSharedAttempt returns the attempt of req on the deadline slice, its
// copy lent to the stages below when lend is set.
func newSharedAttempt(req *http.Request, slice context.Context, lend bool) *sharedAttempt {
	a := new(sharedAttempt)
	a.ctx = sharedAttemptCtx{values: req.Context(), slice: slice}
	a.req = *req.WithContext(&a.ctx) // inlined: the copy WithContext makes stays on the stack
	if lend {
		a.ctx.lent = a
	}
	return a
}

// lentCopy returns the attempt whose copy req is when the timeout stage
// lent it to the stages below, or nil: a stage may then change req itself
// instead of copying it, and use the attempt's room.
func lentCopy(req *http.Request) *sharedAttempt {
	if c, ok := req.Context().(*sharedAttemptCtx); ok && c.lent != nil && &c.lent.req == req {
		return c.lent
	}
	return nil
}

// sharedAttemptCtx is the context of one attempt on a shared deadline: the
// values of the attempt's request context, and the deadline and
// cancellation of its slice (whose base is the request context's own
// cancellation, so nothing of the request's is lost).
type sharedAttemptCtx struct {
	values context.Context
	slice  context.Context
	lent   *sharedAttempt // set when the attempt's copy is lent
}

// Deadline is the slice's.
func (c *sharedAttemptCtx) Deadline() (time.Time, bool) { return c.slice.Deadline() }

// Done is the slice's.
func (c *sharedAttemptCtx) Done() <-chan struct{} { return c.slice.Done() }

// Err is the slice's.
func (c *sharedAttemptCtx) Err() error { return c.slice.Err() }

// Value returns the request context's value for key, except for the
// standard library's own key of a cancellable context, which it answers
// with the slice's: context.Cause then finds the slice's cause, and the
// contexts derived from this one (net/http derives one per request)
// register with the slice directly, with no goroutine or AfterFunc of
// their own.
func (c *sharedAttemptCtx) Value(key any) any {
	if key == cancelCtxKey {
		return c.slice.Value(key)
	}
	return c.values.Value(key)
}

// AfterFunc lets contexts derived from c follow the slice without a
// goroutine of their own, should the standard library stop finding the
// slice through Value (see [context.AfterFunc]).
func (c *sharedAttemptCtx) AfterFunc(f func()) func() bool { return context.AfterFunc(c.slice, f) }

// String names the context without its values, which may hold secrets.
func (c *sharedAttemptCtx) String() string { return "middleware.attemptContext" }

// cancelCtxKey is the key under which the context package finds the
// cancellable context behind a context (context.Cause asks every context
// for it), learnt once by asking context.Cause about a context that
// records the key it is asked for, and checked against a cancellable
// context of the standard library's, which answers that key. Nil if the
// context package ever stops asking so: the timeout stage then makes a
// context per attempt.
var cancelCtxKey = verifiedCancelKey(spiedCancelKey())

// spiedCancelKey returns the key context.Cause asks a context for.
func spiedCancelKey() any {
	spy := &keySpy{Context: context.Background()}
	_ = context.Cause(spy)
	return spy.key
}

// verifiedCancelKey returns key if a cancellable context of the standard
// library's answers it, else nil.
func verifiedCancelKey(key any) any {
	if key == nil {
		return nil
	}
	probe, cancel := context.WithCancel(context.Background())
	defer cancel()
	if probe.Value(key) == nil {
		return nil
	}
	return key
}

// keySpy is a cancelled context without values that records the last key
// it was asked for.
type keySpy struct {
	context.Context
	key any
}

func (k *keySpy) Err() error        { return context.Canceled }
func (k *keySpy) Value(key any) any { k.key = key; return nil }
