package middleware

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

const retryURL = "https://api.spotify.com/v1/me/tracks?limit=50"

func retryNoBackoff(int) time.Duration { return 0 }

// retryHarness is a retry stage over the ratelimit stage (its budget owns
// a 429's wait) over a scripted transport, all on one fake clock; it
// records every request sent below them and the fake time between sends.
// The ratelimit stage's cap is the retry stage's, as in a client, and an
// "X-Quota: yes" header marks a quota 429.
type retryHarness struct {
	fc     *clock.Fake
	budget *FixedBudget
	tt     *testtransport.Transport
	rt     http.RoundTripper
	last   time.Time
	gaps   []time.Duration // fake time between consecutive sends
	sends  []*http.Request
}

func newRetryHarness(o RetryOptions, steps ...testtransport.Step) *retryHarness {
	h := &retryHarness{fc: clock.NewFake(), tt: testtransport.New()}
	h.fc.Set(time.Now().Truncate(time.Second)) // real deadlines mean the same on it
	o.Clock = h.fc
	if o.Backoff == nil {
		o.Backoff = retryNoBackoff
	}
	for _, s := range steps {
		h.tt.Append(s)
	}
	h.budget = NewFixedBudget(BudgetOptions{Clock: h.fc, Jitter: func() float64 { return 0 }})
	rl := RateLimit(RateLimitOptions{Budget: h.budget, MaxRetryAfter: o.MaxRetryAfter, Clock: h.fc,
		Classifier: func(resp *http.Response) bool { return resp.Header.Get("X-Quota") == "yes" }})
	h.rt = Retry(o)(rl(transport.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		now := h.fc.Now() // the fields are read after the call returned
		if len(h.sends) > 0 {
			h.gaps = append(h.gaps, now.Sub(h.last))
		}
		h.last, h.sends = now, append(h.sends, r)
		return h.tt.RoundTrip(r)
	})))
	return h
}

// do runs req and fires the fake clock's timers as they appear, until the
// round trip returns: every wait ends at once, and the fake time records it.
func (h *retryHarness) do(req *http.Request) (resp *http.Response, err error) {
	done := make(chan struct{})
	go func() { defer close(done); resp, err = h.rt.RoundTrip(req) }()
	for {
		select {
		case <-done:
			return resp, err
		default:
			if !h.fc.AdvanceToNext() {
				runtime.Gosched()
			}
		}
	}
}

func retryRequest(t *testing.T, ctx context.Context, method string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, retryURL, nil)
	require.NoError(t, err)
	return req
}

func retryStatus(code int, headerPairs ...string) testtransport.Step {
	return testtransport.Respond(code, http.StatusText(code), headerPairs...)
}

func retryFail(err error) testtransport.Step {
	return func(*http.Request) (*http.Response, error) { return nil, err }
}

func TestRetryAfterHonoured(t *testing.T) {
	for value, want := range map[string]time.Duration{"2": 2 * time.Second, "1.5": 1500 * time.Millisecond, "date": 3 * time.Second} {
		h := newRetryHarness(RetryOptions{Backoff: func(int) time.Duration { return time.Millisecond }})
		if value == "date" {
			value = h.fc.Now().Add(3 * time.Second).Format(http.TimeFormat)
		}
		h.tt.Append(retryStatus(429, "Retry-After", value)).Append(retryStatus(200))
		resp, err := h.do(retryRequest(t, context.Background(), http.MethodGet))
		require.NoError(t, err, value)
		resp.Body.Close()
		require.Len(t, h.gaps, 1, value)
		assert.GreaterOrEqual(t, h.gaps[0], want, value)
		assert.Equal(t, want, h.gaps[0], "%q: Retry-After is the wait, not added to the backoff", value)
	}

	// A 503's Retry-After is a floor under the backoff; after a 429 the
	// wait is max(Retry-After, backoff): the one is not added to the other.
	h := newRetryHarness(RetryOptions{Backoff: func(int) time.Duration { return 5 * time.Second }},
		retryStatus(429, "Retry-After", "2"), retryStatus(503, "Retry-After", "7"), retryStatus(503, "Retry-After", "1"), retryStatus(200))
	resp, err := h.do(retryRequest(t, context.Background(), http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, []time.Duration{5 * time.Second, 7 * time.Second, 5 * time.Second}, h.gaps)
}

func TestRetryAfterAboveCap(t *testing.T) {
	h := newRetryHarness(RetryOptions{}, testtransport.Respond(429, `{"error":{"status":429}}`, "Retry-After", "3600"), retryStatus(200))
	resp, err := h.do(retryRequest(t, context.Background(), http.MethodGet))
	require.Nil(t, resp)
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.NotErrorIs(t, err, ErrQuotaExceeded)
	assert.Equal(t, time.Hour, rl.RetryAfter)
	assert.Equal(t, DefaultMaxRetryAfter, rl.Max)
	assert.Equal(t, h.fc.Now().Add(time.Hour), rl.Until)
	assert.Equal(t, 429, rl.StatusCode)
	assert.Equal(t, "3600", rl.Header.Get("Retry-After"))
	assert.Equal(t, `{"error":{"status":429}}`, string(rl.Body))
	assert.Equal(t, 1, h.tt.Len(), "no second request")
	assert.Equal(t, 1, h.tt.Bodies()[0].Closes(), "the 429 body was closed")

	// A body buffered by the download stage is kept whole.
	body := transport.OnClose(transport.NewBufferedBody([]byte("buffered below")), func() {})
	below := transport.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"600"}}, Body: body, Request: r}, nil
	})
	fc := clock.NewFake()
	_, err = Retry(RetryOptions{Clock: fc})(RateLimit(RateLimitOptions{Clock: fc})(below)).RoundTrip(retryRequest(t, context.Background(), http.MethodGet))
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, "buffered below", string(rl.Body))
}

// TestRetryDecisions: which answers are retried, for which requests, and
// what the caller gets when they are not.
func TestRetryDecisions(t *testing.T) {
	bodyRead := &BodyReadError{StatusCode: 200, Err: io.ErrUnexpectedEOF}
	timeout := &AttemptTimeoutError{Timeout: 30 * time.Second, Err: context.DeadlineExceeded}
	tooLarge := &BodyTooLargeError{Limit: 1}
	builtDial := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api.spotify.invalid", IsNotFound: true}}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a real dial error: a closed loopback port
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	_, realDial := net.Dial("tcp", ln.Addr().String())
	require.Error(t, realDial)
	bg := context.Background()
	cancelled, cancel := context.WithCancel(bg)
	cancel()
	expired, cancel := context.WithDeadline(bg, time.Now().Add(-time.Second))
	defer cancel()
	deadline, cancel := context.WithTimeout(bg, 10*time.Second)
	defer cancel()
	ended, end := context.WithCancel(bg)
	defer end()
	endsDuringAttempt := func(r *http.Request) (*http.Response, error) { end(); return retryStatus(503)(r) }
	retries := func(n int) context.Context { return withOverrides(bg, transport.Overrides{MaxRetries: &n}) }
	for _, tc := range []struct {
		name   string
		method string
		ctx    context.Context // nil: Background
		opts   RetryOptions
		script []testtransport.Step
		sends  int
		status int   // the status returned, or 0
		err    error // the error returned (errors.Is), or nil
	}{
		{"POST 503 is sent once", "POST", nil, RetryOptions{}, []testtransport.Step{retryStatus(503), retryStatus(200)}, 1, 503, nil},
		{"POST after a real dial error", "POST", nil, RetryOptions{}, []testtransport.Step{retryFail(realDial), retryStatus(201)}, 2, 201, nil},
		{"POST after a dial error built as net/http does", "POST", nil, RetryOptions{}, []testtransport.Step{retryFail(builtDial), retryStatus(201)}, 2, 201, nil},
		{"POST after a broken connection", "POST", nil, RetryOptions{}, []testtransport.Step{retryFail(io.ErrUnexpectedEOF), retryStatus(201)}, 1, 0, io.ErrUnexpectedEOF},
		{"GET 503 x3 then 200", "GET", nil, RetryOptions{MaxRetries: 3}, []testtransport.Step{retryStatus(503), retryStatus(503), retryStatus(503), retryStatus(200)}, 4, 200, nil},
		{"GET 503 x3 with MaxRetries 2", "GET", nil, RetryOptions{MaxRetries: 2}, []testtransport.Step{retryStatus(503), retryStatus(503), retryStatus(502), retryStatus(200)}, 3, 502, nil},
		{"GET errors run out", "GET", nil, RetryOptions{MaxRetries: 1}, []testtransport.Step{retryFail(io.EOF), retryFail(bodyRead)}, 2, 0, bodyRead},
		{"PUT marked not idempotent", "PUT", withIdempotent(bg, false), RetryOptions{}, []testtransport.Step{retryStatus(503), retryStatus(200)}, 1, 503, nil},
		{"POST marked idempotent", "POST", withIdempotent(bg, true), RetryOptions{}, []testtransport.Step{retryStatus(503), retryStatus(200)}, 2, 200, nil},
		{"GET truncated body", "GET", nil, RetryOptions{}, []testtransport.Step{retryFail(bodyRead), retryStatus(200)}, 2, 200, nil},
		{"POST truncated body", "POST", nil, RetryOptions{}, []testtransport.Step{retryFail(bodyRead), retryStatus(200)}, 1, 0, bodyRead},
		{"GET attempt timeout", "GET", nil, RetryOptions{}, []testtransport.Step{retryFail(timeout), retryStatus(200)}, 2, 200, nil},
		{"POST attempt timeout", "POST", nil, RetryOptions{}, []testtransport.Step{retryFail(timeout), retryStatus(200)}, 1, 0, timeout},
		{"429 POST", "POST", nil, RetryOptions{}, []testtransport.Step{retryStatus(429), retryStatus(200)}, 2, 200, nil},
		{"override 0", "GET", retries(0), RetryOptions{}, []testtransport.Step{retryStatus(503), retryStatus(200)}, 1, 503, nil},
		{"override 1", "GET", retries(1), RetryOptions{}, []testtransport.Step{retryStatus(503), retryStatus(503), retryStatus(200)}, 2, 503, nil},
		{"override negative", "GET", retries(-1), RetryOptions{}, []testtransport.Step{retryStatus(503), retryStatus(200)}, 1, 503, nil},
		{"override beats a negative option", "GET", retries(1), RetryOptions{MaxRetries: -1}, []testtransport.Step{retryStatus(503), retryStatus(200)}, 2, 200, nil},
		{"negative MaxRetries", "GET", nil, RetryOptions{MaxRetries: -1}, []testtransport.Step{retryStatus(503), retryStatus(200)}, 1, 503, nil},
		{"quota 429", "GET", nil, RetryOptions{}, []testtransport.Step{retryStatus(429, "X-Quota", "yes"), retryStatus(200)}, 1, 0, ErrQuotaExceeded},
		{"quota 429 with retries off", "GET", nil, RetryOptions{MaxRetries: -1}, []testtransport.Step{retryStatus(429, "X-Quota", "yes"), retryStatus(200)}, 1, 429, nil},
		{"burst 429 with a classifier", "GET", nil, RetryOptions{}, []testtransport.Step{retryStatus(429), retryStatus(200)}, 2, 200, nil},
		{"503 Retry-After above a custom cap", "GET", nil, RetryOptions{MaxRetryAfter: 10 * time.Second}, []testtransport.Step{retryStatus(503, "Retry-After", "11"), retryStatus(200)}, 1, 0, ErrRateLimited},
		{"no cap on Retry-After", "GET", nil, RetryOptions{MaxRetryAfter: -1, MaxRateLimitWait: -1}, []testtransport.Step{retryStatus(429, "Retry-After", "3600"), retryStatus(200)}, 2, 200, nil},
		{"Retry-After beyond the throttle budget", "GET", nil, RetryOptions{MaxRetryAfter: -1}, []testtransport.Step{retryStatus(429, "Retry-After", "3600"), retryStatus(200)}, 1, 0, ErrRateLimited},
		// The budget refuses a 429's wait that outlives the deadline: the
		// call fails at once with its error, carrying the 429
		// (TestRetryBudgetRefusalCarriesThe429).
		{"Retry-After outlives the deadline", "GET", deadline, RetryOptions{}, []testtransport.Step{retryStatus(429, "Retry-After", "20"), retryStatus(200)}, 1, 0, context.DeadlineExceeded},
		{"5xx Retry-After outlives the deadline", "GET", deadline, RetryOptions{}, []testtransport.Step{retryStatus(503, "Retry-After", "20"), retryStatus(200)}, 1, 503, nil},
		{"backoff outlives the deadline", "GET", deadline, RetryOptions{Backoff: func(int) time.Duration { return time.Minute }}, []testtransport.Step{retryStatus(503), retryStatus(200)}, 1, 503, nil},
		{"circuit open", "GET", nil, RetryOptions{}, []testtransport.Step{retryFail(&CircuitOpenError{Breaker: "api", State: "open"}), retryStatus(200)}, 1, 0, ErrCircuitOpen},
		{"budget refusal", "GET", nil, RetryOptions{}, []testtransport.Step{retryFail(&RateLimitError{RetryAfter: time.Hour}), retryStatus(200)}, 1, 0, ErrRateLimited},
		{"body too large", "GET", nil, RetryOptions{}, []testtransport.Step{retryFail(tooLarge), retryStatus(200)}, 1, 0, tooLarge},
		{"auth error", "GET", nil, RetryOptions{}, []testtransport.Step{retryFail(&AuthError{Err: io.EOF}), retryStatus(200)}, 1, 0, io.EOF},
		{"untrusted certificate", "GET", nil, RetryOptions{}, []testtransport.Step{retryFail(x509.UnknownAuthorityError{}), retryStatus(200)}, 1, 0, x509.UnknownAuthorityError{}},
		// An ended call is not retried; the budget does not even send it.
		{"call cancelled", "GET", cancelled, RetryOptions{}, []testtransport.Step{retryStatus(200)}, 0, 0, context.Canceled},
		{"call expired", "GET", expired, RetryOptions{}, []testtransport.Step{retryStatus(200)}, 0, 0, context.DeadlineExceeded},
		{"call ended during the attempt", "GET", ended, RetryOptions{}, []testtransport.Step{endsDuringAttempt, retryStatus(200)}, 1, 503, nil},
		{"nil response and nil error", "GET", nil, RetryOptions{}, []testtransport.Step{retryFail(nil), retryFail(nil), retryFail(nil), retryFail(nil)}, 4, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newRetryHarness(tc.opts, tc.script...)
			ctx := tc.ctx
			if ctx == nil {
				ctx = bg
			}
			resp, err := h.do(retryRequest(t, ctx, tc.method))
			assert.Equal(t, tc.sends, h.tt.Len(), "sends")
			if tc.status == 0 {
				require.Error(t, err)
				require.Nil(t, resp)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
				}
				assert.Zero(t, h.tt.Unclosed())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, 1, h.tt.Unclosed(), "only the returned response is open")
			for _, b := range h.tt.Bodies()[:len(h.tt.Bodies())-1] {
				assert.Equal(t, 1, b.Closes(), "a discarded response is closed once")
				assert.True(t, b.Drained(), "a discarded response is drained")
			}
			resp.Body.Close()
		})
	}
	for _, status := range []int{200, 204, 304, 400, 401, 403, 404, 501, 505} {
		h := newRetryHarness(RetryOptions{}, retryStatus(status), retryStatus(200))
		resp, err := h.do(retryRequest(t, context.Background(), http.MethodGet))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, status, resp.StatusCode)
		assert.Equal(t, 1, h.tt.Len(), "status %d is not retried", status)
	}
}

func TestRetryContextEndsDuringWait(t *testing.T) {
	h := newRetryHarness(RetryOptions{}, retryStatus(429, "Retry-After", "10"), retryStatus(200))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, retryURL, strings.NewReader("x"))
	require.NoError(t, err)
	var rewound []*testtransport.Body
	req.GetBody = func() (io.ReadCloser, error) {
		rewound = append(rewound, &testtransport.Body{ReadCloser: io.NopCloser(strings.NewReader("x"))})
		return rewound[len(rewound)-1], nil
	}
	errc := make(chan error, 1)
	go func() { resp, err := h.rt.RoundTrip(req); assert.Nil(t, resp); errc <- err }()
	require.True(t, h.fc.BlockUntil(1), "the stage waits on the clock")
	h.fc.Advance(4 * time.Second)
	cancel()
	assert.ErrorIs(t, <-errc, context.Canceled)
	assert.Equal(t, 1, h.tt.Len())
	assert.Equal(t, 1, h.tt.Bodies()[0].Closes(), "the discarded 429 was closed")
	require.Len(t, rewound, 1)
	assert.Equal(t, 1, rewound[0].Closes(), "the unsent rewound body was closed")
}

func TestRetryBodyReplay(t *testing.T) {
	h := newRetryHarness(RetryOptions{}, retryStatus(429), retryStatus(429), retryStatus(200))
	orig, getBody := testtransport.NewRequestBody(`{"ids":["a","b"]}`)
	req, err := http.NewRequest(http.MethodPost, retryURL, orig)
	require.NoError(t, err)
	req.GetBody = getBody
	resp, err := h.do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	require.Equal(t, 3, h.tt.Len())
	for i, r := range h.tt.Requests() {
		assert.Equal(t, `{"ids":["a","b"]}`, string(r.Body), "attempt %d", i)
	}
	assert.Equal(t, 1, orig.Closes(), "the caller's body is closed exactly once")

	// A body without GetBody: sent once, its answer returned as is.
	h = newRetryHarness(RetryOptions{}, retryStatus(429, "Retry-After", "1"), retryStatus(200))
	orig, _ = testtransport.NewRequestBody("once")
	req, err = http.NewRequest(http.MethodPut, retryURL, orig)
	require.NoError(t, err)
	resp, err = h.do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, 1, h.tt.Len())
	assert.Equal(t, 1, orig.Closes())

	// GetBody failing on a retry: the last answer is returned, still open.
	h = newRetryHarness(RetryOptions{}, retryStatus(429), retryStatus(200))
	req, err = http.NewRequest(http.MethodPost, retryURL, strings.NewReader("x"))
	require.NoError(t, err)
	req.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("gone") }
	resp, err = h.do(req)
	require.NoError(t, err)
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, 1, h.tt.Unclosed())
	resp.Body.Close()
}

type retryCallerKey struct{}

// retrySendCallers sends a caller's GET on ctx, with an Accept-Language,
// through h, and returns the request and a copy of its header from before.
func retrySendCallers(t *testing.T, h *retryHarness, ctx context.Context) (*http.Request, http.Header) {
	t.Helper()
	req := retryRequest(t, ctx, http.MethodGet)
	req.Header.Set("Accept-Language", "sv")
	header := req.Header.Clone()
	resp, err := h.do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return req, header
}

func TestRetryAttemptsAndCallerRequest(t *testing.T) {
	careless := func(r *http.Request) (*http.Response, error) {
		r.Header.Set("X-Below", "mutated") // a stage below that forgot to clone
		r.URL.Path = "/elsewhere"
		return retryStatus(503)(r)
	}
	h := newRetryHarness(RetryOptions{}, careless, careless, retryStatus(200))
	ctx := context.WithValue(context.Background(), retryCallerKey{}, "mine")
	req, header := retrySendCallers(t, h, ctx)
	var attempts []int
	for _, s := range h.sends {
		attempts = append(attempts, transport.Attempt(s.Context()))
		assert.NotSame(t, req, s)
		assert.Equal(t, "sv", s.Header.Get("Accept-Language"))
		assert.Equal(t, "mine", s.Context().Value(retryCallerKey{}))
	}
	assert.Equal(t, []int{0, 1, 2}, attempts)
	assert.Equal(t, header, req.Header)
	assert.Equal(t, retryURL, req.URL.String())
	assert.Same(t, ctx, req.Context())
}

// TestRetryFirstSendIsTheRequestWhenBelowKeepsRequests: with every stage
// below keeping the RoundTripper contract, the first send is the caller's
// request itself (a shallow copy when the stage adds the call record), the
// retries are still clones, and the caller's request ends as it began.
func TestRetryFirstSendIsTheRequestWhenBelowKeepsRequests(t *testing.T) {
	careful := func(r *http.Request) (*http.Response, error) { return retryStatus(503)(r) }
	for name, withRecord := range map[string]bool{"call record on the request": true, "record added by retry": false} {
		t.Run(name, func(t *testing.T) {
			h := newRetryHarness(RetryOptions{BelowKeepsRequests: true}, careful, careful, retryStatus(200))
			ctx := context.Background()
			if withRecord {
				ctx, _ = transport.StartCall(ctx, transport.CallSpec{})
			}
			req, header := retrySendCallers(t, h, ctx)
			require.Len(t, h.sends, 3)
			if withRecord {
				assert.Same(t, req, h.sends[0], "the first send is the request itself")
			} else {
				assert.NotSame(t, req, h.sends[0])
				assert.Equal(t, reflect.ValueOf(req.Header).Pointer(), reflect.ValueOf(h.sends[0].Header).Pointer(),
					"the first send is a shallow copy carrying the record")
			}
			for i, s := range h.sends[1:] {
				assert.NotSame(t, req, s, "retry %d is a clone", i+1)
				assert.NotEqual(t, reflect.ValueOf(req.Header).Pointer(), reflect.ValueOf(s.Header).Pointer())
				assert.Equal(t, i+1, transport.Attempt(s.Context()))
			}
			assert.Equal(t, header, req.Header)
			assert.Equal(t, retryURL, req.URL.String())
			assert.True(t, ctx == req.Context(), "the caller's context is kept")
		})
	}
}

func TestRetryCallRecordAndSpanEvents(t *testing.T) {
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	ctx, span := tp.Tracer("test").Start(context.Background(), "GET /me/tracks")
	ctx, info := transport.StartCall(ctx, transport.CallSpec{})
	h := newRetryHarness(RetryOptions{}, retryStatus(429, "Retry-After", "2"),
		retryFail(&BodyReadError{StatusCode: 200, Err: io.ErrUnexpectedEOF}),
		retryStatus(429, "Retry-After", "1"), retryStatus(200))
	resp, err := h.do(retryRequest(t, ctx, http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	span.End()

	st := info.Stats()
	assert.Equal(t, 2, st.RateLimited)
	assert.Equal(t, time.Second, st.RetryAfter)
	assert.Equal(t, 3*time.Second, st.Waited)

	require.Len(t, sr.Ended(), 1)
	want := [][]attribute.KeyValue{
		{attribute.Int("attempt", 1), attribute.Float64("wait", 2), attribute.String("reason", "429")},
		{attribute.Int("attempt", 2), attribute.Float64("wait", 0), attribute.String("reason", "*middleware.BodyReadError")},
		{attribute.Int("attempt", 3), attribute.Float64("wait", 1), attribute.String("reason", "429")},
	}
	events := sr.Ended()[0].Events()
	require.Len(t, events, len(want))
	for i, ev := range events {
		assert.Equal(t, "retry", ev.Name)
		assert.Equal(t, want[i], ev.Attributes)
	}
}

func TestRetryConcurrent(t *testing.T) {
	tt := testtransport.New().Append(func(r *http.Request) (*http.Response, error) {
		if transport.Attempt(r.Context()) == 0 {
			return retryStatus(503)(r)
		}
		return retryStatus(200)(r)
	}).Repeat()
	rt := Retry(RetryOptions{Clock: clock.NewFake(), Backoff: retryNoBackoff})(tt)
	var wg sync.WaitGroup
	for range 20 {
		req := retryRequest(t, context.Background(), http.MethodGet)
		wg.Go(func() {
			resp, err := rt.RoundTrip(req)
			if assert.NoError(t, err) {
				assert.Equal(t, 200, resp.StatusCode)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 40, tt.Len())
	assert.Zero(t, tt.Unclosed())
}

func TestRetryRecordsTheLastRetryAfter(t *testing.T) {
	ctx, call := transport.StartCall(context.Background(), transport.CallSpec{})
	h := newRetryHarness(RetryOptions{MaxRetries: -1}, retryStatus(503, "Retry-After", "2"))
	resp, err := h.do(retryRequest(t, ctx, http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 2*time.Second, call.RetryAfter(), "a 5xx's Retry-After is recorded too")
	assert.Equal(t, 0, call.Stats().RateLimited)

	ctx, call = transport.StartCall(context.Background(), transport.CallSpec{})
	h = newRetryHarness(RetryOptions{Backoff: func(int) time.Duration { return 0 }},
		retryStatus(429, "Retry-After", "0.001"), retryStatus(200))
	resp, err = h.do(retryRequest(t, ctx, http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, time.Duration(0), call.RetryAfter(), "the last response had none")
	assert.Equal(t, time.Millisecond, call.Stats().RetryAfter, "the 429's stays in the stats")
}

// The budget, not retry, decides that a 429 is not waited out; the error it
// returns for the attempt it refused carries the 429 the call met, with the
// server's own Retry-After, whatever the reason: a cap, a quota stop, a
// deadline.
func TestRetryBudgetRefusalCarriesThe429(t *testing.T) {
	deadline, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		header []string
		is     error
	}{
		{"cap", context.Background(), []string{"Retry-After", "3600"}, ErrRateLimited},
		{"quota", context.Background(), []string{"Retry-After", "30", "X-Quota", "yes"}, ErrQuotaExceeded},
		{"deadline", deadline, []string{"Retry-After", "20"}, context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newRetryHarness(RetryOptions{}, testtransport.Respond(429, `{"error":{"status":429}}`, tc.header...), retryStatus(200))
			start := h.fc.Now()
			resp, err := h.do(retryRequest(t, tc.ctx, http.MethodGet))
			require.Nil(t, resp)
			require.ErrorIs(t, err, tc.is)
			var rl *RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.Equal(t, 429, rl.StatusCode)
			assert.Equal(t, `{"error":{"status":429}}`, string(rl.Body))
			ra, _ := time.ParseDuration(tc.header[1] + "s")
			assert.Equal(t, ra, rl.RetryAfter, "the server's value")
			assert.Equal(t, start.Add(ra), rl.Until)
			assert.Equal(t, 1, h.tt.Len(), "no second request")
			assert.Equal(t, start, h.fc.Now(), "failed at once: no backoff either")
			assert.Zero(t, h.tt.Unclosed())
		})
	}
}

// A 429 is waited out once, by the budget: retry adds no wait of its own,
// and the call record counts the budget's wait once.
func TestRetry429WaitedOutOnce(t *testing.T) {
	ctx, call := transport.StartCall(context.Background(), transport.CallSpec{})
	h := newRetryHarness(RetryOptions{Backoff: func(int) time.Duration { return time.Second }},
		retryStatus(429, "Retry-After", "3"), retryStatus(200))
	resp, err := h.do(retryRequest(t, ctx, http.MethodGet))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, []time.Duration{3 * time.Second}, h.gaps, "not 3 s of retry and 3 s of budget, nor 1 s + 3 s")
	assert.Equal(t, 3*time.Second, call.Stats().Waited)

	// Without a stage that hands the 429 to a budget, retry waits its
	// backoff (it never reads the header itself).
	fc := clock.NewFake()
	tt := testtransport.New().Append(retryStatus(429, "Retry-After", "3")).Append(retryStatus(200))
	rt := Retry(RetryOptions{Clock: fc, Backoff: func(int) time.Duration { return time.Second }})(tt)
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := rt.RoundTrip(retryRequest(t, context.Background(), http.MethodGet))
		if assert.NoError(t, err) {
			resp.Body.Close()
		}
	}()
	require.True(t, fc.BlockUntil(1))
	start := fc.Now()
	fc.AdvanceToNext()
	<-done
	assert.Equal(t, time.Second, fc.Now().Sub(start))
}
