package spotify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spotifysdk/spotify-go/internal/codec"
	"github.com/spotifysdk/spotify-go/transport"
)

const defaultTokenTimeout = 30 * time.Second

// call is one request a service method sends.
type call struct {
	op    *operation
	args  []string   // path parameters, in template order
	query url.Values // nil for none
	body  any        // JSON body, or nil
	raw   []byte     // a raw body instead of JSON (cover upload)
	ctype string     // the raw body's content type
	next  string     // an absolute next-page URL instead of op's path
}

// NewRequest builds a request for any Web API endpoint, for the endpoints
// the SDK lacks. path is one of:
//   - a path relative to the base URL: "albums/x" or "/albums/x" (a
//     leading slash is ignored);
//   - a path that starts with the base URL's path, as Spotify's reference
//     writes them: "/v1/albums/x" with the default base URL
//     https://api.spotify.com/v1. The base path is stripped once, so it is
//     not doubled (the request goes to /v1/albums/x, not /v1/v1/albums/x);
//   - an absolute URL under the base URL.
//
// Anything that resolves outside the base URL is refused. body, if not
// nil, is sent as JSON. Send the request with [Client.Do]: it goes through
// the same chain as every method.
func (c *Client) NewRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	u, err := c.resolve(c.trimBasePath(path))
	if err != nil {
		return nil, err
	}
	var data []byte
	if body != nil {
		if data, err = codec.Marshal(body); err != nil {
			return nil, fmt.Errorf("spotify: encoding the request body: %w", err)
		}
	}
	route, idempotent := handRoute(method, c.fam.base, u)
	req, _, err := c.newHTTPRequest(ctx, method, u, c.callSpec(ctx, route, &idempotent), data, "application/json")
	return req, err
}

// handRoute returns the route and replay rule of a request built by hand:
// its registry operation's, or none and the method's rule.
func handRoute(method string, base, u *url.URL) (string, bool) {
	if o := operationFor(method, base, u); o != nil {
		return o.path, o.idempotent
	}
	return "", transport.IdempotentMethod(method)
}

// Do sends req through the chain and decodes a 2xx JSON answer into v (nil
// to ignore it). A non-2xx answer is a *Error. When v is not nil, a 204
// No Content leaves v as it is, and any other answer that holds no object
// (an empty or whitespace-only body, JSON null) is a *DecodeError, as for
// the SDK's own methods. The errors name the method and the route: the
// registry's route template when the SDK knows the endpoint, else the
// path under the base URL ("GET /me/custom"). A request built with
// http.NewRequest rather than [Client.NewRequest] gets the client's auth
// and User-Agent too. A request whose URL is not under the base URL is
// refused.
func (c *Client) Do(req *http.Request, v any) error {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	if req.URL == nil || !underBase(c.fam.base, req.URL) {
		transport.CloseRequestBody(req)
		where := "<nil>"
		if req.URL != nil {
			where = req.URL.Redacted()
		}
		return fmt.Errorf("spotify: %s %s: not under the base URL %s: refused", method, where, c.fam.base)
	}
	// A request of this family (built by NewRequest of this client or one
	// that shares its chain) carries a call record with the family's
	// lifetime: it is sent with that record's facts. Any other gets this
	// client's.
	brought := transport.CallFrom(req.Context())
	var spec transport.CallSpec
	family := brought != nil && brought.Lifetime() == c.fam.ctx
	if family {
		spec = brought.Spec()
	} else {
		route, idempotent := handRoute(req.Method, c.fam.base, req.URL)
		if r := brought.Route(); r != "" {
			route = r
		}
		spec = c.callSpec(req.Context(), route, &idempotent)
	}
	// Every send gets a record of its own, so that sending a request
	// again does not add to the counts of the first send.
	ctx, call := transport.StartCall(req.Context(), spec)
	if family {
		req = req.WithContext(ctx)
	} else {
		req = req.Clone(ctx)
		if req.Header.Get("User-Agent") == "" {
			req.Header.Set("User-Agent", c.fam.ua)
		}
	}
	route, rule := spec.Route, noContentOK
	if req.URL != nil {
		if op := operationFor(method, c.fam.base, req.URL); op != nil && answerRule(op) == nothingOK {
			rule = nothingOK
		}
		if route == "" { // an endpoint the registry lacks: its path names it
			route = "/" + strings.TrimLeft(strings.TrimPrefix(req.URL.EscapedPath(), strings.TrimRight(c.fam.base.EscapedPath(), "/")), "/")
		}
	}
	_, err := c.roundTrip(req, call, route, v, rule)
	return err
}

// callSpec returns the facts of a call of this client: its provider and
// principal, the route, the replay rule, the family's lifetime, and the
// per-call overrides and response capture the caller brought on ctx (see
// withCallSpec).
func (c *Client) callSpec(ctx context.Context, route string, idempotent *bool) transport.CallSpec {
	brought := transport.CallFrom(ctx)
	return transport.CallSpec{
		Route:      route,
		Principal:  c.principal(),
		Idempotent: idempotent,
		Provider:   c.provider,
		Overrides:  brought.Overrides(),
		Lifetime:   c.fam.ctx,
		Capture:    brought.Capture(),
	}
}

// trimBasePath strips the base URL's path once from a path that starts
// with it ("/v1/albums/x" → "/albums/x"), so that resolve does not add it
// a second time. Other paths, and absolute URLs, are returned as they are.
func (c *Client) trimBasePath(path string) string {
	bp := strings.TrimRight(c.fam.base.EscapedPath(), "/")
	if bp == "" || strings.Contains(path, "://") || !strings.HasPrefix(path, bp) {
		return path
	}
	rest := path[len(bp):]
	if rest == "" || strings.ContainsRune("/?#", rune(rest[0])) {
		return "/" + strings.TrimLeft(rest, "/")
	}
	return path // "/v1x/..." does not start with the segment "/v1"
}

// resolve turns a path relative to the base URL ("me/player", a leading
// slash ignored) or an absolute URL into a URL under the base URL.
func (c *Client) resolve(path string) (*url.URL, error) {
	if !strings.Contains(path, "://") {
		path = strings.TrimLeft(path, "/")
	}
	return c.resolveRef(path)
}

// resolveRef resolves a URL reference (absolute, host-relative as in
// "/v1/albums", or relative to the base) against the base URL, dot
// segments removed, and accepts the result only when it is under the base
// URL: a page's next link cannot carry a call, and its token, elsewhere.
func (c *Client) resolveRef(ref string) (*url.URL, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("spotify: bad URL: %v", err)
	}
	base := *c.fam.base
	base.Path = strings.TrimRight(base.Path, "/") + "/"
	base.RawPath = ""
	u := base.ResolveReference(r)
	if !underBase(c.fam.base, u) {
		return nil, fmt.Errorf("spotify: %s is not under the base URL %s: refused", u.Redacted(), c.fam.base)
	}
	return u, nil
}

// newHTTPRequest builds the request on ctx with a call record made of spec
// (attached once, here), the per-call headers and the User-Agent, and
// returns the record.
func (c *Client) newHTTPRequest(ctx context.Context, method string, u *url.URL, spec transport.CallSpec, body []byte, ctype string) (*http.Request, *transport.Call, error) {
	ctx, call := transport.StartCall(ctx, spec)
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, nil, fmt.Errorf("spotify: building the request: %w", err)
	}
	// One slice holds the values of the headers set here (Header.Set
	// would make one per header).
	vals := make([]string, 3)
	vals[0], vals[1], vals[2] = c.fam.ua, "application/json", ctype
	req.Header["User-Agent"] = vals[0:1:1]
	req.Header["Accept"] = vals[1:2:2]
	if body != nil {
		req.Header["Content-Type"] = vals[2:3:3]
	}
	for k, vs := range spec.Overrides.Header {
		if strings.EqualFold(k, "Authorization") {
			continue
		}
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return req, call, nil
}

// send runs one call of a service method and decodes the answer into out
// (nil to ignore it). It returns the status code (204 for no content). An
// answer that holds no object fails the call when out is not nil, unless
// the operation allows nothing (answerRule).
func (c *Client) send(ctx context.Context, cl *call, out any) (int, error) {
	if err := c.appModeCheck(cl.op); err != nil {
		return 0, err
	}
	var u *url.URL
	var err error
	if cl.next != "" {
		if u, err = c.resolveRef(cl.next); err != nil {
			return 0, err
		}
	} else {
		u, err = c.resolve(cl.op.expand(cl.args...))
		if err != nil {
			return 0, err
		}
		if len(cl.query) > 0 {
			u.RawQuery = cl.query.Encode()
		}
	}
	body, ctype := cl.raw, cl.ctype
	if cl.body != nil {
		if body, err = codec.Marshal(cl.body); err != nil {
			return 0, fmt.Errorf("spotify: encoding the request body: %w", err)
		}
		ctype = "application/json"
	}
	req, call, err := c.newHTTPRequest(ctx, cl.op.method, u, c.callSpec(ctx, cl.op.path, &cl.op.idempotent), body, ctype)
	if err != nil {
		return 0, err
	}
	status, err := c.roundTrip(req, call, cl.op.path, out, answerRule(cl.op))
	if err != nil {
		err = c.appModeAnswer(cl.op, err)
	}
	return status, err
}

// roundTrip sends req, whose context carries call, and decodes the answer
// into out (nil to ignore it) by the rule of decodeAnswer; route names the
// call in its errors.
func (c *Client) roundTrip(req *http.Request, call *transport.Call, route string, out any, rule emptyRule) (int, error) {
	if c.fam.ctx.Err() != nil {
		transport.CloseRequestBody(req) // a RoundTripper would have
		return 0, &Error{Method: req.Method, Route: route, err: ErrClosed}
	}
	// The family's lifetime bounds the call: Close cancels it in flight.
	// A call that cannot be cancelled otherwise took the lifetime as its
	// cancellation when its record was attached (transport.StartCall: no
	// per-call registration, and the coalescing stage can run its flight
	// inline); any other gets a cancel bound to it.
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
		record(call, nil)
		if c.fam.ctx.Err() != nil && errors.Is(err, context.Canceled) {
			// Cancelled by Close, whichever stage saw it first (the
			// call's own cancel runs on a goroutine of AfterFunc).
			err = ErrClosed
		}
		return 0, fromChainError(req.Method, route, err)
	}
	defer resp.Body.Close()
	record(call, resp)
	data, rerr := readBody(resp)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, newResponseError(req.Method, route, resp.StatusCode, sentHeader(resp), data, call.RetryAfter())
	}
	if rerr != nil {
		return resp.StatusCode, fromChainError(req.Method, route, rerr)
	}
	return resp.StatusCode, decodeAnswer(req.Method, route, resp.StatusCode, data, out, rule)
}

// ErrClosed fails the calls made after Close and those Close
// cancelled. It matches context.Canceled.
var ErrClosed = fmt.Errorf("spotify: the client is closed: %w", context.Canceled)

// readBody returns the body's bytes: those the download stage buffered, or
// read here when a custom chain has no download stage.
func readBody(resp *http.Response) ([]byte, error) {
	if data, ok := transport.BodyBytes(resp.Body); ok {
		return data, nil
	}
	return io.ReadAll(resp.Body)
}

// answerRule is what an answer without an object means for op: an error,
// or "nothing" for the playback state lookups, which Spotify answers 204
// when no playback is active (their methods then return nil).
func answerRule(op *operation) emptyRule {
	if op == opGetPlaybackState || op == opGetCurrentlyPlayed {
		return nothingOK
	}
	return needObject
}

// sendWrapped runs a call whose answer wraps the result in an object under
// key ({"artists": {...}}) and decodes the wrapped value into out.
func (c *Client) sendWrapped(ctx context.Context, cl *call, key string, out any) (int, error) {
	if key == "" {
		return c.send(ctx, cl, out)
	}
	m := &member{key: key, out: out}
	status, err := c.send(ctx, cl, m)
	if err != nil {
		return status, err
	}
	return status, m.check(cl.op.method, cl.op.path)
}

// getOne runs a call whose answer is one T and returns it.
func getOne[T any](ctx context.Context, c *Client, cl *call) (*T, error) {
	var v T
	if _, err := c.send(ctx, cl, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// getPage runs a call whose answer is a page of T and returns the page,
// bound to cl's operation so that NextPage and All can walk the rest.
func getPage[T any](ctx context.Context, c *Client, cl *call) (*Page[T], error) {
	return getWrappedPage[T](ctx, c, cl, "")
}

// getWrappedPage is getPage for an answer that wraps the page in the
// member key ({"albums": {page}}); "" for none.
func getWrappedPage[T any](ctx context.Context, c *Client, cl *call, key string) (*Page[T], error) {
	var p Page[T]
	if _, err := c.sendWrapped(ctx, cl, key, &p); err != nil {
		return nil, err
	}
	return p.bind(c, cl.op, key), nil
}
