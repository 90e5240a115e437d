package spotify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/transport"
)

// The argument checks of every method, driven by the registry: each bad
// limit, offset, market or id fails with ErrInvalidArgument, a message
// that names the method and the argument, and no request; each good value
// is sent.

// validateRecorder is a base transport that records the requests that
// reach it and answers 404, or fails the test when refuse is set.
type validateRecorder struct {
	t      *testing.T
	refuse bool
	mu     sync.Mutex
	got    []*http.Request
}

func (r *validateRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.refuse {
		r.t.Errorf("a request was sent: %s %s", req.Method, req.URL)
	}
	r.mu.Lock()
	r.got = append(r.got, req)
	r.mu.Unlock()
	transport.CloseRequestBody(req)
	return &http.Response{StatusCode: http.StatusNotFound, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"error":{"status":404,"message":"Not found."}}`)), Request: req}, nil
}

// sent returns the queries of the requests sent so far.
func (r *validateRecorder) sent() []url.Values {
	r.mu.Lock()
	defer r.mu.Unlock()
	var qs []url.Values
	for _, req := range r.got {
		qs = append(qs, req.URL.Query())
	}
	return qs
}

// validateClient returns a client whose requests go to rec, without
// retries or cache.
func validateClient(t *testing.T, rec *validateRecorder, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithAccessToken("test-token"), WithCache(nil), WithMaxRetries(0), WithHTTPClient(&http.Client{Transport: rec})}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// validateArgs are the arguments validateCall passes besides the context:
// valid ones, so that only the argument a test changes can fail.
type validateArgs struct {
	in   []reflect.Value // after the context; the last is the options pointer
	opts reflect.Value   // the options struct (settable)
}

// set sets the options field name to v.
func (a validateArgs) set(t *testing.T, name string, v any) {
	t.Helper()
	f := a.opts.FieldByName(name)
	require.True(t, f.IsValid(), "the options %s have no field %s", a.opts.Type(), name)
	f.Set(reflect.ValueOf(v))
}

// validateDefaults returns valid arguments for the method name of client c.
func validateDefaults(t *testing.T, c *Client, name string) (reflect.Value, validateArgs) {
	t.Helper()
	m, why := registryServiceMethod(c, name)
	require.Empty(t, why)
	mt := m.Type()
	var a validateArgs
	for i := 1; i < mt.NumIn(); i++ {
		pt := mt.In(i)
		switch {
		case i == mt.NumIn()-1:
			p := reflect.New(pt.Elem())
			a.opts = p.Elem()
			a.in = append(a.in, p)
		case pt.Kind() == reflect.String:
			a.in = append(a.in, reflect.ValueOf("x1"))
		case pt == reflect.TypeFor[[]string]():
			a.in = append(a.in, reflect.ValueOf([]string{"x1"}))
		default:
			a.in = append(a.in, reflect.Zero(pt))
		}
	}
	switch name {
	case "Search.Search":
		a.in[1] = reflect.ValueOf([]string{SearchTypeTrack})
	case "Tracks.GetRecommendations":
		a.set(t, "SeedGenres", []string{"jazz"})
	case "Users.FollowArtistsOrUsers", "Users.UnfollowArtistsOrUsers", "Users.CheckFollowsArtistsOrUsers":
		a.in[0] = reflect.ValueOf(FollowTypeArtist)
	}
	return m, a
}

// validateCall calls m with ctx and a.in and returns its error.
func validateCall(m reflect.Value, a validateArgs) error {
	out := m.Call(append([]reflect.Value{reflect.ValueOf(context.Background())}, a.in...))
	err, _ := out[len(out)-1].Interface().(error)
	return err
}

// assertRefused checks that err is an argument error with the message
// want. That no request left is the recorder's part: its callers build it
// with refuse set, so a request that reaches it fails the test.
func assertRefused(t *testing.T, err error, want string) {
	t.Helper()
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrInvalidArgument), "want ErrInvalidArgument, got %v", err)
	assert.Equal(t, want, err.Error())
}

// assertSent checks that err is not an argument error (the recorder's 404
// came back) and that one request was sent; it returns its query.
func assertSent(t *testing.T, rec *validateRecorder, err error) url.Values {
	t.Helper()
	require.Error(t, err, "the recorder answers 404")
	require.False(t, errors.Is(err, ErrInvalidArgument), "a valid argument was refused: %v", err)
	assert.True(t, errors.Is(err, ErrNotFound), "%v", err)
	qs := rec.sent()
	require.Len(t, qs, 1)
	return qs[0]
}

// validateLimitRange is the range of o's limit for a client in mode.
func validateLimitRange(o *operation, mode AppMode) (lo, hi int) {
	if o.limitMaxExtended > 0 && mode != DevelopmentMode {
		return o.limitMin, o.limitMaxExtended
	}
	return o.limitMin, o.limitMax
}

// TestValidateLimits runs every operation with a limit, on a client of
// each app mode: -1, the maximum plus one and 2^40 fail without a request,
// naming the method, the argument and the range; the minimum and the
// maximum are sent; 0 is never refused (it means the default).
func TestValidateLimits(t *testing.T) {
	n := 0
	for _, o := range registry {
		if o.limitMax == 0 {
			continue
		}
		n++
		for _, mode := range []AppMode{0, DevelopmentMode, ExtendedQuotaMode} {
			t.Run(o.name+"/"+mode.String(), func(t *testing.T) {
				var modeOpts []Option
				if mode != 0 {
					modeOpts = append(modeOpts, WithAppMode(mode))
				}
				lo, hi := validateLimitRange(o, mode)
				for _, bad := range []int{-1, hi + 1, 1 << 40} {
					rec := &validateRecorder{t: t, refuse: true}
					m, a := validateDefaults(t, validateClient(t, rec, modeOpts...), o.name)
					a.set(t, "Limit", bad)
					want := fmt.Sprintf("spotify: %s: limit %d is out of range %d..%d", o.name, bad, lo, hi)
					if bad == hi+1 && mode == DevelopmentMode && o.limitMaxExtended > 0 {
						want = fmt.Sprintf("spotify: %s: limit %d is over %d, the most a Development Mode app may ask for since February 2026 (Extended Quota Mode apps may ask for %d)",
							o.name, bad, hi, o.limitMaxExtended)
					}
					assertRefused(t, validateCall(m, a), want)
				}
				if mode == DevelopmentMode && o.extended {
					// A valid limit reaches the app-mode check, which
					// refuses the operation without a request.
					rec := &validateRecorder{t: t, refuse: true}
					m, a := validateDefaults(t, validateClient(t, rec, modeOpts...), o.name)
					a.set(t, "Limit", hi)
					assert.ErrorIs(t, validateCall(m, a), ErrUnavailableInDevelopmentMode)
					return
				}
				for _, good := range []int{max(lo, 1), hi} {
					rec := &validateRecorder{t: t}
					m, a := validateDefaults(t, validateClient(t, rec, modeOpts...), o.name)
					a.set(t, "Limit", good)
					q := assertSent(t, rec, validateCall(m, a))
					assert.Equal(t, fmt.Sprint(good), q.Get("limit"), "limit %d is sent as given", good)
				}
				rec := &validateRecorder{t: t}
				m, a := validateDefaults(t, validateClient(t, rec, modeOpts...), o.name)
				q := assertSent(t, rec, validateCall(m, a))
				if l := q.Get("limit"); l != "" {
					assert.Equal(t, fmt.Sprint(o.limitDefault), l, "a limit of 0 is the default")
				}
			})
		}
	}
	assert.Equal(t, 23, n, "operations with a limit")
}

// TestValidateOffsets runs every operation with an offset: a negative one
// and one past the operation's cap fail without a request; 0, the cap and
// (without a cap) 2^40 are sent.
func TestValidateOffsets(t *testing.T) {
	n := 0
	for _, o := range registry {
		if !o.offset {
			continue
		}
		n++
		t.Run(o.name, func(t *testing.T) {
			refused := map[int]string{-1: fmt.Sprintf("spotify: %s: offset -1 is negative", o.name)}
			good := []int{1, 1 << 40}
			if o.maxOffset > 0 {
				refused = map[int]string{
					-1:              fmt.Sprintf("spotify: %s: offset -1 is out of range 0..%d", o.name, o.maxOffset),
					o.maxOffset + 1: fmt.Sprintf("spotify: %s: offset %d is out of range 0..%d", o.name, o.maxOffset+1, o.maxOffset),
					1 << 40:         fmt.Sprintf("spotify: %s: offset %d is out of range 0..%d", o.name, 1<<40, o.maxOffset),
				}
				good = []int{1, o.maxOffset}
			}
			for bad, want := range refused {
				rec := &validateRecorder{t: t, refuse: true}
				m, a := validateDefaults(t, validateClient(t, rec), o.name)
				a.set(t, "Offset", bad)
				assertRefused(t, validateCall(m, a), want)
			}
			for _, off := range good {
				rec := &validateRecorder{t: t}
				m, a := validateDefaults(t, validateClient(t, rec), o.name)
				a.set(t, "Offset", off)
				q := assertSent(t, rec, validateCall(m, a))
				assert.Equal(t, fmt.Sprint(off), q.Get("offset"))
			}
		})
	}
	assert.Equal(t, 20, n, "operations with an offset")
}

// TestValidateMarkets runs every method whose options have a Market: a
// code that is not two letters fails without a request; two letters (of
// either case), "from_token" and "" (not sent) are accepted.
func TestValidateMarkets(t *testing.T) {
	notSent := []string{"Shows.Save", "Shows.CheckSaved"} // the spec gives them no market
	n := 0
	for _, o := range registry {
		rec := &validateRecorder{t: t}
		_, a := validateDefaults(t, validateClient(t, rec), o.name)
		if !a.opts.FieldByName("Market").IsValid() {
			continue
		}
		n++
		t.Run(o.name, func(t *testing.T) {
			for _, bad := range []string{"SWE", "sweden", "S", "S1", "  ", "SE ", "ÅÄ"} {
				rec := &validateRecorder{t: t, refuse: true}
				m, a := validateDefaults(t, validateClient(t, rec), o.name)
				a.set(t, "Market", bad)
				want := fmt.Sprintf(`spotify: %s: market %q is neither a two-letter country code (ISO 3166-1 alpha-2) nor "from_token"`, o.name, bad)
				assertRefused(t, validateCall(m, a), want)
			}
			for _, good := range []string{"SE", "se", "from_token", ""} {
				rec := &validateRecorder{t: t}
				m, a := validateDefaults(t, validateClient(t, rec), o.name)
				a.set(t, "Market", good)
				q := assertSent(t, rec, validateCall(m, a))
				if slices.Contains(notSent, o.name) {
					assert.False(t, q.Has("market"), "%s sends no market", o.name)
				} else {
					assert.Equal(t, good, q.Get("market"))
				}
			}
		})
	}
	assert.Equal(t, 30, n, "methods with a market")
}

// TestValidatePathIDs runs every operation with a path parameter: an
// empty, blank or dot id, a Spotify URI, an open.spotify.com URL and an
// id holding a comma fail without a request, naming the method and the
// parameter (and, for a URI or a URL, the id to pass instead).
func TestValidatePathIDs(t *testing.T) {
	n := 0
	for _, o := range registry {
		params := o.pathNames
		if len(params) == 0 {
			continue
		}
		require.Len(t, params, 1, "%s: one path parameter", o.id)
		n++
		t.Run(o.name, func(t *testing.T) {
			p := "spotify: " + o.name + ": " + params[0]
			for id, want := range map[string]string{
				"":                      p + " is empty",
				" \t":                   p + " is empty",
				"..":                    p + ` ".." is not an id`,
				"spotify:album:4aawyAB": p + ` "spotify:album:4aawyAB" is a Spotify URI, not an id: pass "4aawyAB"`,
				"Spotify:user:bob":      p + ` "Spotify:user:bob" is a Spotify URI, not an id: pass "bob"`,
				"https://open.spotify.com/intl-de/album/4aawyAB?si=x": p +
					` "https://open.spotify.com/intl-de/album/4aawyAB?si=x" is a URL, not an id: pass "4aawyAB"`,
				"http://example.com/": p + ` "http://example.com/" is a URL, not an id`,
				"a,b":                 p + ` "a,b" holds a comma, which Spotify reads as a separator between ids`,
			} {
				rec := &validateRecorder{t: t, refuse: true}
				m, a := validateDefaults(t, validateClient(t, rec), o.name)
				a.in[0] = reflect.ValueOf(id)
				assertRefused(t, validateCall(m, a), want)
			}
		})
	}
	assert.Equal(t, 35, n, "operations with a path parameter")
}

// TestValidateKeepsValidIDs: ids Spotify may use, though not base-62,
// are sent, escaped as one path segment.
func TestValidateKeepsValidIDs(t *testing.T) {
	for _, id := range []string{"4aawyAB9vmqN3uQ7FjRGTy", "smedjan", "user.name-1_x", "toplists", "p 1", "a/b"} {
		rec := &validateRecorder{t: t}
		c := validateClient(t, rec)
		_, err := c.Users.GetProfile(context.Background(), id, nil)
		assertSent(t, rec, err)
		assert.Equal(t, "/v1/users/"+url.PathEscape(id), rec.got[0].URL.EscapedPath())
	}
}

// TestArgErrorShape: an argument error reads like Go and matches
// ErrInvalidArgument through errors.Is and errors.Unwrap.
func TestArgErrorShape(t *testing.T) {
	err := opGetAlbumTracks.invalid("limit %d is out of range %d..%d", 51, 1, 50)
	assert.Equal(t, "spotify: Albums.GetTracks: limit 51 is out of range 1..50", err.Error())
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.Equal(t, ErrInvalidArgument, errors.Unwrap(err))
	assert.NotErrorIs(t, err, ErrBadRequest)
}
