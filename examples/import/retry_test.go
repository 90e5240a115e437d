package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/spotify"
)

var fastRetry = retryPolicy{attempts: 3, base: time.Millisecond, max: 4 * time.Millisecond}

func TestRetried(t *testing.T) {
	transient := &spotify.Error{StatusCode: 503}
	var retries atomic.Int64
	calls := 0
	v, err := retried(t.Context(), fastRetry, &retries, func(context.Context) (int, error) {
		if calls++; calls < 3 {
			return 0, transient
		}
		return 7, nil
	})
	require.NoError(t, err)
	assert.Equal(t, 7, v)
	assert.EqualValues(t, 2, retries.Load())

	calls = 0
	_, err = retried(t.Context(), fastRetry, &retries, func(context.Context) (int, error) {
		calls++
		return 0, fmt.Errorf("artist x: %w", transient)
	})
	var gaveUp *gaveUpError
	require.ErrorAs(t, err, &gaveUp)
	assert.Equal(t, 3, gaveUp.attempts)
	assert.Equal(t, 3, calls)
	assert.ErrorIs(t, err, spotify.ErrServer)

	for _, status := range []int{403, 404} {
		calls = 0
		_, err = retried(t.Context(), fastRetry, &retries, func(context.Context) (int, error) {
			calls++
			return 0, &spotify.Error{StatusCode: status}
		})
		assert.Equal(t, 1, calls, "%d is permanent: not retried", status)
		assert.True(t, permanent(err))
	}

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = retried(ctx, retryPolicy{attempts: 5, base: time.Hour, max: time.Hour}, &retries,
		func(context.Context) (int, error) { return 0, transient })
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 10*time.Second, "the backoff ends with ctx")
}

func TestPermanent(t *testing.T) {
	for _, err := range []error{
		&spotify.Error{StatusCode: 404}, &spotify.Error{StatusCode: 403}, &spotify.Error{StatusCode: 400},
		fmt.Errorf("x: %w", spotify.ErrUnavailableInDevelopmentMode),
	} {
		assert.True(t, permanent(err), "%v", err)
	}
	for _, err := range []error{
		&spotify.Error{StatusCode: 429}, &spotify.Error{StatusCode: 502}, io.ErrUnexpectedEOF,
		errors.New("connection reset by peer"), spotify.ErrCircuitOpen,
	} {
		assert.False(t, permanent(err), "%v", err)
	}
}

func TestBackoff(t *testing.T) {
	p := retryPolicy{base: 100 * time.Millisecond, max: time.Second}
	for n, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 80: time.Second} {
		for range 20 {
			d := p.backoff(n)
			assert.GreaterOrEqual(t, d, want/2, "n=%d", n)
			assert.Less(t, d, want, "n=%d", n)
		}
	}
}

func TestChaosFlag(t *testing.T) {
	for args, want := range map[string]chaosLevel{"": chaosOff, "-chaos": chaosMild, "-chaos=mild": chaosMild,
		"-chaos=heavy": chaosHeavy, "-chaos=false": chaosOff} {
		fs := flag.NewFlagSet("import", flag.ContinueOnError)
		var c chaosLevel
		fs.Var(&c, "chaos", "")
		var argv []string
		if args != "" {
			argv = []string{args, "rest"}
		}
		require.NoError(t, fs.Parse(argv), args)
		assert.Equal(t, want, c, args)
		if args != "" {
			assert.Equal(t, []string{"rest"}, fs.Args(), "%s takes no separate value", args)
		}
	}
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c chaosLevel
	fs.Var(&c, "chaos", "")
	assert.ErrorContains(t, fs.Parse([]string{"-chaos=storm"}), `want mild or heavy, got "storm"`)
	assert.Len(t, chaosOptions(chaosHeavy), 1)
	assert.Empty(t, chaosClientOptions(chaosHeavy), "heavy chaos keeps the client's defaults")
}
