package transport

import (
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewBaseProtocols checks that the base transport speaks HTTP/2 over
// TLS to a server it trusts through RootCAs, HTTP/1.1 when HTTP/2 is off,
// and refuses a server whose certificate it does not trust.
func TestNewBaseProtocols(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(r.Proto))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())

	get := func(t *testing.T, tr *http.Transport) (*http.Response, error) {
		t.Helper()
		defer tr.CloseIdleConnections()
		req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
		require.NoError(t, err)
		resp, err := tr.RoundTrip(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		return resp, err
	}
	resp, err := get(t, NewBase(BaseOptions{RootCAs: pool}))
	require.NoError(t, err)
	assert.Equal(t, 2, resp.ProtoMajor, "HTTP/2 is negotiated with a trusted server")

	resp, err = get(t, NewBase(BaseOptions{RootCAs: pool, DisableHTTP2: true}))
	require.NoError(t, err)
	assert.Equal(t, 1, resp.ProtoMajor, "HTTP/1.1 only when HTTP/2 is off")

	_, err = get(t, NewBase(BaseOptions{}))
	var unknown x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &unknown, "the system roots do not trust the test certificate")
}

// TestNewBaseHTTP2Settings pins the HTTP/2 settings the doc comment of
// NewBase explains: the health check of a silent connection, and no
// waiting on the server's stream limit.
func TestNewBaseHTTP2Settings(t *testing.T) {
	b := NewBase(BaseOptions{})
	require.NotNil(t, b.HTTP2)
	assert.Equal(t, h2ReadIdle, b.HTTP2.SendPingTimeout)
	assert.Equal(t, h2PingTimeout, b.HTTP2.PingTimeout)
	assert.Less(t, h2ReadIdle+h2PingTimeout, 30*time.Second, "a dead connection is noticed before the default per-attempt timeout")
	assert.False(t, b.HTTP2.StrictMaxConcurrentRequests)
	assert.True(t, b.Protocols.HTTP1())
	assert.True(t, b.Protocols.HTTP2())
	assert.Nil(t, b.TLSClientConfig.RootCAs, "no RootCAs: the system's roots")
	d := NewBase(BaseOptions{DisableHTTP2: true})
	assert.False(t, d.Protocols.HTTP2())
}
