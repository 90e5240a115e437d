package redisstore

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/redistest"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// TestProviderWithRedisDown: with Redis gone, a provider keeps handing out
// its still-valid token; once it must refresh, it waits UnavailableWait
// for Redis and fails with an *UnavailableError, without sending the
// refresh.
func TestProviderWithRedisDown(t *testing.T) {
	rs := redistest.StartServer(t)
	srv := spotifytest.NewServer()
	t.Cleanup(srv.Close)
	store, err := New(Options{URL: rs.URL(), Key: "user-1", UnavailableWait: 400 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	p, err := auth.NewAuthorizationCode(auth.AuthorizationCodeConfig{
		ClientID: spotifytest.ClientID, RedirectURI: freeRedirect(t),
		TokenURL: srv.URL + "/api/token", AuthURL: srv.URL + "/authorize",
		Store: store, EarlyRefresh: -1,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	ctx := context.Background()
	tok, err := auth.Login(ctx, p, auth.LoginOptions{Open: browse, Out: io.Discard, Timeout: 15 * time.Second})
	require.NoError(t, err)
	srv.ResetCounters()

	rs.Stop()
	got, err := p.Token(ctx)
	require.NoError(t, err, "a valid token is used without Redis")
	assert.Equal(t, tok.AccessToken, got.AccessToken)

	p.Invalidate(got)
	start := time.Now()
	_, err = p.Token(ctx)
	var un *UnavailableError
	require.ErrorAs(t, err, &un)
	assert.ErrorIs(t, err, ErrUnavailable)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Zero(t, srv.Requests(tokenRoute), "no refresh was sent without the lock")

	rs.Start()
	got, err = p.Token(ctx)
	require.NoError(t, err, "Redis is back: the refresh goes through")
	assert.NotEqual(t, tok.AccessToken, got.AccessToken)
	assert.Equal(t, 1, srv.Statuses(tokenRoute)[http.StatusOK])
}
