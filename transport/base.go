package transport

import (
	"net/http"
	"time"
)

// BaseOptions tunes the base transport. The zero value is the default.
type BaseOptions struct {
	// MaxConnsPerHost caps connections to one host; 0 means 2 × the idle
	// pool, which leaves room for HTTP/1.1 bursts.
	MaxConnsPerHost int
	// MaxIdleConnsPerHost sizes the idle pool per host; 0 means 16, the
	// default concurrency of a client family.
	MaxIdleConnsPerHost int
	// IdleConnTimeout closes idle connections after it; 0 means 90 s.
	IdleConnTimeout time.Duration
	// DisableHTTP2 turns HTTP/2 off (it is on by default).
	DisableHTTP2 bool
}

// NewBase returns the base transport of the chain: a clone of
// [http.DefaultTransport] (proxy from the environment, dial and TLS
// timeouts) with HTTP/2 attempted, gzip on and an idle pool sized for the
// client's concurrency.
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
	t.ForceAttemptHTTP2 = !o.DisableHTTP2
	t.DisableCompression = false
	return t
}
