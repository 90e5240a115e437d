package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/spotifysdk/spotify-go/spotify"
)

// The import's own retries sit above the chain's: a call that still fails
// after the chain retried it (its retries spent on a run of 503s, a 429
// burst, resets) is tried again by the import later, with a backoff of its
// own, a bounded number of times, while the rest of the import goes on.
// An error that no retry can mend is permanent and fails its unit at once.

// retryPolicy bounds the import's retries of one piece of work.
type retryPolicy struct {
	attempts int           // tries in all, the first included
	base     time.Duration // the wait before the second try
	max      time.Duration // the longest wait
}

// unitRetry is the policy of the command; tests shorten it.
var unitRetry = retryPolicy{attempts: 6, base: 250 * time.Millisecond, max: 8 * time.Second}

// backoff returns the wait after the n-th failed try (n >= 1): base ×
// 2^(n-1), capped at max, times a random factor in [0.5, 1) so that the
// units that failed together do not come back together.
func (p retryPolicy) backoff(n int) time.Duration {
	d := p.max
	if n-1 < 30 {
		d = min(p.base<<(n-1), p.max)
	}
	return time.Duration(float64(d) * (0.5 + rand.Float64()/2))
}

// permanent reports whether err is one that retrying does not mend: the
// artist or album does not exist (404), the app may not make the call
// (403, Development Mode), the request or the credentials are wrong, or the
// app's quota is spent.
func permanent(err error) bool {
	for _, target := range []error{
		spotify.ErrNotFound, spotify.ErrForbidden, spotify.ErrBadRequest, spotify.ErrUnauthorized,
		spotify.ErrInvalidArgument, spotify.ErrQuotaExceeded, spotify.ErrUnavailableInDevelopmentMode,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// gaveUpError is a transient error the import stopped retrying.
type gaveUpError struct {
	attempts int
	err      error
}

func (e *gaveUpError) Error() string {
	return fmt.Sprintf("gave up after %d tries: %v", e.attempts, e.err)
}

func (e *gaveUpError) Unwrap() error { return e.err }

// retried runs call until it succeeds, fails permanently, ctx ends or the
// policy's tries are spent (then the error is a *gaveUpError). Each retry
// is counted in *retries.
func retried[T any](ctx context.Context, p retryPolicy, retries *atomic.Int64, call func(context.Context) (T, error)) (T, error) {
	for n := 1; ; n++ {
		v, err := call(ctx)
		switch {
		case err == nil || ctx.Err() != nil || permanent(err):
			return v, err
		case n >= p.attempts:
			return v, &gaveUpError{attempts: n, err: err}
		}
		retries.Add(1)
		t := time.NewTimer(p.backoff(n))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return v, ctx.Err()
		}
	}
}
