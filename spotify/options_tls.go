package spotify

import (
	"crypto/x509"
	"errors"
)

// WithRootCAs makes the client trust the certificate authorities in pool,
// instead of the system's, for the API and the token endpoint: for a
// server with a private certificate, such as a spotifytest server over
// TLS or a company gateway. The chain keeps its tuned base transport
// (HTTP/2, health checks, the idle pool); only its trust changes. It has
// no effect on the transport of [WithHTTPClient], which brings its own.
func WithRootCAs(pool *x509.CertPool) Option {
	return func(c *config) error {
		if pool == nil {
			return errors.New("spotify: WithRootCAs: the pool is nil")
		}
		c.rootCAs = pool
		return nil
	}
}
