// Package netx classifies the errors an HTTP round trip fails with, for the
// retry stage: which ones prove that the request never left this machine
// or that the server did not process it (so even a non-idempotent request
// may be sent again), and which ones will
// fail the same way on every attempt (so no request is sent again).
//
// Both tests are conservative: an error they do not recognise is "maybe
// sent" and "maybe transient". They look through wrappers (*url.Error,
// *net.OpError, fmt.Errorf with %w, errors.Join).
package netx

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strings"
)

// handshakeTimeout is the message of the unexported error net/http returns
// when Transport.TLSHandshakeTimeout expires before the handshake finished.
const handshakeTimeout = "net/http: TLS handshake timeout"

// handshakeAlerts are the texts of the TLS alerts a server sends only while
// it negotiates a connection (received as a *net.OpError with Op "remote
// error"): the server refused the handshake, so it read no request.
var handshakeAlerts = map[string]bool{
	"tls: handshake failure":              true, // alert 40
	"tls: protocol version not supported": true, // alert 70
	"tls: insufficient security level":    true, // alert 71
}

// NotSent reports whether err proves that the request was never sent, so
// that sending it again cannot apply it twice. It is true for:
//
//   - a failure to connect: a *net.OpError with Op "dial", or "proxyconnect"
//     (net/http's wrapper for a failure to reach or handshake with the proxy),
//     or a SOCKS proxy's refusal ("socks connect");
//   - a failure to resolve the host: a *net.DNSError;
//   - a failed TLS handshake: the server's certificate was not trusted
//     (*tls.CertificateVerificationError and the x509 errors it wraps), the
//     peer does not speak TLS (a tls.RecordHeaderError on the first record,
//     or http.ErrSchemeMismatch), the server refused the negotiation (a
//     handshake_failure, protocol_version or insufficient_security alert),
//     or net/http's TLS handshake timeout expired;
//   - an HTTP/2 stream the server refused: RST_STREAM with REFUSED_STREAM,
//     which says that no part of the request was processed (RFC 9113
//     §8.7);
//   - an HTTP/2 stream dropped by a GOAWAY that named a lower last stream:
//     net/http aborts such a stream with the error it keeps for a graceful
//     shutdown ("http2: Transport received Server's graceful shutdown
//     GOAWAY"), or, for the first stream of a connection and a GOAWAY with
//     an error code, "http2: Transport received GOAWAY from server
//     ErrCode:..." (RFC 9113 §6.8: the server did not and will not
//     process it).
//
// net/http sends the last two again by itself when it can rewind the
// body, so the chain sees them only when that resend is used up.
//
// Everything else is false, including a broken connection, a reset or EOF
// while waiting for the answer, a timeout after the connection was made,
// an HTTP/2 stream reset with another code, a GOAWAY that named the
// request's stream or a later one among those processed (net/http's
// "server sent GOAWAY and closed the connection"), and a proxy's non-200
// answer to CONNECT (net/http reports it as a plain error that cannot be
// told apart from others). A nil error is false.
func NotSent(err error) bool {
	if err == nil {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) {
		switch {
		case op.Op == "dial", op.Op == "proxyconnect", strings.HasPrefix(op.Op, "socks "):
			return true
		case op.Op == "remote error" && op.Err != nil && handshakeAlerts[op.Err.Error()]:
			return true
		}
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	if certificateError(err) || notTLS(err) || Unprocessed(err) {
		return true
	}
	return walk(err, func(e error) bool { return e.Error() == handshakeTimeout })
}

// Unprocessed reports the two [NotSent] errors that a live server sends on
// purpose: an HTTP/2 stream it refused (REFUSED_STREAM: it sheds load) and
// one it dropped with a GOAWAY that named a lower last stream (it drains
// the connection, for a restart or a deploy). The request was not
// processed, and the server is not unwell for having said so: a circuit
// breaker leaves them out, as it leaves out a 429. A nil error is false.
func Unprocessed(err error) bool {
	if err == nil {
		return false
	}
	if refusedStream(err) {
		return true
	}
	return walk(err, func(e error) bool {
		msg := e.Error()
		return msg == h2GracefulGoAway || strings.HasPrefix(msg, h2GoAwayFirstStream)
	})
}

// The messages of the unexported errors net/http's HTTP/2 client aborts a
// stream with when a GOAWAY names a lower last stream: the request was
// never processed.
const (
	h2GracefulGoAway    = "http2: Transport received Server's graceful shutdown GOAWAY"
	h2GoAwayFirstStream = "http2: Transport received GOAWAY from server ErrCode:"
)

// h2RefusedStream is HTTP/2's REFUSED_STREAM error code (RFC 9113 §7).
const h2RefusedStream = 0x7

// h2StreamError has the fields of net/http's unexported HTTP/2 stream
// error, which converts itself into any struct of that shape for
// errors.As (as it does for golang.org/x/net/http2.StreamError).
type h2StreamError struct {
	StreamID uint32
	Code     uint32
	Cause    error
}

func (e h2StreamError) Error() string { return "http2 stream error" }

// refusedStream reports an HTTP/2 stream reset with REFUSED_STREAM.
func refusedStream(err error) bool {
	var se h2StreamError
	return errors.As(err, &se) && se.Code == h2RefusedStream
}

// Permanent reports whether err will recur on every attempt, so retrying
// only delays the failure: the server's certificate was not trusted
// (*tls.CertificateVerificationError, x509.UnknownAuthorityError,
// x509.HostnameError, x509.CertificateInvalidError), or the server does not
// speak TLS (a tls.RecordHeaderError on the first record, or
// http.ErrSchemeMismatch). A nil error is false.
func Permanent(err error) bool {
	if err == nil {
		return false
	}
	return certificateError(err) || notTLS(err)
}

// certificateError reports a failed verification of the server's
// certificate chain or name.
func certificateError(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

// notTLS reports that the peer answered the ClientHello with something that
// is not TLS. crypto/tls sets RecordHeaderError.Conn only for that first
// record; its other record-header errors can happen after the handshake.
func notTLS(err error) bool {
	if errors.Is(err, http.ErrSchemeMismatch) {
		return true
	}
	var rh tls.RecordHeaderError
	return errors.As(err, &rh) && rh.Conn != nil
}

// walk calls fn on err and every error it wraps, depth first, and reports
// whether fn returned true for one of them.
func walk(err error, fn func(error) bool) bool {
	for err != nil {
		if fn(err) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if walk(e, fn) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// IsLoopbackHost reports whether host (a URL's Hostname: no port, no
// brackets) is "localhost", in any case, or a loopback IP literal.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
