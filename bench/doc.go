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
//
// Run them all once (the CI smoke run):
//
//	cd bench && go test -run xxx -bench . -benchtime 1x
//
// Measure and compare (benchstat from golang.org/x/perf):
//
//	cd bench && go test -run xxx -bench . -benchmem -count 6 | tee new.txt
//	benchstat new.txt
package bench
