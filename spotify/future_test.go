package spotify

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFutureAwaitFromManyGoroutines(t *testing.T) {
	f := newFuture[int]()
	var wg sync.WaitGroup
	results := make([]int, 8)
	for i := range results {
		wg.Go(func() {
			v, err := f.Await(context.Background())
			assert.NoError(t, err)
			results[i] = v
		})
	}
	f.complete(7, nil)
	wg.Wait()
	assert.Equal(t, []int{7, 7, 7, 7, 7, 7, 7, 7}, results)

	failed := failedFuture[string](ErrClosed)
	assert.True(t, asyncClosed(failed.Done()))
	_, err := failed.Await(context.Background())
	assert.ErrorIs(t, err, ErrClosed)
}
