package transport

import (
	"errors"
	"net/http"
)

// Middleware wraps a RoundTripper with one stage of behaviour. It is called
// once when a chain is built; the RoundTripper it returns serves every
// request and must be safe for concurrent use.
type Middleware func(next http.RoundTripper) http.RoundTripper

// RoundTripperFunc adapts a function to [http.RoundTripper].
type RoundTripperFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f(req).
func (f RoundTripperFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// errNilResponse replaces a (nil, nil) answer from a RoundTripper.
var errNilResponse = errors.New("transport: RoundTripper returned a nil response and a nil error")

// CheckResponse enforces the defensive end of the RoundTripper contract on
// what next returned: a (nil, nil) becomes an error, and a nil body becomes
// [http.NoBody]. Stages call it on every answer they pass up.
func CheckResponse(resp *http.Response, err error) (*http.Response, error) {
	if err != nil {
		if resp != nil {
			DrainAndClose(resp)
		}
		return nil, err
	}
	if resp == nil {
		return nil, errNilResponse
	}
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	return resp, nil
}
