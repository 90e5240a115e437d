package spotifytest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"sync"
	"time"
)

// Protocol is what a server speaks: plain HTTP/1.1 (the default), or
// HTTPS with or without HTTP/2. Spotify serves HTTPS with HTTP/2.
type Protocol uint8

const (
	// HTTP1 is plain HTTP/1.1 on "http://127.0.0.1:port" (the default).
	HTTP1 Protocol = iota + 1
	// HTTP1TLS is HTTP/1.1 over TLS: the server offers only "http/1.1"
	// in the TLS handshake (ALPN).
	HTTP1TLS
	// HTTP2 is HTTPS with HTTP/2: the server offers "h2" and "http/1.1",
	// and a client that can speaks HTTP/2.
	HTTP2
)

var protocolNames = [...]string{"", "HTTP/1.1", "HTTP/1.1+TLS", "HTTP/2"}

// String returns "HTTP/1.1", "HTTP/1.1+TLS" or "HTTP/2".
func (p Protocol) String() string {
	if int(p) < len(protocolNames) && p != 0 {
		return protocolNames[p]
	}
	return fmt.Sprintf("Protocol(%d)", int(p))
}

// tls reports whether p runs over TLS.
func (p Protocol) tls() bool { return p == HTTP1TLS || p == HTTP2 }

// WithProtocol sets what the server speaks (default [HTTP1]). Over TLS
// the server's URL is "https://127.0.0.1:port", its certificate is made
// in the process and signed by itself ([Server.RootCAs]), and
// [Server.Client] and [Server.ClientOptions] make the SDK trust it
// (spotify.WithRootCAs), keeping the SDK's own base transport.
func WithProtocol(p Protocol) Option {
	return func(c *config) {
		if p < HTTP1 || p > HTTP2 {
			panic(fmt.Sprintf("spotifytest: WithProtocol(%d): unknown protocol", int(p)))
		}
		c.protocol = p
	}
}

// WithTLS makes the server speak HTTPS with HTTP/2, as Spotify does: it is
// WithProtocol(HTTP2).
func WithTLS() Option { return WithProtocol(HTTP2) }

// Protocol returns what the server speaks.
func (s *Server) Protocol() Protocol { return s.cfg.protocol }

// RootCAs returns a pool holding the certificate of a server over TLS,
// for a client that should trust it, or nil for a plain HTTP server. The
// certificate (ECDSA P-256, for 127.0.0.1, ::1 and localhost) is made once
// per process and shared by every server.
func (s *Server) RootCAs() *x509.CertPool {
	if !s.cfg.protocol.tls() {
		return nil
	}
	pool := x509.NewCertPool()
	pool.AddCert(testCert().leaf)
	return pool
}

// certificate is the process's test certificate.
type certificate struct {
	tls  tls.Certificate
	leaf *x509.Certificate
}

// testCert returns the process's certificate, made on the first call.
var testCert = sync.OnceValue(func() certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("spotifytest: generating the TLS key: " + err.Error())
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{Organization: []string{"spotifytest"}, CommonName: "spotifytest emulator"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic("spotifytest: making the TLS certificate: " + err.Error())
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		panic("spotifytest: parsing the TLS certificate: " + err.Error())
	}
	return certificate{tls: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, leaf: leaf}
})

// tlsListener accepts TCP connections, makes the TLS handshakes itself and
// hands net/http a connection per handshake: the *tls.Conn for HTTP/1.1,
// and for HTTP/2 an h2conn (h2conn.go) around it, which lets the emulator
// refuse streams and reset connections; net/http serves it as HTTP/2
// without TLS (prior knowledge).
type tlsListener struct {
	net.Listener
	cfg     *tls.Config
	conns   chan net.Conn
	done    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup // accepting and handshakes
	mu      sync.Mutex
	pending map[net.Conn]struct{} // connections in their handshake
}

// newTLSListener listens on a loopback port and starts accepting.
func newTLSListener(p Protocol) *tlsListener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("spotifytest: listen: " + err.Error())
	}
	protos := []string{"h2", "http/1.1"}
	if p == HTTP1TLS {
		protos = []string{"http/1.1"}
	}
	tl := &tlsListener{
		Listener: l,
		cfg:      &tls.Config{Certificates: []tls.Certificate{testCert().tls}, NextProtos: protos, MinVersion: tls.VersionTLS12},
		conns:    make(chan net.Conn),
		done:     make(chan struct{}),
		pending:  map[net.Conn]struct{}{},
	}
	tl.wg.Add(1)
	go tl.acceptLoop()
	return tl
}

func (l *tlsListener) acceptLoop() {
	defer l.wg.Done()
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return // closed
		}
		l.mu.Lock()
		l.pending[c] = struct{}{}
		l.mu.Unlock()
		l.wg.Add(1)
		go l.handshake(c)
	}
}

// handshake makes the TLS handshake of c and hands the connection over.
func (l *tlsListener) handshake(c net.Conn) {
	defer l.wg.Done()
	tc := tls.Server(c, l.cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	err := tc.HandshakeContext(ctx)
	cancel()
	l.mu.Lock()
	delete(l.pending, c)
	l.mu.Unlock()
	if err != nil {
		_ = c.Close()
		return
	}
	var conn net.Conn = tc
	if tc.ConnectionState().NegotiatedProtocol == "h2" {
		conn = newH2Conn(tc)
	}
	select {
	case l.conns <- conn:
	case <-l.done:
		_ = conn.Close()
	}
}

// Accept returns the next connection, after its handshake.
func (l *tlsListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops accepting; connections already handed over stay open.
func (l *tlsListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// shutdown closes every connection still in its handshake and waits for
// the handshakes to end. net/http has closed its connections by then.
func (l *tlsListener) shutdown() {
	_ = l.Close()
	l.mu.Lock()
	for c := range l.pending {
		_ = c.Close()
	}
	l.mu.Unlock()
	l.wg.Wait()
}
