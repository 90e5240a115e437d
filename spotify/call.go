package spotify

// This file holds a service method's call: what it sends (call), the facts
// of its call record (callSpec, principal), the HTTP request built from
// them (newHTTPRequest), and running it: Client.call builds the request,
// Client.do has it sent (send.go) and decodes the answer (codec.go).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/codec"
	"github.com/spotifysdk/spotify-go/transport"
)

// call is one request a service method sends.
type call struct {
	op    *operation
	args  []string   // path parameters, in template order
	query url.Values // nil for none
	body  any        // JSON body, or nil
	raw   []byte     // a raw body instead of JSON (cover upload)
	ctype string     // the raw body's content type
	next  string     // an absolute next-page URL instead of op's path
	// throttle is the 429 retry budget shared by the calls of one
	// operation (the chunks of a chunked write or read); nil: the call's own.
	throttle *transport.Throttle
}

// call runs one call of a service method: it builds the request, sends it
// and decodes the answer into out (nil to ignore it). It returns the
// status code (204 for no content). An answer that holds no object fails
// the call when out is not nil, unless the operation allows nothing
// (answerRule).
func (c *Client) call(ctx context.Context, cl *call, out any) (int, error) {
	if err := c.appModeCheck(cl.op); err != nil {
		return 0, err
	}
	parts, rawURL, err := c.callURL(cl)
	if err != nil {
		return 0, err
	}
	body, ctype := cl.raw, cl.ctype
	if cl.body != nil {
		if body, err = codec.Marshal(cl.body); err != nil {
			return 0, fmt.Errorf("spotify: encoding the request body: %w", err)
		}
		ctype = "application/json"
	}
	spec := c.callSpec(ctx, cl.op.path, &cl.op.idempotent, cl.throttle)
	var (
		req *http.Request
		rec *transport.Call
	)
	if parts != nil {
		req, rec = c.newOpRequest(ctx, cl.op.method, parts, spec, body, ctype)
	} else if req, rec, err = c.newHTTPRequest(ctx, cl.op.method, rawURL, spec, body, ctype); err != nil {
		return 0, err
	}
	status, err := c.do(req, rec, cl.op.path, out, answerRule(cl.op))
	if err != nil {
		err = c.appModeAnswer(cl.op, err)
	}
	return status, err
}

// do sends req, whose context carries the call record rec, and decodes
// its 2xx answer into out (nil to ignore it) by rule (see decode); route
// names the call in its errors. It returns the status code. Client.call
// and Client.Do both end here.
func (c *Client) do(req *http.Request, rec *transport.Call, route string, out any, rule emptyRule) (int, error) {
	status, data, err := c.send(req, rec, route)
	if err != nil {
		return status, err
	}
	return status, decode(req.Method, route, status, data, out, rule)
}

// callWrapped runs a call whose answer wraps the result in an object under
// key ({"artists": {...}}) and decodes the wrapped value into out.
func (c *Client) callWrapped(ctx context.Context, cl *call, key string, out any) (int, error) {
	if key == "" {
		return c.call(ctx, cl, out)
	}
	m := &member{key: key, out: out}
	status, err := c.call(ctx, cl, m)
	if err != nil {
		return status, err
	}
	return status, m.check(cl.op.method, cl.op.path)
}

// getOne runs a call whose answer is one T and returns it.
func getOne[T any](ctx context.Context, c *Client, cl *call) (*T, error) {
	var v T
	if _, err := c.call(ctx, cl, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// callSpec returns the facts of a call of this client: its provider and
// principal, the route, the replay rule, the family's lifetime, and the
// per-call overrides and response capture the caller brought on ctx (see
// withCallSpec).
func (c *Client) callSpec(ctx context.Context, route string, idempotent *bool, throttle *transport.Throttle) transport.CallSpec {
	brought := transport.CallFrom(ctx)
	return transport.CallSpec{
		Route:      route,
		Principal:  c.principal(),
		Idempotent: idempotent,
		Provider:   c.provider,
		Overrides:  brought.Overrides(),
		Lifetime:   c.fam.ctx,
		Capture:    brought.Capture(),
		Throttle:   throttle,
	}
}

// newHTTPRequest builds the request for rawURL on ctx with a call record
// made of spec (attached once, here), the per-call headers and the
// User-Agent, and returns the record.
func (c *Client) newHTTPRequest(ctx context.Context, method, rawURL string, spec transport.CallSpec, body []byte, ctype string) (*http.Request, *transport.Call, error) {
	ctx, rec := transport.StartCall(ctx, spec)
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return nil, nil, fmt.Errorf("spotify: building the request: %w", err)
	}
	// One slice holds the values of the headers set here (Header.Set
	// would make one per header).
	c.setHeaders(req.Header, new([2]string), spec.Overrides.Header, body != nil, ctype)
	return req, rec, nil
}

// newOpRequest is newHTTPRequest for a service method's call whose URL
// requestURL built: the request http.NewRequestWithContext would make of
// the URL's string (a test compares them), made without printing and
// parsing the URL. method is an operation's, so valid.
func (c *Client) newOpRequest(ctx context.Context, method string, parts *requestParts, spec transport.CallSpec, body []byte, ctype string) (*http.Request, *transport.Call) {
	ctx, rec := transport.StartCall(ctx, spec)
	r := http.Request{
		Method:     method,
		URL:        &parts.url,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Host:       parts.url.Host,
	}
	if body != nil {
		// As http.NewRequestWithContext does for a *bytes.Reader.
		r.ContentLength = int64(len(body))
		if len(body) == 0 {
			r.Body = http.NoBody
			r.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
		} else {
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		}
	}
	if h := c.fam.plainHeader; h != nil && body == nil && len(spec.Overrides.Header) == 0 {
		r.Header = h // shared, never changed: see family.plainHeader
	} else {
		r.Header = make(http.Header, 2)
		c.setHeaders(r.Header, &parts.vals, spec.Overrides.Header, body != nil, ctype)
	}
	return r.WithContext(ctx), rec
}

// setHeaders sets the headers of a new request: the User-Agent, the
// body's Content-Type when it has one, and the per-call headers extra (an
// Authorization among them is dropped: the auth stage owns it). vals holds
// the values of the first two (Header.Set would make a slice per header).
// No Accept: the Web API answers JSON whatever a request accepts, so the
// header would only be bytes to write and to parse on every request.
func (c *Client) setHeaders(h http.Header, vals *[2]string, extra http.Header, hasBody bool, ctype string) {
	vals[0], vals[1] = c.fam.ua, ctype
	h["User-Agent"] = vals[0:1:1]
	if hasBody {
		h["Content-Type"] = vals[1:2:2]
	}
	for k, vs := range extra {
		if strings.EqualFold(k, "Authorization") {
			continue
		}
		for _, v := range vs {
			h.Add(k, v)
		}
	}
}

// principal is whose data this client's answers are, asked of the provider
// on every call: a user provider learns its identity only at login, and a
// login as someone else changes it. An identity without an id after its
// prefix ("user:" before any login) is no principal, so nothing is cached
// or shared for it.
func (c *Client) principal() string {
	id, ok := c.provider.(auth.Identifier)
	if !ok {
		return ""
	}
	p := id.Identity()
	if i := strings.IndexByte(p, ':'); i >= 0 && i == len(p)-1 {
		return ""
	}
	return p
}
