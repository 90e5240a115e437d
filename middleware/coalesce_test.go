package middleware

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

const (
	coalesceBody = `{"albums":[{"id":"a"},{"id":"b"}]}`
	coalesceURL  = "https://api.spotify.com/v1/albums/a"
)

// coalesceFake is the transport below the stage: every request announces
// itself on entered, then blocks until release is closed (and answers with
// answer) or until its context ends (and reports the context's error on
// ctxEnded). Its script records requests and response bodies.
type coalesceFake struct {
	tt       *testtransport.Transport
	entered  chan *http.Request
	release  chan struct{}
	ctxEnded chan error
}

func newCoalesceFake(answer testtransport.Step) *coalesceFake {
	f := &coalesceFake{
		entered:  make(chan *http.Request, 100),
		release:  make(chan struct{}),
		ctxEnded: make(chan error, 100),
	}
	f.tt = testtransport.New().Append(func(req *http.Request) (*http.Response, error) {
		f.entered <- req
		select {
		case <-f.release:
			return answer(req)
		case <-req.Context().Done():
			f.ctxEnded <- req.Context().Err()
			return nil, req.Context().Err()
		}
	}).Repeat()
	return f
}

var coalesceOK = testtransport.Respond(http.StatusOK, coalesceBody, "Content-Type", "application/json", "X-Test", "v")

// coalesceRequest is a request of principal (none when "") on ctx.
func coalesceRequest(t *testing.T, ctx context.Context, principal, method, url string, body io.Reader) *http.Request {
	t.Helper()
	if principal != "" {
		ctx = withPrincipal(ctx, principal)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	require.NoError(t, err)
	return req
}

type coalesceResult struct {
	req  *http.Request
	resp *http.Response
	body string
	err  error
}

// coalesceSend runs req through rt on its own goroutine and reads the
// whole answer.
func coalesceSend(rt http.RoundTripper, req *http.Request) <-chan coalesceResult {
	ch := make(chan coalesceResult, 1)
	go func() {
		resp, err := rt.RoundTrip(req)
		r := coalesceResult{req: req, resp: resp, err: err}
		if resp != nil {
			b, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			r.body = string(b)
		}
		ch <- r
	}()
	return ch
}

// coalesceExpectOK expects each result to be the full 200 answer.
func coalesceExpectOK(t *testing.T, results ...<-chan coalesceResult) {
	t.Helper()
	for _, ch := range results {
		r := budgetRecv(t, ch)
		require.NoError(t, r.err)
		assert.Equal(t, coalesceBody, r.body)
	}
}

// coalesceWaiters returns how many callers wait on the running flights of
// rt, and how many flights there are.
func coalesceWaiters(rt http.RoundTripper) (waiters, flights int) {
	ct := rt.(*coalesceTransport)
	ct.mu.Lock()
	defer ct.mu.Unlock()
	for _, f := range ct.flights {
		waiters += f.waiters
	}
	return waiters, len(ct.flights)
}

func requireWaiters(t *testing.T, rt http.RoundTripper, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		w, _ := coalesceWaiters(rt)
		return w == n
	}, 5*time.Second, time.Millisecond, "expected %d waiters", n)
}

// TestCoalesceLoneCallerTakesTheBufferedBody: a flight's only waiter
// gets the download stage's body itself, unread, not a copy over its bytes.
func TestCoalesceLoneCallerTakesTheBufferedBody(t *testing.T) {
	var made *transport.BufferedBody
	below := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		made = transport.NewBufferedBody([]byte(coalesceBody))
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Request: req, Body: made}, nil
	})
	rt := Coalesce(CoalesceOptions{})(below)
	req := coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	assert.Same(t, made, resp.Body)
	assert.Same(t, req, resp.Request)
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, coalesceBody, string(data))
}

func TestCoalesceIdenticalGETsShareOneRequest(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fake := newCoalesceFake(coalesceOK)
	rt := Coalesce(CoalesceOptions{})(Download(DownloadOptions{})(fake.tt))

	const n = 50
	results := make([]<-chan coalesceResult, n)
	for i := range n {
		u := "https://api.spotify.com/v1/albums?ids=a,b&market=SE"
		if i%2 == 1 {
			u = "https://API.spotify.com:443/v1/albums?market=SE&ids=a%2Cb"
		}
		results[i] = coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, u, nil))
	}
	budgetRecv(t, fake.entered)
	requireWaiters(t, rt, n)
	close(fake.release)

	got := make([]coalesceResult, n)
	bodies := map[io.ReadCloser]bool{}
	for i, ch := range results {
		r := budgetRecv(t, ch)
		require.NoError(t, r.err)
		assert.Equal(t, http.StatusOK, r.resp.StatusCode)
		assert.Equal(t, coalesceBody, r.body, "every waiter reads the full body")
		assert.Equal(t, "v", r.resp.Header.Get("X-Test"))
		assert.Same(t, r.req, r.resp.Request, "Request is the waiter's own")
		assert.False(t, bodies[r.resp.Body], "a Body shared between waiters")
		bodies[r.resp.Body] = true
		got[i] = r
	}
	assert.Equal(t, 1, fake.tt.Len(), "one request below")
	assert.Zero(t, fake.tt.Unclosed())

	got[0].resp.Header.Set("X-Test", "changed")
	for _, r := range got[1:] {
		assert.Equal(t, "v", r.resp.Header.Get("X-Test"), "headers are per waiter")
	}

	_, flights := coalesceWaiters(rt)
	assert.Zero(t, flights, "a finished flight leaves the map")

	// A caller after the flight finished starts a new one.
	coalesceExpectOK(t, coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, "https://api.spotify.com/v1/albums?ids=a,b&market=SE", nil)))
	assert.Equal(t, 2, fake.tt.Len())
}

func TestCoalesceNotShared(t *testing.T) {
	noCache := withOverrides(context.Background(), transport.Overrides{NoCache: true})
	mk := func(ctx context.Context, principal, method, ifNoneMatch string) func(t *testing.T) *http.Request {
		return func(t *testing.T) *http.Request {
			var body io.Reader
			if method == http.MethodPost {
				body = strings.NewReader("{}")
			}
			req := coalesceRequest(t, ctx, principal, method, coalesceURL, body)
			if ifNoneMatch != "" {
				req.Header.Set("If-None-Match", ifNoneMatch)
			}
			return req
		}
	}
	bg, get := context.Background(), http.MethodGet
	cases := []struct {
		name     string
		a, b     func(t *testing.T) *http.Request
		disabled bool
	}{
		{"different principals", mk(bg, "alice", get, ""), mk(bg, "bob", get, ""), false},
		{"no principal", mk(bg, "", get, ""), mk(bg, "", get, ""), false},
		{"POST", mk(bg, "alice", http.MethodPost, ""), mk(bg, "alice", http.MethodPost, ""), false},
		{"per-call overrides", mk(noCache, "alice", get, ""), mk(noCache, "alice", get, ""), false},
		{"a conditional request and a plain one", mk(bg, "alice", get, `"v1"`), mk(bg, "alice", get, ""), false},
		{"stage disabled", mk(bg, "alice", get, ""), mk(bg, "alice", get, ""), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			fake := newCoalesceFake(coalesceOK)
			rt := Coalesce(CoalesceOptions{Disabled: tc.disabled})(fake.tt)
			ra := coalesceSend(rt, tc.a(t))
			rb := coalesceSend(rt, tc.b(t))
			budgetRecv(t, fake.entered)
			budgetRecv(t, fake.entered)
			close(fake.release)
			coalesceExpectOK(t, ra, rb)
			assert.Equal(t, 2, fake.tt.Len())
		})
	}
}

func TestCoalesceCancelledWaiterDoesNotFailOthers(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fake := newCoalesceFake(coalesceOK)
	rt := Coalesce(CoalesceOptions{})(fake.tt)
	ctx, cancel := context.WithCancel(context.Background())

	// A caller whose context already ended sends nothing.
	cancelled, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	_, err := rt.RoundTrip(coalesceRequest(t, cancelled, "alice", http.MethodGet, coalesceURL, nil))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, fake.tt.Len())

	r1 := coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil))
	flightReq := budgetRecv(t, fake.entered)
	r2 := coalesceSend(rt, coalesceRequest(t, ctx, "alice", http.MethodGet, coalesceURL, nil))
	r3 := coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil))
	requireWaiters(t, rt, 3)

	cancel()
	r := budgetRecv(t, r2)
	assert.Nil(t, r.resp)
	assert.ErrorIs(t, r.err, context.Canceled)
	requireWaiters(t, rt, 2)
	assert.NoError(t, flightReq.Context().Err(), "the flight goes on")

	close(fake.release)
	coalesceExpectOK(t, r1, r3)
	assert.Empty(t, fake.ctxEnded, "the request below was not cancelled")
	assert.Equal(t, 1, fake.tt.Len())
	assert.Zero(t, fake.tt.Unclosed())
}

// When the first caller leaves, its request is cancelled and a caller
// that joined sends the request again, under its own context.
func TestCoalesceFirstCallerLeavingHandsTheRequestOn(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fake := newCoalesceFake(coalesceOK)
	rt := Coalesce(CoalesceOptions{})(fake.tt)

	ctx1, cancel1 := context.WithCancel(context.Background())
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	r1 := coalesceSend(rt, coalesceRequest(t, ctx1, "alice", http.MethodGet, coalesceURL, nil))
	first := budgetRecv(t, fake.entered)
	req2 := coalesceRequest(t, ctx2, "alice", http.MethodGet, coalesceURL, nil)
	r2 := coalesceSend(rt, req2)
	r3 := coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil))
	// A caller on the first caller's very context leaves with it.
	r4 := coalesceSend(rt, coalesceRequest(t, ctx1, "alice", http.MethodGet, coalesceURL, nil))
	requireWaiters(t, rt, 4)

	cancel1()
	assert.ErrorIs(t, budgetRecv(t, r1).err, context.Canceled)
	assert.ErrorIs(t, budgetRecv(t, r4).err, context.Canceled)
	assert.ErrorIs(t, budgetRecv(t, fake.ctxEnded), context.Canceled, "the first caller's request is cancelled")
	again := budgetRecv(t, fake.entered)
	assert.NotSame(t, first, again)
	requireWaiters(t, rt, 2)
	_, flights := coalesceWaiters(rt)
	assert.Equal(t, 1, flights, "the others share the second request")

	close(fake.release)
	coalesceExpectOK(t, r2, r3)
	assert.Equal(t, 2, fake.tt.Len(), "one request more, for the callers left")
	assert.Zero(t, fake.tt.Unclosed())
}

func TestCoalesceLifetimeEndCancelsFlights(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	life, closeClient := context.WithCancel(context.Background())
	fake := newCoalesceFake(coalesceOK)
	rt := Coalesce(CoalesceOptions{Context: life})(fake.tt)

	r1 := coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil))
	budgetRecv(t, fake.entered)
	r2 := coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil))
	requireWaiters(t, rt, 2)

	closeClient()
	assert.ErrorIs(t, budgetRecv(t, fake.ctxEnded), context.Canceled, "the flight is cancelled")
	for _, ch := range []<-chan coalesceResult{r1, r2} {
		r := budgetRecv(t, ch)
		assert.Nil(t, r.resp)
		assert.ErrorIs(t, r.err, context.Canceled)
		assert.Contains(t, r.err.Error(), "client closed")
	}

	// After Close nothing is sent.
	r := budgetRecv(t, coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil)))
	assert.ErrorIs(t, r.err, context.Canceled)
	assert.Equal(t, 1, fake.tt.Len())
}

type coalesceCtxKey struct{}

func TestCoalesceFlightRunsOnTheFirstCallersRequest(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fake := newCoalesceFake(coalesceOK)
	rt := Coalesce(CoalesceOptions{})(fake.tt)

	base, _ := transport.StartCall(context.Background(), transport.CallSpec{Route: "/albums/{id}"})
	base = context.WithValue(base, coalesceCtxKey{}, "first")
	ctx1, cancel1 := context.WithTimeout(base, time.Hour)
	defer cancel1()
	req1 := coalesceRequest(t, ctx1, "alice", http.MethodGet, coalesceURL, nil)
	r1 := coalesceSend(rt, req1)
	flightReq := budgetRecv(t, fake.entered)
	r2 := coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil))
	requireWaiters(t, rt, 2)

	// Without a lifetime to bind to, the flight sends the first caller's
	// request itself: its values, record, deadline and cancellation.
	assert.Same(t, req1, flightReq)
	fctx := flightReq.Context()
	assert.Equal(t, "/albums/{id}", transport.CallFrom(fctx).Route())
	assert.Equal(t, "alice", transport.CallFrom(fctx).Principal())
	assert.Equal(t, "first", fctx.Value(coalesceCtxKey{}))
	_, hasDeadline := fctx.Deadline()
	assert.True(t, hasDeadline, "the first caller's deadline is the flight's")

	close(fake.release)
	coalesceExpectOK(t, r1, r2)
	assert.Equal(t, 1, fake.tt.Len())
	assert.Empty(t, fake.ctxEnded)
}

func TestCoalesceErrorsAreShared(t *testing.T) {
	boom := errors.New("connection reset by peer")
	cases := []struct {
		name   string
		answer testtransport.Step
		check  func(t *testing.T, err error)
	}{
		{"transport error",
			func(*http.Request) (*http.Response, error) { return nil, boom },
			func(t *testing.T, err error) { assert.ErrorIs(t, err, boom) }},
		{"body read error",
			func(req *http.Request) (*http.Response, error) {
				resp, err := coalesceOK(req)
				resp.Body = io.NopCloser(io.MultiReader(strings.NewReader(`{"alb`), iotest.ErrReader(boom)))
				return resp, err
			},
			func(t *testing.T, err error) {
				var bre *BodyReadError
				require.ErrorAs(t, err, &bre)
				assert.Equal(t, http.StatusOK, bre.StatusCode)
				assert.ErrorIs(t, err, boom)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			fake := newCoalesceFake(tc.answer)
			rt := Coalesce(CoalesceOptions{})(fake.tt)
			results := make([]<-chan coalesceResult, 5)
			for i := range results {
				results[i] = coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil))
			}
			budgetRecv(t, fake.entered)
			requireWaiters(t, rt, len(results))
			close(fake.release)
			for _, ch := range results {
				r := budgetRecv(t, ch)
				assert.Nil(t, r.resp)
				tc.check(t, r.err)
			}
			assert.Equal(t, 1, fake.tt.Len())
			assert.Zero(t, fake.tt.Unclosed())
		})
	}
}

// An empty answer (HEAD, 204) reaches every waiter as http.NoBody: over
// the download stage alone, and through the stages of the real chain,
// which hook the end of every response; the flight reads nothing and every
// slot and deadline is given back at once.
func TestCoalesceSharesNoBody(t *testing.T) {
	for _, tc := range []struct {
		name   string
		method string
		answer testtransport.Step
		full   bool // the real chain's stages, not download alone
	}{
		{"HEAD over download", http.MethodHead, coalesceOK, false},
		{"HEAD", http.MethodHead, coalesceOK, true},
		{"204", http.MethodGet, testtransport.Respond(http.StatusNoContent, "", "X-Test", "v"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			fake := newCoalesceFake(tc.answer)
			bh := NewBulkhead(4)
			stages := []transport.Stage{{Name: StageCoalesce, Wrap: Coalesce(CoalesceOptions{})}}
			if tc.full {
				stages = append(stages,
					transport.Stage{Name: StageRetry, Wrap: Retry(RetryOptions{})},
					transport.Stage{Name: StageBulkhead, Wrap: Concurrency(BulkheadOptions{Bulkhead: bh})},
					transport.Stage{Name: StageTimeout, Wrap: Timeout(TimeoutOptions{})},
					transport.Stage{Name: StageAttempt, Wrap: Attempt(AttemptOptions{})})
			}
			stages = append(stages, transport.Stage{Name: StageDownload, Wrap: Download(DownloadOptions{})})
			rt := transport.NewChain(stages...).Then(fake.tt)
			r1 := coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", tc.method, coalesceURL, nil))
			r2 := coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", tc.method, coalesceURL, nil))
			budgetRecv(t, fake.entered)
			requireWaiters(t, rt, 2)
			close(fake.release)
			for _, ch := range []<-chan coalesceResult{r1, r2} {
				r := budgetRecv(t, ch)
				require.NoError(t, r.err)
				assert.Equal(t, http.NoBody, r.resp.Body)
				assert.Equal(t, "v", r.resp.Header.Get("X-Test"))
			}
			assert.Equal(t, 1, fake.tt.Len())
			assert.Zero(t, bh.InFlight())
		})
	}
}

func TestCoalesceLifetimeEndCancelsUnboundFlights(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	life, closeClient := context.WithCancel(context.Background())
	fake := newCoalesceFake(coalesceOK)
	rt := Coalesce(CoalesceOptions{Context: life})(fake.tt)

	// Callers whose contexts can end and are not bound to the lifetime
	// (their records do not name it): the stage binds their flights.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r1 := coalesceSend(rt, coalesceRequest(t, ctx, "alice", http.MethodGet, coalesceURL, nil))
	r2 := coalesceSend(rt, coalesceRequest(t, ctx, "bob", http.MethodGet, coalesceURL, nil))
	budgetRecv(t, fake.entered)
	budgetRecv(t, fake.entered)
	r3 := coalesceSend(rt, coalesceRequest(t, ctx, "alice", http.MethodGet, coalesceURL, nil))
	requireWaiters(t, rt, 3)

	closeClient()
	for range 2 {
		assert.ErrorIs(t, budgetRecv(t, fake.ctxEnded), context.Canceled, "the flights are cancelled")
	}
	for _, ch := range []<-chan coalesceResult{r1, r2, r3} {
		r := budgetRecv(t, ch)
		assert.Nil(t, r.resp)
		assert.ErrorIs(t, r.err, context.Canceled)
		assert.Contains(t, r.err.Error(), "client closed")
	}
	require.Eventually(t, func() bool {
		_, flights := coalesceWaiters(rt)
		return flights == 0
	}, 5*time.Second, time.Millisecond)
}

func TestCoalesceInlineFlightOutlivesLeavingJoiner(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	life, closeClient := context.WithCancel(context.Background())
	defer closeClient()
	fake := newCoalesceFake(coalesceOK)
	rt := Coalesce(CoalesceOptions{Context: life})(fake.tt)

	// The first caller's context never ends: the flight runs on its
	// goroutine, with its values and the lifetime's cancellation.
	base := context.WithValue(context.Background(), coalesceCtxKey{}, "first")
	r1 := coalesceSend(rt, coalesceRequest(t, base, "alice", http.MethodGet, coalesceURL, nil))
	flightReq := budgetRecv(t, fake.entered)
	assert.Equal(t, "first", flightReq.Context().Value(coalesceCtxKey{}))
	assert.Equal(t, "alice", transport.CallFrom(flightReq.Context()).Principal())
	assert.NotNil(t, flightReq.Context().Done(), "the lifetime can cancel the flight")
	_, hasDeadline := flightReq.Context().Deadline()
	assert.False(t, hasDeadline)

	ctx2, cancel2 := context.WithCancel(context.Background())
	r2 := coalesceSend(rt, coalesceRequest(t, ctx2, "alice", http.MethodGet, coalesceURL, nil))
	r3 := coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil))
	requireWaiters(t, rt, 3)
	cancel2()
	assert.ErrorIs(t, budgetRecv(t, r2).err, context.Canceled, "a joiner gives up at once")
	requireWaiters(t, rt, 2)
	assert.NoError(t, flightReq.Context().Err())

	close(fake.release)
	got := []coalesceResult{budgetRecv(t, r1), budgetRecv(t, r3)}
	for _, r := range got {
		require.NoError(t, r.err)
		assert.Equal(t, coalesceBody, r.body)
		assert.Same(t, r.req, r.resp.Request)
	}
	assert.NotSame(t, got[0].resp, got[1].resp)
	got[0].resp.Header.Set("X-Test", "changed")
	assert.Equal(t, "v", got[1].resp.Header.Get("X-Test"), "headers are per waiter")
	assert.Equal(t, 1, fake.tt.Len())
	assert.Zero(t, fake.tt.Unclosed())
}

func TestCoalesceLoneCallerGetsItsAnswer(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	for _, name := range []string{"background", "cancellable"} {
		t.Run(name, func(t *testing.T) {
			fake := newCoalesceFake(coalesceOK)
			close(fake.release)
			rt := Coalesce(CoalesceOptions{})(fake.tt)
			ctx := context.Background()
			if name == "cancellable" {
				c, cancel := context.WithCancel(ctx)
				defer cancel()
				ctx = c
			}
			for range 3 {
				r := budgetRecv(t, coalesceSend(rt, coalesceRequest(t, ctx, "alice", http.MethodGet, coalesceURL, nil)))
				require.NoError(t, r.err)
				assert.Equal(t, coalesceBody, r.body)
				assert.Same(t, r.req, r.resp.Request)
				assert.Equal(t, "v", r.resp.Header.Get("X-Test"))
			}
			assert.Equal(t, 3, fake.tt.Len())
			assert.Zero(t, fake.tt.Unclosed())
			_, flights := coalesceWaiters(rt)
			assert.Zero(t, flights)
		})
	}
}

func TestCoalesceInlineFlightPanicEndsFlight(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	entered := make(chan struct{})
	release := make(chan struct{})
	calls := 0
	next := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			close(entered)
			<-release
			panic("boom")
		}
		return coalesceOK(req)
	})
	rt := Coalesce(CoalesceOptions{})(next)

	first := make(chan any, 1)
	go func() {
		defer func() { first <- recover() }()
		_, _ = rt.RoundTrip(coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil))
	}()
	<-entered
	r2 := coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil))
	requireWaiters(t, rt, 2)
	close(release)
	assert.Equal(t, "boom", budgetRecv(t, first), "the panic reaches the first caller")
	assert.ErrorIs(t, budgetRecv(t, r2).err, errFlightPanicked)

	_, flights := coalesceWaiters(rt)
	assert.Zero(t, flights, "the flight left the map")
	coalesceExpectOK(t, coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil)))
}

func TestCoalesceLifetimeBoundCallerRunsInline(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	life, closeClient := context.WithCancel(context.Background())
	fake := newCoalesceFake(coalesceOK)
	rt := Coalesce(CoalesceOptions{Context: life})(fake.tt)

	// A client binds a Background call to its lifetime (as spotify.Client
	// does): the caller can leave only when the lifetime ends, so the
	// flight runs on its goroutine with its own request, not a clone.
	bound, _ := transport.StartCall(context.Background(), transport.CallSpec{Principal: "alice", Lifetime: life})
	req := coalesceRequest(t, bound, "alice", http.MethodGet, coalesceURL, nil)
	r1 := coalesceSend(rt, req)
	flightReq := budgetRecv(t, fake.entered)
	assert.Same(t, req, flightReq, "an inline flight sends the caller's request")

	// A caller with a context of its own: sent as it is when its record
	// names the lifetime (its client binds it), else as a bound copy.
	close(fake.release)
	require.NoError(t, budgetRecv(t, r1).err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	named, _ := transport.StartCall(ctx, transport.CallSpec{Principal: "alice", Lifetime: life})
	req2 := coalesceRequest(t, named, "alice", http.MethodGet, coalesceURL, nil)
	r2 := coalesceSend(rt, req2)
	assert.Same(t, req2, budgetRecv(t, fake.entered), "a record naming the lifetime")
	require.NoError(t, budgetRecv(t, r2).err)
	req3 := coalesceRequest(t, ctx, "alice", http.MethodGet, coalesceURL, nil)
	r3 := coalesceSend(rt, req3)
	sent := budgetRecv(t, fake.entered)
	assert.NotSame(t, req3, sent, "an unbound caller's request is copied")
	assert.NotEqual(t, ctx.Done(), sent.Context().Done(), "and bound to the lifetime")
	require.NoError(t, budgetRecv(t, r3).err)

	// Closing the client ends a bound caller's flight.
	closeClient()
	r4 := budgetRecv(t, coalesceSend(rt, coalesceRequest(t, bound, "alice", http.MethodGet, coalesceURL, nil)))
	assert.ErrorIs(t, r4.err, context.Canceled)
}

// coalesce429Chain is Coalesce over Retry over RateLimit (whose budget
// waits a 429 out) over a fake whose first answer, once released, is a 429
// with a Retry-After of 30 s.
func coalesce429Chain(t *testing.T) (*coalesceFake, http.RoundTripper) {
	t.Helper()
	fake := newCoalesceFake(retryStatus(http.StatusTooManyRequests, "Retry-After", "30"))
	rt := Coalesce(CoalesceOptions{})(Retry(RetryOptions{})(RateLimit(RateLimitOptions{})(fake.tt)))
	return fake, rt
}

// A wait longer than the first caller's deadline is refused at once, as
// for an uncoalesced call; a caller that joined shares the refusal when its
// deadline is no later, and sends again under its own when it is.
func TestCoalesceFlightGivesUpAWaitTheFirstCallerCannotSee(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fake, rt := coalesce429Chain(t)
	send := func(d time.Duration) <-chan coalesceResult {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		t.Cleanup(cancel)
		return coalesceSend(rt, coalesceRequest(t, ctx, "alice", http.MethodGet, coalesceURL, nil))
	}
	r1 := send(5 * time.Second)
	budgetRecv(t, fake.entered)
	earlier, later := send(4*time.Second), send(6*time.Second)
	requireWaiters(t, rt, 3)
	close(fake.release)

	// The 30 s Retry-After outlives the first caller's 5 s: the refusal
	// carries the 429, for it and for the caller whose 4 s is shorter.
	for _, ch := range []<-chan coalesceResult{r1, earlier} {
		r := budgetRecv(t, ch)
		var rl *RateLimitError
		require.ErrorAs(t, r.err, &rl)
		assert.ErrorIs(t, r.err, context.DeadlineExceeded)
		assert.Equal(t, http.StatusTooManyRequests, rl.StatusCode)
	}
	// The caller with 6 s sends again: the budget's cool-down, 30 s too,
	// refuses it before anything is sent.
	r := budgetRecv(t, later)
	var rl *RateLimitError
	require.ErrorAs(t, r.err, &rl)
	assert.ErrorIs(t, r.err, context.DeadlineExceeded)
	assert.Zero(t, rl.StatusCode, "refused by the cool-down, not by an answer")
	assert.Greater(t, rl.RetryAfter, 20*time.Second)
	assert.Equal(t, 1, fake.tt.Len())
}

func TestCoalesceFlightWaitsForAWaiterWithoutDeadline(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fake, rt := coalesce429Chain(t)
	short, cancelShort := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancelShort()
	open, cancelOpen := context.WithCancel(context.Background())
	r1 := coalesceSend(rt, coalesceRequest(t, short, "alice", http.MethodGet, coalesceURL, nil))
	budgetRecv(t, fake.entered)
	r2 := coalesceSend(rt, coalesceRequest(t, open, "alice", http.MethodGet, coalesceURL, nil))
	requireWaiters(t, rt, 2)
	close(fake.release)

	// The first caller's deadline refuses the Retry-After at once; the
	// caller without a deadline sends again and waits the cool-down out.
	assert.ErrorIs(t, budgetRecv(t, r1).err, context.DeadlineExceeded)
	requireWaiters(t, rt, 1)
	_, flights := coalesceWaiters(rt)
	assert.Equal(t, 1, flights, "the caller left leads a flight of its own")
	cancelOpen()
	assert.ErrorIs(t, budgetRecv(t, r2).err, context.Canceled)
	require.Eventually(t, func() bool {
		_, flights := coalesceWaiters(rt)
		return flights == 0
	}, 5*time.Second, time.Millisecond, "the abandoned flight ends")
	assert.Equal(t, 1, fake.tt.Len(), "the Retry-After was being waited out, not sent again")
}

// The flight runs on its first caller's call record, where the stages
// below record the answer's Retry-After; every waiter reads it from its own.
func TestCoalesceWaitersGetTheAnswersRetryAfter(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	fake := newCoalesceFake(testtransport.Respond(http.StatusServiceUnavailable, `{}`, "Retry-After", "7"))
	rt := Coalesce(CoalesceOptions{})(RateLimit(RateLimitOptions{})(fake.tt))

	reqs := make([]*http.Request, 3)
	results := make([]<-chan coalesceResult, len(reqs))
	for i := range reqs {
		reqs[i] = coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil)
		results[i] = coalesceSend(rt, reqs[i])
		if i == 0 {
			budgetRecv(t, fake.entered)
		}
	}
	requireWaiters(t, rt, len(reqs))
	close(fake.release)
	for i, ch := range results {
		r := budgetRecv(t, ch)
		require.NoError(t, r.err)
		assert.Equal(t, http.StatusServiceUnavailable, r.resp.StatusCode)
		assert.Equal(t, 7*time.Second, transport.CallFrom(reqs[i].Context()).RetryAfter(), "waiter %d", i)
	}
	assert.Equal(t, 1, fake.tt.Len(), "one request below")
}

// An attempt that timed out under a first caller with a deadline is no
// refusal for that deadline: the callers that joined share its error and
// send nothing again, whatever their deadlines.
func TestCoalesceAttemptTimeoutIsShared(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	timedOut := &AttemptTimeoutError{Timeout: time.Second, Err: context.DeadlineExceeded}
	fake := newCoalesceFake(func(*http.Request) (*http.Response, error) { return nil, timedOut })
	rt := Coalesce(CoalesceOptions{})(fake.tt)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	r1 := coalesceSend(rt, coalesceRequest(t, ctx, "alice", http.MethodGet, coalesceURL, nil))
	budgetRecv(t, fake.entered)
	r2 := coalesceSend(rt, coalesceRequest(t, context.Background(), "alice", http.MethodGet, coalesceURL, nil))
	requireWaiters(t, rt, 2)
	close(fake.release)
	for _, ch := range []<-chan coalesceResult{r1, r2} {
		assert.ErrorIs(t, budgetRecv(t, ch).err, timedOut)
	}
	assert.Equal(t, 1, fake.tt.Len())
}
