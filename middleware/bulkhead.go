package middleware

import (
	"net/http"
	"sync/atomic"

	"golang.org/x/sync/semaphore"

	"github.com/spotifysdk/spotify-go/transport"
)

// bulkheadDefaultLimit is the limit of [NewBulkhead] for a limit <= 0, the
// default concurrency of a client family.
const bulkheadDefaultLimit = 16

// Bulkhead caps the requests in flight on a client family: a request holds
// one of its slots from the moment it is sent until its response body is
// closed or read to its end. Share one Bulkhead among the clients that
// should share the cap (a client, its clones and its async view) through
// [BulkheadOptions]. Waiters are served in arrival order.
//
// A Bulkhead is safe for concurrent use. Make one with [NewBulkhead].
type Bulkhead struct {
	limit    int
	sem      *semaphore.Weighted
	inFlight atomic.Int64
	maxSeen  atomic.Int64
}

// NewBulkhead returns a bulkhead with limit slots; limit <= 0 means 16.
func NewBulkhead(limit int) *Bulkhead {
	if limit <= 0 {
		limit = bulkheadDefaultLimit
	}
	return &Bulkhead{limit: limit, sem: semaphore.NewWeighted(int64(limit))}
}

// Limit returns the number of slots.
func (b *Bulkhead) Limit() int { return b.limit }

// InFlight returns how many slots are held now.
func (b *Bulkhead) InFlight() int { return int(b.inFlight.Load()) }

// MaxInFlight returns the most slots ever held at once (a high-water mark
// for tests and benchmarks); it never exceeds [Bulkhead.Limit].
func (b *Bulkhead) MaxInFlight() int { return int(b.maxSeen.Load()) }

// acquired counts a slot just taken and updates the high-water mark.
func (b *Bulkhead) acquired() {
	n := b.inFlight.Add(1)
	for {
		m := b.maxSeen.Load()
		if n <= m || b.maxSeen.CompareAndSwap(m, n) {
			return
		}
	}
}

// release gives a slot back.
func (b *Bulkhead) release() {
	b.inFlight.Add(-1)
	b.sem.Release(1)
}

// BulkheadOptions configures the bulkhead stage ([Concurrency]). The zero
// value is a private bulkhead of 16 slots.
type BulkheadOptions struct {
	// Bulkhead is the set of slots, shared by a client family. Nil means a
	// private NewBulkhead(Limit).
	Bulkhead *Bulkhead
	// Limit is the number of slots of a private bulkhead; 0 (or less)
	// means 16. It is ignored when Bulkhead is set.
	Limit int
}

// Concurrency returns the bulkhead stage: every attempt takes a slot of the
// bulkhead before it goes on, waiting in arrival order while all slots are
// held, and gives it back when its response body is closed or read to its
// end, or at once when the attempt fails or its body is already in memory
// (a [transport.BufferedBody], which the download stage below makes). A
// request whose context ends while it waits fails with the context's
// error, unsent and with its body closed.
func Concurrency(o BulkheadOptions) transport.Middleware {
	b := o.Bulkhead
	if b == nil {
		b = NewBulkhead(o.Limit)
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &bulkheadTransport{next: next, b: b, release: b.release}
	}
}

type bulkheadTransport struct {
	next http.RoundTripper
	b    *Bulkhead
	// release is b.release, made once: a method value per call would be
	// an allocation.
	release func()
}

var _ http.RoundTripper = (*bulkheadTransport)(nil)

// RoundTrip holds a slot for the lifetime of the exchange.
func (t *bulkheadTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := t.b.sem.Acquire(ctx, 1); err != nil {
		transport.CloseRequestBody(req)
		return nil, err
	}
	t.b.acquired()
	resp, err := transport.CheckResponse(t.next.RoundTrip(req))
	if err != nil {
		t.b.release()
		return nil, err
	}
	// A body a stage below (download) has read in full ends the
	// exchange: the slot goes back now.
	resp.Body = transport.OnDownloaded(resp.Body, t.release)
	return resp, nil
}
