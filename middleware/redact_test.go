package middleware

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedactSensitiveHeader(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"Authorization":       true,
		"authorization":       true,
		"Proxy-Authorization": true,
		"Cookie":              true,
		"Set-Cookie":          true,
		"X-Access-Token":      true,
		"X-Client-Secret":     true,
		"X-Api-Key":           true,
		"Accept":              false,
		"Accept-Language":     false,
		"Content-Type":        false,
		"Traceparent":         false,
		"If-None-Match":       false,
	} {
		assert.Equal(t, want, SensitiveHeader(name), name)
	}
}

func TestRedactHeader(t *testing.T) {
	t.Parallel()
	h := http.Header{"Authorization": {"Bearer x"}, "Accept": {"a", "b"}}
	got := RedactHeader(h)
	assert.Equal(t, http.Header{"Authorization": {Redacted}, "Accept": {"a", "b"}}, got)
	assert.Equal(t, "Bearer x", h.Get("Authorization"), "the input is not changed")
	got["Accept"][0] = "z"
	assert.Equal(t, "a", h["Accept"][0], "values are copied")
	assert.Nil(t, RedactHeader(nil))
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://api.spotify.com/v1/albums/x?market=SE&access_token=t#frag": "https://api.spotify.com/v1/albums/x",
		"https://user:pass@api.spotify.com:8443/v1/me":                      "https://api.spotify.com:8443/v1/me",
		"/v1/me?x=1":                  "/v1/me",
		"http://127.0.0.1:8080/a%20b": "http://127.0.0.1:8080/a%20b",
	} {
		u, err := url.Parse(in)
		require.NoError(t, err)
		assert.Equal(t, want, RedactURL(u), in)
	}
	assert.Empty(t, RedactURL(nil))
}

func TestRedactMessage(t *testing.T) {
	t.Parallel()
	u, err := url.Parse("https://someone:hunter22@api.spotify.com/v1/me?access_token=SECRET-1&code=abcdef&x=1")
	require.NoError(t, err)
	msg := `Get "` + u.String() + `": dial: refused; token SECRET-1 and code abcdef`
	got := redactMessage(msg, u)
	for _, s := range []string{"SECRET-1", "abcdef", "hunter22", "someone"} {
		assert.NotContains(t, got, s)
	}
	assert.Contains(t, got, "api.spotify.com/v1/me")
	assert.Contains(t, got, "dial: refused")
	assert.Equal(t, "plain", redactMessage("plain", nil))
}
