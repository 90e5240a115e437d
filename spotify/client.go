package spotify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/tokenretry"
	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/transport"
)

// Client is the synchronous Spotify Web API client. Its services are
// fields: c.Albums.Get(ctx, id, nil). A Client is safe for concurrent use;
// every call goes through the client family's chain.
type Client struct {
	// Services, one per area of the Web API.
	Albums     *AlbumsService
	Artists    *ArtistsService
	Audiobooks *AudiobooksService
	Categories *CategoriesService
	Chapters   *ChaptersService
	Episodes   *EpisodesService
	Library    *LibraryService
	Markets    *MarketsService
	Player     *PlayerService
	Playlists  *PlaylistsService
	Search     *SearchService
	Shows      *ShowsService
	Tracks     *TracksService
	Users      *UsersService

	fam      *family
	provider auth.Provider
	owner    bool // the client that created fam; its Close closes it
}

// service is the common part of every service.
type service struct{ c *Client }

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

	// The AsyncClient's share: one submission slot per running async call
	// (cap WithConcurrency, shared by every async view), the running async
	// calls that close waits for, and the bulkhead, for tests.
	slots    chan struct{}
	async    sync.WaitGroup
	bulkhead *middleware.Bulkhead
}

// NewClient returns a client. Give one auth option (WithAccessToken,
// WithClientCredentials or WithAuthProvider); with none, the client uses
// client credentials from SPOTIFY_SDK_CLIENT_ID and
// SPOTIFY_SDK_CLIENT_SECRET when both are set.
func NewClient(opts ...Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	fam, err := newFamily(cfg)
	if err != nil {
		return nil, err
	}
	c, err := fam.newClient(cfg.auth, true)
	if err != nil {
		_ = fam.close()
		return nil, err
	}
	return c, nil
}

// NewClientFromClientCredentials returns a client that authenticates as the
// app. An empty id or secret is read from SPOTIFY_SDK_CLIENT_ID or
// SPOTIFY_SDK_CLIENT_SECRET.
func NewClientFromClientCredentials(clientID, clientSecret string, opts ...Option) (*Client, error) {
	return NewClient(append([]Option{WithClientCredentials(clientID, clientSecret)}, opts...)...)
}

// Clone returns a client that shares c's chain, budget, cache store and
// lifetime, with other auth when an auth option is given (a client per
// user of one app). Only auth options are accepted: everything else is
// shared. The clone needs no Close: c's Close ends it.
func (c *Client) Clone(opts ...Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if c.fam.ctx.Err() != nil {
		return nil, &prefixedError{what: "Clone", err: ErrClosed}
	}
	if !cfg.isAuthOnly() {
		return nil, errors.New("spotify: Clone accepts only auth options (WithAccessToken, WithClientCredentials, WithAuthProvider); the rest is shared with the parent")
	}
	if len(cfg.auth) == 0 {
		cp := *c
		cp.owner = false
		cp.initServices()
		return &cp, nil
	}
	return c.fam.newClient(cfg.auth, false)
}

// Close ends the client family if c created it: in-flight calls are
// cancelled (those of its async views too, which Close waits for), and
// what the client created (its token provider, idle connections) is
// closed. A provider you passed in is never closed. Clones and async views
// are ended with their parent; their own Close does nothing.
func (c *Client) Close() error {
	if !c.owner {
		return nil
	}
	return c.fam.close()
}

// isAuthOnly reports whether the options set nothing but auth inputs.
func (cfg *config) isAuthOnly() bool {
	rest := *cfg
	rest.auth = nil
	return reflect.DeepEqual(rest, config{})
}

func newFamily(given config) (*family, error) {
	cfg, err := given.resolve()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	f := &family{cfg: cfg, base: cfg.base, ua: cfg.userAgent, ctx: ctx, cancel: cancel, slots: make(chan struct{}, cfg.concurrency)}
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
	return f, nil
}

// send sends req through the chain: directly, or through the http.Client
// that applies the user's redirect policy and cookie jar.
func (f *family) send(req *http.Request) (*http.Response, error) {
	if f.http != nil {
		return f.http.Do(req)
	}
	return f.rt.RoundTrip(req)
}

// noRedirects is the default redirect policy: the Web API does not
// redirect, and a redirect must not carry a call elsewhere.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// buildChain assembles the default pipeline with the family's options and
// the user's middlewares, over the base transport.
func (f *family) buildChain() (http.RoundTripper, error) {
	cfg := f.cfg
	o := cfg.pipe
	o.Invalidate = f.invalidateRelated
	o.Lifetime = f.ctx
	f.bulkhead = o.Bulkhead
	chain := NewPipeline(o)
	for _, m := range cfg.middlewares {
		if err := chain.Insert(m.at.name, m.at.pos, m.stage); err != nil {
			return nil, fmt.Errorf("spotify: WithMiddleware: %w", err)
		}
	}
	var base http.RoundTripper
	if cfg.httpClient != nil && cfg.httpClient.Transport != nil {
		base = cfg.httpClient.Transport
	} else {
		t := transport.NewBase(transport.BaseOptions{MaxIdleConnsPerHost: cfg.concurrency})
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

func (c *Client) initServices() {
	s := &service{c: c}
	c.Albums = (*AlbumsService)(s)
	c.Artists = (*ArtistsService)(s)
	c.Audiobooks = (*AudiobooksService)(s)
	c.Categories = (*CategoriesService)(s)
	c.Chapters = (*ChaptersService)(s)
	c.Episodes = (*EpisodesService)(s)
	c.Library = (*LibraryService)(s)
	c.Markets = (*MarketsService)(s)
	c.Player = (*PlayerService)(s)
	c.Playlists = (*PlaylistsService)(s)
	c.Search = (*SearchService)(s)
	c.Shows = (*ShowsService)(s)
	c.Tracks = (*TracksService)(s)
	c.Users = (*UsersService)(s)
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
		t := transport.NewBase(transport.BaseOptions{MaxIdleConnsPerHost: 2})
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
