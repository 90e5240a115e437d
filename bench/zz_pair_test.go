package bench

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

func pairRun(b *testing.B, kind, id string, ps []peer, parallel bool) {
	s := newSampleServer(b, albumSample(b), trackSample(b))
	var raw, sdk func(string) func() error
	for _, p := range ps {
		switch p.name {
		case "raw-codec":
			raw = p.setup(b, s)
		case "spotify-go":
			sdk = p.setup(b, s)
		}
	}
	_ = raw(id)()
	_ = sdk(id)()
	var tr, ts atomic.Int64
	var g atomic.Int64
	body := func(next func() bool, r, k func() error) {
		var a, c time.Duration
		i := 0
		for next() {
			var d1, d2 time.Duration
			if i&1 == 0 {
				t0 := time.Now()
				if err := r(); err != nil {
					b.Error(err)
					return
				}
				t1 := time.Now()
				if err := k(); err != nil {
					b.Error(err)
					return
				}
				d1, d2 = t1.Sub(t0), time.Since(t1)
			} else {
				t0 := time.Now()
				if err := k(); err != nil {
					b.Error(err)
					return
				}
				t1 := time.Now()
				if err := r(); err != nil {
					b.Error(err)
					return
				}
				d2, d1 = t1.Sub(t0), time.Since(t1)
			}
			a += d1
			c += d2
			i++
		}
		tr.Add(int64(a))
		ts.Add(int64(c))
	}
	b.ReportAllocs()
	if parallel {
		b.RunParallel(func(pb *testing.PB) {
			n := strconv.FormatInt(g.Add(1), 10)
			body(pb.Next, raw(id+"-"+n), sdk(id+"-"+n))
		})
	} else {
		body(b.Loop, raw(id), sdk(id))
	}
	b.ReportMetric(float64(tr.Load())/float64(b.N), "raw-ns/op")
	b.ReportMetric(float64(ts.Load())/float64(b.N), "sdk-ns/op")
	b.ReportMetric(float64(ts.Load())/float64(tr.Load()), "ratio")
}

func BenchmarkZZPair(b *testing.B) {
	b.Run("track", func(b *testing.B) { pairRun(b, "tracks", trackID, trackPeers(), false) })
	b.Run("track-par", func(b *testing.B) { pairRun(b, "tracks", trackID, trackPeers(), true) })
	b.Run("album", func(b *testing.B) { pairRun(b, "albums", albumID, albumPeers(), false) })
	b.Run("album-par", func(b *testing.B) { pairRun(b, "albums", albumID, albumPeers(), true) })
}
