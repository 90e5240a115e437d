package transport_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/transport"
)

type lifeKey struct{}

func TestWithLifetimeValuesAndCancellation(t *testing.T) {
	life, end := context.WithCancel(context.Background())
	values := context.WithValue(context.Background(), lifeKey{}, "v")
	ctx := transport.WithLifetime(values, life)

	assert.Equal(t, "v", ctx.Value(lifeKey{}))
	_, ok := ctx.Deadline()
	assert.False(t, ok)
	assert.True(t, ctx.Done() == life.Done(), "Done must be the lifetime's channel")
	require.NoError(t, ctx.Err())
	assert.NotContains(t, ctx.(interface{ String() string }).String(), "v")

	child, cancelChild := context.WithTimeout(ctx, time.Hour)
	defer cancelChild()
	end()
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a derived context did not follow the lifetime")
	}
	assert.ErrorIs(t, ctx.Err(), context.Canceled)
	assert.ErrorIs(t, child.Err(), context.Canceled)
}

func TestWithLifetimeDerivedContextsStartNoGoroutine(t *testing.T) {
	life, end := context.WithCancel(context.Background())
	defer end()
	ctx := transport.WithLifetime(context.Background(), life)
	before := runtime.NumGoroutine()
	cancels := make([]context.CancelFunc, 0, 100)
	for range 100 {
		_, cancel := context.WithCancel(ctx)
		cancels = append(cancels, cancel)
	}
	// context.WithCancel of a foreign context without AfterFunc starts a
	// goroutine per child; 100 children would show.
	assert.Less(t, runtime.NumGoroutine()-before, 10)
	for _, c := range cancels {
		c()
	}
}
