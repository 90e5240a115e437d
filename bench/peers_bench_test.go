package bench

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	zmb3 "github.com/zmb3/spotify/v2"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/transport"
)

// peer is one way to fetch and decode a resource: setup builds its client
// on the server and returns, for an id, the call that fetches it.
type peer struct {
	name  string
	setup func(b *testing.B, s *sampleServer) func(id string) func() error
}

// peers lists, for the resource at /v1/{kind}/{id} decoded into T: raw
// net/http with encoding/json, raw net/http with the SDK's codec, the SDK's
// client (sdk), and zmb3/spotify v2.4.3 (zm). The raw callers and zmb3 send
// through the same base transport as the SDK ([transport.NewBase], an idle
// pool of 16), so the lines differ only by what runs above it.
func peers[T any](kind string, sdk func(context.Context, *spotify.Client, string) error, zm func(context.Context, *zmb3.Client, string) error) []peer {
	rawClient := func(b *testing.B) *http.Client {
		base := transport.NewBase(transport.BaseOptions{})
		b.Cleanup(base.CloseIdleConnections)
		return &http.Client{Transport: base}
	}
	return []peer{
		{"raw-encoding-json", func(b *testing.B, s *sampleServer) func(string) func() error {
			hc := rawClient(b)
			return func(id string) func() error {
				url := s.URL + "/v1/" + kind + "/" + id
				return func() error {
					return rawGet(hc, url, func(resp *http.Response) error {
						var v T
						return json.NewDecoder(resp.Body).Decode(&v)
					})
				}
			}
		}},
		{"raw-codec", func(b *testing.B, s *sampleServer) func(string) func() error {
			hc := rawClient(b)
			return func(id string) func() error {
				url := s.URL + "/v1/" + kind + "/" + id
				return func() error {
					return rawGet(hc, url, func(resp *http.Response) error {
						data, err := readBody(resp)
						if err != nil {
							return err
						}
						var v T
						return spotify.Unmarshal(data, &v)
					})
				}
			}
		}},
		{"spotify-go", func(b *testing.B, s *sampleServer) func(string) func() error {
			c := sdkClient(b, s)
			ctx := context.Background()
			return func(id string) func() error { return func() error { return sdk(ctx, c, id) } }
		}},
		{"zmb3", func(b *testing.B, s *sampleServer) func(string) func() error {
			c := zmb3.New(rawClient(b), zmb3.WithBaseURL(s.URL+"/v1/"))
			ctx := context.Background()
			return func(id string) func() error { return func() error { return zm(ctx, c, id) } }
		}},
	}
}

// runPeers runs every peer on the resource id, sequentially (b.Loop) or in
// parallel (b.RunParallel), against one server, and checks that every call
// reached the server (nothing was answered from a cache or shared). In
// parallel each goroutine asks for an id of its own (id-1, id-2, ...; the
// server answers every id with the same bytes), so that the SDK's
// coalescing stage cannot merge concurrent calls into one request: every
// line then pays for one request per call.
func runPeers(b *testing.B, s *sampleServer, id string, ps []peer, parallel bool) {
	for _, p := range ps {
		b.Run(p.name, func(b *testing.B) {
			call := p.setup(b, s)
			if err := call(id)(); err != nil { // warm the connection pool
				b.Fatal(err)
			}
			before := s.requests.Load()
			var n int64
			if parallel {
				var g atomic.Int64
				n = loopParallel(b, func() func() error {
					return call(id + "-" + strconv.FormatInt(g.Add(1), 10))
				})
			} else {
				n = loop(b, call(id))
			}
			if got := s.requests.Load() - before; got != n {
				b.Fatalf("%d calls made %d requests: each call must reach the server", n, got)
			}
		})
	}
}

func albumPeers() []peer {
	return peers[spotify.Album]("albums",
		func(ctx context.Context, c *spotify.Client, id string) error {
			_, err := c.Albums.Get(ctx, id, nil)
			return err
		},
		func(ctx context.Context, c *zmb3.Client, id string) error {
			_, err := c.GetAlbum(ctx, zmb3.ID(id))
			return err
		})
}

func trackPeers() []peer {
	return peers[spotify.Track]("tracks",
		func(ctx context.Context, c *spotify.Client, id string) error {
			_, err := c.Tracks.Get(ctx, id, nil)
			return err
		},
		func(ctx context.Context, c *zmb3.Client, id string) error {
			_, err := c.GetTrack(ctx, zmb3.ID(id))
			return err
		})
}

// BenchmarkAlbumGet fetches the 25.9 KB album over loopback, served with
// Cache-Control: private, max-age=0 and no ETag, one call at a time.
func BenchmarkAlbumGet(b *testing.B) {
	runPeers(b, newSampleServer(b, albumSample(b), trackSample(b)), albumID, albumPeers(), false)
}

// BenchmarkAlbumGetParallel is BenchmarkAlbumGet from GOMAXPROCS
// goroutines at once.
func BenchmarkAlbumGetParallel(b *testing.B) {
	runPeers(b, newSampleServer(b, albumSample(b), trackSample(b)), albumID, albumPeers(), true)
}

// BenchmarkTrackGet fetches the 2.7 KB track over loopback, as
// BenchmarkAlbumGet does the album.
func BenchmarkTrackGet(b *testing.B) {
	runPeers(b, newSampleServer(b, albumSample(b), trackSample(b)), trackID, trackPeers(), false)
}

// BenchmarkTrackGetParallel is BenchmarkTrackGet from GOMAXPROCS
// goroutines at once.
func BenchmarkTrackGetParallel(b *testing.B) {
	runPeers(b, newSampleServer(b, albumSample(b), trackSample(b)), trackID, trackPeers(), true)
}
