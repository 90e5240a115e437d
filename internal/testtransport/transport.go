package testtransport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Step produces the answer to one request.
type Step func(req *http.Request) (*http.Response, error)

// Recorded is a request as the fake transport saw it.
type Recorded struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// Request is the request itself (its body already consumed).
	Request *http.Request
}

// Transport answers requests from a script. Steps are used in order; the
// last step repeats when [Transport.Repeat] was called, else running out of
// steps is an error. It is safe for concurrent use.
type Transport struct {
	mu       sync.Mutex
	steps    []Step
	repeat   bool
	requests []Recorded
	// Bodies holds every response body handed out, for close checks.
	bodies []*Body
}

// New returns an empty script.
func New() *Transport { return &Transport{} }

// Append adds a step.
func (t *Transport) Append(s Step) *Transport {
	t.mu.Lock()
	t.steps = append(t.steps, s)
	t.mu.Unlock()
	return t
}

// AppendResponse adds a response with the given status, headers (pairs of
// name and value) and body.
func (t *Transport) AppendResponse(status int, body string, headerPairs ...string) *Transport {
	return t.Append(Respond(status, body, headerPairs...))
}

// AppendError adds a transport error.
func (t *Transport) AppendError(err error) *Transport {
	return t.Append(func(*http.Request) (*http.Response, error) { return nil, err })
}

// Repeat makes the last step answer every further request.
func (t *Transport) Repeat() *Transport {
	t.mu.Lock()
	t.repeat = true
	t.mu.Unlock()
	return t
}

// Respond returns a step that answers with the given status, body and header
// pairs ("Retry-After", "2", ...).
func Respond(status int, body string, headerPairs ...string) Step {
	if len(headerPairs)%2 != 0 {
		panic("testtransport: header pairs must come in twos")
	}
	return func(req *http.Request) (*http.Response, error) {
		h := http.Header{}
		for i := 0; i < len(headerPairs); i += 2 {
			h.Add(headerPairs[i], headerPairs[i+1])
		}
		return &http.Response{
			StatusCode:    status,
			Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
			Proto:         "HTTP/1.1",
			ProtoMajor:    1,
			ProtoMinor:    1,
			Header:        h,
			Body:          io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)),
			Request:       req,
		}, nil
	}
}

// ErrScriptExhausted is returned when a request arrives after the last step.
var ErrScriptExhausted = errors.New("testtransport: no scripted answer left")

// RoundTrip records req, consumes and closes its body, and answers with the
// next step. Every response body is wrapped in a [Body].
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		_ = req.Body.Close()
	}
	t.mu.Lock()
	t.requests = append(t.requests, Recorded{Method: req.Method, URL: req.URL.String(), Header: req.Header.Clone(), Body: body, Request: req})
	var step Step
	switch {
	case len(t.steps) > 1 || (len(t.steps) == 1 && !t.repeat):
		step = t.steps[0]
		t.steps = t.steps[1:]
	case len(t.steps) == 1:
		step = t.steps[0]
	}
	t.mu.Unlock()
	if step == nil {
		return nil, ErrScriptExhausted
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	resp, err := step(req)
	if resp != nil && resp.Body != nil {
		b := &Body{ReadCloser: resp.Body}
		resp.Body = b
		t.mu.Lock()
		t.bodies = append(t.bodies, b)
		t.mu.Unlock()
	}
	return resp, err
}

// Requests returns the requests seen so far, in order.
func (t *Transport) Requests() []Recorded {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Recorded(nil), t.requests...)
}

// Len returns how many requests were seen.
func (t *Transport) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.requests)
}

// Bodies returns every response body handed out.
func (t *Transport) Bodies() []*Body {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]*Body(nil), t.bodies...)
}

// Unclosed returns how many response bodies handed out were never closed.
func (t *Transport) Unclosed() int {
	n := 0
	for _, b := range t.Bodies() {
		if b.Closes() == 0 {
			n++
		}
	}
	return n
}

// Body counts reads and closes of a body.
type Body struct {
	io.ReadCloser
	mu     sync.Mutex
	closes int
	read   int64
	eof    bool
}

// Read reads and counts.
func (b *Body) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.mu.Lock()
	b.read += int64(n)
	if err == io.EOF {
		b.eof = true
	}
	b.mu.Unlock()
	return n, err
}

// Close closes and counts.
func (b *Body) Close() error {
	b.mu.Lock()
	b.closes++
	b.mu.Unlock()
	return b.ReadCloser.Close()
}

// Closes returns how many times Close was called.
func (b *Body) Closes() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closes
}

// Drained reports whether the body was read to its end.
func (b *Body) Drained() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.eof
}

// NewRequestBody returns a request body that counts its closes, and a
// GetBody function that hands out further counted copies of the same bytes.
// Tests use it to check that the original body is closed exactly once.
func NewRequestBody(data string) (*Body, func() (io.ReadCloser, error)) {
	orig := &Body{ReadCloser: io.NopCloser(strings.NewReader(data))}
	get := func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader([]byte(data))), nil
	}
	return orig, get
}
