package auth

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
)

// Defaults of the refreshing cache.
const (
	// DefaultEarlyRefresh is how long before expiry a background refresh
	// starts.
	DefaultEarlyRefresh = 5 * time.Minute
	// DefaultExpirySkew is how long before its stated expiry a token stops
	// being handed out, for clock drift and the request's time in flight.
	DefaultExpirySkew = 10 * time.Second
	// DefaultRefreshTimeout bounds one token fetch.
	DefaultRefreshTimeout = 30 * time.Second
	// earlyRetryBackoff is the pause after a failed background refresh
	// before the next one is tried (the current token is still valid).
	earlyRetryBackoff = 30 * time.Second
)

// errNilToken is returned when a fetch returned neither a token nor an error.
var errNilToken = errors.New("auth: token source returned no token")

// fetchFunc obtains a new token. ctx is detached from every caller and
// bounded by the refresh timeout.
type fetchFunc func(ctx context.Context) (*Token, error)

// refresherOptions tunes a refresher. Zero values mean the defaults above;
// a negative early window turns background refresh off.
type refresherOptions struct {
	clock   clock.Clock
	early   time.Duration
	timeout time.Duration
}

// refresher caches one token and refreshes it (the refreshing core of every
// provider that fetches tokens):
//
//   - A token is handed out until expiry minus the skew
//     ([DefaultExpirySkew]). Inside the early window before that, the first
//     caller starts one background refresh and every caller keeps getting
//     the current token at once; a failed background refresh is ignored (the
//     token is still valid) and the next one is tried no sooner than 30 s
//     later.
//   - Once the token has expired (or there is none, or it was invalidated),
//     callers wait, and all of them share one fetch.
//   - The fetch runs on a context detached from every caller (it keeps the
//     values of the caller that started it, not its cancellation), bounded
//     by the refresh timeout and cancelled by close. Each waiting caller
//     gives up on its own context without cancelling the fetch.
//
// Short-lived tokens: when a token's lifetime L (from the moment it is
// stored) is shorter than twice the early window, the window becomes L/2
// (the refresh starts halfway through its life); the skew is capped at
// L/10, so a token that lives a few seconds is still used.
type refresher struct {
	fetch   fetchFunc
	clock   clock.Clock
	early   time.Duration
	timeout time.Duration

	mu        sync.Mutex
	tok       *Token
	expireAt  time.Time // tok is handed out before this; zero = never expires
	refreshAt time.Time // background refresh from this time; zero = never
	notBefore time.Time // no background refresh before this (after a failure)
	flight    *flight
	closed    bool
	wg        sync.WaitGroup
}

// flight is one fetch in progress, shared by every caller that waits.
type flight struct {
	done   chan struct{}
	cancel context.CancelFunc
	tok    *Token
	err    error
}

func newRefresher(fetch fetchFunc, o refresherOptions) *refresher {
	r := &refresher{fetch: fetch, clock: clock.Or(o.clock), early: o.early, timeout: o.timeout}
	if r.early == 0 {
		r.early = DefaultEarlyRefresh
	}
	if r.timeout <= 0 {
		r.timeout = DefaultRefreshTimeout
	}
	return r
}

// Token returns the cached token while it is valid, starting a background
// refresh inside the early window; otherwise it waits for the shared fetch,
// or for ctx.
func (r *refresher) Token(ctx context.Context) (*Token, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, ErrClosed
	}
	now := r.clock.Now()
	if r.tok != nil && (r.expireAt.IsZero() || now.Before(r.expireAt)) {
		tok := r.tok
		if r.flight == nil && !r.refreshAt.IsZero() && !now.Before(r.refreshAt) && !now.Before(r.notBefore) {
			r.startLocked(ctx, true)
		}
		r.mu.Unlock()
		return tok, nil
	}
	if err := ctx.Err(); err != nil {
		r.mu.Unlock()
		return nil, err
	}
	f := r.flight
	if f == nil {
		f = r.startLocked(ctx, false)
	}
	r.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// startLocked starts a fetch on its own goroutine. r.mu is held.
func (r *refresher) startLocked(ctx context.Context, early bool) *flight {
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.timeout)
	f := &flight{done: make(chan struct{}), cancel: cancel}
	r.flight = f
	r.wg.Add(1)
	go r.run(fctx, f, early)
	return f
}

func (r *refresher) run(ctx context.Context, f *flight, early bool) {
	defer r.wg.Done()
	tok, err := r.fetch(ctx)
	f.cancel()
	if err == nil && (tok == nil || tok.AccessToken == "") {
		err = errNilToken
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.closed:
		tok, err = nil, ErrClosed
	case err != nil:
		tok = nil
		if early {
			r.notBefore = r.clock.Now().Add(earlyRetryBackoff)
		}
	default:
		r.storeLocked(tok)
	}
	f.tok, f.err = tok, err
	r.flight = nil
	close(f.done)
}

// storeLocked makes tok the current token and works out when it expires and
// when its background refresh starts. r.mu is held.
func (r *refresher) storeLocked(tok *Token) {
	r.tok = tok
	r.notBefore = time.Time{}
	r.expireAt, r.refreshAt = time.Time{}, time.Time{}
	if tok.Expiry.IsZero() {
		return
	}
	life := tok.Expiry.Sub(r.clock.Now())
	skew := min(DefaultExpirySkew, life/10)
	r.expireAt = tok.Expiry.Add(-skew)
	if r.early < 0 {
		return
	}
	early := r.early
	if life < 2*early {
		early = life / 2
	}
	r.refreshAt = tok.Expiry.Add(-early)
}

// store sets the current token, for providers that start from a saved one
// or obtain one outside a fetch (Exchange). After Close it does nothing, so a
// closed refresher keeps no token.
func (r *refresher) store(tok *Token) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed && tok != nil && tok.AccessToken != "" {
		r.storeLocked(tok)
	}
}

// Invalidate drops the cached token if it is failed (same access token), so
// that the next Token fetches a new one. A stale failed token (one already
// replaced) is ignored, so many concurrent 401s cause one refresh.
func (r *refresher) Invalidate(failed *Token) {
	if failed == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tok != nil && r.tok.AccessToken == failed.AccessToken {
		r.tok = nil
		r.expireAt, r.refreshAt = time.Time{}, time.Time{}
	}
}

// Close cancels a fetch in progress and waits for its goroutine; later
// calls to Token return [ErrClosed]. It is safe to call more than once.
func (r *refresher) Close() error {
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		r.tok = nil
		if r.flight != nil {
			r.flight.cancel()
		}
	}
	r.mu.Unlock()
	r.wg.Wait()
	return nil
}
