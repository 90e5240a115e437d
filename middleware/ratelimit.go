package middleware

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/retryafter"
	"github.com/spotifysdk/spotify-go/transport"
)

// RateLimitOptions configures the [RateLimit] stage. The zero value is a
// stage with a private budget and no request-rate limiter, which honours
// 429 cool-downs of up to 60 s.
type RateLimitOptions struct {
	// Budget decides when each attempt may leave: it holds the cool-down
	// and the rate limiter. Share one among all clients of one app id (see
	// [Budget]). Nil means a private [FixedBudget] with no rate limiter, on
	// Clock.
	Budget Budget
	// MaxRetryAfter caps the cool-down a request waits out: when more than
	// this is left, the request fails at once with a
	// *[RateLimitError] carrying the remaining wait. 0 means
	// [DefaultMaxRetryAfter] (60 s); a negative value removes the cap (the
	// context's deadline still bounds every wait), as
	// [RetryOptions.MaxRetryAfter] does.
	MaxRetryAfter time.Duration
	// Classifier tells a quota stop from a burst limit; a quota stop makes
	// the requests of the budget fail at once with an error matching
	// [ErrQuotaExceeded] until its cool-down ends. Nil means no
	// 429 is a quota stop.
	Classifier QuotaClassifier
	// Clock is the time source of the waits the stage measures and of
	// Retry-After HTTP-dates. Nil means the clock of a [FixedBudget] or an
	// [AdaptiveBudget], or the wall clock.
	Clock transport.Clock
}

// RateLimit returns the ratelimit stage, the one that reads a response's
// Retry-After. On every attempt it waits for the budget ([Budget.Wait]:
// the 429 cool-down, then a token of the rate limiter), honouring the
// request's context and returning the budget's error without sending when
// it will not wait; the time waited is added to the call's
// [transport.Call].
//
// Every answer is reported to the budget ([Budget.Observe]). The
// Retry-After header of a response is parsed here, once (seconds, decimal
// seconds or an HTTP-date; the largest value of a folded header), and
// stored on the call's record ([transport.Call.SetRetryAfter], 0 when the
// response has none), where the retry stage and the service layer read it;
// a 429 is also counted there ([transport.Call.AddRateLimited]). Responses
// are passed up unchanged for the retry stage to decide on.
//
// In the default chain the stage sits above the bulkhead, so that a call
// waits out a cool-down before it takes a slot.
func RateLimit(o RateLimitOptions) transport.Middleware {
	b := o.Budget
	c := o.Clock
	if c == nil {
		switch b := b.(type) {
		case *FixedBudget:
			c = b.clock
		case *AdaptiveBudget:
			c = b.clock
		}
	}
	c = clock.Or(c)
	if b == nil {
		b = NewFixedBudget(BudgetOptions{Clock: c})
	}
	maxWait := o.MaxRetryAfter
	maxWait = zeroDefault(maxWait, DefaultMaxRetryAfter) // 0: no cap, for Budget.Wait
	quick, _ := b.(quickBudget)
	if quick != nil && !sameClock(quick.budgetClock(), c) {
		quick = nil // its decisions are on a clock of its own
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &rateLimitTransport{next: next, budget: b, quick: quick, clock: c, maxWait: maxWait, quota: o.Classifier}
	}
}

type rateLimitTransport struct {
	next   http.RoundTripper
	budget Budget
	// quick is budget when it is a quickBudget on the stage's clock, else
	// nil.
	quick   quickBudget
	clock   clock.Clock
	maxWait time.Duration // 0: no cap
	quota   QuotaClassifier
}

// quickBudget is a [Budget] of this package that can let an attempt leave
// at once from the stage's clock reading, the usual case (no cool-down, no
// token to wait for): the stage then reads the clock once before the
// attempt instead of three times, and takes no lock of the budget's.
type quickBudget interface {
	// leaveAt reports whether an attempt may leave at now without waiting
	// (Wait would return nil at now without waiting), and if so takes
	// what Wait would take (a token of its limiter). When it reports
	// false it has changed nothing, and Wait decides.
	leaveAt(ctx context.Context, now time.Time) bool
	// budgetClock is the clock the budget decides on.
	budgetClock() clock.Clock
}

// sameClock reports whether a and b are the same clock. Clocks that cannot
// be compared (a dynamic type that is not comparable) are not the same.
func sameClock(a, b clock.Clock) bool {
	if a == nil || b == nil || !reflect.TypeOf(a).Comparable() || !reflect.TypeOf(b).Comparable() {
		return false
	}
	return a == b
}

var _ http.RoundTripper = (*rateLimitTransport)(nil)

// RoundTrip waits for the budget, sends req, records the answer's
// Retry-After on the call and reports the answer to the budget.
func (t *rateLimitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	call := transport.CallFrom(ctx)
	start := t.clock.Now()
	// An attempt the budget lets leave at once waited for nothing: no
	// wait to add, and no second clock reading.
	if t.quick == nil || !t.quick.leaveAt(ctx, start) {
		err := t.budget.Wait(ctx, t.maxWait)
		call.AddWait(t.clock.Now().Sub(start))
		if err != nil {
			transport.CloseRequestBody(req)
			return nil, err
		}
	}
	resp, err := transport.CheckResponse(t.next.RoundTrip(req))
	now := t.clock.Now()
	if err != nil {
		call.SetRetryAfter(0)
		t.budget.Observe(ctx, Outcome{At: now, Err: err})
		return nil, err
	}
	o := Outcome{Status: resp.StatusCode, At: now}
	o.RetryAfter, o.HasRetryAfter = retryafter.FromResponse(resp, now)
	call.SetRetryAfter(o.RetryAfter)
	if resp.StatusCode == http.StatusTooManyRequests {
		call.AddRateLimited(o.RetryAfter)
		o.Quota = t.quota.isQuota(resp)
		call.SetQuota(o.Quota)
	}
	t.budget.Observe(ctx, o)
	return resp, nil
}

// Sentinels for the rate decisions the stages make themselves. Package
// spotify re-exports them, so errors.Is(err, spotify.ErrRateLimited) holds
// for these errors as for Spotify's 429 responses.
var (
	// ErrRateLimited: the call was refused because of a 429 cool-down (its
	// own or one shared through a budget) that it would not wait out.
	ErrRateLimited = errors.New("rate limited")
	// ErrQuotaExceeded: the app's quota is spent (a 429 the classifier
	// marked as a quota stop). Retrying does not help until the quota resets.
	ErrQuotaExceeded = errors.New("quota exceeded")
)

// RateLimitError is returned instead of waiting out a 429 cool-down: when the
// Retry-After is longer than the configured cap, when the wait would outlive
// the context's deadline, or for a quota stop. It matches [ErrRateLimited],
// [ErrQuotaExceeded] when Quota is set, and [context.DeadlineExceeded] when
// DeadlineExceeded is set.
type RateLimitError struct {
	// RetryAfter is how long the server asked to wait, or what is left of a
	// shared cool-down.
	RetryAfter time.Duration
	// Until is when the cool-down ends.
	Until time.Time
	// Max is the cap on waits that RetryAfter exceeded, or 0.
	Max time.Duration
	// Quota reports a quota stop (reason QUOTA_EXCEEDED).
	Quota bool
	// DeadlineExceeded reports that the wait would outlive the context.
	DeadlineExceeded bool
	// Exhausted reports a call that met more 429s than the retry stage
	// retries for one call, or whose waits after them would overrun its
	// throttle budget ([RetryOptions.MaxRateLimitRetries],
	// [RetryOptions.MaxRateLimitWait]).
	Exhausted bool
	// Count is how many 429s the call met, and Waited the total of the
	// waits the retry stage allowed after them, when the retry stage
	// returns the error (else 0).
	Count  int
	Waited time.Duration
	// StatusCode, Header and Body are those of the 429 response that caused
	// the error, when the stage that returns it saw one (else 0 and nil).
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Error describes the decision without any of the response's content.
func (e *RateLimitError) Error() string {
	what := "rate limited"
	if e.Quota {
		what = "quota exceeded"
	}
	switch {
	case e.Exhausted:
		return fmt.Sprintf("middleware: %s: %d answers 429 after waiting %v (last Retry-After %v)",
			what, e.Count, e.Waited.Round(time.Millisecond), e.RetryAfter.Round(time.Millisecond))
	case e.DeadlineExceeded:
		return fmt.Sprintf("middleware: %s: waiting %v would outlive the context deadline", what, e.RetryAfter.Round(time.Millisecond))
	case e.Max > 0:
		return fmt.Sprintf("middleware: %s: Retry-After %v exceeds the %v cap", what, e.RetryAfter.Round(time.Millisecond), e.Max)
	case e.RetryAfter > 0:
		return fmt.Sprintf("middleware: %s: Retry-After %v", what, e.RetryAfter.Round(time.Millisecond))
	}
	return "middleware: " + what
}

// Is matches the sentinels described on the type.
func (e *RateLimitError) Is(target error) bool {
	switch target {
	case ErrRateLimited:
		return true
	case ErrQuotaExceeded:
		return e.Quota
	case context.DeadlineExceeded:
		return e.DeadlineExceeded
	}
	return false
}
