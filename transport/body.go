package transport

import (
	"io"
	"net/http"
	"sync"

	"github.com/spotifysdk/spotify-go/internal/httpbody"
)

// DrainAndClose reads up to 64 KiB of a discarded response's body and closes
// it, so the keep-alive connection goes back to the pool. A nil response or
// body is ignored.
func DrainAndClose(resp *http.Response) { httpbody.DrainAndClose(resp) }

// CloseRequestBody closes req's body, if any. Stages call it on every early
// return, since the RoundTripper contract says the request body is always
// closed, even on errors.
func CloseRequestBody(req *http.Request) { httpbody.CloseRequestBody(req) }

// ErrNotRewindable is returned by [Rewind] for a request whose body cannot be
// produced again (it has a body and no GetBody).
var ErrNotRewindable = httpbody.ErrNotRewindable

// Replayable reports whether req can be sent more than once: it has no body,
// or a GetBody that makes a fresh copy.
func Replayable(req *http.Request) bool { return httpbody.Replayable(req) }

// Rewind returns a copy of req with a fresh body from GetBody, for sending
// it again: a deep copy, as req.Clone makes (its header and URL are its
// own). A request without a body is copied as it is. The caller's request
// is not changed.
func Rewind(req *http.Request) (*http.Request, error) { return httpbody.Rewind(req) }

// OnClose wraps body so that fn runs exactly once, when the body is closed or
// read to its end, whichever comes first. Stages use it for anything tied to
// a response's lifetime (spans, timers, concurrency slots). A nil body or
// [http.NoBody] is already at its end: fn runs at once and OnClose returns
// [http.NoBody], so that stages above still see a response without a body.
func OnClose(body io.ReadCloser, fn func()) io.ReadCloser {
	if body == nil || body == http.NoBody {
		fn()
		return http.NoBody
	}
	return &closeHookBody{rc: body, fn: fn}
}

// OnDownloaded is OnClose for what ends with the download of a response
// rather than with its reading (a concurrency slot, a deadline): fn runs
// at once when nothing is left to download, that is when body is a
// [BufferedBody] (a stage below read it in full), which is returned as it
// is; any other body is wrapped as OnClose does.
func OnDownloaded(body io.ReadCloser, fn func()) io.ReadCloser {
	if _, inMemory := body.(*BufferedBody); inMemory {
		fn()
		return body
	}
	return OnClose(body, fn)
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
