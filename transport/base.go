package transport

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"time"
)

// The HTTP/2 settings of the base transport. Over HTTP/2 one connection
// carries every call of a client, so a connection that died without a
// word (a NAT or load balancer forgot it) would stall every call until
// its per-attempt timeout (30 s by default), and the next calls with it.
// A health-check PING after h2ReadIdle without a frame, answered within
// h2PingTimeout, notices it in at most 15 s, before that timeout: the
// connection is closed, its calls fail and later calls dial a new one.
const (
	h2ReadIdle    = 10 * time.Second
	h2PingTimeout = 5 * time.Second
)

// BaseOptions tunes the base transport. The zero value is the default.
type BaseOptions struct {
	// MaxConnsPerHost caps connections to one host; 0 means 2 × the idle
	// pool, which leaves room for HTTP/1.1 bursts. Over HTTP/2 one
	// connection is enough until the server's stream limit is reached.
	MaxConnsPerHost int
	// MaxIdleConnsPerHost sizes the idle pool per host; 0 means 16, the
	// default concurrency of a client family. It matters for HTTP/1.1,
	// where each call in flight holds a connection of its own.
	MaxIdleConnsPerHost int
	// IdleConnTimeout closes idle connections after it; 0 means 90 s.
	IdleConnTimeout time.Duration
	// DisableHTTP2 turns HTTP/2 off (it is on by default): the transport
	// offers only HTTP/1.1.
	DisableHTTP2 bool
	// RootCAs are the certificate authorities the transport trusts for
	// servers' certificates; nil means the system's. Set it to reach a
	// server with a private certificate (a test server, a company
	// gateway) while keeping the rest of this tuning.
	RootCAs *x509.CertPool
}

// NewBase returns the base transport of the chain: a clone of
// [http.DefaultTransport] (proxy from the environment, dial and TLS
// timeouts) with gzip on and an idle pool sized for the client's
// concurrency.
//
// HTTP/2 is negotiated over TLS (ALPN) unless DisableHTTP2 is set; it is
// what Spotify serves. Its settings are chosen for the chain:
//
//   - a dead connection is noticed: after 10 s without a frame from the
//     server the transport sends a PING and closes the connection when no
//     answer comes within 5 s, so the calls on it fail (and are retried
//     when the retry stage allows) before their per-attempt timeout;
//   - the server's stream limit is not waited on: when a connection
//     carries as many calls as the server allows, the next call dials
//     another connection (HTTP2Config.StrictMaxConcurrentRequests stays
//     false). The bulkhead (16 calls by default) stays well under the
//     limits servers announce (100 or more), so one connection carries a
//     client's calls, and MaxConnsPerHost still caps the connections;
//   - flow-control windows and frame sizes keep net/http's defaults,
//     ample for the Web API's answers.
//
// A stream the server refuses (REFUSED_STREAM) or drops with a GOAWAY
// before processing it is sent again by net/http itself on a body it can
// rewind; the retry stage sees these errors only when that resend is used
// up or impossible.
func NewBase(o BaseOptions) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	idle := o.MaxIdleConnsPerHost
	if idle <= 0 {
		idle = 16
	}
	t.MaxIdleConnsPerHost = idle
	if t.MaxIdleConns < idle {
		t.MaxIdleConns = idle
	}
	t.MaxConnsPerHost = o.MaxConnsPerHost
	if t.MaxConnsPerHost <= 0 {
		t.MaxConnsPerHost = 2 * idle
	}
	if o.IdleConnTimeout > 0 {
		t.IdleConnTimeout = o.IdleConnTimeout
	}
	// A fresh TLS configuration: the clone's may carry the ALPN list of
	// http.DefaultTransport (h2 included) whatever the protocols here.
	t.TLSClientConfig = &tls.Config{RootCAs: o.RootCAs}
	t.Protocols = new(http.Protocols)
	t.Protocols.SetHTTP1(true)
	t.Protocols.SetHTTP2(!o.DisableHTTP2)
	t.ForceAttemptHTTP2 = !o.DisableHTTP2
	t.HTTP2 = &http.HTTP2Config{SendPingTimeout: h2ReadIdle, PingTimeout: h2PingTimeout}
	t.DisableCompression = false
	return t
}
