package spotify_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// runOnFake runs f while firing the timers of fc as they appear, so that
// the client's waits pass at once in real time; timers more than 10 s away
// (the per-attempt timeout of a request on its way) are left alone.
func runOnFake(fc *clock.Fake, f func()) {
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	for {
		select {
		case <-done:
			return
		default:
			if next, ok := fc.NextDeadline(); ok && next.Sub(fc.Now()) <= 10*time.Second {
				fc.AdvanceToNext()
			} else {
				time.Sleep(50 * time.Microsecond)
			}
		}
	}
}

func faultClient(t *testing.T, srv *spotifytest.Server, fc *clock.Fake, opts ...spotify.Option) *spotify.Client {
	t.Helper()
	opts = append(append(srv.ClientOptions(), spotify.WithClientCredentials(spotifytest.ClientID, spotifytest.ClientSecret), spotify.WithClock(fc)), opts...)
	c, err := spotify.NewClient(opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// A call that meets a burst of five 429s with Retry-After 50 ms succeeds
// with the default options (3 retries): the 429s are waited out, not
// counted as failures.
func TestClient429BurstSucceedsWithDefaultOptions(t *testing.T) {
	srv := spotifytest.NewServer(spotifytest.WithFaults(spotifytest.FaultPlan{
		Route: "GET /v1/albums/{id}", Kind: spotifytest.Fault429, Count: 5, RetryAfter: 50 * time.Millisecond}))
	t.Cleanup(srv.Close)
	fc := clock.NewFake()
	c := faultClient(t, srv, fc)
	id := srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0]
	var err error
	start := fc.Now()
	runOnFake(fc, func() { _, err = c.Albums.Get(context.Background(), id, nil) })
	require.NoError(t, err)
	// The waits after the five 429s are at least the default backoff's
	// lower bounds: 250 ms + 500 ms + 1 s + 2 s + 4 s.
	assert.GreaterOrEqual(t, fc.Now().Sub(start), 7750*time.Millisecond)
}

// A stream of 429s with Retry-After: 0 ends after the bounded number of
// 429 retries with ErrRateLimited, the backoff waited between them; with
// retries off the 429 comes back at once.
func TestClient429StreamAndRetriesOff(t *testing.T) {
	srv := spotifytest.NewServer(spotifytest.WithFaults(spotifytest.FaultPlan{
		Route: "GET /v1/albums/{id}", Kind: spotifytest.Fault429, RetryAfter: 0}),
		spotifytest.WithRetryAfter(time.Nanosecond)) // "0.000000001": the 429s say come back now
	t.Cleanup(srv.Close)
	id := srv.Catalog().IDs(spotifytest.KindAlbum, 1)[0]

	fc := clock.NewFake()
	c := faultClient(t, srv, fc, spotify.WithCache(nil), spotify.WithBackoff(func(int) time.Duration { return time.Second }))
	var err error
	start := fc.Now()
	runOnFake(fc, func() { _, err = c.Albums.Get(context.Background(), id, nil) })
	require.ErrorIs(t, err, spotify.ErrRateLimited)
	var rl *middleware.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, middleware.DefaultMaxRateLimitRetries+1, rl.Count)
	assert.Equal(t, time.Duration(middleware.DefaultMaxRateLimitRetries)*time.Second, rl.Waited)
	assert.GreaterOrEqual(t, fc.Now().Sub(start), time.Duration(middleware.DefaultMaxRateLimitRetries)*time.Second)

	fc = clock.NewFake()
	c = faultClient(t, srv, fc, spotify.WithCache(nil), spotify.WithMaxRetries(0))
	before := albumSends(srv)
	_, err = c.Albums.Get(context.Background(), id, nil) // no timer fires: it must not wait
	var e *spotify.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, http.StatusTooManyRequests, e.StatusCode)
	assert.Equal(t, 1, albumSends(srv)-before, "sent once")
}

func albumSends(srv *spotifytest.Server) int {
	n := 0
	for _, s := range srv.Served() {
		if strings.Contains(s.Route, "/albums/") {
			n++
		}
	}
	return n
}
