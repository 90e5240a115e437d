package bench

import (
	"context"
	"testing"
)

// BenchmarkCache measures Albums.Get of the 25.9 KB album through the SDK's
// client (static token, so every call has a principal; the default cache)
// over loopback, in the cache's three cases:
//
//   - fresh-hit: the answer said max-age=60, so every call after the first
//     is served from the store with no request;
//   - revalidate-304: the answer has an ETag and max-age=0, so every call
//     sends If-None-Match and the server answers 304 with no body;
//   - miss: max-age=0 and no ETag, so nothing is stored and every call
//     fetches the whole album.
//
// Every case still decodes the album: the difference is the round trip.
func BenchmarkCache(b *testing.B) {
	s := newSampleServer(b, albumSample(b), trackSample(b))
	cases := []struct {
		name string
		id   string
		// requests and notModified are what each call after the first
		// should cost the server.
		requests, notModified int64
	}{
		{"fresh-hit", freshPrefix + albumID, 0, 0},
		{"revalidate-304", etagPrefix + albumID, 1, 1},
		{"miss", albumID, 1, 0},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			client := sdkClient(b, s)
			ctx := context.Background()
			op := func() error {
				_, err := client.Albums.Get(ctx, c.id, nil)
				return err
			}
			if err := op(); err != nil { // the first call fills the cache
				b.Fatal(err)
			}
			req0, nm0 := s.requests.Load(), s.notModified.Load()
			n := loop(b, op)
			if got := s.requests.Load() - req0; got != n*c.requests {
				b.Fatalf("%s: %d calls made %d requests, want %d", c.name, n, got, n*c.requests)
			}
			if got := s.notModified.Load() - nm0; got != n*c.notModified {
				b.Fatalf("%s: %d calls got %d 304s, want %d", c.name, n, got, n*c.notModified)
			}
		})
	}
}
