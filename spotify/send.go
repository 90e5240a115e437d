package spotify

// This file holds the round trip of a request through the family's chain:
// Client.send sends a request and returns its answer (or the call's error),
// family.send is the hop into the chain itself.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/spotifysdk/spotify-go/transport"
)

// send sends req, whose context carries the call record rec, through the
// family's chain and returns the answer's status code and its body, read
// in full. The response fills rec's capture. A failure of the chain, a
// non-2xx answer (a *Error) and a client closed before or during the call
// (ErrClosed) are errors that name route.
func (c *Client) send(req *http.Request, rec *transport.Call, route string) (int, []byte, error) {
	if c.fam.ctx.Err() != nil {
		transport.CloseRequestBody(req) // a RoundTripper would have
		return 0, nil, &Error{Method: req.Method, Route: route, err: ErrClosed}
	}
	// The family's lifetime bounds the call: Close cancels it in flight.
	// A call that cannot be cancelled otherwise took the lifetime as its
	// cancellation when its record was attached (transport.StartCall: no
	// per-call registration); any other gets a cancel bound to it here.
	// Either way its record names the lifetime, which promises the
	// coalescing stage that the request follows it (transport.CallSpec).
	if done := req.Context().Done(); done != nil && done != c.fam.ctx.Done() {
		ctx, cancel := context.WithCancel(req.Context())
		defer cancel()
		stop := context.AfterFunc(c.fam.ctx, cancel)
		defer stop()
		req = req.WithContext(ctx)
	}
	resp, err := c.fam.send(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		record(rec, nil)
		if c.fam.ctx.Err() != nil && errors.Is(err, context.Canceled) {
			// Cancelled by Close, whichever stage saw it first (the
			// call's own cancel runs on a goroutine of AfterFunc).
			err = ErrClosed
		}
		return 0, nil, fromChainError(req.Method, route, err)
	}
	defer resp.Body.Close()
	record(rec, resp)
	data, rerr := readBody(resp)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, nil, newResponseError(req.Method, route, resp.StatusCode, sentHeader(resp), data, rec.RetryAfter())
	}
	if rerr != nil {
		return resp.StatusCode, nil, fromChainError(req.Method, route, rerr)
	}
	return resp.StatusCode, data, nil
}

// readBody returns the body's bytes: those the download stage buffered, or
// read here when a custom chain has no download stage.
func readBody(resp *http.Response) ([]byte, error) {
	if data, ok := transport.BodyBytes(resp.Body); ok {
		return data, nil
	}
	return io.ReadAll(resp.Body)
}

// send sends req through the chain: directly, or through the http.Client
// that applies the user's redirect policy and cookie jar.
func (f *family) send(req *http.Request) (*http.Response, error) {
	if f.http != nil {
		return f.http.Do(req)
	}
	return f.rt.RoundTrip(req)
}
