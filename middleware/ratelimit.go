package middleware

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/spotifysdk/spotify-go/internal/clock"
	"github.com/spotifysdk/spotify-go/internal/retryafter"
	"github.com/spotifysdk/spotify-go/transport"
)

// Defaults of [RateLimitOptions].
const (
	rateLimitDefaultCoolDown = time.Second
)

// RateLimitOptions configures the [RateLimit] stage. The zero value is a
// stage with a private budget and no request-rate limiter, which honours
// 429 cool-downs of up to 60 s.
type RateLimitOptions struct {
	// Budget holds the cool-down and the rate limiter. Share one among all
	// clients of one app id (see [Budget]). Nil means a private budget with
	// no rate limiter, on Clock.
	Budget *Budget
	// MaxRetryAfter caps the cool-down a request waits out: when more than
	// this is left, the request fails at once with a
	// *[RateLimitError] carrying the remaining wait. 0 means
	// [DefaultMaxRetryAfter] (60 s); a negative value removes the cap (the
	// context's deadline still bounds every wait), as
	// [RetryOptions.MaxRetryAfter] does.
	MaxRetryAfter time.Duration
	// DefaultRetryAfter is the cool-down set by a 429 without a parsable
	// Retry-After header. 0 means 1 s.
	DefaultRetryAfter time.Duration
	// Classifier tells a quota stop from a burst limit; a quota stop makes
	// the requests of the budget fail at once with an error matching
	// [ErrQuotaExceeded] until its cool-down ends. Nil means no
	// 429 is a quota stop.
	Classifier QuotaClassifier
	// Clock is the time source of a private budget and of Retry-After
	// HTTP-dates. Nil means the shared Budget's clock, or the wall clock.
	Clock transport.Clock
}

// RateLimit returns the ratelimit stage. On every attempt it waits for the
// budget (the 429 cool-down, then a token of the rate limiter), honouring
// the request's context and returning the budget's error without sending
// when it will not wait; the time waited is added to the call's
// [transport.Call]. A 429 answer sets the budget's cool-down from its
// Retry-After header, and is passed up unchanged for the retry stage to
// decide on.
func RateLimit(o RateLimitOptions) transport.Middleware {
	b := o.Budget
	c := o.Clock
	if b == nil {
		b = NewBudget(BudgetOptions{Clock: c})
	}
	if c == nil {
		c = b.clock
	}
	maxWait := o.MaxRetryAfter
	switch {
	case maxWait == 0:
		maxWait = DefaultMaxRetryAfter
	case maxWait < 0:
		maxWait = 0 // no cap, for Budget.Wait
	}
	def := o.DefaultRetryAfter
	if def <= 0 {
		def = rateLimitDefaultCoolDown
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &rateLimitTransport{next: next, budget: b, clock: c, maxWait: maxWait, def: def, quota: o.Classifier}
	}
}

type rateLimitTransport struct {
	next    http.RoundTripper
	budget  *Budget
	clock   clock.Clock
	maxWait time.Duration // 0: no cap
	def     time.Duration
	quota   QuotaClassifier
}

var _ http.RoundTripper = (*rateLimitTransport)(nil)

// RoundTrip waits for the budget, sends req and records a 429's cool-down.
func (t *rateLimitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	start := t.budget.clock.Now()
	err := t.budget.Wait(ctx, t.maxWait)
	transport.CallFrom(ctx).AddWait(t.budget.clock.Now().Sub(start))
	if err != nil {
		transport.CloseRequestBody(req)
		return nil, err
	}
	resp, err := transport.CheckResponse(t.next.RoundTrip(req))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		d, ok := retryafter.FromResponse(resp, t.clock.Now())
		if !ok {
			d = t.def
		}
		t.budget.CoolDown(d, t.quota.isQuota(resp))
	}
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
