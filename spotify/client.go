package spotify

// This file holds the Client: its type, its construction (NewClient), its
// clones (Clone) and its end (Close, ErrClosed). What a client shares with
// its clones is its family (family.go); a call's path is in call.go,
// send.go and codec.go.

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/spotifysdk/spotify-go/auth"
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

// initServices points every service field at c.
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

// ErrClosed fails the calls made after Close and those Close
// cancelled. It matches context.Canceled.
var ErrClosed = fmt.Errorf("spotify: the client is closed: %w", context.Canceled)
