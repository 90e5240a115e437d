package spotify

// Tests of URL handling: underBase, resolve and opURL (urls.go).

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCoreUnderBase(t *testing.T) {
	base, err := parseServiceURL("WithBaseURL", "https://api.spotify.com/v1")
	require.NoError(t, err)
	for u, want := range map[string]bool{
		"https://api.spotify.com/v1/albums":        true,
		"https://API.spotify.com/v1/albums?x=1":    true,
		"https://api.spotify.com/v1/":              true,
		"https://api.spotify.com/v1":               false,
		"https://api.spotify.com/v10/albums":       false,
		"https://api.spotify.com/v2/albums":        false,
		"http://api.spotify.com/v1/albums":         false,
		"https://api.spotify.com:8443/v1/albums":   false,
		"https://evil.com/v1/albums":               false,
		"https://api.spotify.com.evil.com/v1/x":    false,
		"https://u:p@api.spotify.com/v1/albums":    false,
		"https://api.spotify.com/v1%2F../x":        false,
		"https://api.spotify.com/v1/../admin":      false,
		"https://api.spotify.com/v1/%2e%2e/admin":  false,
		"https://api.spotify.com/v1/./albums":      false,
		"https://api.spotify.com/other/v1/albums":  false,
		"https://api.spotify.com/v1/albums/a%2Fb":  true,
		"https://api.spotify.com/V1/albums":        false,
		"https://api.spotify.com/v1/albums#frag":   true,
		"https://api.spotify.com//v1/albums":       false,
		"https://api.spotify.com/v1/../v1/albums/": false,
	} {
		parsed, err := url.Parse(u)
		require.NoError(t, err)
		assert.Equal(t, want, underBase(base, parsed), u)
	}
}

func TestCoreResolve(t *testing.T) {
	ts := newTestServer(t)
	c := coreClient(t, ts, WithAccessToken("tok"))
	base := ts.URL + "/v1/"
	for in, want := range map[string]string{
		"markets":                          base + "markets",
		"/markets":                         base + "markets",
		"me/player?market=SE":              base + "me/player?market=SE",
		ts.URL + "/v1/albums/a1":           base + "albums/a1",
		ts.URL + "/v1/x/../albums":         base + "albums",
		"albums/a%2Fb":                     base + "albums/a%2Fb",
		ts.URL + "/v1/search?q=a+b&type=t": base + "search?q=a+b&type=t",
	} {
		u, err := c.resolve(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, u.String(), in)
	}
	for _, in := range []string{"../admin", ts.URL + "/v1/../admin", "https://example.com/v1/x"} {
		_, err := c.resolve(in)
		assert.Error(t, err, in)
	}
}

// resolvedURL is opURL the long way, as every call took it before the
// plain path: the path resolved against the base URL, the query set, the
// URL printed.
func resolvedURL(c *Client, path string, query url.Values) (string, error) {
	u, err := c.resolve(path)
	if err != nil {
		return "", err
	}
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	return u.String(), nil
}

// opURLBases are base URLs of every shape resolving treats apart: with and
// without a trailing slash, a port, an empty path, an escaped slash, dot
// segments, a doubled slash, a query, upper case.
var opURLBases = []string{
	"https://api.spotify.com/v1", "https://api.spotify.com/v1/", "http://127.0.0.1:8080/v1",
	"https://api.spotify.com", "https://api.spotify.com/", "https://h/a%2Fb/v1", "https://h/a/./v1",
	"https://h/v0/../v1", "https://h//v1", "https://h/v1?x=1", "https://H.example/V1", "https://h/a b/v1",
	"https://h/v1%7e", "https://h/%41/v1",
}

// opURLPaths are paths of service methods and paths that only the long way
// gets right: dots, escapes, colons, queries, fragments, spaces, non-ASCII
// bytes, bad escapes.
var opURLPaths = []string{
	"/albums/2CWWgbxApjbyByxBBCvGTm", "/me/player/currently-playing", "albums", "/", "", "//x", "a//b", "a/",
	"/users/a%2Fb/playlists", "/users/%2E%2E/x", "/x/%2e", "/x/.", "/x/..", "./x", "../x", "/a/.b/c.", "/x/...",
	"/x:y", "x/y:z", "https://api.spotify.com/v1/albums", "/a?b=c", "/a#b", "/a b", "/a%zz", "/a%4", "/a%",
	"%2A", "/%2a", "/x/%2A", "/caf\u00e9", "/a\x00b", "/x/%41%42", "/x/!$&'()*+,;=@-._~", "/x/[y]", "/x/a|b", "/x\\y",
}

func TestCoreOpURLMatchesResolve(t *testing.T) {
	queries := []url.Values{nil, {}, {"market": {"SE"}}, {"a": {}}, {"q": {"a b&c"}, "limit": {"5"}}}
	plain := 0
	for _, raw := range opURLBases {
		base, err := parseServiceURL("WithBaseURL", raw)
		require.NoError(t, err, raw)
		c := &Client{fam: &family{base: base, plainBase: plainBaseOf(base)}}
		if c.fam.plainBase != "" {
			plain++
		}
		for _, path := range opURLPaths {
			for _, q := range queries {
				want, wantErr := resolvedURL(c, path, q)
				got, err := c.opURL(path, q)
				if wantErr != nil {
					assert.Error(t, err, "base %s, path %q", raw, path)
					continue
				}
				if assert.NoError(t, err, "base %s, path %q", raw, path) {
					assert.Equal(t, want, got, "base %s, path %q, query %v", raw, path, q)
				}
			}
		}
	}
	assert.Greater(t, plain, len(opURLBases)/2, "most bases take the plain path")
}

func TestCorePlainBaseOf(t *testing.T) {
	for raw, want := range map[string]string{
		"https://api.spotify.com/v1":  "https://api.spotify.com/v1/",
		"https://api.spotify.com/v1/": "https://api.spotify.com/v1/",
		"http://127.0.0.1:8080/v1":    "http://127.0.0.1:8080/v1/",
		"https://api.spotify.com":     "https://api.spotify.com/",
		"https://h/a%2Fb/v1":          "", // resolving spells the path otherwise
		"https://h/v0/../v1":          "", // dot segments
		"https://h//v1":               "https://h//v1/",
	} {
		base, err := parseServiceURL("WithBaseURL", raw)
		require.NoError(t, err, raw)
		assert.Equal(t, want, plainBaseOf(base), raw)
	}
}

// FuzzOpURL checks that the plain path of opURL gives what resolving gives,
// for any base URL and path.
func FuzzOpURL(f *testing.F) {
	for _, b := range opURLBases {
		for _, p := range opURLPaths {
			f.Add(b, p)
		}
	}
	f.Fuzz(func(t *testing.T, raw, path string) {
		base, err := parseServiceURL("WithBaseURL", raw)
		if err != nil {
			return
		}
		c := &Client{fam: &family{base: base, plainBase: plainBaseOf(base)}}
		q := url.Values{"market": {"SE"}}
		want, wantErr := resolvedURL(c, path, q)
		got, err := c.opURL(path, q)
		if (err != nil) != (wantErr != nil) || got != want {
			t.Fatalf("base %q, path %q: opURL %q, %v; resolve %q, %v", raw, path, got, err, want, wantErr)
		}
	})
}
