package spotify

import (
	"errors"
	"fmt"
	"testing"

	"github.com/spotifysdk/spotify-go/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func coreItems(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("i%d", i)
	}
	return out
}

func TestCoreChunks(t *testing.T) {
	assert.Nil(t, chunks(nil, 3))
	assert.Nil(t, chunks([]string{}, 3))
	assert.Equal(t, [][]string{{"i0", "i1"}}, chunks(coreItems(2), 3))
	assert.Equal(t, [][]string{{"i0", "i1", "i2"}}, chunks(coreItems(3), 3))
	assert.Equal(t, [][]string{{"i0", "i1"}, {"i2", "i3"}, {"i4"}}, chunks(coreItems(5), 2))
	assert.Equal(t, [][]string{{"i0"}, {"i1"}}, chunks(coreItems(2), 1))

	cs := chunks(coreItems(100), 40)
	require.Len(t, cs, 3)
	assert.Len(t, cs[0], 40)
	assert.Len(t, cs[1], 40)
	assert.Len(t, cs[2], 20)

	// Appending to a chunk does not overwrite the next one.
	items := coreItems(4)
	cs = chunks(items, 2)
	_ = append(cs[0], "x")
	assert.Equal(t, []string{"i2", "i3"}, cs[1])
	assert.Equal(t, coreItems(4), items)
}

func TestCoreRunChunksSendsEveryChunkInOrder(t *testing.T) {
	var got [][]string
	var idx []int
	err := runChunks(coreItems(5), 2, func(i int, ch []string, _ *transport.Throttle) error {
		idx = append(idx, i)
		got = append(got, ch)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1, 2}, idx)
	assert.Equal(t, [][]string{{"i0", "i1"}, {"i2", "i3"}, {"i4"}}, got)

	calls := 0
	require.NoError(t, runChunks(nil, 2, func(int, []string, *transport.Throttle) error { calls++; return nil }))
	assert.Zero(t, calls, "no items, no request")
}

func TestCoreRunChunksStopsAtTheFirstFailure(t *testing.T) {
	cause := &Error{StatusCode: 429, Method: "PUT", Route: "/me/library", Message: "slow down"}
	calls := 0
	err := runChunks(coreItems(7), 2, func(i int, ch []string, _ *transport.Throttle) error {
		calls++
		if i == 1 {
			return cause
		}
		return nil
	})
	require.Error(t, err)
	assert.Equal(t, 2, calls, "nothing is sent after the failure")
	var ce *ChunkError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, []string{"i0", "i1"}, ce.Applied)
	assert.Equal(t, []string{"i2", "i3"}, ce.Failed)
	assert.Equal(t, []string{"i4", "i5", "i6"}, ce.NotSent)
	assert.Same(t, cause, ce.Err)
	assert.Same(t, cause, errors.Unwrap(ce))
	assert.ErrorIs(t, err, ErrRateLimited, "the sentinels see through the chunking")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "/me/library", e.Route)
	assert.Equal(t, "spotify: chunked write failed after 2 applied items: 2 failed (i2, i3), 3 not sent: PUT /me/library: 429 Too Many Requests: slow down", err.Error())
}

func TestCoreRunChunksFirstAndLastFailure(t *testing.T) {
	boom := errors.New("boom")
	err := runChunks(coreItems(5), 2, func(i int, ch []string, _ *transport.Throttle) error { return boom })
	var ce *ChunkError
	require.ErrorAs(t, err, &ce)
	assert.Empty(t, ce.Applied)
	assert.Equal(t, []string{"i0", "i1"}, ce.Failed)
	assert.Equal(t, []string{"i2", "i3", "i4"}, ce.NotSent)
	assert.ErrorIs(t, err, boom)

	err = runChunks(coreItems(5), 2, func(i int, ch []string, _ *transport.Throttle) error {
		if i == 2 {
			return boom
		}
		return nil
	})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, coreItems(4), ce.Applied)
	assert.Equal(t, []string{"i4"}, ce.Failed)
	assert.Empty(t, ce.NotSent)

	err = runChunks(coreItems(10), 5, func(i int, ch []string, _ *transport.Throttle) error { return boom })
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, ce.Error(), "5 failed (i0, i1, i2, ...)", "a long list is cut short in the message")
}
