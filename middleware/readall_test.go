package middleware

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadAllSizes(t *testing.T) {
	const body = "0123456789abcdef"
	n := int64(len(body))
	for _, size := range []int64{-1, 0, 5, n, n + 7, readMaxPresize + 1} {
		for _, limit := range []int64{-1, n, 1 << 20} {
			got, err := readAll(iotest.OneByteReader(strings.NewReader(body)), size, limit)
			if limit >= 0 && size > limit {
				var tl *BodyTooLargeError
				require.ErrorAs(t, err, &tl, "size %d limit %d", size, limit)
				continue
			}
			require.NoError(t, err, "size %d limit %d", size, limit)
			assert.Equal(t, body, string(got), "size %d limit %d", size, limit)
		}
	}
}

func TestReadAllLimit(t *testing.T) {
	// An unknown length over the cap fails once the cap is passed.
	_, err := readAll(strings.NewReader(strings.Repeat("x", 2000)), -1, 1000)
	var tl *BodyTooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Equal(t, int64(1000), tl.Limit)
	// Exactly the cap is fine.
	got, err := readAll(strings.NewReader(strings.Repeat("x", 1000)), -1, 1000)
	require.NoError(t, err)
	assert.Len(t, got, 1000)
}

func TestReadAllError(t *testing.T) {
	boom := errors.New("boom")
	got, err := readAll(io.MultiReader(strings.NewReader("ab"), iotest.ErrReader(boom)), 2, -1)
	assert.ErrorIs(t, err, boom)
	assert.Nil(t, got)
}
