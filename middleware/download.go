package middleware

import (
	"fmt"
	"net/http"

	"github.com/spotifysdk/spotify-go/transport"
)

// defaultDownloadMaxBytes is the download stage's cap when
// [DownloadOptions.MaxBytes] is 0.
const defaultDownloadMaxBytes = 32 << 20

// DownloadOptions configures the [Download] stage. The zero value is the
// default: bodies are buffered up to 32 MiB.
type DownloadOptions struct {
	// MaxBytes caps the size of a response body. A larger body fails the
	// attempt with a [BodyTooLargeError], which is not retried.
	// 0 means 32 MiB; a negative value means no cap.
	MaxBytes int64
}

// Download returns the download stage. It reads every response body to its
// end into a [transport.BufferedBody] and closes the original, so that a
// connection reset or a truncated body fails the attempt here, below the
// retry stage, instead of surfacing later in the caller's decoder:
//
//   - a read error gives a [BodyReadError] (the original body is
//     closed); when the request's context ended during the read, the
//     context's error is returned instead, so a cancelled call is not
//     taken for a retriable failure;
//   - a body longer than [DownloadOptions.MaxBytes] gives a
//     [BodyTooLargeError];
//   - otherwise the response is returned with its headers, a
//     [transport.BufferedBody] (readable by the stages above through
//     [transport.BodyBytes]) and ContentLength set to the buffered length;
//   - the body of an answer that is not 2xx is an error text: every form of
//     the credentials its request carried (resp.Request as sent below:
//     the Authorization header the auth stage set, raw, escaped or, for
//     Basic, base64) is replaced by [Redacted] in it, so that a server
//     echoing the bearer token puts it in no error, log or cache above.
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

	data, err := readAll(resp.Body, resp.ContentLength, d.limit)
	_ = resp.Body.Close()
	if err != nil {
		if _, tooLarge := err.(*BodyTooLargeError); tooLarge {
			return nil, err
		}
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, &BodyReadError{StatusCode: resp.StatusCode, Err: err}
	}
	if resp.StatusCode >= http.StatusMultipleChoices {
		data = scrubSentCredentials(data, resp.Request)
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

// BodyReadError is returned when a response body could not be read to its
// end (a reset, a truncation): the attempt failed where retry can see it.
type BodyReadError struct {
	// StatusCode is the status of the response whose body failed.
	StatusCode int
	// Err is the read error.
	Err error
}

// Error gives the status and the read error.
func (e *BodyReadError) Error() string {
	return fmt.Sprintf("middleware: reading %d response body: %v", e.StatusCode, e.Err)
}

// Unwrap returns the read error.
func (e *BodyReadError) Unwrap() error { return e.Err }

// BodyTooLargeError is returned when a response body exceeds the download
// stage's cap. It is not retried.
type BodyTooLargeError struct {
	// Limit is the cap in bytes.
	Limit int64
}

// Error gives the limit.
func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("middleware: response body exceeds the %d-byte limit", e.Limit)
}
