package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// heavy reports whether the heavy benchmarks run at full size
// (SPOTIFY_BENCH_HEAVY set); otherwise they run a tiny version so that the
// CI smoke run exercises their code.
func heavy() bool { return os.Getenv("SPOTIFY_BENCH_HEAVY") != "" }

// newAsyncEmulatorClient returns an AsyncClient of the emulator srv with
// the full default chain and the given concurrency; the caller closes it.
func newAsyncEmulatorClient(b *testing.B, srv *spotifytest.Server, concurrency int) *spotify.AsyncClient {
	opts := append(srv.ClientOptions(),
		spotify.WithClientCredentials(spotifytest.ClientID, spotifytest.ClientSecret),
		spotify.WithConcurrency(concurrency))
	ac, err := spotify.NewAsyncClient(opts...)
	if err != nil {
		b.Fatal(err)
	}
	return ac
}

// asyncEmulatorClient is newAsyncEmulatorClient closed when b ends.
func asyncEmulatorClient(b *testing.B, srv *spotifytest.Server, concurrency int) *spotify.AsyncClient {
	ac := newAsyncEmulatorClient(b, srv, concurrency)
	b.Cleanup(func() { _ = ac.Close() })
	return ac
}

// BenchmarkImportThroughput measures the AsyncClient's request rate
// against the emulator with a fixed latency injected on every /v1
// request: each op imports a fixed batch of tracks by Tracks.Get (one
// request each, distinct ids so the cache never answers), at most
// `concurrency` in flight, the ops streamed one after another as an import
// does (no barrier between batches). It reports req/s and ideal%: the rate as a
// share of the ideal concurrency / latency.
//
// With SPOTIFY_BENCH_HEAVY set: 20 ms latency, concurrency 1, 4, 16, 64,
// batches of 128 tracks. Otherwise: 1 ms latency, concurrency 4, batches
// of 16.
func BenchmarkImportThroughput(b *testing.B) {
	latency, levels, batch := time.Millisecond, []int{4}, 16
	if heavy() {
		latency, levels, batch = 20*time.Millisecond, []int{1, 4, 16, 64}, 128
	}
	srv := latencyServer(b, latency)
	ids := srv.Catalog().IDs(spotifytest.KindTrack, 100_000)
	var next atomic.Int64 // rolls over the catalogue, across sub-benchmarks
	for _, c := range levels {
		b.Run("c="+strconv.Itoa(c), func(b *testing.B) {
			importRate(b, srv, ids, &next, c, batch, latency)
		})
	}
}

// BenchmarkImportProtocols is BenchmarkImportThroughput at its highest
// concurrency over each protocol the emulator speaks: plain HTTP/1.1
// (http1), HTTP/1.1 over TLS (http1-tls) and HTTP/2 over TLS (http2, one
// connection carrying every call), each against a server of its own.
//
// With SPOTIFY_BENCH_HEAVY set: 20 ms latency, concurrency 64, batches of
// 128. Otherwise: 1 ms latency, concurrency 4, batches of 16.
func BenchmarkImportProtocols(b *testing.B) {
	latency, c, batch := time.Millisecond, 4, 16
	if heavy() {
		latency, c, batch = 20*time.Millisecond, 64, 128
	}
	for _, p := range benchProtocols {
		b.Run(p.name+"/c="+strconv.Itoa(c), func(b *testing.B) {
			srv := latencyServer(b, latency, spotifytest.WithProtocol(p.proto))
			ids := srv.Catalog().IDs(spotifytest.KindTrack, 100_000)
			var next atomic.Int64
			importRate(b, srv, ids, &next, c, batch, latency)
		})
	}
}

// benchProtocols are the protocols the protocol benchmarks run over, with
// their names in benchmark names.
var benchProtocols = []struct {
	name  string
	proto spotifytest.Protocol
}{
	{"http1", spotifytest.HTTP1},
	{"http1-tls", spotifytest.HTTP1TLS},
	{"http2", spotifytest.HTTP2},
}

// latencyServer starts an emulator that delays every /v1 request by
// latency, closed when b ends.
func latencyServer(b *testing.B, latency time.Duration, opts ...spotifytest.Option) *spotifytest.Server {
	srv := spotifytest.NewServer(append(opts, spotifytest.WithFaults(spotifytest.FaultPlan{
		Kind:  spotifytest.FaultLatency,
		Delay: latency, // Route "" and Probability 0: every /v1 request
	}))...)
	b.Cleanup(srv.Close)
	return srv
}

// importRate runs b.N ops of batch Tracks.Get calls through an AsyncClient
// of concurrency c on srv, the ids taken in turn from ids (next is the
// cursor), and reports req/s and ideal% (of c / latency).
func importRate(b *testing.B, srv *spotifytest.Server, ids []string, next *atomic.Int64, c, batch int, latency time.Duration) {
	ac := asyncEmulatorClient(b, srv, c)
	ctx := context.Background()
	// Warm the token and the connections outside the timer: c calls at
	// once open the c connections HTTP/1.1 needs (and their TLS
	// handshakes), as a running import has them.
	if _, err := ac.Tracks.Get(ctx, ids[0], nil).Await(ctx); err != nil {
		b.Fatal(err)
	}
	warm := make([]*spotify.Future[*spotify.Track], c)
	for i := range warm {
		warm[i] = ac.Tracks.Get(ctx, ids[int(next.Add(1))%len(ids)], nil)
	}
	for _, f := range warm {
		if _, err := f.Await(ctx); err != nil {
			b.Fatal(err)
		}
	}
	// A streaming import: the producer submits (blocking while all c
	// slots are busy) and a consumer awaits the futures in order, so no
	// batch boundary leaves slots idle.
	futures := make(chan *spotify.Future[*spotify.Track], 2*c)
	errc := make(chan error, 1)
	consumed := make(chan struct{})
	b.ResetTimer()
	start, cpu0 := time.Now(), processCPU()
	go func() {
		defer close(consumed)
		for f := range futures {
			if _, err := f.Await(ctx); err != nil {
				select {
				case errc <- err:
				default:
				}
			}
		}
	}()
	requests := b.N * batch
	for range requests {
		futures <- ac.Tracks.Get(ctx, ids[int(next.Add(1))%len(ids)], nil)
	}
	close(futures)
	<-consumed
	elapsed, cpu := time.Since(start), processCPU()-cpu0
	b.StopTimer()
	select {
	case err := <-errc:
		b.Fatal(err)
	default:
	}
	reqPerSec := float64(requests) / elapsed.Seconds()
	ideal := float64(c) / latency.Seconds()
	b.ReportMetric(reqPerSec, "req/s")
	b.ReportMetric(100*reqPerSec/ideal, "ideal%")
	b.ReportMetric(float64(cpu.Microseconds())/float64(requests), "cpu-µs/req")
}

// processCPU returns the CPU time (user and system) the process has used:
// with the emulator in the process, a request's CPU cost on both sides,
// which a busy machine disturbs less than the wall-clock rate.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImportPeakHeap imports tracks from the emulator's catalogue by
// Tracks.GetSeveral through the AsyncClient (batches of 500 ids, each
// batch's tracks dropped once awaited, as a streaming import does) and
// reports the peak of HeapInuse, sampled after a GC every 20 ms, as
// peak-heap-MiB. The emulator runs in the same process, so its heap is in
// the figure too.
//
// With SPOTIFY_BENCH_HEAVY set it imports 100,000 tracks; otherwise 2,000.
func BenchmarkImportPeakHeap(b *testing.B) {
	total := 2_000
	if heavy() {
		total = 100_000
	}
	srv := spotifytest.NewServer()
	b.Cleanup(srv.Close)
	ids := srv.Catalog().IDs(spotifytest.KindTrack, total)
	if len(ids) < total {
		b.Fatalf("catalogue has %d tracks, want %d", len(ids), total)
	}
	ids = ids[:total]
	var peak uint64
	b.ResetTimer()
	for range b.N {
		peak = max(peak, importPeakHeap(b, srv, ids))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// importPeakHeap is one op of BenchmarkImportPeakHeap: it imports ids with
// a new AsyncClient (made, and closed, outside the timer) and returns the
// peak of HeapInuse meanwhile.
func importPeakHeap(b *testing.B, srv *spotifytest.Server, ids []string) uint64 {
	const perCall = 500
	ctx := context.Background()
	b.StopTimer()
	defer b.StartTimer()
	ac := newAsyncEmulatorClient(b, srv, 16)
	defer func() { _ = ac.Close() }()
	runtime.GC()
	b.StartTimer()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var runPeak atomic.Uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > runPeak.Load() {
			runPeak.Store(ms.HeapInuse)
		}
	}
	wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				sample()
			}
		}
	})

	// Keep up to 4 calls in flight; each returns its batch, which is
	// checked, counted and dropped.
	type call struct {
		f *spotify.Future[[]*spotify.Track]
		n int // ids asked for
	}
	inflight := make(chan call, 4)
	errc := make(chan error, 1)
	fail := func(err error) {
		select {
		case errc <- err:
		default:
		}
	}
	got := 0
	consumed := make(chan struct{})
	go func() {
		defer close(consumed)
		for c := range inflight {
			tracks, err := c.f.Await(ctx)
			if err != nil {
				fail(err)
				continue
			}
			if len(tracks) != c.n {
				fail(fmt.Errorf("GetSeveral of %d ids returned %d tracks", c.n, len(tracks)))
			}
			for _, t := range tracks {
				if t != nil {
					got++
				}
			}
		}
	}()
	for lo := 0; lo < len(ids); lo += perCall {
		batch := ids[lo:min(lo+perCall, len(ids))]
		inflight <- call{ac.Tracks.GetSeveral(ctx, batch, nil), len(batch)}
	}
	close(inflight)
	<-consumed
	b.StopTimer()
	close(stop)
	wg.Wait()
	sample()
	select {
	case err := <-errc:
		b.Fatal(err)
	default:
	}
	if got != len(ids) {
		b.Fatalf("imported %d tracks, want %d", got, len(ids))
	}
	return runPeak.Load()
}
