package spotifytest

import (
	"fmt"
	"time"
)

// The default app: NewServer registers it, and [Server.Client] uses it.
// Both have the shape of real credentials (32 hex digits); they are
// public and valid only against an emulator.
const (
	ClientID     = "e1a7d0c5f3b94a6e8c2d7f0b9a3e5c41"
	ClientSecret = "5f9c2e7a1d4b48c3a6e0f8b2d7c9e1a4"
)

// Defaults of the options.
const (
	// DefaultSeed is the seed of a server without WithSeed.
	DefaultSeed = 1
	// DefaultArtists is the catalogue size without WithCatalogSize: 2,000
	// artists with 3..8 albums of 1..20 tracks, about 113,000 tracks.
	DefaultArtists = 2000
	// DefaultTokenLifetime is the lifetime of an access token.
	DefaultTokenLifetime = time.Hour
)

// Mode is the quota mode of the emulated app.
type Mode int

const (
	// DevelopmentMode is Spotify's mode for self-created apps: the
	// operations Spotify removed in November 2024 and February 2026 answer
	// 403 {"error":{"status":403,"message":"Forbidden"}}, and search
	// takes at most 10 results per type (default 5).
	DevelopmentMode Mode = iota + 1
	// ExtendedQuotaMode is the mode of apps Spotify granted more: every
	// operation answers. It is the default.
	ExtendedQuotaMode
)

// String returns "DevelopmentMode" or "ExtendedQuotaMode".
func (m Mode) String() string {
	switch m {
	case DevelopmentMode:
		return "DevelopmentMode"
	case ExtendedQuotaMode:
		return "ExtendedQuotaMode"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Option configures a Server. An invalid value makes NewServer panic, as
// a misconfigured test fixture should.
type Option func(*config)

type config struct {
	seed          int64
	artists       int
	tokenLifetime time.Duration
	mode          Mode
	now           func() time.Time
	apps          []app
	rate          rateConfig  // ratelimit.go
	faults        []FaultPlan // faults.go
	user          userConfig  // accounts_user.go
	protocol      Protocol    // tls.go
}

func defaultConfig() config {
	return config{
		seed:          DefaultSeed,
		artists:       DefaultArtists,
		tokenLifetime: DefaultTokenLifetime,
		mode:          ExtendedQuotaMode,
		now:           time.Now,
		apps:          []app{{id: ClientID, secret: ClientSecret}},
		protocol:      HTTP1,
	}
}

// WithSeed sets the seed of the catalogue (default [DefaultSeed]). Two
// servers with the same seed and size serve the same catalogue, ids
// included; another seed gives other ids.
func WithSeed(seed int64) Option { return func(c *config) { c.seed = seed } }

// WithCatalogSize sets the number of artists (default [DefaultArtists],
// 1..16,777,216). Each artist has 3..8 albums; shows, audiobooks, users and
// playlists scale with it (artists/10, /20, /4 and ×2, at least one each).
func WithCatalogSize(artists int) Option {
	return func(c *config) {
		if artists < 1 || artists > 1<<24 {
			panic(fmt.Sprintf("spotifytest: WithCatalogSize(%d): want 1..16777216 artists", artists))
		}
		c.artists = artists
	}
}

// WithTokenLifetime sets the lifetime of the access tokens the server
// issues (default one hour). The token answer's expires_in is the
// lifetime in seconds, rounded up.
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			panic(fmt.Sprintf("spotifytest: WithTokenLifetime(%v): must be positive", d))
		}
		c.tokenLifetime = d
	}
}

// WithDevelopmentMode makes the server answer as for a Development Mode
// app (see [DevelopmentMode]).
func WithDevelopmentMode() Option { return func(c *config) { c.mode = DevelopmentMode } }

// WithExtendedQuotaMode makes the server answer as for an Extended Quota
// Mode app (the default).
func WithExtendedQuotaMode() Option { return func(c *config) { c.mode = ExtendedQuotaMode } }

// WithClock replaces the server's clock (default time.Now): token expiry
// and the arrival times of [Server.Served] read it, so a test can expire a
// token by moving its clock.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			panic("spotifytest: WithClock(nil)")
		}
		c.now = now
	}
}

// WithApp registers another app besides the default one, so that tests
// can use two client ids.
func WithApp(clientID, clientSecret string) Option {
	return func(c *config) {
		if clientID == "" || clientSecret == "" {
			panic("spotifytest: WithApp: empty client id or secret")
		}
		c.apps = append(c.apps, app{id: clientID, secret: clientSecret})
	}
}
