package middleware

import (
	"net/http"

	"github.com/spotifysdk/spotify-go/transport"
)

// passThrough is the middleware of a disabled stage: it sends every request
// to the next stage and only keeps the RoundTripper contract
// ([transport.CheckResponse]).
func passThrough(next http.RoundTripper) http.RoundTripper {
	return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return transport.CheckResponse(next.RoundTrip(req))
	})
}
