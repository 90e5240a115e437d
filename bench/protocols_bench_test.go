package bench

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// BenchmarkAlbumGetProtocols measures a client's Albums.Get against the
// emulator over each protocol it speaks (http1, http1-tls, http2; see
// benchProtocols), one call at a time and, as "<protocol>-parallel", from
// GOMAXPROCS goroutines. The client's cache is off and the calls take the
// albums in turn, so every call is one request (checked).
func BenchmarkAlbumGetProtocols(b *testing.B) {
	const route = "GET /v1/albums/{id}"
	for _, p := range benchProtocols {
		srv := spotifytest.NewServer(spotifytest.WithProtocol(p.proto))
		b.Cleanup(srv.Close)
		ids := srv.Catalog().IDs(spotifytest.KindAlbum, 1000)
		for _, parallel := range []bool{false, true} {
			name := p.name
			if parallel {
				name += "-parallel"
			}
			b.Run(name, func(b *testing.B) {
				c, err := srv.Client(spotify.WithCache(nil))
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { _ = c.Close() })
				ctx := context.Background()
				var next atomic.Int64
				call := func() error {
					_, err := c.Albums.Get(ctx, ids[int(next.Add(1))%len(ids)], nil)
					return err
				}
				if err := call(); err != nil { // the token and a connection
					b.Fatal(err)
				}
				before := srv.Requests(route)
				var n int64
				if parallel {
					n = loopParallel(b, func() func() error { return call })
				} else {
					n = loop(b, call)
				}
				if got := int64(srv.Requests(route) - before); got != n {
					b.Fatalf("%d calls made %d requests: each call must reach the server", n, got)
				}
			})
		}
	}
}
