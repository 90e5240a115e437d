package netx

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// closedAddr returns a loopback address nobody listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// quietServer returns an unstarted server whose handler counts requests and
// whose error log is discarded (handshake failures would be logged).
func quietServer(hits *atomic.Int32) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.WriteString(w, "ok")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	return srv
}

func roundTrip(t *testing.T, tr *http.Transport, rawURL string) error {
	t.Helper()
	defer tr.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	require.Error(t, err, "the round trip should have failed")
	return err
}

func TestNotSentDialRefused(t *testing.T) {
	addr := closedAddr(t)

	_, err := net.Dial("tcp", addr)
	require.Error(t, err)
	assert.True(t, NotSent(err), "%v", err)

	err = roundTrip(t, &http.Transport{}, "http://"+addr+"/x")
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "dial", op.Op)
	assert.True(t, NotSent(err), "%v", err)

	// What http.Client returns: the same, wrapped in *url.Error.
	_, err = (&http.Client{Transport: &http.Transport{}}).Post("http://"+addr+"/x", "text/plain", nil)
	require.Error(t, err)
	assert.True(t, NotSent(err), "%v", err)

	// Built the way net/http's dialer builds it.
	built := &net.OpError{Op: "dial", Net: "tcp", Err: &net.AddrError{Err: "x"}}
	assert.True(t, NotSent(built))
	assert.True(t, NotSent(&url.Error{Op: "Post", URL: "http://x", Err: built}))
	assert.True(t, NotSent(fmt.Errorf("attempt 1: %w", built)))
	assert.True(t, NotSent(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}))
}

func TestNotSentDNS(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err := (&net.Dialer{}).DialContext(ctx, "tcp", "no-such-host.invalid:443")
	if err != nil {
		// Without a network the resolver may fail in other ways; whatever
		// it says, the dial did not connect.
		assert.True(t, NotSent(err), "%v", err)
	}
	dns := &net.DNSError{Err: "no such host", Name: "no-such-host.invalid", IsNotFound: true}
	assert.True(t, NotSent(dns))
	assert.True(t, NotSent(&net.OpError{Op: "dial", Net: "tcp", Err: dns}))
	assert.True(t, NotSent(&url.Error{Op: "Get", URL: "https://no-such-host.invalid", Err: dns}))
	assert.False(t, Permanent(dns))
}

func TestNotSentUntrustedTLS(t *testing.T) {
	var hits atomic.Int32
	srv := quietServer(&hits)
	srv.StartTLS()
	defer srv.Close()

	// A transport that does not trust the test server's certificate.
	err := roundTrip(t, &http.Transport{}, srv.URL+"/x")
	var cv *tls.CertificateVerificationError
	require.ErrorAs(t, err, &cv)
	assert.True(t, NotSent(err), "%v", err)
	assert.True(t, Permanent(err), "%v", err)

	_, err = (&http.Client{Transport: &http.Transport{}}).Post(srv.URL+"/x", "text/plain", nil)
	require.Error(t, err)
	assert.True(t, NotSent(err), "%v", err)
	assert.Zero(t, hits.Load(), "the handler must not have run")

	for _, e := range []error{
		x509.UnknownAuthorityError{},
		x509.HostnameError{Host: "example.com"},
		x509.CertificateInvalidError{Reason: x509.Expired},
	} {
		assert.True(t, NotSent(e), "%T", e)
		assert.True(t, Permanent(e), "%T", e)
	}
}

func TestNotSentServerNotTLS(t *testing.T) {
	var hits atomic.Int32
	srv := quietServer(&hits)
	srv.Start()
	defer srv.Close()

	err := roundTrip(t, &http.Transport{}, "https://"+srv.Listener.Addr().String()+"/x")
	var rh tls.RecordHeaderError
	require.ErrorAs(t, err, &rh)
	assert.True(t, NotSent(err), "%v", err)
	assert.True(t, Permanent(err), "%v", err)
	assert.True(t, NotSent(http.ErrSchemeMismatch))
	assert.Zero(t, hits.Load())

	// A record-header error after the handshake (no Conn) proves nothing.
	late := tls.RecordHeaderError{Msg: "oversized record received with length 99999"}
	assert.False(t, NotSent(late))
	assert.False(t, Permanent(late))
}

func TestNotSentHandshakeRefused(t *testing.T) {
	var hits atomic.Int32
	srv := quietServer(&hits)
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS13}
	srv.StartTLS()
	defer srv.Close()

	tr := &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs:    srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs,
		MaxVersion: tls.VersionTLS12,
	}}
	err := roundTrip(t, tr, srv.URL+"/x")
	require.ErrorContains(t, err, "remote error: tls: protocol version not supported")
	assert.True(t, NotSent(err), "%v", err)
	assert.False(t, Permanent(err), "%v", err)
	assert.Zero(t, hits.Load())
}

func TestNotSentHandshakeTimeout(t *testing.T) {
	// A TCP server that accepts and never answers the ClientHello.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { <-done; _ = c.Close() }()
		}
	}()

	err = roundTrip(t, &http.Transport{TLSHandshakeTimeout: 20 * time.Millisecond}, "https://"+ln.Addr().String()+"/x")
	require.EqualError(t, err, handshakeTimeout)
	assert.True(t, NotSent(err))
	assert.True(t, NotSent(&url.Error{Op: "Post", URL: "https://x", Err: err}))
	assert.False(t, Permanent(err))
}

func TestNotSentProxy(t *testing.T) {
	proxy, err := url.Parse("http://" + closedAddr(t))
	require.NoError(t, err)
	err = roundTrip(t, &http.Transport{Proxy: http.ProxyURL(proxy)}, "https://api.spotify.invalid/v1/me")
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "proxyconnect", op.Op)
	assert.True(t, NotSent(err), "%v", err)

	assert.True(t, NotSent(&net.OpError{Op: "socks connect", Net: "tcp", Err: errors.New("connection not allowed by ruleset")}))
}

func TestMaybeSent(t *testing.T) {
	// A server that reads the request and hangs up without answering: the
	// request was sent, and maybe applied.
	var got atomic.Int32
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if _, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
				got.Add(1)
			}
			_ = c.Close()
		}
	}()
	err = roundTrip(t, &http.Transport{}, "http://"+ln.Addr().String()+"/x")
	assert.Equal(t, int32(1), got.Load())
	assert.False(t, NotSent(err), "%v", err)
	assert.False(t, Permanent(err), "%v", err)

	for _, e := range []error{
		nil,
		io.EOF,
		io.ErrUnexpectedEOF,
		context.Canceled,
		context.DeadlineExceeded,
		errors.New("net/http: HTTP/1.x transport connection broken: EOF"),
		errors.New("Forbidden"), // a proxy's refusal of CONNECT, as net/http reports it
		&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET},
		&net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE},
		&net.OpError{Op: "remote error", Err: errors.New("tls: bad record MAC")},
		&net.OpError{Op: "local error", Err: errors.New("tls: handshake failure")},
		&url.Error{Op: "Get", URL: "http://x", Err: io.EOF},
	} {
		assert.False(t, NotSent(e), "%v", e)
		assert.False(t, Permanent(e), "%v", e)
	}
}

func TestWalkJoined(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	assert.True(t, NotSent(errors.Join(io.EOF, dial)))
	assert.True(t, NotSent(errors.Join(io.EOF, fmt.Errorf("x: %w", errors.New(handshakeTimeout)))))
	assert.False(t, NotSent(errors.Join(io.EOF, errors.New("y"))))
}

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.8.9.1": true, "::1": true,
		"api.spotify.com": false, "10.0.0.1": false, "": false, "[::1]": false, "localhost.evil.com": false,
	} {
		if got := IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}
