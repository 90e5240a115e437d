package middleware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/httpbody"
	"github.com/spotifysdk/spotify-go/internal/netx"
	"github.com/spotifysdk/spotify-go/transport"
)

// Defaults of [RetryOptions].
const (
	// DefaultMaxRetries is the number of retries when RetryOptions.MaxRetries is 0.
	DefaultMaxRetries = 3
	// DefaultMaxRetryAfter is the longest Retry-After waited out when
	// RetryOptions.MaxRetryAfter is 0.
	DefaultMaxRetryAfter = 60 * time.Second
	// DefaultMaxRateLimitRetries is the number of 429s a call retries when
	// RetryOptions.MaxRateLimitRetries is 0.
	DefaultMaxRateLimitRetries = 10
	// DefaultMaxRateLimitWait is a call's throttle budget, the total of
	// its waits after 429s, when RetryOptions.MaxRateLimitWait is 0.
	DefaultMaxRateLimitWait = 2 * time.Minute
)

// maxErrorBody bounds how much of a 429 body a [RateLimitError]
// keeps when no stage below buffered it.
const maxErrorBody = 64 << 10

// RetryOptions configures the [Retry] stage. The zero value is the default
// policy: 3 retries, a 5xx's Retry-After waited out up to 60 s,
// [DefaultBackoff], the wall clock.
type RetryOptions struct {
	// MaxRetries is how many times a request may be sent again after its
	// first send. 0 means DefaultMaxRetries (3); a negative value turns
	// retries off. A per-call transport.Overrides.MaxRetries replaces it for
	// one call; there 0 (or less) means no retry.
	MaxRetries int
	// MaxRetryAfter caps the Retry-After of a 5xx that the stage waits out
	// before its retry. A larger one fails the call at once with a
	// *RateLimitError that carries the server's value, instead of sleeping
	// for it. 0 means DefaultMaxRetryAfter (60 s); a negative value removes
	// the cap (the context's deadline still bounds every wait). A 429's
	// Retry-After is the budget's to wait out, under the ratelimit stage's
	// own cap ([RateLimitOptions.MaxRetryAfter]; a client sets both).
	MaxRetryAfter time.Duration
	// Backoff gives the wait before each retry. nil means [DefaultBackoff].
	Backoff Backoff
	// MaxRateLimitRetries is how many 429s (not quota stops) one call
	// retries; these retries do not count against MaxRetries. 0 means
	// [DefaultMaxRateLimitRetries] (10); a negative value retries no 429.
	MaxRateLimitRetries int
	// MaxRateLimitWait is the call's throttle budget: the most its waits
	// after 429s may add up to. 0 means [DefaultMaxRateLimitWait] (2 min);
	// a negative value removes the cap (the context's deadline still
	// bounds every wait).
	MaxRateLimitWait time.Duration
	// MeterProvider makes the counter of 429 retries,
	// spotify.client.rate_limit.retries. Nil means otel.GetMeterProvider().
	MeterProvider metric.MeterProvider
	// Clock is the time source for waits. nil means the wall clock.
	Clock transport.Clock
	// BelowKeepsRequests says that every stage below, and the base
	// transport, keep the RoundTripper contract: none changes a request it
	// is given. The first send then goes down as the caller's request
	// itself (on its own context, or a shallow copy carrying a new call
	// record), not as a protective clone; retries are clones either way.
	// A client sets it when no middleware of the user's sits below this
	// stage (its own stages keep the contract, and the auth stage gives
	// the base a copy). Default false: a careless stage below cannot change
	// the caller's request.
	BelowKeepsRequests bool
}

// Retry returns the retry stage: the boundary between the per-call stages
// above it and the per-attempt stages below it, which run once per send.
//
// Every send is a clone of the caller's request (the first send is the
// request itself when [RetryOptions.BelowKeepsRequests] is set) whose
// context carries the attempt number ([transport.Attempt]: 0 for the first send, 1 for the first
// retry, ...; a retry's context carries a view of the call's
// [transport.Call] with its number, [transport.Call.ForAttempt]). The first send uses the request's body; each retry takes a
// fresh one from GetBody. A request with a body and no GetBody is sent once
// and its answer returned as is. The caller's request is never changed.
//
// What is retried:
//   - 429 Too Many Requests, for every method: Spotify rejected the request,
//     so nothing was applied.
//   - 500, 502, 503 and 504, a body that could not be read to its end
//     (*BodyReadError), an attempt that ran out of its own time
//     (*AttemptTimeoutError) and other transport errors, only when
//     the request is idempotent ([transport.Idempotent]: the mark the service
//     layer sets on the call's [transport.Call], else GET, HEAD, OPTIONS,
//     PUT and DELETE). A non-idempotent request is sent again after an error
//     only when the error proves the request never left: a dial, DNS or
//     TLS-handshake failure.
//
// What is never retried: any other status (501 and 4xx included, returned
// as responses); a call whose context ended; the decisions of lower stages
// (errors matching [ErrCircuitOpen] or [ErrRateLimited]);
// *BodyTooLargeError; [*AuthError]; a server certificate that is
// not trusted or a server that does not speak TLS (they fail the same way
// every time).
//
// Retry decides *whether* there is another attempt; the budget of the
// ratelimit stage below it decides *when* it leaves ([Budget]). That stage
// parses each response's Retry-After once and stores it on the call's
// [transport.Call]; this stage reads the stored value and never parses the
// header itself. Without a ratelimit stage below it (a chain of one's own),
// no Retry-After reaches it: it then waits its backoff only.
//
// A 429 is an instruction, not a failure: it is retried without counting
// against MaxRetries, under these safeguards.
//   - Retries off (MaxRetries negative, a per-call limit of 0, a body
//     without GetBody) means no 429 retry either: the 429 is returned.
//   - A call retries at most MaxRateLimitRetries 429s (default 10), and its
//     waits after 429s add up to at most MaxRateLimitWait (its throttle
//     budget, default 2 min), never beyond its context's deadline. They are
//     counted on the call's [transport.Call], so a coalesced flight shares
//     one budget. Past a limit the call fails with a *RateLimitError
//     (Exhausted, or DeadlineExceeded) that carries the figures: Count
//     (429s met), Waited (the waits after them) and the last RetryAfter,
//     with the 429's status, header and body; it matches [ErrRateLimited].
//   - After k consecutive 429s the wait before the next send is at least
//     max(Retry-After, Backoff(k-1)); a 429 without a Retry-After (or with
//     "0") gets the backoff, never no wait. The Retry-After part is the
//     budget's: the ratelimit stage below has handed the 429 to its
//     [Budget] (and counted it on the call record,
//     [transport.Call.AddRateLimited]), which waits it out before the
//     next send, before a bulkhead slot is taken; this stage waits only
//     when the backoff is the longer (or when no stage below counted the
//     429: a chain without a ratelimit stage). A 429 is waited out once,
//     not twice.
//   - A quota stop (a 429 the ratelimit stage's classifier marked), a
//     Retry-After above MaxRetryAfter, and a wait that would outlive the
//     context's deadline fail the call at once with a *RateLimitError
//     (Quota, Max or DeadlineExceeded set) carrying the 429's status,
//     header and body and the server's Retry-After; it matches
//     [ErrRateLimited], and [ErrQuotaExceeded] or
//     [context.DeadlineExceeded] as the case is. When the budget refuses
//     to wait for the next send (another 429 moved its cool-down), its
//     error is returned the same way.
//
// How long it waits otherwise, and when it stops instead:
//   - Before retry n of MaxRetries (n = 0 for the first) it waits
//     Backoff(n).
//   - After a retried 5xx, the response's Retry-After is a floor under that
//     wait: a per-call floor, never a cool-down for other calls. A 5xx
//     Retry-After longer than MaxRetryAfter is not waited out: the response
//     is drained and closed and the call fails at once with a
//     *RateLimitError (RetryAfter, Until, Max, and the response's status,
//     header and body), which matches [ErrRateLimited].
//   - A wait of its own that would outlive the context's deadline is not
//     started: the last answer (the 5xx response, or the error) is
//     returned as is.
//   - If the context ends during a wait, the call returns the context's
//     error.
//
// When the retries run out, or no retry is possible at all (retries off, a
// body without GetBody), the last answer is returned as is, 5xx responses
// included (and a 429 when retries are off). A response that is not returned is
// drained and closed before the next send. Every wait of its own is counted
// in the call's [transport.Call] (AddWait). Each retry adds a "retry"
// event to the context's OpenTelemetry span, with the attributes attempt
// (the number of the send about to be made), wait (seconds: the least wait
// before that send, its backoff or the Retry-After it floors, a 429's
// included) and reason (the status code, or the error's type).
//
// A request without a call record gets one, so that the stages below can
// pass the Retry-After up.
//
// The returned middleware is safe for concurrent use.
func Retry(o RetryOptions) transport.Middleware {
	t := &retryTransport{
		maxRetries: o.MaxRetries,
		maxWait:    o.MaxRetryAfter,
		backoff:    o.Backoff,
		max429:     o.MaxRateLimitRetries,
		max429Wait: o.MaxRateLimitWait,
		clock:      clock.Or(o.Clock),
		trusting:   o.BelowKeepsRequests,
		throttled: newCounter(meterFrom(o.MeterProvider), "spotify.client.rate_limit.retries", "{retry}",
			"Retries after a 429 answer, which do not count against the retry limit."),
	}
	t.max429 = zeroDefault(t.max429, DefaultMaxRateLimitRetries)
	t.max429Wait = zeroDefault(t.max429Wait, DefaultMaxRateLimitWait)
	t.maxRetries = zeroDefault(t.maxRetries, DefaultMaxRetries)
	t.maxWait = zeroDefault(t.maxWait, DefaultMaxRetryAfter)
	if t.backoff == nil {
		t.backoff = DefaultBackoff
	}
	return func(next http.RoundTripper) http.RoundTripper {
		c := *t
		c.next = next
		return &c
	}
}

type retryTransport struct {
	next       http.RoundTripper
	maxRetries int
	maxWait    time.Duration // 0: no cap
	backoff    Backoff
	max429     int           // 429 retries per call
	max429Wait time.Duration // throttle budget per call; 0: no cap
	clock      clock.Clock
	trusting   bool // BelowKeepsRequests: no protective clone for the first send
	throttled  metric.Int64Counter
}

var _ http.RoundTripper = (*retryTransport)(nil)

// RoundTrip sends req, and sends it again as the rules on [Retry] allow.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	call := transport.CallFrom(ctx)
	if call == nil {
		call = transport.NewCall(transport.CallSpec{})
		ctx = transport.WithCall(ctx, call)
	}
	limit := t.limit(req, call)
	// The first send goes down on a clone (a careless stage below cannot
	// change the caller's request), unless every stage below keeps the
	// contract, with the call's own context: the record says attempt 0.
	// Each retry's context carries a view of the record with its number.
	areq := t.firstSend(req, ctx)
	var last429 *RateLimitError // the 429 before this send, if it was one
	retries, streak := 0, 0     // retries under MaxRetries; consecutive 429s
	for send := 0; ; send++ {
		counted := call.RateLimited()
		resp, err := transport.CheckResponse(t.next.RoundTrip(areq))
		if last429 != nil && err != nil {
			err = withResponse(err, last429)
		}
		last429 = nil
		if limit == 0 || ctx.Err() != nil || !retriable(req, resp, err) {
			return resp, err
		}
		now := t.clock.Now()
		var wait, event time.Duration
		if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
			streak++
			var refused *RateLimitError
			wait, event, refused = t.plan429(ctx, call, resp, streak, call.RateLimited() > counted, now)
			if refused != nil {
				return nil, refused
			}
		} else {
			streak = 0
			if retries >= limit {
				return resp, err
			}
			wait = max(t.backoff(retries), 0)
			retries++
			event = wait
			// Parsed once, by the ratelimit stage below: a 5xx's
			// Retry-After is a floor under the backoff.
			if ra := call.RetryAfter(); resp != nil && ra > 0 {
				if t.maxWait > 0 && ra > t.maxWait {
					return nil, rateLimitError(resp, ra, true, now, t.maxWait)
				}
				wait = max(wait, ra)
				event = wait
			}
			if clock.Outlives(ctx, t.clock, wait) {
				return resp, err
			}
		}
		nreq, rerr := transport.Rewind(req.WithContext(transport.WithCall(ctx, call.ForAttempt(send+1))))
		if rerr != nil {
			return resp, err // GetBody failed: this answer is the last one
		}
		if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
			// Kept (drained and closed) to explain a refusal of the budget.
			ra := call.RetryAfter()
			last429 = rateLimitError(resp, ra, ra > 0, now, 0)
		} else {
			transport.DrainAndClose(resp)
		}
		retryEvent(req, send+1, event, resp, err)
		if serr := t.sleep(ctx, wait, call); serr != nil {
			transport.CloseRequestBody(nreq)
			return nil, serr
		}
		areq = nreq
	}
}

// firstSend returns the request of the first send of req on ctx. When the
// stages below keep the RoundTripper contract it is req itself, or a
// shallow copy when ctx is not its context; else a deep copy, as
// req.Clone(ctx) makes, in the fewer allocations of [httpbody.Clone] when
// ctx is req's own (a call that already has its record).
func (t *retryTransport) firstSend(req *http.Request, ctx context.Context) *http.Request {
	own := ctx == req.Context()
	switch {
	case t.trusting && own:
		return req
	case t.trusting:
		return req.WithContext(ctx)
	case own:
		return httpbody.Clone(req)
	default:
		return req.Clone(ctx)
	}
}

// plan429 decides on the streak-th consecutive 429 of a call (budgeted
// when a ratelimit stage below handed it to its budget): the wait of the
// retry stage itself before the next send, the least wait before that send
// in all (for the span event), or the error that ends the call instead
// (resp is then drained and closed).
func (t *retryTransport) plan429(ctx context.Context, call *transport.Call, resp *http.Response, streak int, budgeted bool, now time.Time) (wait, least time.Duration, refused *RateLimitError) {
	ra := call.RetryAfter()
	floor := max(t.backoff(streak-1), 0)
	least = max(ra, floor)
	n, waited := call.ThrottleRetries()
	refuse := func(e *RateLimitError) *RateLimitError {
		e.Count, e.Waited = call.RateLimited(), waited
		return e
	}
	switch {
	case call.Quota():
		e := rateLimitError(resp, ra, ra > 0, now, 0)
		e.Quota = true
		return 0, 0, refuse(e)
	case t.maxWait > 0 && ra > t.maxWait:
		return 0, 0, refuse(rateLimitError(resp, ra, true, now, t.maxWait))
	case n >= t.max429 || (t.max429Wait > 0 && waited+least > t.max429Wait):
		e := rateLimitError(resp, ra, ra > 0, now, 0)
		e.Exhausted = true
		return 0, 0, refuse(e)
	case clock.Outlives(ctx, t.clock, least):
		e := rateLimitError(resp, ra, ra > 0, now, 0)
		e.DeadlineExceeded = true
		if ra == 0 {
			e.RetryAfter, e.Until = least, now.Add(least)
		}
		return 0, 0, refuse(e)
	}
	call.AddThrottleRetry(least)
	t.throttled.Add(ctx, 1)
	// The budget below waits the Retry-After out, measured from the 429's
	// arrival, before the next send; the stage waits the backoff itself
	// only when it is the longer of the two (or when no budget saw it).
	if !budgeted || floor > ra {
		wait = least
	}
	return wait, least, nil
}

// withResponse returns err, a refusal of the budget to send the attempt
// after a 429, with that 429's status, header and body and the server's
// own Retry-After (the budget's cool-down may be capped or have moved
// since). Other errors are returned as they are.
func withResponse(err error, last429 *RateLimitError) error {
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.StatusCode != 0 {
		return err
	}
	e := *rl
	e.StatusCode, e.Header, e.Body = last429.StatusCode, last429.Header, last429.Body
	if last429.RetryAfter > 0 {
		e.RetryAfter, e.Until = last429.RetryAfter, last429.Until
	}
	return &e
}

// limit returns how many retries req may have.
func (t *retryTransport) limit(req *http.Request, call *transport.Call) int {
	n := t.maxRetries
	if p := call.Overrides().MaxRetries; p != nil {
		n = *p
	}
	if n < 0 || !transport.Replayable(req) {
		return 0
	}
	return n
}

// sleep waits d on the stage's clock, honouring ctx, and records
// the time waited.
func (t *retryTransport) sleep(ctx context.Context, d time.Duration, call *transport.Call) error {
	if d <= 0 {
		return ctx.Err()
	}
	start := t.clock.Now()
	err := clock.Sleep(ctx, t.clock, d)
	if err != nil {
		d = min(d, t.clock.Now().Sub(start))
	}
	call.AddWait(d)
	return err
}

// retriable reports whether the answer to req is of a kind that may be
// retried (attempts and waits aside).
func retriable(req *http.Request, resp *http.Response, err error) bool {
	if err != nil {
		var tooLarge *BodyTooLargeError
		var authErr *AuthError
		switch {
		case errors.Is(err, ErrCircuitOpen),
			errors.Is(err, ErrRateLimited),
			errors.As(err, &tooLarge),
			errors.As(err, &authErr),
			netx.Permanent(err):
			return false
		}
		return transport.Idempotent(req) || netx.NotSent(err)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return transport.Idempotent(req)
	}
	return false
}

// rateLimitError drains and closes resp and returns the error that replaces
// it. exceeded is the cap that ra exceeded, or 0.
func rateLimitError(resp *http.Response, ra time.Duration, hasRA bool, now time.Time, exceeded time.Duration) *RateLimitError {
	e := &RateLimitError{
		Max:        exceeded,
		StatusCode: resp.StatusCode,
		Header:     resp.Header,
	}
	if hasRA {
		e.RetryAfter = ra
		e.Until = now.Add(ra)
	}
	if b, ok := transport.BodyBytes(resp.Body); ok {
		e.Body = b
	} else {
		e.Body, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	}
	transport.DrainAndClose(resp)
	return e
}

// retryEvent adds a "retry" event to the span of req's context, if one is
// recording.
func retryEvent(req *http.Request, attempt int, wait time.Duration, resp *http.Response, err error) {
	span := trace.SpanFromContext(req.Context())
	if !span.IsRecording() {
		return
	}
	reason := ""
	if err != nil {
		reason = fmt.Sprintf("%T", err)
	} else {
		reason = strconv.Itoa(resp.StatusCode)
	}
	span.AddEvent("retry", trace.WithAttributes(
		attribute.Int("attempt", attempt),
		attribute.Float64("wait", wait.Seconds()),
		attribute.String("reason", reason),
	))
}
