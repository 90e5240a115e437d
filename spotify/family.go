package spotify

// This file holds the client family: what a client shares with its clones
// and async views (the chain, the lifetime, the closers, the async slots),
// how it is built from the configuration, how auth inputs become a
// provider, and how it is closed.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/tokenretry"
	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/transport"
)

// defaultTokenTimeout bounds a token request of the family's own
// client-credentials provider.
const defaultTokenTimeout = 30 * time.Second

// family is what a client shares with its clones and async views: the
// chain, the budget, the cache, the lifetime.
type family struct {
	cfg     config
	base    *url.URL
	rt      http.RoundTripper // the chain
	http    *http.Client      // around rt, only for a user's redirect policy or jar
	ua      string
	ctx     context.Context
	cancel  context.CancelFunc
	mu      sync.Mutex
	closers []func() error
	closed  bool

	// plainBase is what a plain path is appended to (see plainBaseOf);
	// "" sends every path through resolve.
	plainBase string
	// reqBase is the template of the URLs built without parsing (see
	// requestBaseOf); nil sends every call's URL through parsing.
	reqBase *url.URL
	// plainHeader is the header of every request of a service method
	// without a body or per-call headers, one map they all share, which
	// nothing may change; nil gives each request a map of its own. It is
	// set only when nothing but the chain's own stages sees a client's
	// requests, none of which changes a request it is given: no
	// middleware of the user's, and the chain called directly (an
	// http.Client around it adds a jar's cookies to the request it sends
	// and hands its requests to a redirect policy). Like net/http's own
	// Client, it counts on the base transport to keep the RoundTripper
	// contract for a request auth does not copy (one its token may not
	// go to).
	plainHeader http.Header

	// The AsyncClient's share: one submission slot per running async call
	// (cap WithConcurrency, shared by every async view), the running async
	// calls that close waits for, and the bulkhead, for tests.
	slots    chan struct{}
	async    sync.WaitGroup
	bulkhead *middleware.Bulkhead
}

// newFamily builds a family from the options given: the configuration
// resolved, the chain built, the lifetime started.
func newFamily(given config) (*family, error) {
	cfg, err := given.resolve()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	f := &family{cfg: cfg, base: cfg.base, plainBase: plainBaseOf(cfg.base), ua: cfg.userAgent, ctx: ctx, cancel: cancel, slots: make(chan struct{}, cfg.concurrency)}
	f.reqBase = requestBaseOf(f.plainBase)
	rt, err := f.buildChain()
	if err != nil {
		cancel()
		return nil, err
	}
	f.rt = rt
	if hc := cfg.httpClient; hc != nil && (hc.CheckRedirect != nil || hc.Jar != nil) {
		// The user's redirect policy or cookie jar needs an http.Client
		// around the chain; without them the chain is called directly (the
		// default policy: a redirect is returned, not followed).
		f.http = &http.Client{Transport: rt, CheckRedirect: hc.CheckRedirect, Jar: hc.Jar}
		if f.http.CheckRedirect == nil {
			f.http.CheckRedirect = noRedirects
		}
	}
	if f.http == nil && len(cfg.middlewares) == 0 {
		f.plainHeader = http.Header{"User-Agent": {f.ua}}
	}
	return f, nil
}

// noRedirects is the default redirect policy: the Web API does not
// redirect, and a redirect must not carry a call elsewhere.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// onlyOwnBelow reports whether every stage after the one named stage in
// names is one of own.
func onlyOwnBelow(names, own []string, stage string) bool {
	i := slices.Index(names, stage)
	return i >= 0 && !slices.ContainsFunc(names[i+1:], func(n string) bool { return !slices.Contains(own, n) })
}

// buildChain assembles the default pipeline with the family's options and
// the user's middlewares, over the base transport.
func (f *family) buildChain() (http.RoundTripper, error) {
	cfg := f.cfg
	o := cfg.pipe
	o.Invalidate = f.invalidateRelated
	o.Lifetime = f.ctx
	f.bulkhead = o.Bulkhead
	chain, stageOpts := newPipeline(o)
	own := chain.Names()
	for _, m := range cfg.middlewares {
		if err := chain.Insert(m.at.name, m.at.pos, m.stage); err != nil {
			return nil, fmt.Errorf("spotify: WithMiddleware: %w", err)
		}
	}
	// Below a stage that only the client's own stages follow, nothing of
	// the user's sees the requests it sends on: retry's first send need
	// not be a protective clone (its own stages keep the RoundTripper
	// contract, and auth hands the base a copy), and the timeout stage
	// lends its attempt's copy to auth, which writes its header into it.
	for _, s := range []transport.Stage{retryStage(stageOpts, true), timeoutStage(stageOpts, true)} {
		if onlyOwnBelow(chain.Names(), own, s.Name) {
			if err := chain.Replace(s.Name, s); err != nil {
				return nil, err
			}
		}
	}
	var base http.RoundTripper
	if cfg.httpClient != nil && cfg.httpClient.Transport != nil {
		base = cfg.httpClient.Transport
	} else {
		t := transport.NewBase(transport.BaseOptions{MaxIdleConnsPerHost: cfg.concurrency, RootCAs: cfg.rootCAs})
		f.closers = append(f.closers, func() error { t.CloseIdleConnections(); return nil })
		base = t
	}
	return chain.Then(base), nil
}

// newClient resolves the auth inputs into a provider and returns a client
// of the family.
func (f *family) newClient(inputs []authInput, owner bool) (*Client, error) {
	p, err := f.provider(inputs)
	if err != nil {
		return nil, err
	}
	c := &Client{fam: f, provider: p, owner: owner}
	c.initServices()
	return c, nil
}

// provider turns the auth inputs into a provider: exactly one input, or
// none and both env vars set.
func (f *family) provider(inputs []authInput) (auth.Provider, error) {
	switch len(inputs) {
	case 0:
		id, secret := os.Getenv(auth.EnvClientID), os.Getenv(auth.EnvClientSecret)
		if id == "" || secret == "" {
			return nil, fmt.Errorf("spotify: no credentials: use WithAccessToken, WithClientCredentials or WithAuthProvider, or set %s and %s", auth.EnvClientID, auth.EnvClientSecret)
		}
		inputs = []authInput{{name: "env", clientID: id, clientSecret: secret}}
	case 1:
	default:
		names := make([]string, len(inputs))
		for i, in := range inputs {
			names[i] = in.name
		}
		return nil, fmt.Errorf("spotify: conflicting auth options %s: give only one", strings.Join(names, " and "))
	}
	in := inputs[0]
	switch {
	case in.provider != nil:
		return in.provider, nil
	case in.accessToken != "":
		return auth.NewStatic(in.accessToken), nil
	}
	cc, err := auth.NewClientCredentials(auth.ClientCredentialsConfig{
		ClientID: in.clientID, ClientSecret: auth.Secret(in.clientSecret), TokenURL: f.cfg.tokenURL,
		HTTPClient: f.tokenHTTPClient(), Clock: f.cfg.pipe.Clock,
	})
	if err != nil {
		return nil, fmt.Errorf("spotify: %w", err)
	}
	f.mu.Lock()
	closed := f.closed
	if !closed {
		f.closers = append(f.closers, cc.Close)
	}
	f.mu.Unlock()
	if closed {
		_ = cc.Close()
		return nil, ErrClosed
	}
	return cc, nil
}

// tokenHTTPClient is the short path of token requests: tracing (the
// request is form-encoded and never logged) over a small retry over the
// base transport. It never passes through the API's retry, bulkhead,
// breaker, cache or auth stages.
func (f *family) tokenHTTPClient() *http.Client {
	var base http.RoundTripper
	if hc := f.cfg.httpClient; hc != nil && hc.Transport != nil {
		base = hc.Transport
	} else {
		t := transport.NewBase(transport.BaseOptions{MaxIdleConnsPerHost: 2, RootCAs: f.cfg.rootCAs})
		f.mu.Lock()
		f.closers = append(f.closers, func() error { t.CloseIdleConnections(); return nil })
		f.mu.Unlock()
		base = t
	}
	o := f.cfg.pipe
	traced := middleware.Tracing(middleware.TracingOptions{TracerProvider: o.TracerProvider, MeterProvider: o.MeterProvider, Clock: o.Clock})(
		tokenretry.New(base, tokenretry.Options{Clock: o.Clock}))
	// A token request runs on the context of the API call that needed the
	// token: give it a call record of its own, so its span is
	// "POST /api/token" and the call's attempts are not its own.
	rt := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		ctx, _ := transport.StartCall(req.Context(), transport.CallSpec{Route: "/api/token"})
		return traced.RoundTrip(req.WithContext(ctx))
	})
	return &http.Client{Transport: rt, CheckRedirect: noRedirects, Timeout: defaultTokenTimeout}
}

// close cancels the family's lifetime, waits for the async calls it
// cancelled and closes what it created, once.
func (f *family) close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	closers := f.closers
	f.mu.Unlock()
	f.cancel()
	f.async.Wait() // no submission can start now: submit checks closed under mu
	var errs []error
	for _, cl := range closers {
		if err := cl(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
