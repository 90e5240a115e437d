// Package bench holds the benchmarks of spotify-go, in a module of its own so
// that the peers it compares against (github.com/zmb3/spotify/v2) never
// become dependencies of the SDK.
//
//   - BenchmarkStages: the chain's cost stage by stage on an in-memory
//     transport: bare, each stage alone, the full default chain.
//   - BenchmarkChain: the full chain against the bare transport, in memory
//     and over loopback.
//   - BenchmarkDecodeAlbum: the album sample with encoding/json and with the
//     SDK's codec.
//   - BenchmarkAlbumGet, BenchmarkTrackGet (and their Parallel forms): one
//     Albums.Get of the 25.9 KB album and one Tracks.Get of the 2.7 KB track
//     over loopback, served with max-age=0 and no ETag, by raw net/http with
//     encoding/json, raw net/http with the SDK's codec, the SDK's client and
//     zmb3/spotify v2.4.3.
//   - BenchmarkCache: Albums.Get through the SDK's client on a fresh cache
//     hit, a 304 revalidation and a miss.
//   - BenchmarkImportThroughput: the AsyncClient's Tracks.Get rate against
//     the emulator with latency injected on every request, at concurrency
//     1, 4, 16 and 64 (req/s, and ideal%: the share of concurrency /
//     latency).
//   - BenchmarkImportPeakHeap: peak HeapInuse (after GC) during a
//     100,000-track Tracks.GetSeveral import (peak-heap-MiB).
//
// The two import benchmarks run at full size (20 ms latency, 100,000
// tracks) only when SPOTIFY_BENCH_HEAVY is set; otherwise they run a tiny
// version (concurrency 4 with 1 ms latency, 2,000 tracks).
//
// Run them all once (the CI smoke run):
//
//	cd bench && go test -run xxx -bench . -benchtime 1x
//
// Measure, check the targets of issues 10 and 15 and write RESULTS.md and
// throughput.svg (ten runs of each benchmark; every figure a median with
// benchstat's ± beside it; -quick for one run, -gate to exit 1 when a hard
// gate is missed; -bench and -import=false narrow a quick look):
//
//	cd bench && go run ./cmd/report
//	cd bench && go run ./cmd/report -count 2 -bench 'AlbumGet|TrackGet' -import=false -out /tmp
//
// Measure and compare (benchstat from golang.org/x/perf):
//
//	cd bench && go test -run xxx -bench . -benchmem -count 10 | tee new.txt
//	benchstat new.txt
package bench
