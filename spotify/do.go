package spotify

// This file holds the escape hatch for the endpoints the SDK lacks:
// NewRequest builds a request under the base URL and Do sends one through
// the chain, with a call record like the service methods' and the same
// answer rules.

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/spotifysdk/spotify-go/internal/codec"
	"github.com/spotifysdk/spotify-go/transport"
)

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
	req, _, err := c.newHTTPRequest(ctx, method, u.String(), c.callSpec(ctx, route, &idempotent, nil), data, "application/json")
	return req, err
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
	// The registry is looked up once, with the method as sent (GET when
	// empty): it gives the route, the replay rule and the answer rule.
	op := operationFor(method, c.fam.base, req.URL)
	brought := transport.CallFrom(req.Context())
	var spec transport.CallSpec
	family := brought != nil && brought.Lifetime() == c.fam.ctx
	if family {
		spec = brought.Spec()
	} else {
		route, idempotent := "", transport.IdempotentMethod(method)
		if op != nil {
			route, idempotent = op.path, op.idempotent
		}
		if r := brought.Route(); r != "" {
			route = r
		}
		spec = c.callSpec(req.Context(), route, &idempotent, nil)
	}
	// Every send gets a record of its own, so that sending a request
	// again does not add to the counts of the first send.
	ctx, rec := transport.StartCall(req.Context(), spec)
	if family {
		req = req.WithContext(ctx)
	} else {
		req = req.Clone(ctx)
		if req.Header.Get("User-Agent") == "" {
			req.Header.Set("User-Agent", c.fam.ua)
		}
	}
	route, rule := spec.Route, noContentOK
	if op != nil && answerRule(op) == nothingOK {
		rule = nothingOK
	}
	if route == "" { // an endpoint the registry lacks: its path names it
		route = "/" + strings.TrimLeft(belowBase(c.fam.base, req.URL), "/")
	}
	_, err := c.do(req, rec, route, v, rule)
	return err
}
