package middleware

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

// rlRequest builds a GET on ctx, with a counted body when body is not nil.
func rlRequest(t *testing.T, ctx context.Context, body *testtransport.Body) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.spotify.com/v1/albums/x", nil)
	require.NoError(t, err)
	if body != nil {
		req.Method = http.MethodPut
		req.Body = body
	}
	return req
}

type rlResult struct {
	resp *http.Response
	err  error
}

// rlSend runs rt.RoundTrip(req) on its own goroutine and closes the response
// body, if any.
func rlSend(rt http.RoundTripper, req *http.Request) <-chan rlResult {
	ch := make(chan rlResult, 1)
	go func() {
		resp, err := rt.RoundTrip(req)
		if resp != nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}
		ch <- rlResult{resp, err}
	}()
	return ch
}

func TestRateLimitSharedBudgetHoldsBackOtherClients(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	budget := NewFixedBudget(BudgetOptions{Clock: fc})
	tt := testtransport.New().
		AppendResponse(http.StatusTooManyRequests, "slow down", "Retry-After", "2").
		AppendResponse(http.StatusOK, "ok").Repeat()
	clientA := RateLimit(RateLimitOptions{Budget: budget})(tt)
	clientB := RateLimit(RateLimitOptions{Budget: budget})(tt)

	resp, err := clientA.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "the 429 is passed up as a response")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "slow down", string(body))
	require.NoError(t, resp.Body.Close())
	deadline, _ := budget.Until()
	assert.Equal(t, fc.Now().Add(2*time.Second), deadline)

	var info *transport.Call
	var results []<-chan rlResult
	for i := range 6 {
		rt := clientA
		if i%2 == 1 {
			rt = clientB
		}
		ctx := context.Background()
		if i == 0 {
			ctx, info = transport.StartCall(ctx, transport.CallSpec{})
		}
		results = append(results, rlSend(rt, rlRequest(t, ctx, nil)))
	}
	require.True(t, fc.BlockUntil(6))

	fc.Advance(2*time.Second - time.Millisecond)
	assert.Equal(t, 6, fc.Timers(), "nobody is released before the deadline")
	assert.Equal(t, 1, tt.Len(), "nothing is sent during the cool-down")

	fc.Advance(200*time.Millisecond + time.Millisecond) // deadline + wait/10
	for _, ch := range results {
		r := budgetRecv(t, ch)
		require.NoError(t, r.err)
		assert.Equal(t, http.StatusOK, r.resp.StatusCode)
	}
	assert.Equal(t, 7, tt.Len())
	assert.Zero(t, tt.Unclosed())
	assert.Equal(t, 2200*time.Millisecond, info.Stats().Waited, "released when the clock jumped to 2.2 s")
}

func TestRateLimitAboveCapFailsEveryWaiterAtOnce(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	budget := NewFixedBudget(BudgetOptions{Clock: fc})
	arrived, release := make(chan struct{}), make(chan struct{})
	tt := testtransport.New().
		Append(func(req *http.Request) (*http.Response, error) {
			close(arrived)
			<-release
			return testtransport.Respond(http.StatusTooManyRequests, "", "Retry-After", "3600")(req)
		}).
		AppendResponse(http.StatusTooManyRequests, "", "Retry-After", "2")
	clientA := RateLimit(RateLimitOptions{Budget: budget, MaxRetryAfter: time.Minute})(tt)
	clientB := RateLimit(RateLimitOptions{Budget: budget, MaxRetryAfter: time.Minute})(tt)

	// One request of A is in flight; B gets a 429 with Retry-After 2.
	inFlight := rlSend(clientA, rlRequest(t, context.Background(), nil))
	budgetRecv(t, arrived)
	resp, err := clientB.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	transport.DrainAndClose(resp)

	// A waiter of A waits out the 2 s cool-down...
	reqBody, _ := testtransport.NewRequestBody("payload")
	waiter := rlSend(clientA, rlRequest(t, context.Background(), reqBody))
	require.True(t, fc.BlockUntil(1))

	// ...when the in-flight request brings back a 429 with Retry-After 3600.
	close(release)
	r := budgetRecv(t, inFlight)
	require.NoError(t, r.err)
	assert.Equal(t, http.StatusTooManyRequests, r.resp.StatusCode)

	checkCap := func(err error) {
		t.Helper()
		var rle *RateLimitError
		require.ErrorAs(t, err, &rle)
		assert.True(t, errors.Is(err, ErrRateLimited))
		assert.InDelta(t, time.Hour, rle.RetryAfter, float64(time.Second))
		assert.Equal(t, time.Minute, rle.Max)
	}
	r = budgetRecv(t, waiter) // at once: the clock has not moved
	checkCap(r.err)
	assert.Nil(t, r.resp)
	assert.Equal(t, 1, reqBody.Closes(), "the waiter's request body is closed")

	// New arrivals on either client fail at once too.
	_, err = clientA.RoundTrip(rlRequest(t, context.Background(), nil))
	checkCap(err)
	_, err = clientB.RoundTrip(rlRequest(t, context.Background(), nil))
	checkCap(err)
	assert.Equal(t, 2, tt.Len(), "nothing else was sent")
	assert.Zero(t, fc.Timers())
}

// MaxRetryAfter reads as in RetryOptions: 0 is a 60 s cap, a negative
// value no cap at all.
func TestRateLimitMaxRetryAfterCap(t *testing.T) {
	for _, tc := range []struct {
		name   string
		max    time.Duration
		capped bool
	}{{"default", 0, true}, {"none", -1, false}} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			fc := clock.NewFake()
			budget := NewFixedBudget(BudgetOptions{Clock: fc})
			budget.CoolDown(DefaultMaxRetryAfter+time.Second, false)
			tt := testtransport.New().AppendResponse(http.StatusOK, "ok")
			rt := RateLimit(RateLimitOptions{Budget: budget, MaxRetryAfter: tc.max})(tt)
			res := rlSend(rt, rlRequest(t, context.Background(), nil))
			if tc.capped {
				r := budgetRecv(t, res)
				var rle *RateLimitError
				require.ErrorAs(t, r.err, &rle)
				assert.Equal(t, DefaultMaxRetryAfter, rle.Max)
				assert.Zero(t, tt.Len())
				return
			}
			require.True(t, fc.BlockUntil(1), "the cool-down is waited out")
			fc.AdvanceToNext()
			r := budgetRecv(t, res)
			require.NoError(t, r.err)
			assert.Equal(t, http.StatusOK, r.resp.StatusCode)
			assert.Equal(t, 1, tt.Len())
		})
	}
}

func TestRateLimitWaitOutlivingDeadline(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	budget := NewFixedBudget(BudgetOptions{Clock: fc})
	budget.CoolDown(5*time.Second, false)
	tt := testtransport.New().AppendResponse(http.StatusOK, "ok")
	rt := RateLimit(RateLimitOptions{Budget: budget})(tt)

	ctx := budgetDeadlineCtx{Context: context.Background(), deadline: fc.Now().Add(time.Second)}
	reqBody, _ := testtransport.NewRequestBody("payload")
	resp, err := rt.RoundTrip(rlRequest(t, ctx, reqBody))
	assert.Nil(t, resp)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, 1, reqBody.Closes())
	assert.Zero(t, tt.Len())
}

func TestRateLimitQuotaStop(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	tt := testtransport.New().
		AppendResponse(http.StatusTooManyRequests, "", "Retry-After", "30", "X-Test-Quota", "1").
		AppendResponse(http.StatusOK, "ok")
	classifier := func(resp *http.Response) bool { return resp.Header.Get("X-Test-Quota") == "1" }
	rt := RateLimit(RateLimitOptions{Clock: fc, Classifier: classifier})(tt)

	resp, err := rt.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	transport.DrainAndClose(resp)

	_, err = rt.RoundTrip(rlRequest(t, context.Background(), nil))
	assert.ErrorIs(t, err, ErrQuotaExceeded)
	assert.Equal(t, 1, tt.Len())

	fc.Advance(30 * time.Second)
	resp, err = rt.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	transport.DrainAndClose(resp)
}

func TestRateLimitRetryAfterForms(t *testing.T) {
	fc := clock.NewFake()
	cases := []struct {
		name   string
		header []string
		opts   BudgetOptions
		want   time.Duration
	}{
		{"seconds", []string{"Retry-After", "7"}, BudgetOptions{}, 7 * time.Second},
		{"decimal", []string{"Retry-After", "0.5"}, BudgetOptions{}, 500 * time.Millisecond},
		{"http date", []string{"Retry-After", fc.Now().Add(90 * time.Second).Format(http.TimeFormat)}, BudgetOptions{}, 90 * time.Second},
		{"missing", nil, BudgetOptions{}, time.Second},
		{"unparsable", []string{"Retry-After", "soon"}, BudgetOptions{DefaultRetryAfter: 4 * time.Second}, 4 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bo := tc.opts
			bo.Clock = fc
			o := RateLimitOptions{Clock: fc, Budget: NewFixedBudget(bo)}
			tt := testtransport.New().AppendResponse(http.StatusTooManyRequests, "", tc.header...)
			resp, err := RateLimit(o)(tt).RoundTrip(rlRequest(t, context.Background(), nil))
			require.NoError(t, err)
			transport.DrainAndClose(resp)
			until, quota := o.Budget.Until()
			assert.Equal(t, fc.Now().Add(tc.want), until)
			assert.False(t, quota)
		})
	}
}

func TestRateLimitPrivateBudgetsAreSeparate(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fc := clock.NewFake()
	tt := testtransport.New().
		AppendResponse(http.StatusTooManyRequests, "", "Retry-After", "10").
		AppendResponse(http.StatusOK, "ok")
	a := RateLimit(RateLimitOptions{Clock: fc})(tt)
	b := RateLimit(RateLimitOptions{Clock: fc})(tt)
	resp, err := a.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	transport.DrainAndClose(resp)
	resp, err = b.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err, "b does not share a's cool-down")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	transport.DrainAndClose(resp)
}

func TestRateLimitPassesErrorsAndLimiterSpacing(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	boom := errors.New("connection reset")
	tt := testtransport.New().AppendError(boom)
	_, err := RateLimit(RateLimitOptions{})(tt).RoundTrip(rlRequest(t, context.Background(), nil))
	assert.ErrorIs(t, err, boom)

	// Rate 10/s, burst 1: five concurrent requests leave 100 ms apart.
	fc := clock.NewFake()
	start := fc.Now()
	sent := make(chan time.Time, 5)
	tt = testtransport.New().Append(func(req *http.Request) (*http.Response, error) {
		sent <- fc.Now()
		return testtransport.Respond(http.StatusOK, "ok")(req)
	}).Repeat()
	rt := RateLimit(RateLimitOptions{Budget: NewFixedBudget(BudgetOptions{Clock: fc, Rate: 10, Burst: 1})})(tt)
	var results []<-chan rlResult
	for range 5 {
		results = append(results, rlSend(rt, rlRequest(t, context.Background(), nil)))
	}
	var times []time.Time
	times = append(times, budgetRecv(t, sent))
	require.True(t, fc.BlockUntil(4))
	for range 4 {
		require.True(t, fc.AdvanceToNext())
		times = append(times, budgetRecv(t, sent))
	}
	for _, ch := range results {
		require.NoError(t, budgetRecv(t, ch).err)
	}
	assert.InDelta(t, 400*time.Millisecond, times[4].Sub(start), float64(time.Millisecond))
	for i := 1; i < len(times); i++ {
		assert.InDelta(t, 100*time.Millisecond, times[i].Sub(times[i-1]), float64(time.Millisecond))
	}
}

// recordingBudget is a Budget of the test's own: it records every outcome
// and fails Wait with err when err is set.
type recordingBudget struct {
	err      error
	outcomes []Outcome
}

func (b *recordingBudget) Wait(ctx context.Context, _ time.Duration) error {
	if b.err != nil {
		return b.err
	}
	return ctx.Err()
}
func (b *recordingBudget) Observe(_ context.Context, o Outcome) { b.outcomes = append(b.outcomes, o) }
func (b *recordingBudget) Until() (time.Time, bool)             { return time.Time{}, false }
func (b *recordingBudget) Reset()                               {}

// The stage tells the budget the outcome of every attempt, 429 or not, with
// the Retry-After it parsed once, and stores that value on the call record
// for the stages above.
func TestRateLimitReportsEveryOutcomeToTheBudget(t *testing.T) {
	fc := clock.NewFake()
	boom := errors.New("connection reset")
	tt := testtransport.New().
		AppendResponse(http.StatusServiceUnavailable, "", "Retry-After", "7").
		AppendResponse(http.StatusTooManyRequests, "", "Retry-After", "2", "X-Test-Quota", "1").
		AppendResponse(http.StatusTooManyRequests, "").
		AppendError(boom).
		AppendResponse(http.StatusOK, "ok")
	b := &recordingBudget{}
	rt := RateLimit(RateLimitOptions{Budget: b, Clock: fc,
		Classifier: func(resp *http.Response) bool { return resp.Header.Get("X-Test-Quota") == "1" }})(tt)
	ctx, call := transport.StartCall(context.Background(), transport.CallSpec{})
	var stored []time.Duration
	for range 5 {
		resp, _ := rt.RoundTrip(rlRequest(t, ctx, nil))
		if resp != nil {
			transport.DrainAndClose(resp)
		}
		stored = append(stored, call.RetryAfter())
		fc.Advance(time.Second)
	}
	start := fc.Now().Add(-5 * time.Second)
	at := func(i int) time.Time { return start.Add(time.Duration(i) * time.Second) }
	assert.Equal(t, []Outcome{
		{Status: 503, RetryAfter: 7 * time.Second, HasRetryAfter: true, At: at(0)},
		{Status: 429, RetryAfter: 2 * time.Second, HasRetryAfter: true, Quota: true, At: at(1)},
		{Status: 429, At: at(2)},
		{At: at(3), Err: boom},
		{Status: 200, At: at(4)},
	}, b.outcomes)
	assert.Equal(t, []time.Duration{7 * time.Second, 2 * time.Second, 0, 0, 0}, stored,
		"the call record holds the last answer's Retry-After")
	assert.Equal(t, 2, call.Stats().RateLimited)
	assert.Equal(t, 2*time.Second, call.Stats().RetryAfter)
}

// A Retry-After on a 5xx is that call's business (a floor under its retry's
// backoff), never a cool-down for the other calls of the budget.
func TestRateLimit5xxRetryAfterIsNoCoolDown(t *testing.T) {
	fc := clock.NewFake()
	budget := NewFixedBudget(BudgetOptions{Clock: fc})
	tt := testtransport.New().
		AppendResponse(http.StatusServiceUnavailable, "", "Retry-After", "30").
		AppendResponse(http.StatusOK, "ok")
	rt := RateLimit(RateLimitOptions{Budget: budget})(tt)
	ctx, call := transport.StartCall(context.Background(), transport.CallSpec{})
	resp, err := rt.RoundTrip(rlRequest(t, ctx, nil))
	require.NoError(t, err)
	transport.DrainAndClose(resp)
	assert.Equal(t, 30*time.Second, call.RetryAfter())
	until, _ := budget.Until()
	assert.False(t, until.After(fc.Now()), "no cool-down")

	resp, err = rt.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err, "the next call is not held back")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	transport.DrainAndClose(resp)
}

// A budget that cannot decide (a shared one whose server is away) fails the
// attempt with its error, unsent, with the request's body closed.
func TestRateLimitBudgetErrorFailsTheAttempt(t *testing.T) {
	down := errors.New("budget server unreachable")
	tt := testtransport.New().AppendResponse(http.StatusOK, "ok")
	rt := RateLimit(RateLimitOptions{Budget: &recordingBudget{err: down}})(tt)
	body, _ := testtransport.NewRequestBody("payload")
	resp, err := rt.RoundTrip(rlRequest(t, context.Background(), body))
	assert.Nil(t, resp)
	assert.ErrorIs(t, err, down)
	assert.Equal(t, 1, body.Closes())
	assert.Zero(t, tt.Len())
}
