package middleware

import (
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/transport"
)

// This file holds the responses the [Cache] stage hands up: a stored entry
// made a response again, and a streamed answer that fills an entry once it
// was read to its end.

// cacheResponse returns a new response for the stored entry e, answering
// req.
func cacheResponse(e *cache.Entry, req *http.Request) *http.Response {
	h := e.Header.Clone()
	if h == nil {
		h = make(http.Header)
	}
	return &http.Response{
		Status:        strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode),
		StatusCode:    e.StatusCode,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          transport.NewBufferedBody(e.Body),
		ContentLength: int64(len(e.Body)),
		Request:       req,
	}
}

// newCacheFillBody wraps a streamed body so that store receives its bytes
// once it was read to io.EOF.
func newCacheFillBody(body io.ReadCloser, store func([]byte)) io.ReadCloser {
	return &cacheFillBody{rc: body, store: store}
}

// cacheFillBody is a streamed response body that hands its bytes to store
// once it was read to io.EOF (see [Cache]); Close before that stores
// nothing.
type cacheFillBody struct {
	rc    io.ReadCloser
	store func([]byte)

	mu   sync.Mutex
	data []byte // the bytes read so far
	done bool   // stored, failed or closed: nothing more to do
}

// Read reads from the body and stores its bytes at io.EOF.
func (b *cacheFillBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.mu.Lock()
	if b.done {
		b.mu.Unlock()
		return n, err
	}
	b.data = append(b.data, p[:n]...)
	data := b.data
	if err != nil {
		b.done = true
		b.data = nil
	}
	b.mu.Unlock()
	if err == io.EOF {
		b.store(data)
	}
	return n, err
}

// Close closes the body; a body not read to io.EOF stores nothing.
func (b *cacheFillBody) Close() error {
	b.mu.Lock()
	b.done = true
	b.data = nil
	b.mu.Unlock()
	return b.rc.Close()
}
