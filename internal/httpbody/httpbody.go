// Package httpbody holds the request and response body plumbing that both
// the public chain (package transport re-exports it) and the internal
// token-request retry need: drain-and-close, close, replay checks, rewind.
package httpbody

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// maxDrain bounds how much of a discarded response body is read so that its
// connection can be reused; a longer body is closed unread.
const maxDrain = 64 << 10

// DrainAndClose reads up to 64 KiB of a discarded response's body and closes
// it. A nil response or body is ignored.
func DrainAndClose(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	_ = resp.Body.Close()
}

// CloseRequestBody closes req's body, if any.
func CloseRequestBody(req *http.Request) {
	if req != nil && req.Body != nil {
		_ = req.Body.Close()
	}
}

// ErrNotRewindable is returned by [Rewind] for a request with a body and no
// GetBody.
var ErrNotRewindable = errors.New("transport: request body cannot be replayed (no GetBody)")

// Replayable reports whether req has no body or a GetBody.
func Replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// Rewind returns a copy of req ([Clone]) with a fresh body from GetBody.
func Rewind(req *http.Request) (*http.Request, error) {
	r := Clone(req)
	if req.Body == nil || req.Body == http.NoBody {
		return r, nil
	}
	if req.GetBody == nil {
		return nil, ErrNotRewindable
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("transport: rewinding request body: %w", err)
	}
	r.Body = body
	return r, nil
}
