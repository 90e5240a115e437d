package middleware

import (
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackoffDefaultBounds(t *testing.T) {
	const samples = 2000
	for _, n := range []int{-1, 0, 1, 2, 3, 4, 5, 6, 10, 62, 63, 64, 1000, math.MaxInt} {
		ceiling := 8 * time.Second
		if n >= 0 && n < 4 {
			ceiling = 500 * time.Millisecond << n
		}
		if n < 0 {
			ceiling = 500 * time.Millisecond
		}
		lo, hi := ceiling, time.Duration(0)
		for range samples {
			d := DefaultBackoff(n)
			require.GreaterOrEqual(t, d, ceiling/2, "attempt %d", n)
			require.Less(t, d, ceiling, "attempt %d", n)
			lo, hi = min(lo, d), max(hi, d)
		}
		// The jitter spreads over the whole range, not a point.
		assert.Less(t, lo, ceiling*6/10, "attempt %d: smallest %v", n, lo)
		assert.Greater(t, hi, ceiling*9/10, "attempt %d: largest %v", n, hi)
	}
}

func TestBackoffExponentialJitter(t *testing.T) {
	assert.Zero(t, ExponentialJitter(0, time.Second)(3))
	assert.Zero(t, ExponentialJitter(-time.Second, time.Second)(3))
	assert.Zero(t, ExponentialJitter(time.Nanosecond, 0)(0), "[0.5ns, 1ns) truncates to 0")

	b := ExponentialJitter(100*time.Millisecond, 0) // no cap
	for _, n := range []int{0, 5, 40, 61, 62, 63, 200} {
		d := b(n)
		assert.Positive(t, d, "attempt %d", n)
		if n <= 30 {
			base := 100 * time.Millisecond << n
			assert.GreaterOrEqual(t, d, base/2)
			assert.Less(t, d, base)
		} else {
			assert.GreaterOrEqual(t, d, time.Duration(math.MaxInt64/2), "attempt %d saturates", n)
		}
	}

	capped := ExponentialJitter(time.Second, 3*time.Second)
	for range 200 {
		d := capped(5)
		assert.GreaterOrEqual(t, d, 1500*time.Millisecond)
		assert.Less(t, d, 3*time.Second)
	}
}

func TestBackoffConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for j := range 500 {
				d := DefaultBackoff((i + j) % 8)
				if d < 250*time.Millisecond || d >= 8*time.Second {
					t.Errorf("backoff %v out of range", d)
					return
				}
			}
		})
	}
	wg.Wait()
}
