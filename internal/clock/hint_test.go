package clock

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDeadlineHint(t *testing.T) {
	c := NewFake()
	bg := context.Background()
	_, ok := Deadline(bg)
	assert.False(t, ok)
	assert.False(t, Outlives(bg, c, time.Hour), "no deadline, no hint")

	hinted := c.Now().Add(time.Minute)
	has := true
	ctx := WithDeadlineHint(bg, func() (time.Time, bool) { return hinted, has })
	dl, ok := Deadline(ctx)
	assert.True(t, ok)
	assert.Equal(t, hinted, dl)
	assert.True(t, Outlives(ctx, c, 2*time.Minute))
	assert.False(t, Outlives(ctx, c, 30*time.Second))

	has = false // a caller without a deadline joined: waits are never pointless
	assert.False(t, Outlives(ctx, c, 2*time.Minute))

	// The context's own deadline wins over the hint.
	own, cancel := context.WithDeadline(ctx, time.Now().Add(time.Hour))
	defer cancel()
	dl, ok = Deadline(own)
	assert.True(t, ok)
	d, _ := own.Deadline()
	assert.Equal(t, d, dl)
}
