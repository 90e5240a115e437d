package spotify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// asyncAlbum is a small album answer.
const asyncAlbum = `{"id":"a1","name":"Album One","type":"album","uri":"spotify:album:a1"}`

// asyncClosed reports whether ch is closed, without waiting.
func asyncClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// asyncWait waits for ch, failing the test after 5 s.
func asyncWait(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting: %s", what)
	}
}

// The load test: 10,000 submissions with WithConcurrency(8) never
// hold more than 8 requests in flight nor a number of goroutines that grows
// with the submissions, and the heap stays flat. The producer keeps at most
// 64 futures pending, awaiting the oldest beyond that: the futures it keeps
// are its memory, not the client's.
func TestAsyncTenThousandSubmissionsStayBounded(t *testing.T) {
	const (
		total   = 10000
		limit   = 8
		window  = 64
		maxGrow = limit + 100
	)
	ignore := goleak.IgnoreCurrent()
	var inFlight, maxInFlight, served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for m := maxInFlight.Load(); n > m && !maxInFlight.CompareAndSwap(m, n); m = maxInFlight.Load() {
		}
		time.Sleep(200 * time.Microsecond)
		inFlight.Add(-1)
		served.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, asyncAlbum)
	}))
	ac, err := NewAsyncClient(WithAccessToken("tok"), WithBaseURL(srv.URL+"/v1"), WithCache(nil), WithConcurrency(limit))
	require.NoError(t, err)

	runtime.GC()
	baseGoroutines := runtime.NumGoroutine()
	maxGoroutines := 0
	var heapAt1k, heapAt10k uint64
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}

	ctx := context.Background()
	pending := make([]*Future[*Album], 0, window+1)
	await := func(f *Future[*Album]) {
		a, err := f.Await(ctx)
		if err != nil || a.ID != "a1" {
			t.Fatalf("a call failed: %v", err)
		}
	}
	for i := 1; i <= total; i++ {
		// Distinct ids: identical GETs in flight would share one round trip.
		pending = append(pending, ac.Albums.Get(ctx, strconv.Itoa(i), nil))
		if len(pending) > window {
			await(pending[0])
			pending = slices.Delete(pending, 0, 1)
		}
		if i%50 == 0 {
			maxGoroutines = max(maxGoroutines, runtime.NumGoroutine())
		}
		switch i {
		case 1000:
			heapAt1k = heap()
		case total:
			heapAt10k = heap()
		}
	}
	for _, f := range pending {
		await(f)
	}

	assert.EqualValues(t, total, served.Load(), "every submission was sent once")
	assert.LessOrEqual(t, maxInFlight.Load(), int64(limit), "requests in flight at the server")
	assert.Greater(t, maxInFlight.Load(), int64(1), "the calls ran concurrently")
	assert.LessOrEqual(t, ac.c.fam.bulkhead.MaxInFlight(), limit, "the bulkhead's high-water mark")
	assert.LessOrEqual(t, maxGoroutines, baseGoroutines+maxGrow, "goroutines during the run (base %d)", baseGoroutines)
	assert.LessOrEqual(t, heapAt10k, 2*heapAt1k+4<<20, "heap in use at 10,000 submissions (%d at 1,000)", heapAt1k)
	t.Logf("goroutines: base %d, max %d; heap in use: %d KiB at 1,000, %d KiB at 10,000; server max in flight %d",
		baseGoroutines, maxGoroutines, heapAt1k>>10, heapAt10k>>10, maxInFlight.Load())

	require.NoError(t, ac.Close())
	srv.Close()
	goleak.VerifyNone(t, ignore)
}

// asyncBlockingServer serves /albums/{id}: each request signals arrived,
// then waits for release (answering the album) or for its context to end
// (signalling cancelled).
type asyncBlockingServer struct {
	*testServer
	arrived   chan string
	release   chan struct{}
	cancelled chan struct{}
	completed atomic.Int32
}

func newAsyncBlockingServer(t *testing.T) *asyncBlockingServer {
	s := &asyncBlockingServer{testServer: newTestServer(t), arrived: make(chan string, 16),
		release: make(chan struct{}), cancelled: make(chan struct{}, 16)}
	s.Mux.HandleFunc("/albums/{id}", func(w http.ResponseWriter, r *http.Request) {
		s.arrived <- r.PathValue("id")
		select {
		case <-s.release:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, strings.Replace(asyncAlbum, `"a1"`, fmt.Sprintf("%q", r.PathValue("id")), 1))
			s.completed.Add(1)
		case <-r.Context().Done():
			s.cancelled <- struct{}{}
		}
	})
	return s
}

func TestAsyncAwaitExpiredContextLeavesTheCallRunning(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	ts := newAsyncBlockingServer(t)
	ac := newTestAsyncClient(t, ts.testServer)

	f := ac.Albums.Get(context.Background(), "a1", nil)
	<-ts.arrived

	expired, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	_, err := f.Await(expired)
	require.ErrorIs(t, err, context.Canceled)
	short, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	_, err = f.Await(short)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), time.Second, "Await returns when its context ends")
	assert.False(t, asyncClosed(f.Done()), "the call goes on under its own context")

	close(ts.release)
	a, err := f.Await(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "a1", a.ID)
	assert.True(t, asyncClosed(f.Done()))
	assert.EqualValues(t, 1, ts.completed.Load(), "the server completed the request")
	a2, err := f.Await(expired)
	require.NoError(t, err, "a completed future answers even an ended context")
	assert.Same(t, a, a2)

	require.NoError(t, ac.Close())
	ts.Close()
	goleak.VerifyNone(t, ignore)
}

func TestAsyncCloseCancelsInFlightWorkAndWaits(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	ts := newAsyncBlockingServer(t)
	ac, err := NewAsyncClient(WithAccessToken("tok"), WithBaseURL(ts.URL+"/v1"), WithCache(nil))
	require.NoError(t, err)

	fs := []*Future[*Album]{ac.Albums.Get(context.Background(), "a1", nil), ac.Albums.Get(context.Background(), "a2", nil)}
	<-ts.arrived
	<-ts.arrived
	require.NoError(t, ac.Close())
	for _, f := range fs {
		assert.True(t, asyncClosed(f.Done()), "Close waited for the call")
		_, err := f.Await(context.Background())
		require.ErrorIs(t, err, ErrClosed)
	}
	asyncWait(t, ts.cancelled, "the server sees the first request cancelled")
	asyncWait(t, ts.cancelled, "the server sees the second request cancelled")

	_, err = ac.Albums.Get(context.Background(), "a3", nil).Await(context.Background())
	require.ErrorIs(t, err, ErrClosed, "a submission after Close")
	require.NoError(t, ac.Close(), "a second Close")
	assert.Len(t, ts.requests(), 2)

	ts.Close()
	goleak.VerifyNone(t, ignore)
}

// The view of a Client is ended by the Client's Close, not by its own.
func TestAsyncViewIsClosedByItsParent(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	ts := newAsyncBlockingServer(t)
	c, err := NewClient(WithAccessToken("tok"), WithBaseURL(ts.URL+"/v1"), WithCache(nil))
	require.NoError(t, err)
	view := c.Async()
	assert.Same(t, c, view.Sync())

	f := view.Albums.Get(context.Background(), "a1", nil)
	<-ts.arrived
	require.NoError(t, view.Close(), "a view's Close does nothing")
	assert.False(t, asyncClosed(f.Done()))

	require.NoError(t, c.Close())
	assert.True(t, asyncClosed(f.Done()), "the parent's Close waited for the view's call")
	_, err = f.Await(context.Background())
	assert.ErrorIs(t, err, ErrClosed)
	_, err = view.Albums.Get(context.Background(), "a2", nil).Await(context.Background())
	assert.ErrorIs(t, err, ErrClosed)

	ts.Close()
	goleak.VerifyNone(t, ignore)
}

// At the limit, submitting blocks; a submission whose context ends first
// gets a Future resolved with the context's error and sends nothing.
func TestAsyncSubmitBlocksAtTheLimitHonouringItsContext(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	ts := newAsyncBlockingServer(t)
	ac := newTestAsyncClient(t, ts.testServer, WithConcurrency(1))

	first := ac.Albums.Get(context.Background(), "a1", nil)
	<-ts.arrived

	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	second := ac.Albums.Get(short, "a2", nil)
	elapsed := time.Since(start)
	assert.GreaterOrEqual(t, elapsed, 40*time.Millisecond, "the submission blocked")
	assert.Less(t, elapsed, 2*time.Second, "until its context ended")
	assert.True(t, asyncClosed(second.Done()), "the future is already resolved")
	_, err := second.Await(context.Background())
	require.ErrorIs(t, err, context.DeadlineExceeded)

	done, cancel2 := context.WithCancel(context.Background())
	cancel2()
	_, err = ac.Albums.Get(done, "a3", nil).Await(context.Background())
	require.ErrorIs(t, err, context.Canceled, "an ended context fails at once")

	close(ts.release)
	_, err = first.Await(context.Background())
	require.NoError(t, err)
	third, err := ac.Albums.Get(context.Background(), "a4", nil).Await(context.Background())
	require.NoError(t, err, "the slot is free again")
	assert.Equal(t, "a4", third.ID)

	var paths []string
	for _, r := range ts.requests() {
		paths = append(paths, r.Path)
	}
	assert.Equal(t, []string{"/albums/a1", "/albums/a4"}, paths, "the refused submissions sent nothing")

	require.NoError(t, ac.Close())
	ts.Close()
	goleak.VerifyNone(t, ignore)
}
