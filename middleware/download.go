package middleware

import (
	"io"
	"net/http"

	"github.com/spotifysdk/spotify-go/transport"
)

// defaultDownloadMaxBytes is the download stage's cap when
// [DownloadOptions.MaxBytes] is 0.
const defaultDownloadMaxBytes = 32 << 20

// downloadInitialSize is the first buffer size for a body of unknown length.
const downloadInitialSize = 512

// downloadMaxPresize bounds the buffer allocated up front from an announced
// length when there is no cap, so a false Content-Length cannot make the
// stage allocate gigabytes before reading a byte.
const downloadMaxPresize = 32 << 20

// DownloadOptions configures the [Download] stage. The zero value is the
// default: bodies are buffered up to 32 MiB.
type DownloadOptions struct {
	// MaxBytes caps the size of a response body. A larger body fails the
	// attempt with a [transport.BodyTooLargeError], which is not retried.
	// 0 means 32 MiB; a negative value means no cap.
	MaxBytes int64
}

// Download returns the download stage. It reads every response body to its
// end into a [transport.BufferedBody] and closes the original, so that a
// connection reset or a truncated body fails the attempt here, below the
// retry stage, instead of surfacing later in the caller's decoder:
//
//   - a read error gives a [transport.BodyReadError] (the original body is
//     closed); when the request's context ended during the read, the
//     context's error is returned instead, so a cancelled call is not
//     taken for a retriable failure;
//   - a body longer than [DownloadOptions.MaxBytes] gives a
//     [transport.BodyTooLargeError];
//   - otherwise the response is returned with its headers, a
//     [transport.BufferedBody] (readable by the stages above through
//     [transport.BodyBytes]) and ContentLength set to the buffered length.
//
// Responses that carry no body (HEAD, 1xx, 204, 304, [http.NoBody]) pass
// through with [http.NoBody] and their ContentLength untouched; a 101
// Switching Protocols response passes through unchanged. When the length is
// announced by Content-Length, the buffer is allocated once at that size.
//
// The returned RoundTripper is safe for concurrent use.
func Download(o DownloadOptions) transport.Middleware {
	limit := o.MaxBytes
	if limit == 0 {
		limit = defaultDownloadMaxBytes
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &downloadTransport{next: next, limit: limit}
	}
}

// downloadTransport is the RoundTripper of the [Download] stage.
type downloadTransport struct {
	next  http.RoundTripper
	limit int64 // negative: no cap
}

var _ http.RoundTripper = (*downloadTransport)(nil)

// RoundTrip sends req through the next stage and buffers the response body.
func (d *downloadTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := transport.CheckResponse(d.next.RoundTrip(req))
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusSwitchingProtocols:
		// The body is the raw connection: not ours to read.
		return resp, nil
	case downloadHasNoBody(req, resp):
		if resp.Body != http.NoBody {
			transport.DrainAndClose(resp)
			resp.Body = http.NoBody
		}
		return resp, nil
	}

	data, err := d.readAll(resp.Body, resp.ContentLength)
	_ = resp.Body.Close()
	if err != nil {
		if _, tooLarge := err.(*transport.BodyTooLargeError); tooLarge {
			return nil, err
		}
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, &transport.BodyReadError{StatusCode: resp.StatusCode, Err: err}
	}
	resp.Body = transport.NewBufferedBody(data)
	resp.ContentLength = int64(len(data))
	return resp, nil
}

// downloadHasNoBody reports whether resp carries no body by the protocol's
// rules (HEAD, 1xx, 204, 304) or already holds [http.NoBody].
func downloadHasNoBody(req *http.Request, resp *http.Response) bool {
	return resp.Body == http.NoBody ||
		req.Method == http.MethodHead ||
		resp.StatusCode < http.StatusOK ||
		resp.StatusCode == http.StatusNoContent ||
		resp.StatusCode == http.StatusNotModified
}

// readAll reads body to its end, refusing more than d.limit bytes. size is
// the announced length (negative when unknown): a known length within the
// cap (or under 32 MiB without a cap) sizes the buffer once, one byte larger
// so the final read that sees EOF needs no growth; a known length over the
// cap fails without reading.
func (d *downloadTransport) readAll(body io.Reader, size int64) ([]byte, error) {
	if d.limit >= 0 && size > d.limit {
		return nil, &transport.BodyTooLargeError{Limit: d.limit}
	}
	var buf []byte
	if size >= 0 && (d.limit >= 0 || size < downloadMaxPresize) {
		buf = make([]byte, 0, size+1)
	} else {
		n := int64(downloadInitialSize)
		if d.limit >= 0 && n > d.limit+1 {
			n = d.limit + 1
		}
		buf = make([]byte, 0, n)
	}
	for {
		if len(buf) == cap(buf) {
			buf = d.grow(buf)
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if d.limit >= 0 && int64(len(buf)) > d.limit {
			return nil, &transport.BodyTooLargeError{Limit: d.limit}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// grow returns buf with room for more bytes: its capacity doubles, but never
// beyond the cap plus one byte (enough to tell that the body is too large).
func (d *downloadTransport) grow(buf []byte) []byte {
	newCap := int64(2*cap(buf)) + downloadInitialSize
	if d.limit >= 0 && newCap > d.limit+1 {
		newCap = d.limit + 1
	}
	grown := make([]byte, len(buf), newCap)
	copy(grown, buf)
	return grown
}
