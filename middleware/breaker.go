package middleware

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"

	"github.com/spotifysdk/spotify-go/internal/netx"
	"github.com/spotifysdk/spotify-go/transport"
)

// Defaults of [BreakerOptions].
const (
	defaultBreakerFailureRatio = 0.5
	defaultBreakerMinRequests  = 10
	defaultBreakerWindow       = 30 * time.Second
	defaultBreakerOpenTimeout  = 30 * time.Second
	// breakerBuckets is how many buckets the rolling window is cut into.
	breakerBuckets = 10
)

// BreakerOptions configures the [Breaker] stage. The zero value is the
// default: one breaker per host that opens when at least half of at least 10
// counted outcomes in the last 30 s were failures, stays open 30 s, then lets
// one probe through.
type BreakerOptions struct {
	// Disabled turns the stage into a pass-through.
	Disabled bool
	// FailureRatio is the share of failures among the counted outcomes
	// (failures / (successes + failures)) at or above which the breaker
	// opens. 0 or less means 0.5; above 1 it never opens.
	FailureRatio float64
	// MinRequests is how many counted outcomes (successes + failures) the
	// window must hold before the breaker can open. 0 means 10.
	MinRequests uint32
	// Window is the rolling window over which outcomes are counted; it moves
	// in steps of a tenth of its length. 0 or less means 30 s.
	Window time.Duration
	// OpenTimeout is how long the breaker stays open before it lets probes
	// through (half-open). 0 or less means 30 s.
	OpenTimeout time.Duration
	// HalfOpenRequests is how many probes the half-open breaker lets
	// through at once; that many successes in a row close it, one failure
	// reopens it. 0 means 1.
	HalfOpenRequests uint32
	// Key names the breaker a request belongs to; requests with the same
	// key share one breaker. A breaker is kept for every key ever seen, so
	// keys must come from a small set. nil means one breaker per
	// req.URL.Host.
	Key func(*http.Request) string
	// OnStateChange, if set, is called on every transition of a breaker
	// with its name and the states ("closed", "open", "half-open"). It is
	// called synchronously while that breaker's lock is held: it must be
	// quick and must not send requests through the same breaker.
	OnStateChange func(name string, from, to string)
}

// Breaker returns the circuit-breaker stage: a sony/gobreaker two-step
// breaker per key (per host by default), created on first use.
//
// Each allowed request reports one outcome, as soon as the next stage
// returns (the download stage below has read the body by then):
//
//   - failure: a 5xx response other than 501, a [BodyReadError],
//     a [AttemptTimeoutError] and any other transport error (dial,
//     reset...);
//   - neither (not counted): any 4xx response (429 included), 501, a
//     request whose context ended, an [*AuthError], a
//     [BodyTooLargeError], and decisions of other stages
//     ([ErrRateLimited], [ErrCircuitOpen]);
//   - success: every other response (1xx to 3xx).
//
// The breaker opens when the failure ratio over the window reaches
// [BreakerOptions.FailureRatio] with at least [BreakerOptions.MinRequests]
// counted outcomes; a few consecutive failures (one call's retries) do not
// open it on their own. While open, and while half-open with its probes in
// flight, it refuses requests without sending them: the request body is
// closed and the error is a [*CircuitOpenError], which matches
// [ErrCircuitOpen] and is never retried.
//
// The returned RoundTripper is safe for concurrent use. gobreaker has no
// injectable clock, so the window and the open timeout run on real time.
func Breaker(o BreakerOptions) transport.Middleware {
	if o.Disabled {
		return passThrough
	}
	settings := breakerSettings(o)
	key := o.Key
	if key == nil {
		key = breakerHostKey
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &breakerTransport{next: next, key: key, settings: settings}
	}
}

// breakerTransport is the RoundTripper of the [Breaker] stage.
type breakerTransport struct {
	next     http.RoundTripper
	key      func(*http.Request) string
	settings gobreaker.Settings // template: Name is set per breaker
	breakers sync.Map           // key -> *gobreaker.TwoStepCircuitBreaker[struct{}]
}

var _ http.RoundTripper = (*breakerTransport)(nil)

// Outcomes reported to gobreaker through done(err): nil is a success.
var (
	errBreakerFailure  = errors.New("breaker: failure")
	errBreakerExcluded = errors.New("breaker: excluded")
)

// RoundTrip sends req if its breaker allows it, and reports the outcome.
func (b *breakerTransport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	name := b.key(req)
	cb := b.breaker(name)
	done, err := cb.Allow()
	if err != nil {
		transport.CloseRequestBody(req)
		state := "open"
		if errors.Is(err, gobreaker.ErrTooManyRequests) {
			state = "half-open"
		}
		return nil, &CircuitOpenError{Breaker: name, State: state}
	}
	reported := false
	defer func() {
		// A panicking stage below still frees its slot (a half-open
		// probe would otherwise block the breaker forever).
		if !reported {
			done(errBreakerFailure)
		}
	}()
	resp, err = transport.CheckResponse(b.next.RoundTrip(req))
	reported = true
	done(breakerOutcome(req, resp, err))
	return resp, err
}

// breaker returns the breaker named name, creating it on first use.
func (b *breakerTransport) breaker(name string) *gobreaker.TwoStepCircuitBreaker[struct{}] {
	if cb, ok := b.breakers.Load(name); ok {
		return cb.(*gobreaker.TwoStepCircuitBreaker[struct{}])
	}
	st := b.settings
	st.Name = name
	cb, _ := b.breakers.LoadOrStore(name, gobreaker.NewTwoStepCircuitBreaker[struct{}](st))
	return cb.(*gobreaker.TwoStepCircuitBreaker[struct{}])
}

// breakerOutcome classifies what the next stage returned: nil for a
// success, errBreakerFailure or errBreakerExcluded.
func breakerOutcome(req *http.Request, resp *http.Response, err error) error {
	if req.Context().Err() != nil {
		return errBreakerExcluded
	}
	if err != nil {
		return breakerErrorOutcome(err)
	}
	switch code := resp.StatusCode; {
	case code == http.StatusNotImplemented:
		return errBreakerExcluded
	case code >= 500 && code < 600:
		return errBreakerFailure
	case code >= 400:
		return errBreakerExcluded
	}
	return nil
}

// breakerErrorOutcome classifies an error: decisions of other stages,
// cancellations and a server's refusal to process an HTTP/2 stream (a
// refused stream, a GOAWAY below it) are excluded, everything else (read failures, attempt
// timeouts, transport errors) is a failure.
func breakerErrorOutcome(err error) error {
	var (
		authErr     *AuthError
		tooLarge    *BodyTooLargeError
		readErr     *BodyReadError
		attemptTime *AttemptTimeoutError
	)
	switch {
	case errors.As(err, &readErr), errors.As(err, &attemptTime):
		return errBreakerFailure
	case errors.As(err, &authErr),
		errors.As(err, &tooLarge),
		errors.Is(err, ErrRateLimited),
		errors.Is(err, ErrQuotaExceeded),
		errors.Is(err, ErrCircuitOpen),
		errors.Is(err, context.Canceled),
		netx.Unprocessed(err): // a refused HTTP/2 stream, a GOAWAY: a live server's choice
		return errBreakerExcluded
	}
	return errBreakerFailure
}

// breakerHostKey is the default key: the request's host.
func breakerHostKey(req *http.Request) string {
	if req.URL != nil && req.URL.Host != "" {
		return req.URL.Host
	}
	return req.Host
}

// breakerSettings turns the options into gobreaker settings, defaults
// applied. Name is left for each breaker to set.
func breakerSettings(o BreakerOptions) gobreaker.Settings {
	ratio := o.FailureRatio
	if ratio <= 0 {
		ratio = defaultBreakerFailureRatio
	}
	minRequests := o.MinRequests
	if minRequests == 0 {
		minRequests = defaultBreakerMinRequests
	}
	window := o.Window
	if window <= 0 {
		window = defaultBreakerWindow
	}
	openTimeout := o.OpenTimeout
	if openTimeout <= 0 {
		openTimeout = defaultBreakerOpenTimeout
	}
	probes := o.HalfOpenRequests
	if probes == 0 {
		probes = 1
	}
	st := gobreaker.Settings{
		MaxRequests:  probes,
		Interval:     window,
		BucketPeriod: window / breakerBuckets,
		Timeout:      openTimeout,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			// Counts.Requests also holds in-flight and excluded
			// requests: the ratio uses the counted outcomes only.
			counted := uint64(c.TotalSuccesses) + uint64(c.TotalFailures)
			return counted >= uint64(minRequests) && float64(c.TotalFailures)/float64(counted) >= ratio
		},
		IsSuccessful: func(err error) bool { return err == nil },
		IsExcluded:   func(err error) bool { return err == errBreakerExcluded },
	}
	if o.OnStateChange != nil {
		onChange := o.OnStateChange
		st.OnStateChange = func(name string, from, to gobreaker.State) {
			onChange(name, from.String(), to.String())
		}
	}
	return st
}

// ErrCircuitOpen: the circuit breaker refused the request without sending
// it (open, or half-open with its probes in flight). Package spotify
// re-exports it.
var ErrCircuitOpen = errors.New("circuit breaker is open")

// CircuitOpenError is returned by the breaker stage for a request it refused.
// It matches [ErrCircuitOpen].
type CircuitOpenError struct {
	// Breaker names the breaker (by default the request's host).
	Breaker string
	// State is "open" or "half-open".
	State string
}

// Error names the breaker and its state.
func (e *CircuitOpenError) Error() string {
	return fmt.Sprintf("middleware: circuit breaker %q is %s: request not sent", e.Breaker, e.State)
}

// Is matches [ErrCircuitOpen].
func (e *CircuitOpenError) Is(target error) bool { return target == ErrCircuitOpen }
