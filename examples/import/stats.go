package main

import (
	"math/bits"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/spotifysdk/spotify-go/transport"
)

// stats is what the import's two middleware stages measure. Everything is
// atomic and fixed-size, so it costs the same for ten or ten million
// requests.
type stats struct {
	calls     atomic.Int64 // calls the chain got (cache hits included)
	cacheHits atomic.Int64 // calls the cache answered
	requests  atomic.Int64 // calls that went past the cache to retry
	attempts  atomic.Int64 // sends over the network
	limited   atomic.Int64 // 429 answers absorbed by retry
	failed    atomic.Int64 // calls that ended in an error or a non-2xx
	latency   histogram    // per request, through retry (all its attempts)
}

func newStats() *stats { return &stats{} }

// callStage runs once per call, above the cache: it sees cache hits.
func (s *stats) callStage() transport.Stage {
	return transport.Stage{Name: "import-calls", Wrap: func(next http.RoundTripper) http.RoundTripper {
		return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			// Every call of the client carries a transport.Call, which the
			// stages fill while it runs.
			info := transport.CallFrom(req.Context())
			resp, err := next.RoundTrip(req)
			s.calls.Add(1)
			if info.Stats().FromCache {
				s.cacheHits.Add(1)
			}
			return resp, err
		})
	}}
}

// requestStage runs once per call that reaches the retry stage: it times
// the whole call with its retries and reads the call's attempts and 429s.
func (s *stats) requestStage() transport.Stage {
	return transport.Stage{Name: "import-requests", Wrap: func(next http.RoundTripper) http.RoundTripper {
		return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			info := transport.CallFrom(req.Context())
			before := info.Stats()
			start := time.Now()
			resp, err := next.RoundTrip(req)
			s.latency.observe(time.Since(start))
			after := info.Stats()
			s.requests.Add(1)
			s.attempts.Add(int64(after.Attempts - before.Attempts))
			s.limited.Add(int64(after.RateLimited - before.RateLimited))
			if err != nil || resp.StatusCode >= 300 {
				s.failed.Add(1)
			}
			return resp, err
		})
	}}
}

// snapshotStats is a copy of the counters.
type snapshotStats struct {
	calls, cacheHits, requests, attempts, limited, failed int64
	p50, p99                                              time.Duration
}

func (s *stats) snapshot() snapshotStats {
	return snapshotStats{
		calls: s.calls.Load(), cacheHits: s.cacheHits.Load(), requests: s.requests.Load(),
		attempts: s.attempts.Load(), limited: s.limited.Load(), failed: s.failed.Load(),
		p50: s.latency.quantile(0.50), p99: s.latency.quantile(0.99),
	}
}

// histogram is a log-linear histogram of durations in microseconds: 16
// sub-buckets per power of two, so a quantile is within about 6%.
type histogram struct {
	buckets [64 * histSub]atomic.Int64
	n       atomic.Int64
}

const histSubBits = 4
const histSub = 1 << histSubBits

func histIndex(us uint64) int {
	if us < histSub {
		return int(us)
	}
	e := bits.Len64(us) - 1 - histSubBits // shift that leaves histSubBits+1 bits
	m := us >> e                          // histSub..2*histSub-1
	return (e+1)*histSub + int(m-histSub)
}

// histValue is the upper bound of bucket i, in microseconds.
func histValue(i int) uint64 {
	if i < histSub {
		return uint64(i)
	}
	e := i/histSub - 1
	m := uint64(i%histSub + histSub)
	return (m+1)<<e - 1
}

func (h *histogram) observe(d time.Duration) {
	us := max(d.Microseconds(), 0)
	h.buckets[histIndex(uint64(us))].Add(1)
	h.n.Add(1)
}

// quantile returns the q-quantile (0 < q <= 1), or 0 with no sample.
func (h *histogram) quantile(q float64) time.Duration {
	n := h.n.Load()
	if n == 0 {
		return 0
	}
	rank := int64(q*float64(n) + 0.5)
	rank = min(max(rank, 1), n)
	var seen int64
	for i := range h.buckets {
		seen += h.buckets[i].Load()
		if seen >= rank {
			return time.Duration(histValue(i)) * time.Microsecond
		}
	}
	return 0
}
