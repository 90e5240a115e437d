package spotify

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// redirectServers are an API that answers every request with a 302 to
// another server, and that other server, which counts what reaches it.
func redirectServers(t *testing.T) (api *testServer, elsewhere *httptest.Server, hits *int) {
	t.Helper()
	n := 0
	elsewhere = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		_, _ = w.Write([]byte(`{"id":"evil","name":"not the album"}`))
	}))
	t.Cleanup(elsewhere.Close)
	api = newTestServer(t)
	api.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/v1/albums/x", http.StatusFound)
	})
	return api, elsewhere, &n
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	for name, opts := range map[string][]Option{
		"default":                    nil,
		"WithHTTPClient, no policy":  {WithHTTPClient(&http.Client{})},
		"WithHTTPClient, a jar only": {WithHTTPClient(&http.Client{Jar: emptyJar{}})},
	} {
		t.Run(name, func(t *testing.T) {
			api, _, hits := redirectServers(t)
			c := coreClient(t, api, append([]Option{WithAccessToken("tok")}, opts...)...)
			album, err := c.Albums.Get(context.Background(), "a1", nil)
			assert.Nil(t, album)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, http.StatusFound, e.StatusCode, "the redirect is the answer")
			assert.Zero(t, *hits, "nothing reached the other server")
		})
	}
}

func TestRedirectPolicyOfWithHTTPClientIsKept(t *testing.T) {
	api, _, hits := redirectServers(t)
	follow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	c := coreClient(t, api, WithAccessToken("tok"), WithHTTPClient(follow))
	album, err := c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	assert.Equal(t, "evil", album.ID, "the user asked to follow redirects")
	assert.Equal(t, 1, *hits)
}

// emptyJar is a cookie jar that keeps nothing.
type emptyJar struct{}

func (emptyJar) SetCookies(*url.URL, []*http.Cookie) {}
func (emptyJar) Cookies(*url.URL) []*http.Cookie     { return nil }
