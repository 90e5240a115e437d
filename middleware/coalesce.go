package middleware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/spotifysdk/spotify-go/transport"
)

// errFlightAbandoned is the cancellation cause of a flight whose waiters all
// gave up before it finished.
var errFlightAbandoned = errors.New("middleware: coalesced request abandoned by all its callers")

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
// principal ([transport.Principal]) and no per-call overrides
// ([transport.OverridesFrom] is zero); any other request passes straight
// through. Requests share a flight when they have the same key: the
// principal, method, canonical URL (query keys sorted) and Accept-Language,
// plus any Range or conditional (If-*) headers.
//
// The first caller starts the flight. Its request is a clone of that
// caller's request whose context carries the caller's values (route,
// principal, call info, span) but is cancelled only by the flight's own
// context, derived from [CoalesceOptions.Context]. The flight reads the
// whole response body and closes it; every waiter then gets its own
// *http.Response (a copy with its own Header map, a fresh body over the
// shared bytes, and Request set to the waiter's request), or the shared
// error.
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
		return func(next http.RoundTripper) http.RoundTripper {
			return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
				return transport.CheckResponse(next.RoundTrip(req))
			})
		}
	}
	life := o.Context
	if life == nil {
		life = context.Background()
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &coalesceTransport{next: next, life: life, flights: make(map[string]*flight)}
	}
}

// coalesceTransport is the RoundTripper of the [Coalesce] stage.
type coalesceTransport struct {
	next http.RoundTripper
	life context.Context

	mu      sync.Mutex
	flights map[string]*flight // running flights that still have waiters
}

var _ http.RoundTripper = (*coalesceTransport)(nil)

// flight is one shared round trip. Its result fields are written by the
// flight's goroutine before done is closed and only read after.
type flight struct {
	cancel context.CancelCauseFunc
	done   chan struct{}

	// Guarded by coalesceTransport.mu.
	waiters  int
	finished bool

	resp *http.Response // the answer, with a nil Body
	data []byte         // the answer's body; nil with noBody
	// noBody reports that the answer carried [http.NoBody].
	noBody bool
	err    error
}

// RoundTrip joins or starts the flight of req's key and waits for it.
func (t *coalesceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	principal := transport.Principal(ctx)
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

	key := coalesceKey(principal, req)
	t.mu.Lock()
	f, ok := t.flights[key]
	if !ok {
		f = t.start(key, req)
		t.flights[key] = f
	}
	f.waiters++
	t.mu.Unlock()

	select {
	case <-f.done:
		return f.answer(req)
	case <-ctx.Done():
		t.leave(key, f)
		return nil, ctx.Err()
	case <-t.life.Done():
		select {
		case <-f.done:
			return f.answer(req)
		default:
		}
		t.leave(key, f)
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
	return principal != "" && transport.OverridesFrom(req.Context()).IsZero()
}

// coalesceVaryHeaders are request headers that change the answer to a GET
// and are not part of [requestKey]: requests that differ in them must not
// share a response (a cache revalidation must not answer a plain GET with
// a 304, a range request must not answer a full one).
var coalesceVaryHeaders = []string{"Range", "If-Range", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since"}

// coalesceKey is [requestKey], extended with the values of
// [coalesceVaryHeaders] when the request has any of them.
func coalesceKey(principal string, req *http.Request) string {
	key := requestKey(principal, req)
	var b *strings.Builder
	for _, h := range coalesceVaryHeaders {
		vs := req.Header.Values(h)
		if len(vs) == 0 {
			continue
		}
		if b == nil {
			b = &strings.Builder{}
			b.WriteString(key)
		}
		b.WriteByte(0)
		b.WriteString(h)
		b.WriteByte(':')
		b.WriteString(strings.Join(vs, ","))
	}
	if b == nil {
		return key
	}
	return b.String()
}

// start makes the flight of key and starts its goroutine. The flight's
// context has the values of req's context and ends only when the lifetime
// context ends or the flight is cancelled. t.mu must be held.
func (t *coalesceTransport) start(key string, req *http.Request) *flight {
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(req.Context()))
	stop := context.AfterFunc(t.life, func() { cancel(context.Cause(t.life)) })
	f := &flight{cancel: cancel, done: make(chan struct{})}
	freq := req.Clone(ctx)
	go func() {
		defer func() {
			stop()
			cancel(context.Canceled)
		}()
		f.run(t.next, freq)
		if f.err != nil && ctx.Err() != nil && t.life.Err() != nil && !errors.Is(context.Cause(ctx), errFlightAbandoned) {
			// Cancelled by the end of the lifetime: say so.
			f.err = t.closedError()
		}
		t.mu.Lock()
		f.finished = true
		if t.flights[key] == f {
			delete(t.flights, key)
		}
		t.mu.Unlock()
		close(f.done)
	}()
	return f
}

// run sends req and records the answer with its body read in full.
func (f *flight) run(next http.RoundTripper, req *http.Request) {
	resp, err := transport.CheckResponse(next.RoundTrip(req))
	if err != nil {
		f.err = err
		return
	}
	if resp.Body == http.NoBody {
		f.noBody = true
	} else if data, ok := transport.BodyBytes(resp.Body); ok {
		f.data = data
		_ = resp.Body.Close()
	} else {
		data, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			if ctxErr := req.Context().Err(); ctxErr != nil {
				f.err = ctxErr
			} else {
				f.err = &transport.BodyReadError{StatusCode: resp.StatusCode, Err: err}
			}
			return
		}
		f.data = data
		resp.ContentLength = int64(len(data))
	}
	resp.Body = nil
	f.resp = resp
}

// leave takes a waiter off f. The last waiter to leave a flight that has
// not finished removes it from the map and cancels it.
func (t *coalesceTransport) leave(key string, f *flight) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f.waiters--
	if f.waiters > 0 || f.finished {
		return
	}
	if t.flights[key] == f {
		delete(t.flights, key)
	}
	f.cancel(errFlightAbandoned)
}

// answer returns the flight's result as req's own: the shared error, or a
// copy of the response with its own Header and Trailer maps, a fresh body
// over the shared bytes, and Request set to req.
func (f *flight) answer(req *http.Request) (*http.Response, error) {
	if f.err != nil {
		return nil, f.err
	}
	resp := new(http.Response)
	*resp = *f.resp
	resp.Header = f.resp.Header.Clone()
	resp.Trailer = f.resp.Trailer.Clone()
	resp.Request = req
	if f.noBody {
		resp.Body = http.NoBody
	} else {
		resp.Body = transport.NewBufferedBody(f.data)
	}
	return resp, nil
}

// closedError is the error of a waiter whose flight the end of the
// lifetime context cancelled; it matches that context's cause.
func (t *coalesceTransport) closedError() error {
	return fmt.Errorf("middleware: coalesced request cancelled, client closed: %w", context.Cause(t.life))
}
