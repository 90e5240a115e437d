package netx

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// HTTP/2 frame types and error codes the raw server below sends (RFC 9113).
const (
	h2Settings      = 0x4
	h2Headers       = 0x1
	h2RSTStream     = 0x3
	h2GoAway        = 0x7
	h2CodeNo        = 0x0
	h2CodeInternal  = 0x2
	h2CodeCalm      = 0xb
	h2FlagAck       = 0x1
	h2FlagEndHeader = 0x4
)

// h2Frame writes one frame.
func h2Frame(w io.Writer, typ, flags byte, stream uint32, payload []byte) {
	hdr := []byte{byte(len(payload) >> 16), byte(len(payload) >> 8), byte(len(payload)), typ, flags, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(hdr[5:], stream)
	_, _ = w.Write(append(hdr, payload...))
}

// rawH2 starts a TLS server that speaks just enough HTTP/2 to answer the
// first request of a connection with answer (which writes frames), and
// returns a single client connection to it: its RoundTrip sends once,
// without net/http's own resends, so the errors net/http's HTTP/2 client
// makes come back as they are.
func rawH2(t *testing.T, answer func(w io.Writer, stream uint32)) *http.ClientConn {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.EnableHTTP2 = true
	srv.Config.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){
		"h2": func(_ *http.Server, c *tls.Conn, _ http.Handler) {
			defer c.Close()
			br := bufio.NewReader(c)
			if _, err := io.ReadFull(br, make([]byte, len("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))); err != nil {
				return
			}
			h2Frame(c, h2Settings, 0, 0, nil)
			for {
				var hdr [9]byte
				if _, err := io.ReadFull(br, hdr[:]); err != nil {
					return
				}
				n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
				if _, err := io.ReadFull(br, make([]byte, n)); err != nil {
					return
				}
				stream := binary.BigEndian.Uint32(hdr[5:]) & 0x7fffffff
				switch {
				case hdr[3] == h2Settings && hdr[4]&h2FlagAck == 0:
					h2Frame(c, h2Settings, h2FlagAck, 0, nil)
				case hdr[3] == h2Headers && hdr[4]&h2FlagEndHeader != 0:
					answer(c, stream)
				}
			}
		},
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	cc, err := tr.NewClientConn(context.Background(), "https", strings.TrimPrefix(srv.URL, "https://"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	return cc
}

// h2Error sends a POST through cc and returns the error it failed with.
func h2Error(t *testing.T, cc *http.ClientConn) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://127.0.0.1/v1/x", strings.NewReader("{}"))
	require.NoError(t, err)
	resp, err := cc.RoundTrip(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	require.Error(t, err, "the round trip should have failed")
	require.NoError(t, ctx.Err(), "the server did not answer")
	return err
}

// rst answers with RST_STREAM code.
func rst(code uint32) func(io.Writer, uint32) {
	return func(w io.Writer, stream uint32) {
		h2Frame(w, h2RSTStream, 0, stream, binary.BigEndian.AppendUint32(nil, code))
	}
}

// goAway answers with GOAWAY naming last as the last stream processed
// (stream-1 when lastBelow), with code; closeAfter closes the connection
// after it.
func goAway(code uint32, lastBelow bool) func(io.Writer, uint32) {
	return func(w io.Writer, stream uint32) {
		last := stream
		if lastBelow {
			last = stream - 1
		}
		h2Frame(w, h2GoAway, 0, 0, binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, last), code))
		if !lastBelow {
			_ = w.(io.Closer).Close() // the stream may have been processed: the client learns nothing more
		}
	}
}

// TestNotSentHTTP2 checks the HTTP/2 errors of net/http's client, made by
// a real exchange: a refused stream and a stream dropped by a GOAWAY
// below it prove the request was not processed; another reset, or a
// GOAWAY that covers the stream, do not.
func TestNotSentHTTP2(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answer  func(io.Writer, uint32)
		notSent bool
	}{
		{"refused stream", rst(h2RefusedStream), true},
		{"graceful GOAWAY below the stream", goAway(h2CodeNo, true), true},
		{"GOAWAY with a code below the first stream", goAway(h2CodeCalm, true), true},
		{"stream reset INTERNAL_ERROR", rst(h2CodeInternal), false},
		{"GOAWAY covering the stream, then close", goAway(h2CodeInternal, false), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := h2Error(t, rawH2(t, tc.answer))
			t.Logf("error: %v", err)
			assert.Equal(t, tc.notSent, NotSent(err), "NotSent(%v)", err)
			assert.Equal(t, tc.notSent, Unprocessed(err), "Unprocessed(%v): the server's own refusal", err)
			assert.False(t, Permanent(err), "Permanent(%v)", err)
			wrapped := &wrapErr{err}
			assert.Equal(t, tc.notSent, NotSent(wrapped), "through a wrapper")
		})
	}
}

// wrapErr wraps an error as the chain's stages may.
type wrapErr struct{ err error }

func (w *wrapErr) Error() string { return "attempt: " + w.err.Error() }
func (w *wrapErr) Unwrap() error { return w.err }

// Unprocessed is the part of NotSent a live server answers on purpose: a
// dial, DNS or TLS failure is not sent but not the server's refusal.
func TestUnprocessedIsNotEveryNotSent(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	assert.True(t, NotSent(dial))
	assert.False(t, Unprocessed(dial))
	assert.False(t, Unprocessed(&net.DNSError{Err: "no such host", Name: "x"}))
	assert.False(t, Unprocessed(nil))
	assert.True(t, Unprocessed(fmt.Errorf("wrapped: %w", errors.New(h2GracefulGoAway))))
}
