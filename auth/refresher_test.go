package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/clock"
)

// gatedSource is a token source whose fetches block until released, and
// which counts them.
type gatedSource struct {
	fc      *clock.Fake
	life    time.Duration
	calls   atomic.Int32
	started chan struct{}        // receives once per fetch, when it starts
	release chan error           // one value per fetch: nil = succeed
	ctxs    chan context.Context // the fetch contexts, in order
}

func newGatedSource(fc *clock.Fake) *gatedSource {
	return &gatedSource{
		fc:      fc,
		life:    time.Hour,
		started: make(chan struct{}, 100),
		release: make(chan error, 100),
		ctxs:    make(chan context.Context, 100),
	}
}

func (s *gatedSource) fetch(ctx context.Context) (*Token, error) {
	n := s.calls.Add(1)
	s.ctxs <- ctx
	s.started <- struct{}{}
	select {
	case err := <-s.release:
		if err != nil {
			return nil, err
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &Token{AccessToken: fmt.Sprintf("token-%d", n), TokenType: "Bearer", Expiry: s.fc.Now().Add(s.life)}, nil
}

// inFlight reports whether r has a fetch in progress. A fetch is registered
// under r.mu before Token returns, so checking right after Token shows
// whether that call started one (the source's counter is bumped later, on
// the fetch's goroutine).
func inFlight(r *refresher) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.flight != nil
}

// waitStarted waits (in real time) for a fetch to start.
func waitStarted(t *testing.T, s *gatedSource) {
	t.Helper()
	select {
	case <-s.started:
	case <-time.After(5 * time.Second):
		t.Fatal("no fetch started")
	}
}

func TestRefresherOneFetchForManyCallers(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, name := range []string{"absent", "expired"} {
		t.Run(name, func(t *testing.T) {
			fc := clock.NewFake()
			src := newGatedSource(fc)
			r := newRefresher(src.fetch, refresherOptions{clock: fc})
			defer r.Close()
			if name == "expired" {
				r.store(&Token{AccessToken: "old", Expiry: fc.Now().Add(time.Hour)})
				fc.Advance(2 * time.Hour)
			}

			const callers = 100
			var ready, done sync.WaitGroup
			ready.Add(callers)
			done.Add(callers)
			toks := make([]*Token, callers)
			errs := make([]error, callers)
			for i := range callers {
				go func() {
					defer done.Done()
					ready.Done()
					toks[i], errs[i] = r.Token(context.Background())
				}()
			}
			ready.Wait()
			waitStarted(t, src)
			time.Sleep(10 * time.Millisecond) // let the stragglers join the flight
			src.release <- nil
			done.Wait()

			assert.Equal(t, int32(1), src.calls.Load(), "exactly one token request")
			for i := range callers {
				require.NoError(t, errs[i])
				assert.Same(t, toks[0], toks[i])
			}
			assert.Equal(t, "token-1", toks[0].AccessToken)
		})
	}
}

func TestRefresherEarlyRefreshDoesNotBlock(t *testing.T) {
	defer goleak.VerifyNone(t)
	fc := clock.NewFake()
	src := newGatedSource(fc)
	r := newRefresher(src.fetch, refresherOptions{clock: fc})
	defer r.Close()
	r.store(&Token{AccessToken: "current", Expiry: fc.Now().Add(time.Hour)})

	tok, err := r.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "current", tok.AccessToken)
	assert.False(t, inFlight(r), "no refresh outside the early window")
	assert.Equal(t, int32(0), src.calls.Load(), "no refresh outside the early window")

	fc.Advance(56 * time.Minute) // 4 minutes left: inside the 5-minute window
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := r.Token(context.Background()) // the source is blocked: this must not be
			assert.NoError(t, err)
			assert.Equal(t, "current", tok.AccessToken)
		}()
	}
	wg.Wait()
	waitStarted(t, src)
	assert.Equal(t, int32(1), src.calls.Load(), "exactly one background refresh")

	src.release <- nil
	require.Eventually(t, func() bool {
		tok, err := r.Token(context.Background())
		return err == nil && tok.AccessToken == "token-1"
	}, 5*time.Second, time.Millisecond)
	assert.Equal(t, int32(1), src.calls.Load())
}

func TestRefresherFailedEarlyRefreshIsIgnoredWithBackoff(t *testing.T) {
	defer goleak.VerifyNone(t)
	fc := clock.NewFake()
	src := newGatedSource(fc)
	r := newRefresher(src.fetch, refresherOptions{clock: fc})
	defer r.Close()
	r.store(&Token{AccessToken: "current", Expiry: fc.Now().Add(time.Hour)})
	fc.Advance(56 * time.Minute)

	src.release <- errors.New("accounts service down")
	tok, err := r.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "current", tok.AccessToken)
	waitStarted(t, src)
	require.Eventually(t, func() bool { return !inFlight(r) }, 5*time.Second, time.Millisecond)

	tok, err = r.Token(context.Background())
	require.NoError(t, err, "a failed background refresh is not reported")
	assert.Equal(t, "current", tok.AccessToken)
	assert.False(t, inFlight(r), "no new attempt during the backoff")
	assert.Equal(t, int32(1), src.calls.Load(), "no new attempt during the backoff")

	fc.Advance(30 * time.Second)
	src.release <- nil
	_, _ = r.Token(context.Background())
	waitStarted(t, src)
	assert.Equal(t, int32(2), src.calls.Load(), "a new attempt after the backoff")
}

func TestRefresherCallerCancellationDoesNotFailOthers(t *testing.T) {
	defer goleak.VerifyNone(t)
	fc := clock.NewFake()
	src := newGatedSource(fc)
	r := newRefresher(src.fetch, refresherOptions{clock: fc})
	defer r.Close()

	type key struct{}
	ctxA, cancelA := context.WithCancel(context.WithValue(context.Background(), key{}, "a"))
	errA := make(chan error, 1)
	go func() {
		_, err := r.Token(ctxA)
		errA <- err
	}()
	waitStarted(t, src)
	fetchCtx := <-src.ctxs

	resB := make(chan *Token, 1)
	go func() {
		tok, err := r.Token(context.Background())
		assert.NoError(t, err)
		resB <- tok
	}()

	cancelA()
	require.ErrorIs(t, <-errA, context.Canceled)
	assert.NoError(t, fetchCtx.Err(), "the shared fetch is detached from the caller")
	assert.Equal(t, "a", fetchCtx.Value(key{}), "the fetch keeps the caller's values")
	_, hasDeadline := fetchCtx.Deadline()
	assert.True(t, hasDeadline, "the fetch has its own timeout")

	src.release <- nil
	assert.Equal(t, "token-1", (<-resB).AccessToken)
	assert.Equal(t, int32(1), src.calls.Load())

	// A caller whose context already ended does not start a fetch.
	r.Invalidate(&Token{AccessToken: "token-1"})
	_, err := r.Token(ctxA)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int32(1), src.calls.Load())
}

func TestRefresherInvalidate(t *testing.T) {
	defer goleak.VerifyNone(t)
	fc := clock.NewFake()
	src := newGatedSource(fc)
	r := newRefresher(src.fetch, refresherOptions{clock: fc})
	defer r.Close()

	src.release <- nil
	first, err := r.Token(context.Background())
	require.NoError(t, err)
	waitStarted(t, src)

	r.Invalidate(&Token{AccessToken: "stale"})
	r.Invalidate(nil)
	tok, err := r.Token(context.Background())
	require.NoError(t, err)
	assert.Same(t, first, tok, "a stale token is ignored")
	assert.Equal(t, int32(1), src.calls.Load())

	// Many concurrent 401s with the same token: one refresh.
	src.release <- nil
	for range 10 {
		r.Invalidate(first)
	}
	tok, err = r.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "token-2", tok.AccessToken)
	r.Invalidate(first) // a late 401 of the old token changes nothing
	tok, err = r.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "token-2", tok.AccessToken)
	assert.Equal(t, int32(2), src.calls.Load())
}

func TestRefresherShortLivedTokens(t *testing.T) {
	fc := clock.NewFake()
	r := newRefresher(nil, refresherOptions{clock: fc})
	exp := fc.Now().Add(time.Minute)
	r.store(&Token{AccessToken: "a", Expiry: exp})
	assert.Equal(t, exp.Add(-30*time.Second), r.refreshAt, "half the lifetime")
	assert.Equal(t, exp.Add(-6*time.Second), r.expireAt, "skew capped at a tenth of the lifetime")

	exp = fc.Now().Add(time.Hour)
	r.store(&Token{AccessToken: "b", Expiry: exp})
	assert.Equal(t, exp.Add(-DefaultEarlyRefresh), r.refreshAt)
	assert.Equal(t, exp.Add(-DefaultExpirySkew), r.expireAt)

	off := newRefresher(nil, refresherOptions{clock: fc, early: -1})
	off.store(&Token{AccessToken: "c", Expiry: exp})
	assert.True(t, off.refreshAt.IsZero(), "a negative window turns background refresh off")

	never := newRefresher(nil, refresherOptions{clock: fc})
	never.store(&Token{AccessToken: "d"})
	tok, err := never.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "d", tok.AccessToken, "a token without expiry never expires")
}

func TestRefresherCloseCancelsFetch(t *testing.T) {
	defer goleak.VerifyNone(t)
	fc := clock.NewFake()
	src := newGatedSource(fc)
	r := newRefresher(src.fetch, refresherOptions{clock: fc})
	errc := make(chan error, 1)
	go func() {
		_, err := r.Token(context.Background())
		errc <- err
	}()
	waitStarted(t, src)
	require.NoError(t, r.Close())
	require.ErrorIs(t, <-errc, ErrClosed)
	_, err := r.Token(context.Background())
	require.ErrorIs(t, err, ErrClosed)
	require.NoError(t, r.Close(), "Close is idempotent")
}

func TestRefresherFetchErrorReachesWaiters(t *testing.T) {
	defer goleak.VerifyNone(t)
	fc := clock.NewFake()
	boom := errors.New("boom")
	var calls atomic.Int32
	r := newRefresher(func(context.Context) (*Token, error) {
		if calls.Add(1) == 1 {
			return nil, boom
		}
		return nil, nil
	}, refresherOptions{clock: fc})
	defer r.Close()
	_, err := r.Token(context.Background())
	require.ErrorIs(t, err, boom)
	_, err = r.Token(context.Background())
	require.ErrorIs(t, err, errNilToken, "a nil token is an error, not a panic later")
}

func TestRefresherStoreAfterCloseKeepsNoToken(t *testing.T) {
	r := newRefresher(func(context.Context) (*Token, error) { return nil, errors.New("unused") }, refresherOptions{clock: clock.NewFake()})
	require.NoError(t, r.Close())
	r.store(&Token{AccessToken: "late"})
	r.mu.Lock()
	defer r.mu.Unlock()
	assert.Nil(t, r.tok, "a closed refresher must not keep a token")
}
