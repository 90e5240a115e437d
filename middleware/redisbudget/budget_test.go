package redisbudget

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/redistest"
	"github.com/spotifysdk/spotify-go/middleware"
)

// offsetClock is the wall clock moved by an offset: a worker whose clock
// disagrees with the others'.
type offsetClock struct{ offset time.Duration }

func (c offsetClock) Now() time.Time                       { return time.Now().Add(c.offset) }
func (c offsetClock) NewTimer(d time.Duration) clock.Timer { return clock.Real.NewTimer(d) }

// newPair returns two Budgets of one app on the Redis at url (the test
// server when ""), with the given clocks, logging to logs[0] and logs[1]
// when given.
func newPair(t *testing.T, url string, c1, c2 clock.Clock, o Options, logs ...*syncBuffer) (*Budget, *Budget) {
	t.Helper()
	if url == "" {
		url = redistest.URL(t)
		redistest.Client(t) // the server answers
	}
	if o.Prefix == "" {
		o.Prefix = redistest.Prefix(t)
	}
	o.URL, o.App = url, "app-1"
	mk := func(c clock.Clock, i int) *Budget {
		o := o
		o.Clock = c
		if i < len(logs) {
			o.Logger = slog.New(slog.NewTextHandler(logs[i], nil))
		}
		o.Local = middleware.NewFixedBudget(middleware.BudgetOptions{Clock: c})
		b, err := New(o)
		require.NoError(t, err)
		t.Cleanup(func() { _ = b.Close() })
		return b
	}
	return mk(c1, 0), mk(c2, 1)
}

// tooMany is a 429 asking to wait d, received now on c.
func tooMany(c clock.Clock, d time.Duration) middleware.Outcome {
	return middleware.Outcome{Status: 429, RetryAfter: d, HasRetryAfter: true, At: c.Now()}
}

// timedWait returns how long b.Wait took and its error.
func timedWait(b *Budget, maxWait time.Duration) (time.Duration, error) {
	start := time.Now()
	err := b.Wait(context.Background(), maxWait)
	return time.Since(start), err
}

// TestCoolDownShared: a 429 seen by one Budget holds the other until its
// deadline, and not much longer.
func TestCoolDownShared(t *testing.T) {
	b1, b2 := newPair(t, "", nil, nil, Options{})
	took, err := timedWait(b2, 0)
	require.NoError(t, err)
	assert.Less(t, took, 100*time.Millisecond, "no cool-down yet")

	b1.Observe(context.Background(), tooMany(clock.Real, 600*time.Millisecond))
	until, quota := b2.Until()
	assert.False(t, quota)
	assert.WithinDuration(t, time.Now().Add(600*time.Millisecond), until, 100*time.Millisecond, "Until shows the shared cool-down")
	took, err = timedWait(b2, 0)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, took, 550*time.Millisecond, "held until the deadline")
	assert.Less(t, took, 900*time.Millisecond)
}

// TestCoolDownClocksApart: workers whose clocks are 2 s apart still wait
// until the same moment: the deadline travels as a duration from Redis
// (PTTL), never as a time of one worker's clock. A shared deadline in
// wall-clock time would let the worker ahead go at once and hold the one
// behind 2 s too long.
func TestCoolDownClocksApart(t *testing.T) {
	behind, ahead := offsetClock{-time.Second}, offsetClock{time.Second}
	b1, b2 := newPair(t, "", behind, ahead, Options{})
	b1.Observe(context.Background(), tooMany(behind, time.Second))
	took, err := timedWait(b2, 0)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, took, 900*time.Millisecond, "the worker ahead waits")
	until, _ := b2.Until()
	assert.True(t, until.Before(ahead.Now().Add(100*time.Millisecond)), "Until on the worker's own clock: %v", until)

	b2.Observe(context.Background(), tooMany(ahead, 500*time.Millisecond))
	took, err = timedWait(b1, 0)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, took, 450*time.Millisecond, "the worker behind waits")
	assert.Less(t, took, 900*time.Millisecond, "and not for the clocks' difference")
}

// TestSharedQuotaMaxWaitReset: a shared quota stop and a shared cool-down
// beyond maxWait fail at once with a RateLimitError, as the local Budget's
// own do; Reset ends the shared cool-down for every worker (and the
// local one of the worker that calls it).
func TestSharedQuotaMaxWaitReset(t *testing.T) {
	b1, b2 := newPair(t, "", nil, nil, Options{})
	ctx := context.Background()
	b1.Observe(ctx, tooMany(clock.Real, 10*time.Second))
	took, err := timedWait(b2, time.Second)
	var rl *middleware.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, time.Second, rl.Max)
	assert.Less(t, took, 200*time.Millisecond, "at once")

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	err = b2.Wait(short, 0)
	cancel()
	require.ErrorAs(t, err, &rl)
	assert.True(t, rl.DeadlineExceeded)

	q := tooMany(clock.Real, time.Second)
	q.Quota = true
	b1.Observe(ctx, q)
	_, err = timedWait(b2, 0)
	require.ErrorAs(t, err, &rl)
	assert.True(t, rl.Quota)

	b1.Reset()
	took, err = timedWait(b2, 0)
	require.NoError(t, err, "reset for every worker")
	assert.Less(t, took, 100*time.Millisecond)
}

// TestKeysExpire: every key the Budget writes has an expiry.
func TestKeysExpire(t *testing.T) {
	b1, _ := newPair(t, "", nil, nil, Options{})
	b1.Observe(context.Background(), tooMany(clock.Real, time.Minute))
	c := redistest.Client(t)
	keys, err := c.Keys(context.Background(), strings.SplitN(b1.key, ":", 2)[0]+":*").Result()
	require.NoError(t, err)
	require.Equal(t, []string{b1.key}, keys)
	ttl := c.PTTL(context.Background(), b1.key).Val()
	assert.Positive(t, ttl)
	assert.LessOrEqual(t, ttl, time.Minute)
	b1.Reset()
}

// TestRedisStoppedAndRestarted: requests go on while Redis is stopped (the
// local twin decides, honouring the last shared deadline), the fall back
// and the return are each logged once, and sharing resumes after the
// restart.
func TestRedisStoppedAndRestarted(t *testing.T) {
	rs := redistest.StartServer(t)
	var logs1, logs2 syncBuffer
	o := Options{Timeout: 100 * time.Millisecond, ProbeInterval: 200 * time.Millisecond}
	b1, b2 := newPair(t, rs.URL(), nil, nil, o, &logs1, &logs2)

	var failed, done atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, b := range []*Budget{b1, b2} {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				if err := b.Wait(ctx, 0); err != nil {
					failed.Add(1)
					t.Logf("Wait: %v", err)
				} else {
					b.Observe(ctx, middleware.Outcome{Status: 200, At: time.Now()})
					done.Add(1)
				}
				cancel()
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	rs.Stop()
	time.Sleep(700 * time.Millisecond)
	rs.Start()
	time.Sleep(700 * time.Millisecond)
	close(stop)
	wg.Wait()
	assert.Zero(t, failed.Load(), "no request failed because Redis was away")
	assert.Greater(t, done.Load(), int64(50))

	for _, logs := range []*syncBuffer{&logs1, &logs2} {
		out := logs.String()
		assert.Equal(t, 1, strings.Count(out, "Redis is unreachable"), out)
		assert.Equal(t, 1, strings.Count(out, "Redis answers again"), out)
	}

	// Sharing resumed.
	b1.Observe(context.Background(), tooMany(clock.Real, 500*time.Millisecond))
	took, err := timedWait(b2, 0)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, took, 450*time.Millisecond)
}

// TestLastDeadlineKeptWhileAway: a shared deadline read before Redis went
// away is still honoured.
func TestLastDeadlineKeptWhileAway(t *testing.T) {
	rs := redistest.StartServer(t)
	b1, b2 := newPair(t, rs.URL(), nil, nil, Options{Timeout: 100 * time.Millisecond}, &syncBuffer{}, &syncBuffer{})
	b1.Observe(context.Background(), tooMany(clock.Real, 800*time.Millisecond))
	_, _ = b2.Until() // b2 reads the deadline
	rs.Stop()
	took, err := timedWait(b2, 0)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, took, 600*time.Millisecond)
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
