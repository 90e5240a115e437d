// Package tokenretry is the small retry of token requests. The token
// endpoint is reached on its own short path (never through the API chain's
// bulkhead, breaker, cache or auth stages), so it needs its own modest
// retry: server errors (500, 502, 503, 504) and failed connections are tried
// again a couple of times; every 4xx, 429 included, is returned at once,
// since a token request that was refused will be refused again and the
// provider must report it rather than hide it.
package tokenretry

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/httpbody"
	"github.com/spotifysdk/spotify-go/internal/netx"
)

// defaultMaxRetries is used when Options.MaxRetries is 0.
const defaultMaxRetries = 2

// Options tunes the retry. The zero value is the default.
type Options struct {
	// MaxRetries is how many times a request is sent again after the first
	// attempt; 0 means 2, a negative value means no retry.
	MaxRetries int
	// Clock times the backoff; nil means the wall clock.
	Clock clock.Clock
	// Backoff returns the wait before retry n (0 for the first retry); nil
	// means [DefaultBackoff].
	Backoff func(n int) time.Duration
}

// DefaultBackoff waits min(0.5 s × 2^n, 8 s), scaled by a random factor in
// [0.5, 1.0): the formula of the API retry, so both paths behave alike.
func DefaultBackoff(n int) time.Duration {
	d := 8 * time.Second
	if n < 4 {
		d = 500 * time.Millisecond << n
	}
	return time.Duration(float64(d) * (0.5 + rand.Float64()/2))
}

// New returns a RoundTripper that sends requests through base (nil means
// [http.DefaultTransport]) and retries 5xx responses and transport errors.
// A request whose body cannot be produced again (a body and no GetBody) is
// sent once. The returned RoundTripper is safe for concurrent use.
func New(base http.RoundTripper, o Options) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	max := o.MaxRetries
	if max == 0 {
		max = defaultMaxRetries
	}
	if max < 0 {
		max = 0
	}
	backoff := o.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	return &retrier{base: base, max: max, clock: clock.Or(o.Clock), backoff: backoff}
}

type retrier struct {
	base    http.RoundTripper
	max     int
	clock   clock.Clock
	backoff func(n int) time.Duration
}

var _ http.RoundTripper = (*retrier)(nil)

var errNilResponse = errors.New("tokenretry: RoundTripper returned a nil response and a nil error")

// RoundTrip sends req, and sends it again after a retriable failure.
func (r *retrier) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	max := r.max
	if !httpbody.Replayable(req) {
		max = 0
	}
	send := req
	for n := 0; ; n++ {
		resp, err := r.base.RoundTrip(send)
		if err == nil && resp == nil {
			err = errNilResponse
		}
		if err != nil && resp != nil {
			httpbody.DrainAndClose(resp)
			resp = nil
		}
		if n >= max || !retriable(resp, err) || ctx.Err() != nil {
			return resp, err
		}
		wait := r.backoff(n)
		if clock.Outlives(ctx, r.clock, wait) {
			return resp, err
		}
		next, rerr := httpbody.Rewind(req)
		if rerr != nil {
			return resp, err
		}
		httpbody.DrainAndClose(resp)
		if serr := clock.Sleep(ctx, r.clock, wait); serr != nil {
			httpbody.CloseRequestBody(next)
			if err != nil {
				return nil, fmt.Errorf("%w (after: %w)", serr, err)
			}
			return nil, serr
		}
		send = next
	}
}

// CloseIdleConnections closes the idle connections of the base transport,
// if it can, so that http.Client.CloseIdleConnections reaches it.
func (r *retrier) CloseIdleConnections() {
	if c, ok := r.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// retriable reports whether an attempt's outcome is worth another try:
// 500, 502, 503 and 504, and transport errors other than those that recur
// on every attempt (an untrusted certificate, a server that does not speak
// TLS).
func retriable(resp *http.Response, err error) bool {
	if err != nil {
		return !netx.Permanent(err)
	}
	switch resp.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
