package middleware

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

func TestBulkheadDefaults(t *testing.T) {
	assert.Equal(t, 16, NewBulkhead(0).Limit())
	assert.Equal(t, 16, NewBulkhead(-3).Limit())
	assert.Equal(t, 5, NewBulkhead(5).Limit())
	assert.Zero(t, NewBulkhead(5).InFlight())
	assert.Zero(t, NewBulkhead(5).MaxInFlight())
}

func TestConcurrencyCapsInFlight(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	b := NewBulkhead(3)
	gate := make(chan struct{})
	var inside, most atomic.Int64
	tt := testtransport.New().Append(func(req *http.Request) (*http.Response, error) {
		n := inside.Add(1)
		defer inside.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		<-gate
		return testtransport.Respond(http.StatusOK, "ok")(req)
	}).Repeat()
	rt := Concurrency(BulkheadOptions{Bulkhead: b})(tt)

	var results []<-chan rlResult
	for range 20 {
		results = append(results, rlSend(rt, rlRequest(t, context.Background(), nil)))
	}
	require.Eventually(t, func() bool { return tt.Len() == 3 }, 5*time.Second, time.Millisecond)
	time.Sleep(5 * time.Millisecond) // give a fourth request the chance to slip through
	assert.Equal(t, 3, tt.Len())
	assert.Equal(t, 3, b.InFlight())

	close(gate) // the slow transport answers from now on
	for _, ch := range results {
		r := budgetRecv(t, ch)
		require.NoError(t, r.err)
	}
	assert.Equal(t, 20, tt.Len())
	assert.Equal(t, 3, b.MaxInFlight())
	assert.LessOrEqual(t, most.Load(), int64(3))
	assert.Zero(t, b.InFlight())
	assert.Zero(t, tt.Unclosed())
}

func TestConcurrencyReleasesOnBodyCloseOrEOF(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	tt := testtransport.New().AppendResponse(http.StatusOK, "ok").Repeat()
	b := NewBulkhead(1)
	rt := Concurrency(BulkheadOptions{Bulkhead: b})(tt)

	resp, err := rt.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	assert.Equal(t, 1, b.InFlight(), "the slot is held while the body is open")

	second := rlSend(rt, rlRequest(t, context.Background(), nil))
	time.Sleep(5 * time.Millisecond)
	assert.Equal(t, 1, tt.Len(), "the second request waits for the slot")

	require.NoError(t, resp.Body.Close())
	require.NoError(t, budgetRecv(t, second).err)
	assert.Equal(t, 2, tt.Len())
	assert.Zero(t, b.InFlight())

	// Reading to EOF releases the slot too; a later Close does not release twice.
	resp, err = rt.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "ok", string(data))
	assert.Zero(t, b.InFlight())
	require.NoError(t, resp.Body.Close())
	assert.Zero(t, b.InFlight())
	resp, err = rt.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	assert.Equal(t, 1, b.InFlight())
	transport.DrainAndClose(resp)
	assert.Zero(t, b.InFlight())
}

// TestConcurrencyReleasesAtOnceOnBufferedBody: a body already in memory
// (the download stage's) ends the exchange, so the slot goes back when
// RoundTrip returns and the body comes back as it is, with its bytes.
func TestConcurrencyReleasesAtOnceOnBufferedBody(t *testing.T) {
	b := NewBulkhead(1)
	buffered := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Request: req,
			Body: transport.NewBufferedBody([]byte("ok"))}, nil
	})
	rt := Concurrency(BulkheadOptions{Bulkhead: b})(buffered)
	for range 3 { // one slot: a held one would block the second call
		resp, err := rt.RoundTrip(rlRequest(t, context.Background(), nil))
		require.NoError(t, err)
		assert.Zero(t, b.InFlight(), "the slot is back before the body is read")
		require.IsType(t, &transport.BufferedBody{}, resp.Body, "no hook on a body in memory")
		data, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, "ok", string(data))
		require.NoError(t, resp.Body.Close())
	}
	assert.Zero(t, b.InFlight())
}

func TestConcurrencyReleasesOnError(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	boom := errors.New("dial failed")
	tt := testtransport.New().AppendError(boom).AppendResponse(http.StatusOK, "ok")
	b := NewBulkhead(1)
	rt := Concurrency(BulkheadOptions{Bulkhead: b})(tt)
	_, err := rt.RoundTrip(rlRequest(t, context.Background(), nil))
	assert.ErrorIs(t, err, boom)
	assert.Zero(t, b.InFlight())
	resp, err := rt.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	transport.DrainAndClose(resp)
}

func TestConcurrencyWaiterContextEnds(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	tt := testtransport.New().AppendResponse(http.StatusOK, "ok").Repeat()
	rt := Concurrency(BulkheadOptions{Limit: 1})(tt)
	held, err := rt.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)

	// Cancelled while waiting.
	ctx, cancel := context.WithCancel(context.Background())
	reqBody, _ := testtransport.NewRequestBody("payload")
	waiting := rlSend(rt, rlRequest(t, ctx, reqBody))
	time.Sleep(5 * time.Millisecond)
	cancel()
	r := budgetRecv(t, waiting)
	assert.ErrorIs(t, r.err, context.Canceled)
	assert.Nil(t, r.resp)
	assert.Equal(t, 1, reqBody.Closes())

	// Cancelled before it arrives.
	reqBody, _ = testtransport.NewRequestBody("payload")
	_, err = rt.RoundTrip(rlRequest(t, ctx, reqBody))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, reqBody.Closes())

	assert.Equal(t, 1, tt.Len())
	transport.DrainAndClose(held)
}

func TestConcurrencySharedBulkhead(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	tt := testtransport.New().AppendResponse(http.StatusOK, "ok").Repeat()
	b := NewBulkhead(1)
	a := Concurrency(BulkheadOptions{Bulkhead: b, Limit: 99})(tt) // Limit is ignored
	c := Concurrency(BulkheadOptions{Bulkhead: b})(tt)
	held, err := a.RoundTrip(rlRequest(t, context.Background(), nil))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	_, err = c.RoundTrip(rlRequest(t, ctx, nil))
	assert.ErrorIs(t, err, context.DeadlineExceeded, "the other client waits on the same slots")
	transport.DrainAndClose(held)
}
