package middleware

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

// downloadTruncatedReader returns its data, then err.
type downloadTruncatedReader struct {
	data string
	err  error
	// before, if set, runs just before err is returned.
	before func()
}

func (r *downloadTruncatedReader) Read(p []byte) (int, error) {
	if r.data != "" {
		n := copy(p, r.data)
		r.data = r.data[n:]
		return n, nil
	}
	if r.before != nil {
		r.before()
	}
	return 0, r.err
}

// downloadStep answers with a 200 whose body is rc and whose announced
// length is size.
func downloadStep(rc io.ReadCloser, size int64) testtransport.Step {
	return func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"X-Kept": {"yes"}},
			Body: rc, ContentLength: size, Request: req}, nil
	}
}

func downloadGet(t *testing.T, ctx context.Context, rt http.RoundTripper, method string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, "https://api.example.test/v1/x", nil)
	require.NoError(t, err)
	return rt.RoundTrip(req)
}

func TestDownloadBuffersBody(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("0123456789", 10_000) // 100 kB, grown from 512 B
	for _, tc := range []struct {
		name string
		body string
		size int64
	}{
		{"known length", `{"id":"1"}`, 10},
		{"unknown length", big, -1},
		{"known large", big, int64(len(big))},
		{"empty", "", 0},
		{"empty unknown", "", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := testtransport.New().Append(downloadStep(io.NopCloser(strings.NewReader(tc.body)), tc.size))
			resp, err := downloadGet(t, context.Background(), Download(DownloadOptions{})(fake), http.MethodGet)
			require.NoError(t, err)
			require.IsType(t, &transport.BufferedBody{}, resp.Body)
			data, ok := transport.BodyBytes(resp.Body)
			require.True(t, ok)
			assert.Equal(t, tc.body, string(data))
			assert.Equal(t, int64(len(tc.body)), resp.ContentLength)
			assert.Equal(t, "yes", resp.Header.Get("X-Kept"))
			read, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.body, string(read))
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, 0, fake.Unclosed(), "original body closed")
			assert.True(t, fake.Bodies()[0].Drained())
		})
	}
}

func TestDownloadTruncatedBody(t *testing.T) {
	t.Parallel()
	rc := io.NopCloser(&downloadTruncatedReader{data: "partial", err: io.ErrUnexpectedEOF})
	fake := testtransport.New().Append(downloadStep(rc, 1000))
	resp, err := downloadGet(t, context.Background(), Download(DownloadOptions{})(fake), http.MethodGet)
	require.Nil(t, resp)
	var bre *BodyReadError
	require.ErrorAs(t, err, &bre)
	assert.Equal(t, http.StatusOK, bre.StatusCode)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, 0, fake.Unclosed(), "original body closed")
}

// downloadCloseCounter wraps the response bodies of a real transport.
type downloadCloseCounter struct {
	next   http.RoundTripper
	bodies []*testtransport.Body
}

func (c *downloadCloseCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if resp != nil {
		b := &testtransport.Body{ReadCloser: resp.Body}
		resp.Body = b
		c.bodies = append(c.bodies, b)
	}
	return resp, err
}

func TestDownloadTruncatedConnection(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
		_, _ = buf.WriteString(strings.Repeat("x", 100))
		_ = buf.Flush()
	}))
	defer srv.Close()
	base := srv.Client().Transport.(*http.Transport)
	defer base.CloseIdleConnections()

	counter := &downloadCloseCounter{next: base}
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	resp, err := Download(DownloadOptions{})(counter).RoundTrip(req)
	require.Nil(t, resp)
	var bre *BodyReadError
	require.ErrorAs(t, err, &bre)
	assert.Equal(t, http.StatusOK, bre.StatusCode)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	require.Len(t, counter.bodies, 1)
	assert.Equal(t, 1, counter.bodies[0].Closes(), "original body closed")
}

func TestDownloadTooLarge(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		size int64
	}{
		{"announced", 11},
		{"unannounced", -1},
		{"understated", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := testtransport.New().Append(downloadStep(io.NopCloser(strings.NewReader("01234567890")), tc.size))
			resp, err := downloadGet(t, context.Background(), Download(DownloadOptions{MaxBytes: 10})(fake), http.MethodGet)
			require.Nil(t, resp)
			var tl *BodyTooLargeError
			require.ErrorAs(t, err, &tl)
			assert.Equal(t, int64(10), tl.Limit)
			assert.Equal(t, 0, fake.Unclosed(), "original body closed")
		})
	}

	t.Run("exactly at the cap", func(t *testing.T) {
		t.Parallel()
		fake := testtransport.New().Append(downloadStep(io.NopCloser(strings.NewReader("0123456789")), -1))
		resp, err := downloadGet(t, context.Background(), Download(DownloadOptions{MaxBytes: 10})(fake), http.MethodGet)
		require.NoError(t, err)
		data, _ := transport.BodyBytes(resp.Body)
		assert.Equal(t, "0123456789", string(data))
	})

	t.Run("no cap", func(t *testing.T) {
		t.Parallel()
		body := strings.Repeat("y", 40<<10)
		fake := testtransport.New().Append(downloadStep(io.NopCloser(strings.NewReader(body)), -1))
		resp, err := downloadGet(t, context.Background(), Download(DownloadOptions{MaxBytes: -1})(fake), http.MethodGet)
		require.NoError(t, err)
		assert.Equal(t, int64(len(body)), resp.ContentLength)
	})
}

func TestDownloadNoBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		method string
		status int
	}{
		{"204", http.MethodPut, http.StatusNoContent},
		{"304", http.MethodGet, http.StatusNotModified},
		{"HEAD", http.MethodHead, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := testtransport.New().AppendResponse(tc.status, "", "Content-Length", "42")
			resp, err := downloadGet(t, context.Background(), Download(DownloadOptions{})(fake), tc.method)
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, http.NoBody, resp.Body)
			assert.Equal(t, "42", resp.Header.Get("Content-Length"))
			assert.Equal(t, 0, fake.Unclosed(), "original body closed")
		})
	}

	t.Run("NoBody", func(t *testing.T) {
		t.Parallel()
		next := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, ContentLength: 0, Request: req}, nil
		})
		resp, err := downloadGet(t, context.Background(), Download(DownloadOptions{})(next), http.MethodGet)
		require.NoError(t, err)
		assert.Equal(t, http.NoBody, resp.Body)
	})
}

// downloadConn stands for the raw connection of a 101 answer.
type downloadConn struct {
	io.Reader
	io.Writer
	closes int
}

func (c *downloadConn) Close() error { c.closes++; return nil }

// A 101 Switching Protocols answer's body is the upgraded connection: it
// passes through as it is, unread and open.
func TestDownload101PassesThrough(t *testing.T) {
	t.Parallel()
	conn := &downloadConn{Reader: strings.NewReader("frames"), Writer: io.Discard}
	next := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusSwitchingProtocols, Body: conn, ContentLength: -1, Request: req}, nil
	})
	resp, err := downloadGet(t, context.Background(), Download(DownloadOptions{})(next), http.MethodGet)
	require.NoError(t, err)
	assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	assert.Same(t, conn, resp.Body, "the connection is handed up as it is")
	assert.Zero(t, conn.closes)
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "frames", string(data), "nothing was read from it")
	assert.Equal(t, int64(-1), resp.ContentLength)
}

func TestDownloadCancelledDuringRead(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rc := io.NopCloser(&downloadTruncatedReader{data: "some", err: errors.New("read: connection reset"), before: cancel})
	fake := testtransport.New().Append(downloadStep(rc, -1))
	resp, err := downloadGet(t, ctx, Download(DownloadOptions{})(fake), http.MethodGet)
	require.Nil(t, resp)
	require.ErrorIs(t, err, context.Canceled)
	var bre *BodyReadError
	assert.False(t, errors.As(err, &bre), "a cancelled call is not a body-read failure")
	assert.Equal(t, 0, fake.Unclosed())
}

func TestDownloadPassesErrorsThrough(t *testing.T) {
	t.Parallel()
	boom := errors.New("dial tcp: connection refused")
	fake := testtransport.New().AppendError(boom)
	resp, err := downloadGet(t, context.Background(), Download(DownloadOptions{})(fake), http.MethodGet)
	require.Nil(t, resp)
	require.ErrorIs(t, err, boom)

	nilnil := transport.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return nil, nil })
	resp, err = downloadGet(t, context.Background(), Download(DownloadOptions{})(nilnil), http.MethodGet)
	require.Nil(t, resp)
	require.Error(t, err)
}

// downloadReusableBody is a body that can be reset without allocating.
type downloadReusableBody struct {
	data []byte
	off  int
}

func (b *downloadReusableBody) Read(p []byte) (int, error) {
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	return n, nil
}

func (b *downloadReusableBody) Close() error { return nil }

func TestDownloadAllocations(t *testing.T) {
	body := &downloadReusableBody{data: []byte(strings.Repeat("z", 16<<10))}
	resp := &http.Response{}
	next := transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		body.off = 0
		*resp = http.Response{StatusCode: http.StatusOK, Body: body, ContentLength: int64(len(body.data)), Request: req}
		return resp, nil
	})
	rt := Download(DownloadOptions{})(next)
	req, err := http.NewRequest(http.MethodGet, "https://api.example.test/v1/x", nil)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(100, func() {
		r, err := rt.RoundTrip(req)
		if err != nil || r.ContentLength != int64(len(body.data)) {
			panic("unexpected download result")
		}
	})
	assert.LessOrEqual(t, allocs, 4.0)
	t.Logf("allocations per buffered response: %v", allocs)
}
