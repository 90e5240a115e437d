package spotify_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// The resilience tests (the chaos tests, the playlist reconciliation and
// the retry and idempotency tests below) run over HTTP/1.1 and over
// HTTP/2, as Spotify serves the API: over HTTP/2 one connection carries
// every call, a reset is a stream's, a stream can be refused and a
// connection drained with GOAWAY.

// protocols are the protocols the resilience tests run over.
var protocols = []spotifytest.Protocol{spotifytest.HTTP1, spotifytest.HTTP2}

// overProtocols runs body as a subtest per protocol.
func overProtocols(t *testing.T, body func(t *testing.T, p spotifytest.Protocol)) {
	t.Helper()
	for _, p := range protocols {
		t.Run(p.String(), func(t *testing.T) { body(t, p) })
	}
}

// h2StreamError has the fields of net/http's HTTP/2 stream error, which
// converts itself into such a struct for errors.As.
type h2StreamError struct {
	StreamID uint32
	Code     uint32
	Cause    error
}

func (e h2StreamError) Error() string {
	return fmt.Sprintf("stream %d reset with code %d", e.StreamID, e.Code)
}

// h2InternalError is the code of the stream reset the emulator's cut
// answers are over HTTP/2 (RFC 9113 §7).
const h2InternalError = 0x2

// streamReset reports whether err is an HTTP/2 stream reset with
// INTERNAL_ERROR, what a reset or truncated answer is over HTTP/2.
func streamReset(err error) bool {
	var se h2StreamError
	return errors.As(err, &se) && se.Code == h2InternalError
}

// oneShotH2 is a base transport that sends each request once over HTTP/2
// connections it opens itself (http.ClientConn), without net/http's own
// resend of refused streams and of streams a GOAWAY dropped: those errors
// reach the chain, whose retry must resend them. A connection that takes
// no more requests is replaced.
type oneShotH2 struct {
	tr   *http.Transport
	addr string
	mu   sync.Mutex
	cur  *http.ClientConn
	all  []*http.ClientConn
}

func newOneShotH2(t *testing.T, srv *spotifytest.Server) *oneShotH2 {
	o := &oneShotH2{
		tr:   &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.RootCAs()}, ForceAttemptHTTP2: true},
		addr: strings.TrimPrefix(srv.URL, "https://"),
	}
	t.Cleanup(o.close)
	return o
}

func (o *oneShotH2) RoundTrip(req *http.Request) (*http.Response, error) {
	for {
		cc, err := o.conn(req.Context())
		if err != nil {
			return nil, err
		}
		resp, err := cc.RoundTrip(req)
		// A connection that a GOAWAY reached between the reservation and
		// the request takes nothing: the request was not written, and goes
		// to another connection (as net/http's Transport does).
		if err == nil || err.Error() != "http2: client conn not usable" {
			return resp, err
		}
	}
}

// conn returns a connection with a request slot reserved.
func (o *oneShotH2) conn(ctx context.Context) (*http.ClientConn, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.cur != nil && o.cur.Reserve() == nil {
		return o.cur, nil
	}
	cc, err := o.tr.NewClientConn(ctx, "https", o.addr)
	if err != nil {
		return nil, err
	}
	if err := cc.Reserve(); err != nil {
		_ = cc.Close()
		return nil, err
	}
	o.cur = cc
	o.all = append(o.all, cc)
	return cc, nil
}

func (o *oneShotH2) conns() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.all)
}

func (o *oneShotH2) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, cc := range o.all {
		_ = cc.Close()
	}
	o.tr.CloseIdleConnections()
}

// playlistClient starts an emulator speaking p and returns it with a
// client that may write the user's playlists, and a playlist of it.
func playlistClient(t *testing.T, p spotifytest.Protocol, opts ...spotify.Option) (*spotifytest.Server, *spotify.Client, string) {
	t.Helper()
	srv := spotifytest.NewServer(spotifytest.WithProtocol(p))
	t.Cleanup(srv.Close)
	tok := srv.UserToken("playlist-modify-private", "playlist-modify-public", "playlist-read-private")
	base := append(srv.ClientOptions(), spotify.WithAccessToken(tok), spotify.WithBackoff(func(int) time.Duration { return time.Millisecond }))
	c, err := spotify.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	pl, err := c.Playlists.Create(context.Background(), "protocols", nil)
	require.NoError(t, err)
	return srv, c, pl.ID
}

// trackURIs returns n track URIs of srv's catalogue, from the first.
func trackURIs(srv *spotifytest.Server, from, n int) []string {
	ids := srv.Catalog().IDs(spotifytest.KindTrack, from+n)[from:]
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "spotify:track:" + id
	}
	return out
}

const addRoute = "POST /v1/playlists/{playlist_id}/items"

// TestPOSTResetAfterApplyNotResent: an add whose answer is lost after it
// was applied (a cut connection over HTTP/1.1, a stream reset over
// HTTP/2) is not sent again, so the playlist holds its items once; the
// caller learns the outcome is unknown.
func TestPOSTResetAfterApplyNotResent(t *testing.T) {
	overProtocols(t, func(t *testing.T, p spotifytest.Protocol) {
		srv, c, pl := playlistClient(t, p)
		uris := trackURIs(srv, 0, 5)
		srv.InjectFaults(spotifytest.FaultPlan{Route: addRoute, Kind: spotifytest.FaultResetAfter, Count: 1})
		_, err := c.Playlists.AddItems(context.Background(), pl, uris, nil)
		require.Error(t, err, "the answer was lost")
		if p == spotifytest.HTTP2 {
			assert.True(t, streamReset(err), "a stream reset, not a dropped connection: %v", err)
		}
		assert.Equal(t, 1, srv.Requests(addRoute), "an applied add is not sent again")
		got, _ := chaosReadPlaylist(context.Background(), t, c, pl)
		assert.Equal(t, uris, got, "the items once: 0 duplicates")
	})
}

// TestPOSTRefusedStreamResentOnce: a refused stream proves the add was not
// processed, so it is sent again and applied once, whether net/http
// resends it (the SDK's base transport) or the chain's retry does (a
// transport that sends once).
func TestPOSTRefusedStreamResentOnce(t *testing.T) {
	for _, tc := range []struct {
		name    string
		oneShot bool
	}{{"base transport", false}, {"transport that sends once", true}} {
		t.Run(tc.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			srv := spotifytest.NewServer(spotifytest.WithTLS())
			var opts []spotify.Option
			if tc.oneShot {
				opts = append(opts, spotify.WithHTTPClient(&http.Client{Transport: newOneShotH2(t, srv)}))
			}
			tok := srv.UserToken("playlist-modify-private", "playlist-read-private")
			c, err := spotify.NewClient(append(append(srv.ClientOptions(), spotify.WithAccessToken(tok),
				spotify.WithBackoff(func(int) time.Duration { return time.Millisecond })), opts...)...)
			require.NoError(t, err)
			ctx := context.Background()
			pl, err := c.Playlists.Create(ctx, "refused", nil)
			require.NoError(t, err)
			uris := trackURIs(srv, 0, 5)
			srv.InjectFaults(spotifytest.FaultPlan{Route: addRoute, Kind: spotifytest.FaultRefusedStream, Count: 1})

			_, err = c.Playlists.AddItems(ctx, pl.ID, uris, nil)
			require.NoError(t, err, "the refused add was sent again")
			assert.Equal(t, map[spotifytest.FaultKind]int{spotifytest.FaultRefusedStream: 1}, srv.Faults(addRoute))
			assert.Equal(t, 2, srv.Requests(addRoute), "refused, then applied")
			assert.Equal(t, 1, srv.PlaylistApplied(pl.ID), "applied once")
			got, _ := chaosReadPlaylist(ctx, t, c, pl.ID)
			assert.Equal(t, uris, got)
			require.NoError(t, c.Close())
			srv.Close()
			goleak.VerifyNone(t, ignore)
		})
	}
}

// TestGoAwayMidImport: connections drained with GOAWAY in the middle of an
// import (reads through the AsyncClient and appends to playlists, at
// once) lose nothing and duplicate nothing: a stream the server had not
// taken is sent again on a new connection, by net/http or by the chain.
func TestGoAwayMidImport(t *testing.T) {
	for _, tc := range []struct {
		name    string
		oneShot bool
	}{{"base transport", false}, {"transport that sends once", true}} {
		t.Run(tc.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			const (
				playlists = 8
				adds      = 10 // per playlist, 5 items each
				tracks    = 2000
			)
			// Four drains, two amid the reads and two amid the adds. (More
			// would slow the test: net/http waits a second before it sends
			// a request again that a second GOAWAY dropped.)
			srv := spotifytest.NewServer(spotifytest.WithTLS(), spotifytest.WithFaults(
				spotifytest.FaultPlan{Route: addRoute, Kind: spotifytest.FaultGoAway, After: 15, Count: 1},
				spotifytest.FaultPlan{Route: addRoute, Kind: spotifytest.FaultGoAway, After: 45, Count: 1},
				spotifytest.FaultPlan{Route: "GET /v1/tracks", Kind: spotifytest.FaultGoAway, After: 10, Count: 1},
				spotifytest.FaultPlan{Route: "GET /v1/tracks", Kind: spotifytest.FaultGoAway, After: 25, Count: 1},
			))
			var oneShot *oneShotH2
			var opts []spotify.Option
			if tc.oneShot {
				oneShot = newOneShotH2(t, srv)
				opts = append(opts, spotify.WithHTTPClient(&http.Client{Transport: oneShot}))
			}
			tok := srv.UserToken("playlist-modify-private", "playlist-read-private")
			// No circuit breaker: through the transport that sends once, a
			// GOAWAY fails every stream above its last one, and the breaker
			// counts those errors as failures, so four drains open it.
			opts = append(append(srv.ClientOptions(), spotify.WithAccessToken(tok), spotify.WithConcurrency(16), spotify.WithCircuitBreaker(nil),
				spotify.WithBackoff(func(int) time.Duration { return time.Millisecond })), opts...)
			ac, err := spotify.NewAsyncClient(opts...)
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()

			// The reads.
			ids := srv.Catalog().IDs(spotifytest.KindTrack, tracks)
			var futures []*spotify.Future[[]*spotify.Track]
			for i := 0; i < tracks; i += 50 {
				futures = append(futures, ac.Tracks.GetSeveral(ctx, ids[i:i+50], nil))
			}
			// The writes: each playlist gets its adds in order, the
			// playlists at once.
			var wg sync.WaitGroup
			pls := make([]string, playlists)
			want := make([][]string, playlists)
			errs := make([]error, playlists)
			for i := range playlists {
				pl, err := ac.Playlists.Create(ctx, fmt.Sprintf("import %d", i), nil).Await(ctx)
				require.NoError(t, err)
				pls[i] = pl.ID
				want[i] = trackURIs(srv, i*adds*5, adds*5)
				wg.Go(func() {
					for j := range adds {
						if _, err := ac.Playlists.AddItems(ctx, pls[i], want[i][j*5:(j+1)*5], nil).Await(ctx); err != nil {
							errs[i] = err
							return
						}
					}
				})
			}
			for i, f := range futures {
				got, err := f.Await(ctx)
				require.NoError(t, err, "batch %d", i)
				for j, tr := range got {
					require.Equal(t, ids[i*50+j], tr.ID)
				}
			}
			wg.Wait()
			for i := range playlists {
				require.NoError(t, errs[i], "playlist %d", i)
				got, _ := chaosReadPlaylist(ctx, t, ac.Sync(), pls[i])
				assert.Equal(t, want[i], got, "playlist %d: every item once, in order", i)
				assert.Equal(t, adds, srv.PlaylistApplied(pls[i]), "playlist %d: each add applied once", i)
			}
			goaways := srv.Faults("")[spotifytest.FaultGoAway]
			assert.Equal(t, 4, goaways, "GOAWAYs sent")
			t.Logf("%d GOAWAYs during %d reads and %d adds", goaways, srv.Requests("GET /v1/tracks"), srv.Requests(addRoute))
			if oneShot != nil {
				assert.Greater(t, oneShot.conns(), goaways/2, "the drained connections were replaced")
			}
			require.NoError(t, ac.Close())
			srv.Close()
			goleak.VerifyNone(t, ignore)
		})
	}
}
