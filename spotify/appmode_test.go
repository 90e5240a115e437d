package spotify

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// appModeServer is a fake API that answers every request with status and
// body.
func appModeServer(t *testing.T, status int, body string) *testServer {
	t.Helper()
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
	return ts
}

const (
	appModeTrackJSON = `{"id":"t1","name":"One","type":"track","uri":"spotify:track:t1"}`
	appMode403JSON   = `{"error":{"status":403,"message":"Forbidden."}}`
)

// appModeGetSeveralTracks sends GET /tracks, the Extended Quota batch get,
// the way its service method does.
func appModeGetSeveralTracks(ctx context.Context, c *Client) error {
	_, err := c.call(ctx, &call{op: opGetSeveralTracks, query: url.Values{"ids": {"t1,t2"}}}, nil)
	return err
}

func TestAppModeOption(t *testing.T) {
	for _, m := range []AppMode{0, -1, 3} {
		_, err := NewClient(WithAccessToken("x"), WithAppMode(m))
		require.Error(t, err, "WithAppMode(%v)", m)
		assert.Contains(t, err.Error(), "WithAppMode")
	}
	assert.Equal(t, "unset", AppMode(0).String())
	assert.Equal(t, "DevelopmentMode", DevelopmentMode.String())
	assert.Equal(t, "ExtendedQuotaMode", ExtendedQuotaMode.String())
	assert.Equal(t, "AppMode(7)", AppMode(7).String())

	c, err := NewClient(WithAccessToken("x"), WithAppMode(ExtendedQuotaMode))
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, ExtendedQuotaMode, c.appMode())
}

func TestAppModeDevelopmentSendsOrdinaryOperations(t *testing.T) {
	ts := appModeServer(t, http.StatusOK, appModeTrackJSON)
	c := newTestClient(t, ts, WithAppMode(DevelopmentMode))
	tr, err := c.Tracks.Get(context.Background(), "t1", nil)
	require.NoError(t, err)
	assert.Equal(t, "One", tr.Name)
	require.Len(t, ts.requests(), 1)
	assert.Equal(t, "/tracks/t1", ts.requests()[0].Path)
}

func TestAppModeDevelopmentFailsExtendedLocally(t *testing.T) {
	ts := appModeServer(t, http.StatusOK, `{"tracks":[]}`)
	c := newTestClient(t, ts, WithAppMode(DevelopmentMode))
	err := appModeGetSeveralTracks(context.Background(), c)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "got %v", err)
	assert.False(t, errors.Is(err, ErrForbidden), "a local refusal is no 403")
	var e *Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, 0, e.StatusCode)
	assert.Equal(t, http.MethodGet, e.Method)
	assert.Equal(t, "/tracks", e.Route)
	assert.Contains(t, err.Error(), "GET /tracks")
	assert.Contains(t, err.Error(), "Development Mode")
	assert.Contains(t, err.Error(), "Extended Quota Mode")
	assert.Empty(t, ts.requests(), "no request may be sent")
}

// Every Extended Quota operation, whatever its method, is refused before
// any request in Development Mode.
func TestAppModeDevelopmentFailsEveryExtendedOperation(t *testing.T) {
	ts := appModeServer(t, http.StatusOK, `{}`)
	c := newTestClient(t, ts, WithAppMode(DevelopmentMode))
	for _, o := range registry {
		args := make([]string, 0, 1)
		for range countPathParams(o.path) {
			args = append(args, "x")
		}
		_, err := c.call(context.Background(), &call{op: o, args: args}, nil)
		if o.extended {
			assert.True(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "%s: got %v", o.id, err)
		} else {
			assert.False(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "%s: got %v", o.id, err)
		}
	}
	extended := 0
	for _, o := range registry {
		if o.extended {
			extended++
		}
	}
	assert.Len(t, ts.requests(), len(registry)-extended, "only the ordinary operations are sent")
}

func countPathParams(path string) int {
	n := 0
	for _, r := range path {
		if r == '{' {
			n++
		}
	}
	return n
}

// A page of an Extended Quota listing cannot fetch its next page in
// Development Mode either: NextPage goes through the same check.
func TestAppModeDevelopmentNextPage(t *testing.T) {
	ts := appModeServer(t, http.StatusOK, `{"items":[],"total":0}`)
	c := newTestClient(t, ts, WithAppMode(DevelopmentMode))
	p := (&Page[PlaylistItem]{Next: ts.URL + "/v1/playlists/p1/tracks?offset=100&limit=100"}).bind(c, opGetPlaylistTracks, "")
	_, err := p.NextPage(context.Background())
	assert.True(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "got %v", err)
	assert.Empty(t, ts.requests())
}

func TestAppModeUnset403OnExtendedRoute(t *testing.T) {
	ts := appModeServer(t, http.StatusForbidden, appMode403JSON)
	c := newTestClient(t, ts)
	err := appModeGetSeveralTracks(context.Background(), c)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "got %v", err)
	assert.True(t, errors.Is(err, ErrForbidden), "it is still a 403")
	var e *Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, http.StatusForbidden, e.StatusCode)
	assert.Equal(t, "/tracks", e.Route)
	assert.Equal(t, "Forbidden.", e.Message, "Spotify's message is kept")
	assert.Contains(t, err.Error(), "403 Forbidden: Forbidden.")
	assert.Contains(t, err.Error(), "Development Mode apps")
	assert.Contains(t, err.Error(), "Extended Quota Mode")
	require.Len(t, ts.requests(), 1, "with the mode unset the call is sent")
	assert.Equal(t, "/tracks", ts.requests()[0].Path)
}

func TestAppModeUnset403OnOrdinaryRoute(t *testing.T) {
	ts := appModeServer(t, http.StatusForbidden, appMode403JSON)
	c := newTestClient(t, ts)
	_, err := c.Tracks.Get(context.Background(), "t1", nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrForbidden))
	assert.False(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "GET /tracks/{id} was not removed: got %v", err)
	assert.NotContains(t, err.Error(), "Extended Quota Mode")
}

func TestAppModeUnset403ThatSaysWhy(t *testing.T) {
	for name, body := range map[string]string{
		"missing scope": `{"error":{"status":403,"message":"Insufficient client scope"}}`,
		"a reason":      `{"error":{"status":403,"message":"Player command failed: Premium required","reason":"PREMIUM_REQUIRED"}}`,
	} {
		ts := appModeServer(t, http.StatusForbidden, body)
		c := newTestClient(t, ts)
		err := appModeGetSeveralTracks(context.Background(), c)
		assert.True(t, errors.Is(err, ErrForbidden), name)
		assert.False(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "%s: the 403 says its own cause: got %v", name, err)
	}
}

func TestAppModeUnsetOtherStatusOnExtendedRoute(t *testing.T) {
	ts := appModeServer(t, http.StatusNotFound, `{"error":{"status":404,"message":"Not found."}}`)
	c := newTestClient(t, ts)
	err := appModeGetSeveralTracks(context.Background(), c)
	assert.True(t, errors.Is(err, ErrNotFound))
	assert.False(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "only a 403 means the route was removed")
}

func TestAppModeExtendedQuotaPlain403(t *testing.T) {
	ts := appModeServer(t, http.StatusForbidden, appMode403JSON)
	c := newTestClient(t, ts, WithAppMode(ExtendedQuotaMode))
	err := appModeGetSeveralTracks(context.Background(), c)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrForbidden))
	assert.False(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "an Extended Quota app's 403 is a plain 403: got %v", err)
	assert.NotContains(t, err.Error(), "Extended Quota Mode")
	assert.Len(t, ts.requests(), 1)
}

func TestAppModeExtendedQuotaSendsExtended(t *testing.T) {
	ts := appModeServer(t, http.StatusOK, `{"tracks":[]}`)
	c := newTestClient(t, ts, WithAppMode(ExtendedQuotaMode))
	require.NoError(t, appModeGetSeveralTracks(context.Background(), c))
	require.Len(t, ts.requests(), 1)
	assert.Equal(t, "/tracks", ts.requests()[0].Path)
	assert.Equal(t, "t1,t2", ts.requests()[0].Query.Get("ids"))
}

func TestAppModeCloneSharesTheMode(t *testing.T) {
	ts := appModeServer(t, http.StatusOK, appModeTrackJSON)
	c := newTestClient(t, ts, WithAppMode(DevelopmentMode))
	for name, opts := range map[string][]Option{"same auth": nil, "other auth": {WithAccessToken("other")}} {
		u, err := c.Clone(opts...)
		require.NoError(t, err, name)
		assert.Equal(t, DevelopmentMode, u.appMode(), name)
		err = appModeGetSeveralTracks(context.Background(), u)
		assert.True(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "%s: got %v", name, err)
	}
	assert.Empty(t, ts.requests())

	_, err := c.Clone(WithAppMode(ExtendedQuotaMode))
	assert.Error(t, err, "the mode belongs to the family: Clone cannot change it")
}

func TestAppModeDevelopmentSearchLimit(t *testing.T) {
	ts := appModeServer(t, http.StatusOK, `{}`)
	c := newTestClient(t, ts, WithAppMode(DevelopmentMode))
	_, err := c.Search.Search(context.Background(), "abba", []string{SearchTypeTrack}, &SearchOptions{Limit: 11})
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrInvalidArgument), "got %v", err)
	assert.Contains(t, err.Error(), "limit 11 is over 10")
	assert.Contains(t, err.Error(), "Development Mode")
	assert.Empty(t, ts.requests(), "no request may be sent")

	_, err = c.Search.Search(context.Background(), "abba", []string{SearchTypeTrack}, &SearchOptions{Limit: 10})
	require.NoError(t, err)
	require.Len(t, ts.requests(), 1)
	assert.Equal(t, "10", ts.requests()[0].Query.Get("limit"))
}

// Without Development Mode the limit is Spotify's to judge.
func TestAppModeSearchLimitOtherModes(t *testing.T) {
	for _, opts := range [][]Option{nil, {WithAppMode(ExtendedQuotaMode)}} {
		ts := appModeServer(t, http.StatusOK, `{}`)
		c := newTestClient(t, ts, opts...)
		_, err := c.Search.Search(context.Background(), "abba", []string{SearchTypeTrack}, &SearchOptions{Limit: 50})
		require.NoError(t, err)
		require.Len(t, ts.requests(), 1)
		assert.Equal(t, "50", ts.requests()[0].Query.Get("limit"))
	}
}

// The async clients share the mode: a view through its family, a
// NewAsyncClient through the options.
func TestAppModeAsyncSharesTheMode(t *testing.T) {
	ts := appModeServer(t, http.StatusOK, appModeTrackJSON)
	c := newTestClient(t, ts, WithAppMode(DevelopmentMode))
	assert.Equal(t, DevelopmentMode, c.Async().Sync().appMode())

	ac, err := NewAsyncClient(WithAccessToken("x"), WithBaseURL(ts.URL+"/v1"), WithAppMode(DevelopmentMode))
	require.NoError(t, err)
	defer ac.Close()
	err = appModeGetSeveralTracks(context.Background(), ac.Sync())
	assert.True(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "got %v", err)
	assert.Empty(t, ts.requests())
}
