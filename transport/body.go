package transport

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// maxDrain bounds how much of a discarded response body is read so that its
// connection can be reused; a longer body is closed unread.
const maxDrain = 64 << 10

// DrainAndClose reads up to 64 KiB of a discarded response's body and closes
// it, so the keep-alive connection goes back to the pool. A nil response or
// body is ignored.
func DrainAndClose(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	_ = resp.Body.Close()
}

// CloseRequestBody closes req's body, if any. Stages call it on every early
// return, since the RoundTripper contract says the request body is always
// closed, even on errors.
func CloseRequestBody(req *http.Request) {
	if req != nil && req.Body != nil {
		_ = req.Body.Close()
	}
}

// ErrNotRewindable is returned by [Rewind] for a request whose body cannot be
// produced again (it has a body and no GetBody).
var ErrNotRewindable = errors.New("transport: request body cannot be replayed (no GetBody)")

// Replayable reports whether req can be sent more than once: it has no body,
// or a GetBody that makes a fresh copy.
func Replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// Rewind returns a shallow copy of req with a fresh body from GetBody, for
// sending it again. A request without a body is copied as it is. The caller's
// request is not changed.
func Rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
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

// OnClose wraps body so that fn runs exactly once, when the body is closed or
// read to its end, whichever comes first. Stages use it for anything tied to
// a response's lifetime (spans, timers, concurrency slots). A nil body is
// replaced by [http.NoBody] and fn is still called on Close.
func OnClose(body io.ReadCloser, fn func()) io.ReadCloser {
	if body == nil {
		body = http.NoBody
	}
	return &closeHookBody{rc: body, fn: fn}
}

type closeHookBody struct {
	rc   io.ReadCloser
	once sync.Once
	fn   func()
}

func (b *closeHookBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.once.Do(b.fn)
	}
	return n, err
}

func (b *closeHookBody) Close() error {
	err := b.rc.Close()
	b.once.Do(b.fn)
	return err
}

// BufferedBody is a response body held in memory. The download stage
// produces it; stages above can read its bytes without consuming the body.
type BufferedBody struct {
	data []byte
	off  int
}

// NewBufferedBody returns a body that reads data.
func NewBufferedBody(data []byte) *BufferedBody { return &BufferedBody{data: data} }

// Bytes returns the whole body, whatever has been read of it. The caller
// must not modify the slice.
func (b *BufferedBody) Bytes() []byte { return b.data }

// Read reads from the body.
func (b *BufferedBody) Read(p []byte) (int, error) {
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	return n, nil
}

// Close does nothing; the bytes stay readable through [BufferedBody.Bytes].
func (b *BufferedBody) Close() error { return nil }

// BodyBytes returns the bytes of a response body that a stage below buffered
// (a [BufferedBody], possibly wrapped by [OnClose]); ok is false otherwise.
func BodyBytes(body io.ReadCloser) (data []byte, ok bool) {
	for {
		switch b := body.(type) {
		case *BufferedBody:
			return b.data, true
		case *closeHookBody:
			body = b.rc
		default:
			return nil, false
		}
	}
}
