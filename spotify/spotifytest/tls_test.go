package spotifytest

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tlsTransport returns a transport that trusts srv's certificate and
// speaks HTTP/2 when srv offers it.
func tlsTransport(t testing.TB, srv *Server) *http.Transport {
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.RootCAs()}, ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// oneConn opens a single HTTP/2 connection to srv: its RoundTrip sends a
// request once, without the Transport's own resends.
func oneConn(t testing.TB, srv *Server) *http.ClientConn {
	t.Helper()
	cc, err := tlsTransport(t, srv).NewClientConn(context.Background(), "https", strings.TrimPrefix(srv.URL, "https://"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = cc.Close() })
	return cc
}

// roundTrip sends GET path with a fresh app token through rt.
func roundTrip(t testing.TB, rt http.RoundTripper, srv *Server, path string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, err := rt.RoundTrip(req)
	if err == nil {
		t.Cleanup(func() { _ = resp.Body.Close() })
	}
	return resp, err
}

// h2StreamError has the fields of net/http's HTTP/2 stream error, which
// converts itself into such a struct for errors.As.
type h2StreamError struct {
	StreamID uint32
	Code     uint32
	Cause    error
}

func (e h2StreamError) Error() string { return "stream error" }

// streamCode returns the HTTP/2 error code of a stream reset in err.
func streamCode(t testing.TB, err error) uint32 {
	t.Helper()
	var se h2StreamError
	require.ErrorAs(t, err, &se, "want an HTTP/2 stream error")
	return se.Code
}

// HTTP/2 error codes (RFC 9113 §7).
const (
	codeInternal = 0x2
	codeRefused  = 0x7
)

func TestProtocols(t *testing.T) {
	for _, p := range []Protocol{HTTP1, HTTP1TLS, HTTP2} {
		t.Run(p.String(), func(t *testing.T) {
			srv := start(t, WithProtocol(p))
			assert.Equal(t, p, srv.Protocol())
			var rt http.RoundTripper = http.DefaultTransport
			if p != HTTP1 {
				require.True(t, strings.HasPrefix(srv.URL, "https://"), srv.URL)
				rt = tlsTransport(t, srv)
			} else {
				assert.Nil(t, srv.RootCAs())
			}
			album := id(t, srv, KindAlbum, 3)
			resp, err := roundTrip(t, rt, srv, "/v1/albums/"+album)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, 200, resp.StatusCode, "%s", body)
			assert.Equal(t, map[Protocol]int{HTTP1: 1, HTTP1TLS: 1, HTTP2: 2}[p], resp.ProtoMajor)
			var a struct{ Href string }
			require.NoError(t, json.Unmarshal(body, &a))
			assert.Equal(t, srv.URL+"/v1/albums/"+album, a.Href, "hrefs carry the scheme the client used")
			assert.Empty(t, resp.Header.Get(streamHeader))
		})
	}
	assert.Equal(t, "Protocol(9)", Protocol(9).String())
	assert.Panics(t, func() { WithProtocol(0)(&config{}) })
}

// TestFaultsHTTP2 checks what each connection fault is over HTTP/2, on a
// single connection (no resend by net/http).
func TestFaultsHTTP2(t *testing.T) {
	srv := start(t, WithTLS())
	path := "/v1/albums/" + id(t, srv, KindAlbum, 0)

	t.Run("reset before and after: stream resets", func(t *testing.T) {
		cc := oneConn(t, srv)
		srv.InjectFaults(FaultPlan{Route: albumRoute, Kind: FaultResetBefore, Count: 1})
		_, err := roundTrip(t, cc, srv, path)
		assert.Equal(t, uint32(codeInternal), streamCode(t, err))
		assert.Equal(t, Served{Method: "GET", Route: albumRoute, Fault: FaultResetBefore}, withoutTime(lastServed(t, srv)))

		srv.InjectFaults(FaultPlan{Route: albumRoute, Kind: FaultResetAfter, Count: 1})
		_, err = roundTrip(t, cc, srv, path)
		assert.Equal(t, uint32(codeInternal), streamCode(t, err))
		assert.Equal(t, 200, lastServed(t, srv).Status, "the handler ran")

		resp, err := roundTrip(t, cc, srv, path)
		require.NoError(t, err, "a stream reset leaves the connection up")
		assert.Equal(t, 200, resp.StatusCode)
	})

	t.Run("whole connection", func(t *testing.T) {
		cc := oneConn(t, srv)
		srv.InjectFaults(FaultPlan{Route: albumRoute, Kind: FaultResetAfter, Count: 1, WholeConnection: true})
		_, err := roundTrip(t, cc, srv, path)
		require.Error(t, err)
		var se h2StreamError
		assert.False(t, errors.As(err, &se), "not a stream reset: %v", err)
		_, err = roundTrip(t, cc, srv, path)
		assert.Error(t, err, "the connection is gone")
	})

	t.Run("truncate", func(t *testing.T) {
		cc := oneConn(t, srv)
		srv.InjectFaults(FaultPlan{Route: albumRoute, Kind: FaultTruncate, Count: 1})
		resp, err := roundTrip(t, cc, srv, path)
		require.NoError(t, err)
		require.Equal(t, 200, resp.StatusCode)
		got, err := io.ReadAll(resp.Body)
		assert.Equal(t, uint32(codeInternal), streamCode(t, err))
		assert.Equal(t, resp.ContentLength/2, int64(len(got)), "half the body")
	})

	t.Run("refused stream", func(t *testing.T) {
		cc := oneConn(t, srv)
		srv.InjectFaults(FaultPlan{Route: albumRoute, Kind: FaultRefusedStream, Count: 1})
		_, err := roundTrip(t, cc, srv, path)
		assert.Equal(t, uint32(codeRefused), streamCode(t, err))
		assert.Equal(t, Served{Method: "GET", Route: albumRoute, Fault: FaultRefusedStream}, withoutTime(lastServed(t, srv)))
		resp, err := roundTrip(t, cc, srv, path)
		require.NoError(t, err, "a refusal leaves the connection up")
		assert.Equal(t, 200, resp.StatusCode)

		// net/http's Transport sends a refused request again by itself.
		srv.InjectFaults(FaultPlan{Route: albumRoute, Kind: FaultRefusedStream, Count: 1})
		before := srv.Requests(albumRoute)
		resp, err = roundTrip(t, tlsTransport(t, srv), srv, path)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, before+2, srv.Requests(albumRoute), "refused, then served")
	})

	t.Run("goaway", func(t *testing.T) {
		tr := tlsTransport(t, srv)
		srv.InjectFaults(FaultPlan{Route: albumRoute, Kind: FaultGoAway, Count: 1})
		var conns []bool // reused, per request
		trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { conns = append(conns, i.Reused) }}
		for range 3 {
			req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, srv.URL+path, nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+srv.Token())
			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			assert.Equal(t, 200, resp.StatusCode)
		}
		assert.Equal(t, []bool{false, false, true}, conns, "the GOAWAY sent the next request to a new connection")
		assert.Equal(t, 1, srv.Faults(albumRoute)[FaultGoAway])
	})
}

// TestFaultRefusedStreamHTTP1 checks that over HTTP/1.1 a refusal is a
// reset before the handler.
func TestFaultRefusedStreamHTTP1(t *testing.T) {
	srv := start(t, WithFaults(FaultPlan{Route: albumRoute, Kind: FaultRefusedStream, Count: 1}))
	_, err := send(t, freshClient(t), srv, srv.Token(), "/v1/albums/"+id(t, srv, KindAlbum, 0))
	require.Error(t, err)
	assert.Equal(t, 0, lastServed(t, srv).Status)
}

// withoutTime returns s without its arrival time, for comparisons.
func withoutTime(s Served) Served {
	s.At = time.Time{}
	return s
}

// TestCloseDuringHandshake: a connection that never finishes its TLS
// handshake does not hold Close.
func TestCloseDuringHandshake(t *testing.T) {
	srv := NewServer(WithTLS())
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "https://"))
	require.NoError(t, err)
	defer conn.Close()
	time.Sleep(20 * time.Millisecond) // accepted, waiting for a ClientHello
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waits for a handshake that never comes")
	}
}
