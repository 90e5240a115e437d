package transport_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/spotifysdk/spotify-go/transport"
)

func TestIdempotentMethodAndMark(t *testing.T) {
	for method, want := range map[string]bool{
		"GET": true, "get": true, "HEAD": true, "OPTIONS": true, "PUT": true, "DELETE": true, "": true,
		"POST": false, "PATCH": false, "post": false,
	} {
		assert.Equal(t, want, transport.IdempotentMethod(method), method)
		req, _ := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/x", nil)
		req.Method = method
		assert.Equal(t, want, transport.Idempotent(req), "%s without a mark", method)
		marked := req.WithContext(transport.WithIdempotent(context.Background(), !want))
		assert.Equal(t, !want, transport.Idempotent(marked), "%s: the mark wins", method)
	}
}
