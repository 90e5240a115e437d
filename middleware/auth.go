package middleware

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/httpbody"
	"github.com/spotifysdk/spotify-go/internal/netx"
	"github.com/spotifysdk/spotify-go/transport"
)

// AuthOptions configures the auth stage.
type AuthOptions struct {
	// Provider supplies the tokens. It is asked on every attempt, so it
	// caches (every provider of package auth does). If it implements
	// [auth.Invalidator], a 401 makes the stage invalidate exactly the
	// rejected token and replay the request once with a new one. nil means
	// no token: requests pass through unchanged.
	Provider auth.Provider
	// Host is the API host the token is for, such as "api.spotify.com", with
	// a port when it is not the scheme's default ("127.0.0.1:8080"); a URL
	// such as "https://api.spotify.com/v1" is accepted and its host taken.
	// Only requests to this host (same name, case-insensitive, and same
	// port) get the token, and only over https, or over http when the host
	// is a loopback address (127.0.0.0/8, ::1, "localhost"). "" means no
	// host: the token is sent nowhere and requests pass through unchanged.
	Host string
}

// Auth returns the auth stage. Per attempt, it gets a token from the
// provider and sets "Authorization: <type> <token>" on a clone of the
// request (the caller's request is not changed; an Authorization header the
// caller set is replaced on the clone). A request that is an attempt's copy
// lent by the timeout stage above ([TimeoutOptions.LendCopy]) is not the
// caller's, and gets its header itself. Requests to another host, or over
// plain http to a host that is not a loopback address, are sent as they are
// and no token is fetched for them: a token never leaves for a host it was
// not meant for, even when a "next" link or a redirect points elsewhere.
//
// When the provider fails, the request is not sent and the stage returns an
// [*AuthError] wrapping the provider's error. On a 401, if the provider
// implements [auth.Invalidator] and the request can be replayed (no body,
// or a GetBody), the stage drains the 401, invalidates the token it sent,
// gets a new one and sends the request once more; the answer to that
// replay (a second 401 included) is returned as it is. A 401 proves the
// request was not applied, so the replay is safe for every method. Without
// an Invalidator (a static token) the 401 is returned.
func Auth(o AuthOptions) transport.Middleware {
	name, port := parseAuthHost(o.Host)
	return func(next http.RoundTripper) http.RoundTripper {
		a := &authTransport{next: next, provider: o.Provider, name: name, port: port}
		if inv, ok := o.Provider.(auth.Invalidator); ok {
			a.inv = inv
		}
		return a
	}
}

// providerFor returns the provider for a request: the one on its call
// record ([transport.CallSpec.Provider]) when that is an [auth.Provider],
// else the stage's, with its Invalidator (nil when it has none). Clients of
// one family (a client and its clones for other users) share one chain this
// way, and differ only by provider and principal.
func (a *authTransport) providerFor(ctx context.Context) (auth.Provider, auth.Invalidator) {
	if p, ok := transport.CallFrom(ctx).Provider().(auth.Provider); ok && p != nil {
		inv, _ := p.(auth.Invalidator)
		return p, inv
	}
	return a.provider, a.inv
}

type authTransport struct {
	next     http.RoundTripper
	provider auth.Provider
	inv      auth.Invalidator
	name     string // lower-case host name of the API; "" = send no token
	port     string // explicit port of the API; "" = the scheme's default
	// last is the Authorization value of the last token sent, so that a
	// token is not formatted again for every request.
	last atomic.Pointer[authValue]
}

// authValue is an Authorization header value and the token it is for.
type authValue struct {
	typ, access string
	value       string
}

var _ http.RoundTripper = (*authTransport)(nil)

// errNoToken is the error for a provider that returned no token and no
// error.
var errNoToken = errors.New("middleware: the auth provider returned no token")

// RoundTrip sets the token on a clone of req, and replays once after a 401.
func (a *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	provider, inv := a.providerFor(ctx)
	if provider == nil || !a.eligible(req.URL) {
		return transport.CheckResponse(a.next.RoundTrip(req))
	}
	tok, err := a.token(provider, req)
	if err != nil {
		transport.CloseRequestBody(req)
		return nil, err
	}
	var first *http.Request
	if l := lentCopy(req); l != nil {
		// The timeout stage's copy for this attempt, lent: no copy of
		// ours is needed, and nothing above sees the header.
		setAuthorization(req, l.vals[:0], a.authorization(tok))
		first = req
	} else {
		first = withAuthorization(req, a.authorization(tok))
	}
	resp, err := transport.CheckResponse(a.next.RoundTrip(first))
	if err != nil || resp.StatusCode != http.StatusUnauthorized || inv == nil || !transport.Replayable(req) {
		return resp, err
	}
	replay, rerr := transport.Rewind(req)
	if rerr != nil {
		return resp, nil // the body cannot be produced again: the 401 stands
	}
	inv.Invalidate(tok)
	fresh, err := a.token(provider, req)
	if err != nil {
		transport.CloseRequestBody(replay)
		transport.DrainAndClose(resp)
		return nil, err
	}
	if fresh.AccessToken == tok.AccessToken {
		transport.CloseRequestBody(replay) // no new token: replaying is pointless
		return resp, nil
	}
	transport.DrainAndClose(resp)
	replay.Header.Set("Authorization", a.authorization(fresh)) // replay is a clone
	return transport.CheckResponse(a.next.RoundTrip(replay))
}

// token asks the provider for a token on req's context; a failure is an
// *AuthError.
func (a *authTransport) token(provider auth.Provider, req *http.Request) (*auth.Token, error) {
	tok, err := provider.Token(req.Context())
	if err == nil && (tok == nil || tok.AccessToken == "") {
		err = errNoToken
	}
	if err != nil {
		return nil, &AuthError{Err: err}
	}
	return tok, nil
}

// authorization returns the Authorization value of tok: "<type> <token>".
func (a *authTransport) authorization(tok *auth.Token) string {
	typ := tok.Type()
	if l := a.last.Load(); l != nil && l.access == tok.AccessToken && l.typ == typ {
		return l.value
	}
	v := &authValue{typ: typ, access: tok.AccessToken, value: typ + " " + tok.AccessToken}
	a.last.Store(v)
	return v.value
}

// authInline is how many header values an [authorizedRequest] holds
// beside the request: a client's request carries User-Agent (and
// Content-Type with a body) and the Authorization set here, and request
// and values then fill a 352-byte size class exactly (304 + 48).
const authInline = 3

// authorizedRequest is the auth stage's request copy with room for its
// header values, in one allocation.
type authorizedRequest struct {
	req  http.Request
	vals [authInline]string
}

// withAuthorization returns a shallow copy of req (the caller's request is
// not changed) with a copy of its header in which Authorization is value:
// one allocation for the request and its values (a second for the values
// when there are more than authInline) and the map, where Request.Clone
// and Header.Set would make six. Nothing below the auth stage changes the
// URL or the other fields the copy shares, as with oauth2's Transport.
func withAuthorization(req *http.Request, value string) *http.Request {
	c := new(authorizedRequest)
	c.req = *req
	setAuthorization(&c.req, c.vals[:0], value)
	return &c.req
}

// setAuthorization gives r a copy of its header in which Authorization is
// value, its values held in spare's room when it suffices.
func setAuthorization(r *http.Request, spare []string, value string) {
	h, rest := httpbody.CloneHeader(r.Header, spare, "Authorization", 1)
	rest[0] = value
	h["Authorization"] = rest[:1:1]
	r.Header = h
}

// eligible reports whether u may carry the token: a provider and a host are
// configured, u is on that host and port, and the scheme is https (or http
// to a loopback host).
func (a *authTransport) eligible(u *url.URL) bool {
	if a.name == "" || u == nil {
		return false
	}
	name := normalizeHostName(u.Hostname())
	if name != a.name {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && (scheme != "http" || !netx.IsLoopbackHost(name)) {
		return false
	}
	port := u.Port()
	if port == "" {
		port = schemeDefaultPort(scheme)
	}
	if a.port == "" {
		return port == schemeDefaultPort(scheme)
	}
	return port == a.port
}

// parseAuthHost splits AuthOptions.Host into a normalized name and an
// explicit port ("" when none).
func parseAuthHost(h string) (name, port string) {
	h = strings.TrimSpace(h)
	if strings.Contains(h, "://") {
		if u, err := url.Parse(h); err == nil {
			h = u.Host
		}
	}
	if host, p, err := net.SplitHostPort(h); err == nil {
		return normalizeHostName(host), p
	}
	return normalizeHostName(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")), ""
}

// normalizeHostName lower-cases a host name and drops a trailing dot.
func normalizeHostName(h string) string {
	return strings.ToLower(strings.TrimSuffix(h, "."))
}
