package middleware

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestURLPort(t *testing.T) {
	for raw, want := range map[string]int{
		"https://api.spotify.com/v1":      443,
		"http://127.0.0.1/v1":             80,
		"https://api.spotify.com:8443/v1": 8443,
		"http://localhost:80/v1":          80,
		"ftp://example.com/x":             0,
	} {
		u, err := url.Parse(raw)
		assert.NoError(t, err)
		assert.Equal(t, want, urlPort(u), raw)
	}
	assert.Equal(t, "", schemeDefaultPort("ftp"))
}
