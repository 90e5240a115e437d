package spotifytest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// These tests drive the SDK's retry and classification through the
// emulator's rate limit and faults.

// retryingClient returns a client with the default retries and a 1 ms
// backoff.
func retryingClient(t *testing.T, opts ...spotifytest.Option) (*spotifytest.Server, *spotify.Client) {
	t.Helper()
	srv := spotifytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := srv.Client(spotify.WithBackoff(func(int) time.Duration { return time.Millisecond }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return srv, c
}

const sdkAlbumRoute = "GET /v1/albums/{id}"

func TestSDKWaitsOutTheRateLimit(t *testing.T) {
	srv, c := retryingClient(t, spotifytest.WithRateLimit(1, 50*time.Millisecond),
		spotifytest.WithRetryAfter(60*time.Millisecond))
	alID := srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0]
	ctx := context.Background()
	for i := range 3 {
		if _, err := c.Albums.Get(ctx, alID, nil); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	st := srv.Statuses(sdkAlbumRoute)
	if st[200] != 3 || st[429] == 0 {
		t.Fatalf("statuses %v: want 3×200 after some 429s", st)
	}
}

func TestSDKQuotaExceededIsNotRetried(t *testing.T) {
	srv, c := retryingClient(t, spotifytest.WithQuotaExceeded(), spotifytest.WithRetryAfter(time.Millisecond))
	alID := srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0]
	_, err := c.Albums.Get(context.Background(), alID, nil)
	if !errors.Is(err, spotify.ErrQuotaExceeded) {
		t.Fatalf("error %v, want ErrQuotaExceeded", err)
	}
	if n := srv.Requests(sdkAlbumRoute); n != 1 {
		t.Fatalf("%d requests, want 1 (no retry)", n)
	}
}

// TestSDKRetriesFaults: a read recovers from two faults of each kind, over
// HTTP/1.1 and HTTP/2 (where resets are a stream's or, with
// WholeConnection, the connection's, and a stream can be refused or its
// connection drained).
func TestSDKRetriesFaults(t *testing.T) {
	plans := []spotifytest.FaultPlan{
		{Kind: spotifytest.Fault429}, {Kind: spotifytest.Fault500}, {Kind: spotifytest.Fault502}, {Kind: spotifytest.Fault503},
		{Kind: spotifytest.FaultResetBefore}, {Kind: spotifytest.FaultResetAfter}, {Kind: spotifytest.FaultTruncate},
		{Kind: spotifytest.FaultResetBefore, WholeConnection: true}, {Kind: spotifytest.FaultResetAfter, WholeConnection: true},
		{Kind: spotifytest.FaultRefusedStream}, {Kind: spotifytest.FaultGoAway},
	}
	for _, p := range []spotifytest.Protocol{spotifytest.HTTP1, spotifytest.HTTP2} {
		for _, plan := range plans {
			name := plan.Kind.String()
			if plan.WholeConnection {
				name += " whole connection"
			}
			t.Run(p.String()+"/"+name, func(t *testing.T) {
				plan.Route, plan.Count = sdkAlbumRoute, 2
				srv, c := retryingClient(t, spotifytest.WithProtocol(p), spotifytest.WithRetryAfter(time.Millisecond),
					spotifytest.WithFaults(plan))
				albums := srv.Catalog().IDs(spotifytest.KindAlbum, 2)
				if plan.Kind != spotifytest.FaultGoAway {
					albums = albums[:1] // a GOAWAY comes with an answer: two calls
				}
				for _, alID := range albums {
					al, err := c.Albums.Get(context.Background(), alID, nil)
					if err != nil || al.ID != alID {
						t.Fatalf("after two %v: %v", plan.Kind, err)
					}
				}
				if f := srv.Faults(sdkAlbumRoute); f[plan.Kind] != 2 {
					t.Fatalf("faults %v", f)
				}
			})
		}
	}
}

func TestSDKSlowAnswersDecode(t *testing.T) {
	srv, c := retryingClient(t, spotifytest.WithFaults(
		spotifytest.FaultPlan{Route: sdkAlbumRoute, Kind: spotifytest.FaultSlowBody, Chunk: 512, Delay: time.Millisecond},
		spotifytest.FaultPlan{Route: "/v1/tracks/{id}", Kind: spotifytest.FaultLatency, Delay: 10 * time.Millisecond},
	))
	ctx := context.Background()
	alID := srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0]
	al, err := c.Albums.Get(ctx, alID, nil)
	if err != nil || al.ID != alID {
		t.Fatalf("slow body: %v", err)
	}
	if _, err := c.Tracks.Get(ctx, al.Tracks.Items[0].ID, nil); err != nil {
		t.Fatalf("latency: %v", err)
	}
	if srv.Requests(sdkAlbumRoute) != 1 || srv.Requests("/v1/tracks/{id}") != 1 {
		t.Fatal("a slow answer was retried")
	}
}

func TestSDKMalformedJSONIsNotRetried(t *testing.T) {
	srv, c := retryingClient(t, spotifytest.WithFaults(
		spotifytest.FaultPlan{Route: sdkAlbumRoute, Kind: spotifytest.FaultMalformedJSON, Count: 1}))
	alID := srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0]
	if _, err := c.Albums.Get(context.Background(), alID, nil); err == nil {
		t.Fatal("a malformed answer decoded")
	}
	if n := srv.Requests(sdkAlbumRoute); n != 1 {
		t.Fatalf("%d requests, want 1 (no retry)", n)
	}
}

// A malformed answer must not enter the SDK's cache: the next call of
// the same GET decodes the good answer instead of revalidating the broken
// one into a 304 forever.
func TestSDKMalformedJSONIsNotCached(t *testing.T) {
	srv, c := retryingClient(t, spotifytest.WithFaults(spotifytest.FaultPlan{
		Route: "GET /v1/playlists/{playlist_id}", Kind: spotifytest.FaultMalformedJSON, Count: 1}))
	plID := srv.Catalog().IDs(spotifytest.KindPlaylist, 1)[0]
	ctx := context.Background()
	if _, err := c.Playlists.Get(ctx, plID, nil); err == nil {
		t.Fatal("a malformed answer decoded")
	}
	pl, err := c.Playlists.Get(ctx, plID, nil)
	if err != nil || pl.ID != plID {
		t.Fatalf("second call after a malformed answer: %v", err)
	}
	if st := srv.Statuses("GET /v1/playlists/{playlist_id}"); st[200] != 2 || st[304] != 0 {
		t.Fatalf("statuses %v: want two 200s", st)
	}
}

// A plan fails the first two requests of a route with 503; the SDK's
// retries hide them from the caller, and the counters show them.
func ExampleServer_InjectFaults() {
	srv := spotifytest.NewServer()
	defer srv.Close()
	srv.InjectFaults(spotifytest.FaultPlan{Route: "GET /v1/albums/{id}", Kind: spotifytest.Fault503, Count: 2})

	c, err := srv.Client(spotify.WithBackoff(func(int) time.Duration { return time.Millisecond }))
	if err != nil {
		panic(err)
	}
	defer c.Close()
	albumID := srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0]
	_, err = c.Albums.Get(context.Background(), albumID, nil)
	fmt.Println(err, srv.Statuses("GET /v1/albums/{id}"))
	// Output: <nil> map[200:1 503:2]
}

// A budget of one request per window: the second answers 429 with a
// sub-second Retry-After.
func ExampleWithRateLimit() {
	srv := spotifytest.NewServer(spotifytest.WithRateLimit(1, 0), spotifytest.WithRetryAfter(50*time.Millisecond))
	defer srv.Close()
	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/markets", nil)
		req.Header.Set("Authorization", "Bearer "+srv.Token())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Printf("%d Retry-After: %q\n", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Output:
	// 200 Retry-After: ""
	// 429 Retry-After: "0.05"
}
