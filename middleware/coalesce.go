package middleware

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/transport"
)

// errFlightAbandoned is the cancellation cause of a flight whose waiters all
// gave up before it finished.
var errFlightAbandoned = errors.New("middleware: coalesced request abandoned by all its callers")

// errFlightPanicked is the error of the waiters of a flight that ran on its
// first caller's goroutine and panicked there.
var errFlightPanicked = errors.New("middleware: coalesced request panicked in its first caller")

// CoalesceOptions configures the [Coalesce] stage. The zero value
// coalesces, with flights that end when they finish or when all their
// waiters gave up.
type CoalesceOptions struct {
	// Disabled turns the stage into a pass-through. Default false.
	Disabled bool
	// Context is the client's lifetime: flights run under it and are
	// cancelled when it ends (the client's Close), failing their waiters.
	// Nil means context.Background() (flights end only with their waiters).
	Context context.Context
}

// Coalesce returns the coalescing stage: identical in-flight GETs of one
// principal share one round trip.
//
// A request is coalesced when it is a GET or HEAD without a body, carries a
// principal and no per-call overrides on its call record
// ([transport.Call.Principal], [transport.Call.Overrides]); any other request passes straight
// through. Requests share a flight when they have the same key
// ([requestKey], the one the cache stage uses): the principal, method,
// canonical URL (query keys sorted) and Accept-Language, plus any Range or
// conditional (If-*) headers.
//
// The first caller starts the flight. Its request is that caller's request
// with a context that carries the caller's values (its call record, so
// the first caller's record counts the flight's attempts, and its span) but is cancelled only by the flight's own context, derived
// from [CoalesceOptions.Context]. When the first caller's context can end,
// the flight runs on a goroutine of its own with a clone of the request,
// since that caller may leave before it ends; when it can never end
// (Done returns nil) or ends only with the lifetime (its Done is the
// lifetime's, see [transport.StartCall]), the flight runs on the
// caller's goroutine, with the caller's request itself if it already
// follows the lifetime or the lifetime cannot end, or a shallow copy
// carrying the lifetime's cancellation. The flight reads the
// whole response body and closes it; every waiter then gets its own
// *http.Response (a copy with its own Header map, a fresh body over the
// shared bytes, and Request set to the waiter's request; a flight's only
// remaining waiter takes the response itself), or the shared error.
//
// A flight on a goroutine has no deadline of its own; the stages below it
// see the latest deadline of its waiters (none when one of them has none)
// as a hint on the first caller's call record
// ([transport.Call.SetDeadlineHint], [transport.Deadline]), so that a wait no waiter would see the end of (a long
// Retry-After, a rate-budget cool-down) is given up as it would be for a
// call of its own.
//
// Each waiter waits on its own context: one whose context ends returns the
// context's error at once, and the others keep waiting. When the last
// waiter leaves, the flight is removed and its request cancelled; a caller
// arriving after a flight finished or was abandoned starts a new one. When
// the lifetime context ends, running flights are cancelled and their
// waiters fail with an error that matches the context's error.
//
// The returned RoundTripper is safe for concurrent use.
func Coalesce(o CoalesceOptions) transport.Middleware {
	if o.Disabled {
		return passThrough
	}
	life := o.Context
	if life == nil {
		life = context.Background()
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &coalesceTransport{next: next, life: life, flights: make(map[cache.Key]*flight)}
	}
}

// coalesceTransport is the RoundTripper of the [Coalesce] stage.
type coalesceTransport struct {
	next http.RoundTripper
	life context.Context

	mu      sync.Mutex
	flights map[cache.Key]*flight // running flights that still have waiters
	// watching reports that lifeEnded is registered to run when the
	// lifetime context ends.
	watching bool
}

var _ http.RoundTripper = (*coalesceTransport)(nil)

// flight is one shared round trip. Its result fields are written by the
// flight's runner before it is marked finished (and done, if made, is
// closed) and only read after.
type flight struct {
	// cancel ends the flight's request: nil for an inline flight; set by
	// start under coalesceTransport.mu, and read under it.
	cancel context.CancelCauseFunc

	// Guarded by coalesceTransport.mu.
	waiters  int
	finished bool
	// undated counts the waiters whose context has no deadline; latest is
	// the latest deadline of the others that joined (it stays when its
	// waiter leaves). They make the flight's deadline hint.
	undated int
	latest  time.Time
	// done is closed when the flight finishes. An inline flight makes it
	// only when a second caller joins.
	done chan struct{}
	// sole reports that at most one waiter was left when the flight
	// finished: that waiter may take resp as it is.
	sole bool

	resp *http.Response // the answer, with a nil Body
	data []byte         // the answer's body; nil with noBody
	// noBody reports that the answer carried [http.NoBody].
	noBody bool
	// body is the answer's body when it came as a bare
	// [transport.BufferedBody] (over data, unread): a sole waiter takes
	// it, the others get bodies of their own.
	body *transport.BufferedBody
	err  error
	// retryAfter is the Retry-After the stages below recorded on the
	// flight's call record for the answer; every waiter's record gets it.
	retryAfter time.Duration
}

// RoundTrip joins or starts the flight of req's key and waits for it.
func (t *coalesceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	principal := transport.CallFrom(ctx).Principal()
	if !coalescible(req, principal) {
		return transport.CheckResponse(t.next.RoundTrip(req))
	}
	// A coalesced request has no body to close; the call keeps the
	// contract for a body that is http.NoBody all the same.
	transport.CloseRequestBody(req)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if t.life.Err() != nil {
		return nil, t.closedError()
	}

	key := callRequestKey(principal, req)
	t.mu.Lock()
	f, ok := t.flights[key]
	if !ok && (ctx.Done() == nil || ctx.Done() == t.life.Done()) {
		// The caller can never give up, or only when the lifetime ends
		// (a call bound with transport.StartCall), so it cannot leave
		// before the flight ends: run the flight on its goroutine.
		f = inlineFlights.Get().(*flight)
		f.waiters = 1
		t.flights[key] = f
		t.mu.Unlock()
		joined := t.runInline(key, f, req)
		resp, err := f.answer(req)
		if !joined {
			// No other caller saw f: it can serve again.
			*f = flight{}
			inlineFlights.Put(f)
		}
		return resp, err
	}
	if !ok {
		f = &flight{}
		t.flights[key] = f
	}
	f.waiters++
	dl, dated := ctx.Deadline()
	if !dated {
		f.undated++
	} else if dl.After(f.latest) {
		f.latest = dl
	}
	if f.done == nil {
		f.done = make(chan struct{})
	}
	done := f.done
	t.mu.Unlock()
	if !ok {
		// Cloning and launching need no lock. The caller counts as a
		// waiter until it waits below, so the flight cannot be abandoned
		// before start makes its cancel func known.
		t.start(key, f, req)
	}

	select {
	case <-done:
		return f.answer(req)
	case <-ctx.Done():
		t.leave(key, f, !dated)
		return nil, ctx.Err()
	case <-t.life.Done():
		select {
		case <-done:
			return f.answer(req)
		default:
		}
		t.leave(key, f, !dated)
		return nil, t.closedError()
	}
}

// coalescible reports whether req may share a flight: a GET or HEAD without
// a body, with a principal and no per-call overrides.
func coalescible(req *http.Request, principal string) bool {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return false
	}
	if req.Body != nil && req.Body != http.NoBody {
		return false
	}
	return principal != "" && transport.CallFrom(req.Context()).Overrides().IsZero()
}

// runInline runs f, the flight of key, on the goroutine of its first
// caller, whose request req has a context that is never cancelled or is
// cancelled only with the lifetime. The
// flight's context has the values of req's context and ends only when the
// lifetime context ends: no waiter can abandon the flight, since its first
// caller waits for it to end.
// It reports whether another caller joined the flight.
func (t *coalesceTransport) runInline(key cache.Key, f *flight, req *http.Request) (joined bool) {
	ended := false
	defer func() {
		if !ended {
			// The stage below panicked: end the flight, failing the
			// callers that joined it, and let the panic go on.
			f.resp, f.err = nil, errFlightPanicked
			t.finish(key, f)
		}
	}()
	freq := req
	if done := t.life.Done(); done != nil && req.Context().Done() != done {
		freq = req.WithContext(withLifetime(req.Context(), t.life))
	}
	f.run(t.next, freq)
	if f.err != nil && t.life.Err() != nil {
		// Cancelled by the end of the lifetime: say so.
		f.err = t.closedError()
	}
	ended = true
	return t.finish(key, f)
}

// inlineFlights recycles the flights that ran inline and that no other
// caller joined.
var inlineFlights = sync.Pool{New: func() any { return new(flight) }}

// finish marks f, the flight of key, finished and wakes its waiters. It
// reports whether f had a done channel, made by a caller that joined it.
func (t *coalesceTransport) finish(key cache.Key, f *flight) (joined bool) {
	t.mu.Lock()
	f.finished = true
	f.sole = f.waiters <= 1
	if t.flights[key] == f {
		delete(t.flights, key)
	}
	joined = f.done != nil
	if joined {
		close(f.done)
	}
	t.mu.Unlock()
	return joined
}

// start runs f, the new flight of key in the map, on a goroutine of its
// own, with a clone of req. The flight's context has the values of req's
// context and ends only when the lifetime context ends or the flight is
// cancelled. t.mu must not be held; the caller that made f must still be
// counted among its waiters.
func (t *coalesceTransport) start(key cache.Key, f *flight, req *http.Request) {
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(req.Context()))
	// The flight has no deadline of its own, but a wait (Retry-After,
	// backoff, the budget) that would outlive every waiter is pointless:
	// the stages below see the latest of their deadlines as a hint on the
	// call record the flight carries, its first caller's (a coalesced
	// request always has one: it names the principal).
	transport.CallFrom(ctx).SetDeadlineHint(func() (time.Time, bool) {
		t.mu.Lock()
		defer t.mu.Unlock()
		if f.undated > 0 || f.latest.IsZero() {
			return time.Time{}, false
		}
		return f.latest, true
	})
	freq := req.Clone(ctx)
	t.mu.Lock()
	f.cancel = cancel
	if t.life.Done() != nil && !t.watching {
		// One registration per transport, not one per flight: lifeEnded
		// cancels the flights in the map whose cancel is known.
		t.watching = true
		context.AfterFunc(t.life, t.lifeEnded)
	}
	t.mu.Unlock()
	if t.life.Err() != nil {
		// The lifetime ended before lifeEnded could see f.cancel: a
		// lifeEnded that runs after the unlock above cancels f itself.
		cancel(context.Cause(t.life))
	}
	go func() {
		defer cancel(context.Canceled)
		f.run(t.next, freq)
		if f.err != nil && ctx.Err() != nil && t.life.Err() != nil && !errors.Is(context.Cause(ctx), errFlightAbandoned) {
			// Cancelled by the end of the lifetime: say so.
			f.err = t.closedError()
		}
		t.finish(key, f)
	}()
}

// lifeEnded cancels the running flights when the lifetime context ends.
// Flights no longer in the map need no cancelling: they are finished or
// were cancelled when abandoned.
func (t *coalesceTransport) lifeEnded() {
	cause := context.Cause(t.life)
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, f := range t.flights {
		if f.cancel != nil {
			f.cancel(cause)
		}
	}
}

// run sends req and records the answer with its body read in full.
func (f *flight) run(next http.RoundTripper, req *http.Request) {
	resp, err := transport.CheckResponse(next.RoundTrip(req))
	f.retryAfter = transport.CallFrom(req.Context()).RetryAfter()
	if err != nil {
		f.err = err
		return
	}
	if resp.Body == http.NoBody {
		f.noBody = true
	} else if bb, ok := resp.Body.(*transport.BufferedBody); ok {
		// The download stage's body, bare: kept, unread, for a sole
		// waiter to take as it is.
		f.data, f.body = bb.Bytes(), bb
	} else if data, ok := transport.BodyBytes(resp.Body); ok {
		f.data = data
		_ = resp.Body.Close()
	} else {
		data, err := readAll(resp.Body, resp.ContentLength, -1)
		_ = resp.Body.Close()
		if err != nil {
			if ctxErr := req.Context().Err(); ctxErr != nil {
				f.err = ctxErr
			} else {
				f.err = &BodyReadError{StatusCode: resp.StatusCode, Err: err}
			}
			return
		}
		f.data = data
		resp.ContentLength = int64(len(data))
	}
	resp.Body = nil
	f.resp = resp
}

// leave takes a waiter off f (undated: one whose context had no
// deadline). The last waiter to leave a flight that has
// not finished removes it from the map and cancels it.
func (t *coalesceTransport) leave(key cache.Key, f *flight, undated bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f.waiters--
	if undated {
		f.undated--
	}
	if f.waiters > 0 || f.finished {
		return
	}
	if t.flights[key] == f {
		delete(t.flights, key)
	}
	if f.cancel != nil {
		f.cancel(errFlightAbandoned)
	}
}

// answer returns the flight's result as req's own (its Retry-After on
// req's call record too): the shared error, or a copy of the response with its own Header and Trailer maps, a fresh body
// over the shared bytes, and Request set to req.
func (f *flight) answer(req *http.Request) (*http.Response, error) {
	// The flight ran on its first caller's call record; the others read the
	// answer's Retry-After from their own.
	transport.CallFrom(req.Context()).SetRetryAfter(f.retryAfter)
	if f.err != nil {
		return nil, f.err
	}
	var resp *http.Response
	if f.sole {
		// No other waiter reads the shared answer: take it as it is.
		resp = f.resp
	} else {
		resp = new(http.Response)
		*resp = *f.resp
		resp.Header = f.resp.Header.Clone()
		resp.Trailer = f.resp.Trailer.Clone()
	}
	resp.Request = req
	switch {
	case f.noBody:
		resp.Body = http.NoBody
	case f.sole && f.body != nil:
		resp.Body = f.body
	default:
		resp.Body = transport.NewBufferedBody(f.data)
	}
	return resp, nil
}

// closedError is the error of a waiter whose flight the end of the
// lifetime context cancelled; it matches that context's cause.
func (t *coalesceTransport) closedError() error {
	return fmt.Errorf("middleware: coalesced request cancelled, client closed: %w", context.Cause(t.life))
}
