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

// errFlightPanicked is the error of the waiters of a flight whose stage
// below panicked on its first caller's goroutine.
var errFlightPanicked = errors.New("middleware: coalesced request panicked in its first caller")

// CoalesceOptions configures the [Coalesce] stage. The zero value
// coalesces, with flights that end when their first caller's request ends.
type CoalesceOptions struct {
	// Disabled turns the stage into a pass-through. Default false.
	Disabled bool
	// Context is the client's lifetime: flights are cancelled when it ends
	// (the client's Close), failing their waiters. Nil means
	// context.Background() (flights end only with their first callers).
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
// The first caller runs the flight on its own goroutine with its own
// request: its values, its call record (which so counts the flight's
// attempts), its deadline and its cancellation. The flight also ends when
// the lifetime ends: a request whose context already follows the lifetime
// (its Done is the lifetime's, see [transport.StartCall], or its call
// record names the lifetime, whose caller promises to end it with the
// lifetime, as spotify's Client does) is sent as it is; any other is sent
// as a shallow copy bound to the lifetime. The flight reads the whole
// response body and closes it; every waiter then gets its own
// *http.Response (a copy with its own Header map, a fresh body over the
// shared bytes, and Request set to the waiter's request; a flight's only
// remaining waiter takes the response itself), or the shared error.
//
// A caller that joins waits on its own context: one whose context ends
// returns the context's error at once, and the flight goes on for the
// others. When the first caller's context ends, its request is cancelled
// and it returns, and the callers that joined send the request again (one
// starts a new flight, the others join it): a flight is never kept alive
// for callers other than the one whose goroutine runs it. So is a flight
// whose wait was refused for its first caller's deadline (a
// [*RateLimitError] with DeadlineExceeded: a Retry-After or cool-down
// longer than that deadline): the callers that joined with a later
// deadline, or none, send again under their own, and the others share the
// error. Every other answer and error is shared, a per-attempt timeout
// and a 5xx whose retry the first caller's deadline left no room for
// among them. A caller arriving after a flight finished starts a new
// one. When the lifetime context ends, running flights are cancelled and
// their waiters fail with an error that matches the context's error.
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
	flights map[cache.Key]*flight // running flights
}

var _ http.RoundTripper = (*coalesceTransport)(nil)

// flight is one shared round trip, run on its first caller's goroutine.
// Its result fields are written before it leaves the map (and done, if
// made, is closed) and only read after.
type flight struct {
	// Guarded by coalesceTransport.mu.
	waiters int
	// done is closed when the flight finishes. It is made only when a
	// second caller joins.
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
	// left reports that the flight failed because its first caller's
	// context ended: the callers that joined send again.
	left bool
	// dated reports that the flight's wait was refused for its first
	// caller's deadline, deadline (refusedForDeadline): the callers that
	// joined with a later one, or none, send again.
	dated    bool
	deadline time.Time
}

// RoundTrip runs or joins the flight of req's key and returns its answer.
func (t *coalesceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	principal := transport.CallFrom(ctx).Principal()
	if !coalescible(req, principal) {
		return transport.CheckResponse(t.next.RoundTrip(req))
	}
	// A coalesced request has no body to close; the call keeps the
	// contract for a body that is http.NoBody all the same.
	transport.CloseRequestBody(req)
	key := callRequestKey(principal, req)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if t.life.Err() != nil {
			return nil, t.closedError()
		}
		t.mu.Lock()
		f, ok := t.flights[key]
		if !ok {
			f = inlineFlights.Get().(*flight)
			f.waiters = 1
			t.flights[key] = f
			t.mu.Unlock()
			joined := t.run(key, f, req)
			resp, err := f.answer(req)
			if !joined {
				// No other caller saw f: it can serve again.
				*f = flight{}
				inlineFlights.Put(f)
			}
			return resp, err
		}
		f.waiters++
		if f.done == nil {
			f.done = make(chan struct{})
		}
		done := f.done
		t.mu.Unlock()

		select {
		case <-done:
		case <-ctx.Done():
			t.leave(f)
			return nil, ctx.Err()
		case <-t.life.Done():
			select {
			case <-done:
			default:
				t.leave(f)
				return nil, t.closedError()
			}
		}
		if !f.sendAgain(ctx) {
			return f.answer(req)
		}
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

// run runs f, the new flight of key, on the goroutine of its first caller,
// whose request is req, bound to the lifetime when it is not already. It
// reports whether another caller joined the flight.
func (t *coalesceTransport) run(key cache.Key, f *flight, req *http.Request) (joined bool) {
	ended := false
	defer func() {
		if !ended {
			// The stage below panicked: end the flight, failing the
			// callers that joined it, and let the panic go on.
			f.resp, f.err = nil, errFlightPanicked
			t.finish(key, f)
		}
	}()
	ctx := req.Context()
	freq := req
	if !t.followsLifetime(ctx) {
		if ctx.Done() == nil {
			freq = req.WithContext(withLifetime(ctx, t.life))
		} else {
			bound, cancel := context.WithCancel(ctx)
			defer cancel()
			defer context.AfterFunc(t.life, cancel)()
			freq = req.WithContext(bound)
		}
	}
	f.run(t.next, freq)
	if f.err != nil {
		switch {
		case t.life.Err() != nil:
			// Cancelled by the end of the lifetime: say so.
			f.err = t.closedError()
		case ctx.Err() != nil:
			f.left = true
		case refusedForDeadline(f.err):
			f.deadline, f.dated = ctx.Deadline()
		}
	}
	ended = true
	return t.finish(key, f)
}

// followsLifetime reports whether ctx, a first caller's, ends when the
// lifetime ends: the lifetime cannot end, ctx's Done is the lifetime's
// (transport.StartCall binds a context that cannot end otherwise), or
// ctx's call record names the lifetime (a client that names it binds
// a context that can end itself).
func (t *coalesceTransport) followsLifetime(ctx context.Context) bool {
	done := t.life.Done()
	return done == nil || ctx.Done() == done || transport.CallFrom(ctx).Lifetime() == t.life
}

// refusedForDeadline reports whether err is a wait refused because it would
// outlive the request context's deadline (a budget's cool-down or token, a
// 429's Retry-After): a caller with a later deadline may still wait it out.
// An attempt that timed out is no such refusal: its error is shared.
func refusedForDeadline(err error) bool {
	var rl *RateLimitError
	return errors.As(err, &rl) && rl.DeadlineExceeded
}

// sendAgain reports whether a caller that joined f, on ctx, sends its
// request again now that f finished: f's first caller left, or f failed
// under its first caller's deadline, which ctx's outlasts.
func (f *flight) sendAgain(ctx context.Context) bool {
	if f.left {
		return true
	}
	if !f.dated {
		return false
	}
	dl, ok := ctx.Deadline()
	return !ok || dl.After(f.deadline)
}

// inlineFlights recycles the flights that no other caller joined.
var inlineFlights = sync.Pool{New: func() any { return new(flight) }}

// finish takes f, the flight of key, out of the map and wakes its
// waiters. It reports whether f had a done channel, made by a caller that
// joined it.
func (t *coalesceTransport) finish(key cache.Key, f *flight) (joined bool) {
	t.mu.Lock()
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

// leave takes off f a caller that joined it and gave up. The flight goes
// on for its first caller.
func (t *coalesceTransport) leave(f *flight) {
	t.mu.Lock()
	f.waiters--
	t.mu.Unlock()
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
