package spotify

// Tests of URL handling: underBase and resolve (urls.go).

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
