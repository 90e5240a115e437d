package middleware

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/transport"
)

// timeoutDefault is the per-attempt timeout of a zero [TimeoutOptions].
const timeoutDefault = 30 * time.Second

// errAttemptDeadline is the cancellation cause of an attempt context whose
// own per-attempt deadline passed. It matches [context.DeadlineExceeded].
var errAttemptDeadline = fmt.Errorf("middleware: per-attempt timeout: %w", context.DeadlineExceeded)

// TimeoutOptions configures the [Timeout] stage. The zero value is a 30 s
// per-attempt timeout on the wall clock.
type TimeoutOptions struct {
	// Timeout bounds one attempt, from the moment the request reaches this
	// stage until its response body is closed or read to its end. 0 means
	// 30 s; a negative value means no per-attempt timeout. A positive
	// Overrides.Timeout on the request's [transport.Call] replaces it.
	Timeout time.Duration
	// Clock is the time source; nil means the wall clock.
	Clock transport.Clock
	// Lifetime is the client's lifetime, if any: an attempt whose context
	// ends only with it (a call bound by [transport.StartCall]) shares its
	// deadline with the attempts that start about when it does, as one
	// whose context never ends does (see [Timeout]). Nil means none.
	Lifetime context.Context
	// LendCopy lends the copy of the request an attempt on a shared
	// deadline is sent with to the stages below: the auth stage then
	// writes its header into that copy instead of copying the request
	// again. Set it only when every stage between this one and the auth
	// stage is the chain's own, since a stage that kept the copy, or sent
	// it twice at once, would see it change. A client sets it when no
	// middleware of the user's sits below this stage; NewPipeline does
	// not. Default false.
	LendCopy bool
}

// Timeout returns the timeout stage: it gives each attempt its own deadline,
// started when the request reaches the stage (so after the bulkhead and
// rate-limit waits) and covering the download of the response body: the
// attempt's context ends when the body is closed or read to its end, or at
// once when the attempt fails or when the body it gets is already in memory
// (a [transport.BufferedBody], which the download stage below makes:
// nothing is left to download). When the attempt fails because its own
// deadline passed while the caller's context is still live, the error is a
// *[AttemptTimeoutError] (retriable for idempotent requests);
// when the caller's context ended, its error is returned as it is. An
// attempt whose caller's deadline comes no later than its own runs on the
// caller's context as it is: that deadline ends it first.
//
// On the wall clock, an attempt with the stage's own timeout whose context
// has no deadline and never ends, or ends only with
// [TimeoutOptions.Lifetime], shares its deadline with the attempts that start within the same 1/32 of the
// timeout: its deadline comes between the timeout and 1/32 more after its
// start, and its context is not ended by the end of the attempt (nothing
// of the attempt's own is left to release; the shared deadline ends it).
// One context and one timer serve every attempt of such a slice, where an
// attempt of its own costs both, and the contexts net/http derives from
// the attempt's register with the slice's (about 3% of a 2.7 KB call over
// loopback, BenchmarkPairedCall). Every other attempt (a caller's context
// that can end or has a deadline, a per-call timeout, an injected clock)
// gets a deadline and a context of its own, ended with the attempt.
func Timeout(o TimeoutOptions) transport.Middleware {
	d := o.Timeout
	if d == 0 {
		d = timeoutDefault
	}
	wall := o.Clock == nil || o.Clock == clock.Real
	c := clock.Or(o.Clock)
	return func(next http.RoundTripper) http.RoundTripper {
		t := &timeoutTransport{next: next, timeout: d, clock: c, wall: wall, lend: o.LendCopy}
		if wall && d > 0 && cancelCtxKey != nil {
			t.unbound = newSharedDeadlines(context.Background(), d)
			if o.Lifetime != nil && o.Lifetime.Done() != nil {
				t.bound = newSharedDeadlines(o.Lifetime, d)
			}
		}
		return t
	}
}

type timeoutTransport struct {
	next    http.RoundTripper
	timeout time.Duration // < 0: none
	clock   clock.Clock
	wall    bool // clock is the wall clock: use the runtime's timers
	lend    bool // TimeoutOptions.LendCopy
	// unbound and bound share the deadlines of the attempts whose context
	// never ends, and of those bound to the lifetime; nil when not shared.
	unbound, bound *sharedDeadlines
}

var _ http.RoundTripper = (*timeoutTransport)(nil)

// RoundTrip runs req on an attempt context bounded by the timeout.
func (t *timeoutTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	parent := req.Context()
	d := t.timeout
	if o := transport.CallFrom(parent).Overrides().Timeout; o > 0 {
		d = o
	}
	if d < 0 {
		return transport.CheckResponse(t.next.RoundTrip(req))
	}
	if err := parent.Err(); err != nil {
		transport.CloseRequestBody(req)
		return nil, err
	}
	dl, dated := parent.Deadline()
	if dated && !dl.After(t.clock.Now().Add(d)) {
		// The caller's deadline comes first: it ends the attempt before
		// the attempt's own would, with the caller's error, as it would
		// through an attempt context; none is made.
		return transport.CheckResponse(t.next.RoundTrip(req))
	}
	if shared := t.shared(parent, d, dated); shared != nil {
		a := newSharedAttempt(req, shared.at(t.clock.Now()), t.lend)
		resp, err := transport.CheckResponse(t.next.RoundTrip(&a.req))
		if err != nil {
			return nil, t.attemptError(&a.ctx, parent, d, err)
		}
		return resp, nil
	}
	ctx, end := t.attemptContext(parent, d)
	resp, err := transport.CheckResponse(t.next.RoundTrip(req.WithContext(ctx)))
	if err != nil {
		err = t.attemptError(ctx, parent, d, err)
		end()
		return nil, err
	}
	// A body a stage below (download) has read in full leaves no read
	// for the deadline to bound: the attempt ends now.
	resp.Body = transport.OnDownloaded(resp.Body, end)
	return resp, nil
}

// shared returns the shared deadlines an attempt of timeout d on parent
// (dated: parent has a deadline) takes part in, or nil when it gets a
// context of its own. A parent with a deadline never shares: a shared
// deadline may come later than its.
func (t *timeoutTransport) shared(parent context.Context, d time.Duration, dated bool) *sharedDeadlines {
	if d != t.timeout || dated {
		return nil
	}
	switch done := parent.Done(); {
	case done == nil:
		return t.unbound
	case t.bound != nil && done == t.bound.base.Done():
		return t.bound
	}
	return nil
}

// attemptError is the error of an attempt on ctx that failed with err: an
// *AttemptTimeoutError when the attempt's own deadline passed while parent
// was live, else err. It must be called before the attempt's context ends.
func (t *timeoutTransport) attemptError(ctx, parent context.Context, d time.Duration, err error) error {
	if errors.Is(context.Cause(ctx), errAttemptDeadline) && parent.Err() == nil {
		return &AttemptTimeoutError{Timeout: d, Err: err}
	}
	return err
}

// attemptContext returns the context of one attempt, which ends d from now
// or with parent, and the function that ends it (safe to call more than
// once). On the wall clock it is context.WithTimeoutCause; on an injected
// clock a timer of that clock cancels it, from a goroutine that end stops
// and waits for, so none outlives the attempt.
func (t *timeoutTransport) attemptContext(parent context.Context, d time.Duration) (context.Context, func()) {
	if t.wall {
		ctx, cancel := context.WithTimeoutCause(parent, d, errAttemptDeadline)
		return ctx, cancel
	}
	inner, cancel := context.WithCancelCause(parent)
	ctx := &timeoutContext{Context: inner, deadline: t.clock.Now().Add(d)}
	timer := t.clock.NewTimer(d)
	stop := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		select {
		case <-timer.C():
			cancel(errAttemptDeadline)
		case <-stop:
			timer.Stop()
		}
	}()
	var once sync.Once
	end := func() {
		once.Do(func() {
			close(stop)
			<-exited
			cancel(context.Canceled)
		})
	}
	return ctx, end
}

// timeoutContext shows the deadline of an attempt run on an injected clock,
// which the runtime does not know, and reports its expiry as
// [context.DeadlineExceeded] as a context made by context.WithTimeout would.
type timeoutContext struct {
	context.Context
	deadline time.Time
}

// Deadline returns the earlier of the attempt's and the parent's deadline.
func (c *timeoutContext) Deadline() (time.Time, bool) {
	if dl, ok := c.Context.Deadline(); ok && dl.Before(c.deadline) {
		return dl, true
	}
	return c.deadline, true
}

// Err returns context.DeadlineExceeded once the attempt's own deadline
// passed, and the inner context's error otherwise.
func (c *timeoutContext) Err() error {
	err := c.Context.Err()
	if err != nil && errors.Is(context.Cause(c.Context), errAttemptDeadline) {
		return context.DeadlineExceeded
	}
	return err
}

// AttemptTimeoutError is returned when one attempt ran out of its own
// per-attempt time while the call's context was still live. It is retriable
// for idempotent requests, and matches [context.DeadlineExceeded].
type AttemptTimeoutError struct {
	// Timeout is the per-attempt limit that expired.
	Timeout time.Duration
	// Err is the error the attempt failed with.
	Err error
}

// Error gives the attempt's timeout and its error.
func (e *AttemptTimeoutError) Error() string {
	return fmt.Sprintf("middleware: attempt timed out after %v: %v", e.Timeout, e.Err)
}

// Unwrap returns the attempt's error.
func (e *AttemptTimeoutError) Unwrap() error { return e.Err }

// Is matches [context.DeadlineExceeded].
func (e *AttemptTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }
