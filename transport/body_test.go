package transport

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type countingCloser struct {
	io.Reader
	closes int
}

func (c *countingCloser) Close() error { c.closes++; return nil }

func TestDrainAndClose(t *testing.T) {
	body := &countingCloser{Reader: strings.NewReader("some body")}
	DrainAndClose(&http.Response{Body: body})
	assert.Equal(t, 1, body.closes)
	n, _ := body.Read(make([]byte, 4))
	assert.Zero(t, n, "the body was drained")
	DrainAndClose(nil)
	DrainAndClose(&http.Response{})
}

func TestRewind(t *testing.T) {
	req, err := http.NewRequest(http.MethodPost, "https://api.spotify.com/v1/x", strings.NewReader("payload"))
	require.NoError(t, err)
	callerBody := &countingCloser{Reader: strings.NewReader("payload")}
	req.Body = callerBody // GetBody stays the one NewRequest set
	assert.True(t, Replayable(req))
	r, err := Rewind(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(r.Body)
	assert.Equal(t, "payload", string(b))
	assert.NotSame(t, req, r)
	assert.Same(t, callerBody, req.Body, "the caller's body was replaced")
	assert.Zero(t, callerBody.closes, "the caller's body was closed")
	left, _ := io.ReadAll(callerBody)
	assert.Equal(t, "payload", string(left), "the caller's body was read")

	req.GetBody = nil
	assert.False(t, Replayable(req))
	_, err = Rewind(req)
	assert.ErrorIs(t, err, ErrNotRewindable)

	get, _ := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/x", nil)
	assert.True(t, Replayable(get))
	r, err = Rewind(get)
	require.NoError(t, err)
	assert.Nil(t, r.Body)

	failing, _ := http.NewRequest(http.MethodPost, "https://x", strings.NewReader("p"))
	failing.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("boom") }
	_, err = Rewind(failing)
	assert.ErrorContains(t, err, "boom")
}

func TestOnCloseRunsOnceOnEOFOrClose(t *testing.T) {
	calls := 0
	b := OnClose(io.NopCloser(strings.NewReader("abc")), func() { calls++ })
	_, err := io.ReadAll(b)
	require.NoError(t, err)
	assert.Equal(t, 1, calls)
	require.NoError(t, b.Close())
	assert.Equal(t, 1, calls)

	for _, empty := range []io.ReadCloser{nil, http.NoBody} {
		calls = 0
		b = OnClose(empty, func() { calls++ })
		assert.Equal(t, 1, calls, "an empty body is at its end at once")
		assert.Equal(t, http.NoBody, b, "and stays http.NoBody for the stages above")
		require.NoError(t, b.Close())
		require.NoError(t, b.Close())
		assert.Equal(t, 1, calls)
	}
}

// TestOnDownloaded: a body read in full below (a BufferedBody) runs fn at
// once and comes back as it is, unread; a body still to download (or a
// BufferedBody wrapped by a hook of its own) gets OnClose's hook, empty
// ones included.
func TestOnDownloaded(t *testing.T) {
	calls := 0
	bb := NewBufferedBody([]byte("abc"))
	got := OnDownloaded(bb, func() { calls++ })
	assert.Equal(t, 1, calls)
	assert.Same(t, bb, got)
	data, err := io.ReadAll(got)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(data))
	require.NoError(t, got.Close())
	assert.Equal(t, 1, calls)

	for _, body := range []io.ReadCloser{
		io.NopCloser(strings.NewReader("abc")),
		OnClose(NewBufferedBody([]byte("abc")), func() {}),
	} {
		calls = 0
		got = OnDownloaded(body, func() { calls++ })
		assert.Zero(t, calls, "a body still to read keeps fn for its end")
		_, err = io.ReadAll(got)
		require.NoError(t, err)
		require.NoError(t, got.Close())
		assert.Equal(t, 1, calls)
	}

	calls = 0
	assert.Equal(t, http.NoBody, OnDownloaded(http.NoBody, func() { calls++ }))
	assert.Equal(t, 1, calls)
}

func TestBufferedBody(t *testing.T) {
	bb := NewBufferedBody([]byte("hello"))
	wrapped := OnClose(bb, func() {})
	data, ok := BodyBytes(wrapped)
	require.True(t, ok)
	assert.Equal(t, "hello", string(data))
	got, _ := io.ReadAll(wrapped)
	assert.Equal(t, "hello", string(got))
	assert.Equal(t, "hello", string(bb.Bytes()), "bytes stay readable after the body was read")
	_, ok = BodyBytes(http.NoBody)
	assert.False(t, ok)
}

func TestNewBase(t *testing.T) {
	b := NewBase(BaseOptions{MaxIdleConnsPerHost: 8})
	assert.Equal(t, 8, b.MaxIdleConnsPerHost)
	assert.Equal(t, 16, b.MaxConnsPerHost)
	assert.True(t, b.ForceAttemptHTTP2)
	assert.NotNil(t, b.Proxy)
	assert.NotSame(t, http.DefaultTransport, b)
	d := NewBase(BaseOptions{DisableHTTP2: true, IdleConnTimeout: time.Second, MaxConnsPerHost: 3})
	assert.False(t, d.ForceAttemptHTTP2)
	assert.Equal(t, 16, d.MaxIdleConnsPerHost)
	assert.Equal(t, time.Second, d.IdleConnTimeout)
	assert.Equal(t, 3, d.MaxConnsPerHost)
}
