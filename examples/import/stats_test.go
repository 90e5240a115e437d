package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestHistogramQuantiles(t *testing.T) {
	var empty histogram
	assert.Zero(t, empty.quantile(0.5), "no sample")

	// 1 ms .. 100 ms, one each: p50 is 50 ms and p99 99 ms, each reported
	// as the upper bound of its bucket, within 1/16 above.
	var h histogram
	for i := 100; i >= 1; i-- {
		h.observe(time.Duration(i) * time.Millisecond)
	}
	for q, want := range map[float64]time.Duration{0.01: time.Millisecond, 0.50: 50 * time.Millisecond, 0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond} {
		got := h.quantile(q)
		assert.GreaterOrEqual(t, got, want, "q=%v", q)
		assert.LessOrEqual(t, got, want+want/16, "q=%v", q)
	}

	// A skewed load: 90 fast requests and 10 slow ones.
	var s histogram
	for range 90 {
		s.observe(2 * time.Millisecond)
	}
	for range 10 {
		s.observe(time.Second)
	}
	assert.InDelta(t, float64(2*time.Millisecond), float64(s.quantile(0.5)), float64(2*time.Millisecond)/16)
	assert.InDelta(t, float64(time.Second), float64(s.quantile(0.99)), float64(time.Second)/16)
	assert.Equal(t, s.quantile(0.9), s.quantile(0.5), "the 90th request is still a fast one")

	var neg histogram
	neg.observe(-time.Second)
	assert.Zero(t, neg.quantile(1), "a negative duration counts as zero")
}

func TestHistogramBuckets(t *testing.T) {
	for us := range uint64(histSub) {
		assert.Equal(t, int(us), histIndex(us), "below %d µs a bucket per µs", histSub)
		assert.Equal(t, us, histValue(histIndex(us)))
	}
	prev := -1
	for _, us := range []uint64{16, 17, 31, 32, 33, 100, 1000, 12345, 1 << 20, 1<<40 + 7, 1<<63 - 1} {
		i := histIndex(us)
		assert.GreaterOrEqual(t, i, prev, "indexes never shrink as the value grows")
		prev = i
		assert.Less(t, i, 64*histSub)
		upper := histValue(i)
		assert.GreaterOrEqual(t, upper, us, "%d µs is within its bucket", us)
		assert.LessOrEqual(t, upper-us, us/histSub, "%d µs: the bucket is at most 1/%d wide", us, histSub)
		if i > 0 {
			assert.Less(t, histValue(i-1), us, "%d µs is above the previous bucket", us)
		}
	}
}
