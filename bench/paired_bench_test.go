package bench

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkPairedCall measures a client call and raw net/http with the same
// codec side by side, call by call: every iteration makes one call of each,
// in alternating order, against one server, and times each call on its own.
// Its figures are the two mean times per call (raw-ns/call, sdk-ns/call)
// and their ratio (sdk/raw), all from one run.
//
// The separate lines of BenchmarkAlbumGet and BenchmarkTrackGet run one
// after the other, a second apart; on a shared machine the load moves in
// between, and the ratio of their medians moves by ±10–30% from run to run.
// Here both sides share every moment of the run, so the drift cancels out
// of the ratio; it is the figure the report's time targets use. The
// parallel variants run the pairs from GOMAXPROCS goroutines, each on ids
// of its own (so that the client's coalescing cannot merge calls).
func BenchmarkPairedCall(b *testing.B) {
	for _, c := range []struct {
		name  string
		id    string
		peers func() []peer
	}{{"album", albumID, albumPeers}, {"track", trackID, trackPeers}} {
		b.Run(c.name, func(b *testing.B) { runPaired(b, c.id, c.peers(), false) })
		b.Run(c.name+"-parallel", func(b *testing.B) { runPaired(b, c.id, c.peers(), true) })
	}
}

// runPaired runs the raw-codec and spotify-go peers of ps in pairs on id
// (see BenchmarkPairedCall) and checks that every call reached the server.
func runPaired(b *testing.B, id string, ps []peer, parallel bool) {
	s := newSampleServer(b, albumSample(b), trackSample(b))
	raw, sdk := pairOf(b, s, ps)
	for _, call := range []func() error{raw(id), sdk(id)} { // warm both pools
		if err := call(); err != nil {
			b.Fatal(err)
		}
	}
	before := s.requests.Load()
	var rawNs, sdkNs, pairs atomic.Int64
	run := func(next func() bool, raw, sdk func() error) {
		var r, k time.Duration
		var n int64
		for next() {
			first, second, df, ds := raw, sdk, &r, &k
			if n%2 == 1 {
				first, second, df, ds = sdk, raw, &k, &r
			}
			t0 := time.Now()
			err := first()
			t1 := time.Now()
			if err == nil {
				err = second()
			}
			if err != nil {
				b.Error(err)
				break
			}
			*df += t1.Sub(t0)
			*ds += time.Since(t1)
			n++
		}
		rawNs.Add(int64(r))
		sdkNs.Add(int64(k))
		pairs.Add(n)
	}
	b.ReportAllocs()
	if parallel {
		var g atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			own := id + "-" + strconv.FormatInt(g.Add(1), 10)
			run(pb.Next, raw(own), sdk(own))
		})
	} else {
		run(b.Loop, raw(id), sdk(id))
	}
	n := pairs.Load()
	if b.Failed() || n == 0 {
		return
	}
	if got := s.requests.Load() - before; got != 2*n {
		b.Fatalf("%d pairs of calls made %d requests: each call must reach the server", n, got)
	}
	b.ReportMetric(float64(rawNs.Load())/float64(n), "raw-ns/call")
	b.ReportMetric(float64(sdkNs.Load())/float64(n), "sdk-ns/call")
	b.ReportMetric(float64(sdkNs.Load())/float64(rawNs.Load()), "sdk/raw")
}

// pairOf sets up the raw-codec and spotify-go peers of ps on s.
func pairOf(b *testing.B, s *sampleServer, ps []peer) (raw, sdk func(string) func() error) {
	for _, p := range ps {
		switch p.name {
		case "raw-codec":
			raw = p.setup(b, s)
		case "spotify-go":
			sdk = p.setup(b, s)
		}
	}
	if raw == nil || sdk == nil {
		b.Fatal("the peers lack raw-codec or spotify-go")
	}
	return raw, sdk
}
