package rediscache

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/internal/redistest"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// loginAs logs user in at the emulator and returns a provider holding the
// token (a principal of its own).
func loginAs(t *testing.T, srv *spotifytest.Server, user string) *auth.AuthorizationCode {
	t.Helper()
	require.NoError(t, srv.SetLoginUser(user))
	const redirect = "http://127.0.0.1:8080/callback"
	p, err := auth.NewAuthorizationCode(auth.AuthorizationCodeConfig{ClientID: spotifytest.ClientID, RedirectURI: redirect,
		TokenURL: srv.URL + "/api/token", AuthURL: srv.URL + "/authorize", EarlyRefresh: -1})
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	req := p.AuthURL("state-1")
	hc := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(req.URL)
	require.NoError(t, err)
	_ = resp.Body.Close()
	code, err := auth.ParseCallback(resp.Header.Get("Location"), req.State)
	require.NoError(t, err)
	_, err = p.Exchange(context.Background(), code, req.Verifier)
	require.NoError(t, err)
	return p
}

// TestSharedAcrossClients: two clients (as two processes would be), each
// with a store of its own on one Redis: what one fetched, the other with
// the same principal revalidates (a 304, not a second 200), and a client
// of another user never gets it.
func TestSharedAcrossClients(t *testing.T) {
	redisURL := redistest.URL(t)
	prefix := redistest.Prefix(t)
	srv := spotifytest.NewServer()
	t.Cleanup(srv.Close)
	users := srv.Catalog().IDs(spotifytest.KindUser, 2)
	alice, bob := loginAs(t, srv, users[0]), loginAs(t, srv, users[1])

	var hits []string // the principals Get found an entry for
	client := func(p auth.Provider) *spotify.Client {
		store, err := New(Options{URL: redisURL, Prefix: prefix})
		require.NoError(t, err)
		t.Cleanup(func() { _ = store.Close() })
		c, err := spotify.NewClient(spotify.WithAuthProvider(p), spotify.WithBaseURL(srv.URL+"/v1"),
			spotify.WithTokenURL(srv.URL+"/api/token"), spotify.WithCache(watched{store, t, &hits}))
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	ctx := context.Background()
	const route = "GET /v1/me"

	first, err := client(alice).Users.GetCurrentProfile(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, users[0], first.ID)
	require.Equal(t, map[int]int{200: 1}, srv.Statuses(route))

	second, err := client(alice).Users.GetCurrentProfile(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, users[0], second.ID)
	assert.Equal(t, map[int]int{200: 1, 304: 1}, srv.Statuses(route), "the second client revalidated the first one's entry")

	other, err := client(bob).Users.GetCurrentProfile(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, users[1], other.ID, "another principal is never answered with the entry")
	assert.Equal(t, map[int]int{200: 2, 304: 1}, srv.Statuses(route), "and fetches its own")
	require.NotEmpty(t, hits, "the second client found the first one's entry")
	for _, h := range hits {
		assert.Equal(t, alice.Identity(), h, "only alice's requests found an entry")
	}
}

// watched is a store that checks that every entry Get returns belongs to
// the key's principal, and records the hits.
type watched struct {
	cache.Store
	t    *testing.T
	hits *[]string
}

func (w watched) Get(ctx context.Context, key cache.Key) (*cache.Entry, bool, error) {
	e, ok, err := w.Store.Get(ctx, key)
	if ok {
		assert.Equal(w.t, key.Principal, e.Principal, "an entry answered to another principal")
		*w.hits = append(*w.hits, key.Principal)
	}
	return e, ok, err
}
