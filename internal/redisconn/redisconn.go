// Package redisconn opens the Redis connection of the Redis-backed
// stores (auth/redisstore, cache/rediscache, middleware/redisbudget): a
// client the user built or one made from a URL, a name for it that never
// shows a password, and the refusal to send private data (tokens, cached
// responses) over a connection that is neither TLS nor loopback unless the
// user allows it explicitly.
package redisconn

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"
)

// ErrInsecure matches (with errors.Is) an [*InsecureError].
var ErrInsecure = errors.New("redis: refusing private data over a connection that is neither TLS nor loopback")

// InsecureError is returned by a constructor asked to keep private data
// (tokens, cached responses) on a Redis server reached without TLS at an
// address that is not loopback. Nothing was sent to the server.
type InsecureError struct {
	// Method names the constructor ("redisstore: New").
	Method string
	// Addr is the server's address (no password); "" when the client's
	// kind does not say where it connects.
	Addr string
	// What names the data that would have been sent ("user tokens").
	What string
}

// Error says what was refused, where, and the three ways out.
func (e *InsecureError) Error() string {
	where := "at " + e.Addr
	if e.Addr == "" {
		where = "behind a client of a kind whose address and TLS settings cannot be checked"
	}
	return fmt.Sprintf("%s: refusing to keep %s on the Redis server %s without TLS: use rediss:// (or a client with a TLSConfig), a loopback address, or set AllowInsecure", e.Method, e.What, where)
}

// Is reports whether target is [ErrInsecure].
func (e *InsecureError) Is(target error) bool { return target == ErrInsecure }

// Config is what a constructor was given.
type Config struct {
	// Method names the constructor, for errors ("redisstore: New").
	Method string
	// Client is a client the user built; URL is used when it is nil. A
	// client made from the URL honours context deadlines
	// (ContextTimeoutEnabled); a user's client should too, or its
	// ReadTimeout bounds the stores' commands instead.
	Client redis.UniversalClient
	// URL is a redis://, rediss:// or unix:// URL.
	URL string
	// Private names the private data the store keeps ("user tokens");
	// "" for a store of data that is not private (the Budget's deadlines).
	Private string
	// AllowInsecure lets private data go over plain TCP to a non-loopback
	// address.
	AllowInsecure bool
}

// Conn is an opened connection.
type Conn struct {
	// Client is the client to use.
	Client redis.UniversalClient
	// Name describes the server without secrets: the URL redacted, or the
	// client's address(es).
	Name string
	// Owned reports whether Open made the client (the store then closes
	// it).
	Owned bool
}

// Open checks c and returns the connection, without sending anything to
// the server: a client made from the URL connects on its first command.
func Open(c Config) (*Conn, error) {
	switch {
	case c.Client != nil && c.URL != "":
		return nil, fmt.Errorf("%s: both Client and URL are set; give one", c.Method)
	case c.Client == nil && c.URL == "":
		return nil, fmt.Errorf("%s: neither Client nor URL is set", c.Method)
	case c.Client != nil:
		addrs, secure, known := describe(c.Client)
		conn := &Conn{Client: c.Client, Name: strings.Join(addrs, ",")}
		if conn.Name == "" {
			conn.Name = fmt.Sprintf("%T", c.Client)
		}
		if err := check(c, addrs, secure, known); err != nil {
			return nil, err
		}
		return conn, nil
	}
	name := Redact(c.URL)
	o, err := redis.ParseURL(c.URL)
	if err != nil {
		// go-redis may quote the URL in its error: say what is wrong
		// without it.
		return nil, fmt.Errorf("%s: URL %s cannot be parsed: %s", c.Method, name, scrubURL(err.Error(), c.URL, name))
	}
	addr := o.Addr
	if o.Network == "unix" {
		addr = "unix:" + addr
	}
	if err := check(c, []string{addr}, o.TLSConfig != nil, true); err != nil {
		return nil, err
	}
	// The stores bound their commands with contexts; go-redis honours a
	// context's deadline only when told to.
	o.ContextTimeoutEnabled = true
	return &Conn{Client: redis.NewClient(o), Name: name, Owned: true}, nil
}

// Redact returns raw with its password replaced by "xxxxx" (url.URL's
// Redacted); a URL that does not parse is not printed at all.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(an unparsable URL)"
	}
	return u.Redacted()
}

// scrubURL removes raw from msg, putting name in its place.
func scrubURL(msg, raw, name string) string {
	if raw == "" {
		return msg
	}
	return strings.ReplaceAll(msg, raw, name)
}

// check refuses private data over plain TCP to a non-loopback address.
func check(c Config, addrs []string, secure, known bool) error {
	if c.Private == "" || c.AllowInsecure || secure {
		return nil
	}
	if !known || len(addrs) == 0 {
		return &InsecureError{Method: c.Method, What: c.Private}
	}
	for _, a := range addrs {
		if !Loopback(a) {
			return &InsecureError{Method: c.Method, Addr: a, What: c.Private}
		}
	}
	return nil
}

// describe returns the addresses a client connects to, whether it uses
// TLS, and whether its kind is known at all.
func describe(c redis.UniversalClient) (addrs []string, secure, known bool) {
	switch c := c.(type) {
	case *redis.Client:
		o := c.Options()
		addr := o.Addr
		if o.Network == "unix" {
			addr = "unix:" + addr
		}
		return []string{addr}, o.TLSConfig != nil, true
	case *redis.ClusterClient:
		o := c.Options()
		return o.Addrs, o.TLSConfig != nil, true
	case *redis.Ring:
		o := c.Options()
		for _, a := range o.Addrs {
			addrs = append(addrs, a)
		}
		return addrs, o.TLSConfig != nil, true
	}
	return nil, false, false
}

// Loopback reports whether addr ("host:port", or "unix:path") stays on
// this machine: a Unix socket, "localhost" or a loopback IP. A Sentinel
// client's placeholder address ("FailoverClient") is not.
func Loopback(addr string) bool {
	if strings.HasPrefix(addr, "unix:") {
		return true
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
