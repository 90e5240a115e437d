package spotify

// Tests of the client family: the chain it builds (retries, User-Agent,
// middleware placement) and its lifetime (Close).

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/auth"
)

func TestCoreMaxRetriesZeroSendsOnce(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum, 503, 503, 503))
	c := coreClient(t, ts, WithAccessToken("tok"), WithMaxRetries(0))
	_, err := c.Albums.Get(context.Background(), "a1", nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrServer)
	assert.Len(t, ts.requests(), 1)
}

func TestCoreDefaultRetriesSendFourTimes(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum, 503, 503, 503))
	c := coreClient(t, ts, WithAccessToken("tok"))
	a, err := c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	assert.Equal(t, "a1", a.ID)
	assert.Len(t, ts.requests(), 4)
}

func TestCoreUserAgent(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum))
	c := coreClient(t, ts, WithAccessToken("tok"), WithUserAgent("myapp/1.0"))
	_, err := c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	c2 := coreClient(t, ts, WithAccessToken("tok"))
	_, err = c2.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "myapp/1.0 spotify-go/"+Version, reqs[0].Header.Get("User-Agent"))
	assert.Equal(t, "spotify-go/"+Version, reqs[1].Header.Get("User-Agent"))
}

// TestCoreRequestHeaders: a call sends what the Web API needs and no more:
// the token and the User-Agent (net/http adds Accept-Encoding), no Accept
// (the API answers JSON whatever a request accepts), and a per-call header
// when the caller brings one.
func TestCoreRequestHeaders(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum, 200))
	c := coreClient(t, ts, WithAccessToken("tok"))
	_, err := c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	_, err = c.Albums.Get(WithHeader(context.Background(), "X-Trace", "t1"), "a1", nil)
	require.NoError(t, err)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	keys := func(h http.Header) []string { return slices.Sorted(maps.Keys(h)) }
	assert.Equal(t, []string{"Accept-Encoding", "Authorization", "User-Agent"}, keys(reqs[0].Header))
	assert.Equal(t, []string{"Accept-Encoding", "Authorization", "User-Agent", "X-Trace"}, keys(reqs[1].Header))
}

func TestCoreMiddlewarePlacement(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum, 503))
	var perCall, perAttempt atomic.Int32
	c := coreClient(t, ts, WithAccessToken("tok"),
		WithMiddleware(coreCountingStage("per-call", &perCall), Before("retry")),
		WithMiddleware(coreCountingStage("per-attempt", &perAttempt), After("retry")))
	_, err := c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	assert.Len(t, ts.requests(), 2)
	assert.Equal(t, int32(1), perCall.Load(), "Before(retry) runs once per call")
	assert.Equal(t, int32(2), perAttempt.Load(), "After(retry) runs once per attempt")
}

func TestCoreMiddlewareUnknownStage(t *testing.T) {
	var n atomic.Int32
	_, err := NewClient(WithAccessToken("tok"), WithMiddleware(coreCountingStage("mine", &n), Before("no-such-stage")))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithMiddleware")
	assert.Contains(t, err.Error(), "no-such-stage")
}

// coreProvider is a provider the test owns: it counts its Close calls.
type coreProvider struct {
	closes atomic.Int32
}

func (p *coreProvider) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{AccessToken: "provided", TokenType: "Bearer"}, nil
}

func (p *coreProvider) Close() error { p.closes.Add(1); return nil }

func TestCoreCloseLifetime(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(coreAlbum))
	p := &coreProvider{}
	c := coreClient(t, ts, WithAuthProvider(p))
	clone, err := c.Clone(WithAccessToken("other"))
	require.NoError(t, err)

	require.NoError(t, clone.Close(), "a clone's Close does nothing")
	_, err = clone.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err, "the family lives on after a clone's Close")
	_, err = c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	require.Len(t, ts.requests(), 2)
	assert.Equal(t, "Bearer provided", ts.requests()[1].Header.Get("Authorization"))

	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "Close twice is fine")
	before := len(ts.requests())
	_, err = c.Albums.Get(context.Background(), "a1", nil)
	assert.Error(t, err, "a call after Close fails")
	_, err = clone.Albums.Get(context.Background(), "a1", nil)
	assert.Error(t, err, "the clone ends with its parent")
	_, err = c.Albums.Get(WithNoCache(context.Background()), "a1", nil)
	assert.Error(t, err, "a call after Close fails, even one that is not coalesced")
	assert.Len(t, ts.requests(), before, "nothing is sent after Close")
	assert.Equal(t, int32(0), p.closes.Load(), "a provider passed in is never closed")
}

func TestCoreCloseCancelsInFlightCalls(t *testing.T) {
	cancellable, cancel := context.WithCancel(context.Background())
	defer cancel()
	for name, ctx := range map[string]context.Context{
		// Bound to the lifetime with transport.StartCall; coalesced inline.
		"background": context.Background(),
		// Not coalesced: per-call overrides.
		"no-cache": WithNoCache(context.Background()),
		// Bound with a cancel of its own; coalesced on a goroutine.
		"cancellable": cancellable,
	} {
		t.Run(name, func(t *testing.T) {
			ts := newTestServer(t)
			arrived := make(chan struct{}, 1)
			ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) {
				arrived <- struct{}{}
				<-r.Context().Done()
			})
			c := coreClient(t, ts, WithAccessToken("tok"))
			errc := make(chan error, 1)
			go func() {
				_, err := c.Albums.Get(ctx, "a1", nil)
				errc <- err
			}()
			<-arrived
			require.NoError(t, c.Close())
			select {
			case err := <-errc:
				require.ErrorIs(t, err, ErrClosed)
			case <-time.After(5 * time.Second):
				t.Fatal("Close did not cancel the call in flight")
			}
			require.NoError(t, cancellable.Err(), "the caller's context is not touched")
		})
	}
}
