package rediscache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel/metric"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/internal/redisconn"
)

// Defaults of [Options].
const (
	// DefaultPrefix is the key prefix when Options.Prefix is empty.
	DefaultPrefix = "spotify-go"
	// DefaultTTL is an entry's expiry when Options.TTL is zero.
	DefaultTTL = time.Hour
	// DefaultMaxEntryBytes is the largest entry stored when
	// Options.MaxEntryBytes is zero.
	DefaultMaxEntryBytes int64 = 1 << 20
	// DefaultTimeout bounds one operation when Options.Timeout is zero.
	DefaultTimeout = 500 * time.Millisecond
)

// probeInterval is how often a store whose Redis is away tries it again.
const probeInterval = time.Second

// maxPending bounds the invalidations kept while Redis is away; past it
// they are replaced by one that drops everything.
const maxPending = 1000

// ErrInsecure matches (with errors.Is) an [*InsecureError].
var ErrInsecure = redisconn.ErrInsecure

// InsecureError is returned by [New] for a Redis reached without TLS at a
// non-loopback address when [Options.AllowInsecure] is not set. Nothing
// was sent to the server.
type InsecureError = redisconn.InsecureError

// Options configures a [Store]. One of Client and URL is required.
type Options struct {
	// Client is a client the caller built (TLS, ACL user and password,
	// Sentinel or Cluster are its choice). The store never closes it. Set
	// its ContextTimeoutEnabled, so that the store's own time bounds end
	// a command that Redis does not answer (otherwise its ReadTimeout,
	// 3 s by default, does).
	Client redis.UniversalClient
	// URL is used when Client is nil: redis://, rediss:// (TLS) or
	// unix://. It is printed redacted only; the store's Close closes the
	// client made from it.
	URL string
	// Prefix is the app's key prefix; "" means [DefaultPrefix].
	Prefix string
	// TTL is every entry's expiry; 0 means [DefaultTTL].
	TTL time.Duration
	// MaxEntryBytes is the largest entry stored ([cache.Entry.Size]); 0
	// means [DefaultMaxEntryBytes].
	MaxEntryBytes int64
	// Timeout bounds each operation (the stage calls Invalidate with a
	// context that does not end); 0 means [DefaultTimeout].
	Timeout time.Duration
	// Local, if set, is a store in front of Redis (an LRU), and the one
	// used alone while Redis is away.
	Local cache.Store
	// AllowInsecure lets cached responses go to a Redis reached without
	// TLS at a non-loopback address.
	AllowInsecure bool
	// Logger receives the line saying Redis went away and the one saying
	// it is back; nil means slog.Default().
	Logger *slog.Logger
	// MeterProvider counts the same ([redisconn] metrics
	// "spotify.redis.fallbacks" and "spotify.redis.returns", attribute
	// component="rediscache"); nil means the global provider.
	MeterProvider metric.MeterProvider
}

// Store is a [cache.Store] in Redis (see the package documentation). Make
// one with [New]; it is safe for concurrent use.
type Store struct {
	client   redis.UniversalClient
	name     string
	owned    bool
	prefix   string // "<prefix>:v1:"
	ttl      time.Duration
	genTTL   time.Duration
	maxBytes int64
	timeout  time.Duration
	local    cache.Store
	health   *redisconn.Health

	mu      sync.Mutex
	pending []cache.Invalidation // made while Redis was away
}

var _ cache.Store = (*Store)(nil)

// New returns a store configured by o. It sends nothing to Redis.
func New(o Options) (*Store, error) {
	const method = "rediscache: New"
	conn, err := redisconn.Open(redisconn.Config{Method: method, Client: o.Client, URL: o.URL,
		Private: "cached responses", AllowInsecure: o.AllowInsecure})
	if err != nil {
		return nil, err
	}
	prefix := o.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	s := &Store{client: conn.Client, name: conn.Name, owned: conn.Owned, prefix: prefix + ":v1:",
		ttl: o.TTL, maxBytes: o.MaxEntryBytes, timeout: o.Timeout, local: o.Local}
	if s.ttl <= 0 {
		s.ttl = DefaultTTL
	}
	s.genTTL = s.ttl + time.Minute
	if s.maxBytes <= 0 {
		s.maxBytes = DefaultMaxEntryBytes
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	s.health = redisconn.NewHealth(redisconn.HealthOptions{Component: "rediscache", Server: conn.Name,
		Scope: "github.com/spotifysdk/spotify-go/cache/rediscache", Logger: o.Logger, MeterProvider: o.MeterProvider,
		Probe: probeInterval})
	return s, nil
}

// String prints the store's server, redacted.
func (s *Store) String() string { return "rediscache.Store{Redis:" + s.name + "}" }

// Close closes the client the store made from Options.URL; a client the
// caller gave is left open.
func (s *Store) Close() error {
	if s.owned {
		return s.client.Close()
	}
	return nil
}

// entryKey is the key of key's entry: the principal's hash in a hash tag,
// then the request's.
func (s *Store) entryKey(key cache.Key) string {
	return s.prefix + "{p:" + hash(key.Principal) + "}:e:" + hash(key.Request)
}

// hash returns the first 128 bits of text's SHA-256, in hex.
func hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:16])
}

// storedEntry is the stored form of an entry, with its key in full and
// the generations it was stored under.
type storedEntry struct {
	Principal  string      `json:"principal"`
	Request    string      `json:"request"`
	Path       string      `json:"path"`
	StatusCode int         `json:"status"`
	Header     http.Header `json:"header,omitempty"`
	Body       []byte      `json:"body,omitempty"`
	Stored     time.Time   `json:"stored"`
	VaryHeader http.Header `json:"vary,omitempty"`
	Gens       []int64     `json:"gens"`
}

// Get returns the entry under key: from the local tier if it has one,
// otherwise from Redis when its principal and request equal key's and no
// invalidation dropped it since it was stored.
func (s *Store) Get(ctx context.Context, key cache.Key) (*cache.Entry, bool, error) {
	if s.local != nil {
		if e, ok, err := s.local.Get(ctx, key); err == nil && ok {
			return e, true, nil
		}
	}
	if s.health.Skip() {
		return nil, false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	e, ok, err := s.get(ctx, key)
	if err != nil {
		return nil, false, s.failed(ctx, "Get", err)
	}
	s.succeeded(ctx)
	if ok && s.local != nil {
		_ = s.local.Put(ctx, key, e)
	}
	return e, ok, nil
}

// get reads the entry and checks it against key and the generations.
func (s *Store) get(ctx context.Context, key cache.Key) (*cache.Entry, bool, error) {
	k := s.entryKey(key)
	data, err := s.client.Get(ctx, k).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	var se storedEntry
	if json.Unmarshal(data, &se) != nil || se.Principal != key.Principal || se.Request != key.Request {
		return nil, false, nil // another format, or another key's (a hash collision)
	}
	gens, err := s.generations(ctx, se.Path, false)
	if err != nil {
		return nil, false, err
	}
	if !equal(gens, se.Gens) {
		_ = s.client.Del(ctx, k).Err() // dropped by an invalidation
		return nil, false, nil
	}
	return &cache.Entry{Principal: se.Principal, Path: se.Path, StatusCode: se.StatusCode, Header: se.Header,
		Body: se.Body, Stored: se.Stored, VaryHeader: se.VaryHeader}, true, nil
}

// equal reports whether two generation lists are the same.
func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Put stores e under key in the local tier and in Redis, with the
// generations of its path. An entry larger than Options.MaxEntryBytes is
// not stored, and the one it would replace is dropped.
func (s *Store) Put(ctx context.Context, key cache.Key, e *cache.Entry) error {
	if s.local != nil {
		_ = s.local.Put(ctx, key, e)
	}
	if s.health.Skip() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.put(ctx, key, e); err != nil {
		return s.failed(ctx, "Put", err)
	}
	s.succeeded(ctx)
	return nil
}

// put writes the entry to Redis.
func (s *Store) put(ctx context.Context, key cache.Key, e *cache.Entry) error {
	k := s.entryKey(key)
	if e == nil || e.Size() > s.maxBytes {
		return s.client.Del(ctx, k).Err()
	}
	gens, err := s.generations(ctx, e.Path, true)
	if err != nil {
		return err
	}
	data, err := json.Marshal(storedEntry{Principal: key.Principal, Request: key.Request, Path: e.Path,
		StatusCode: e.StatusCode, Header: e.Header, Body: e.Body, Stored: e.Stored, VaryHeader: e.VaryHeader, Gens: gens})
	if err != nil {
		return fmt.Errorf("rediscache: encoding entry: %w", err)
	}
	return s.client.Set(ctx, k, data, s.ttl).Err()
}

// Delete drops the entry under key from both tiers.
func (s *Store) Delete(ctx context.Context, key cache.Key) error {
	if s.local != nil {
		_ = s.local.Delete(ctx, key)
	}
	if s.health.Skip() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.client.Del(ctx, s.entryKey(key)).Err(); err != nil {
		return s.failed(ctx, "Delete", err)
	}
	s.succeeded(ctx)
	return nil
}

// Invalidate drops, for every principal, the entries whose path inv
// drops: at once from the local tier, and in Redis by incrementing the
// generations of inv's paths. While Redis is away it fails (entries it
// should drop are still there) and is kept, to be sent when Redis returns.
func (s *Store) Invalidate(ctx context.Context, inv cache.Invalidation) error {
	if s.local != nil {
		_ = s.local.Invalidate(ctx, inv)
	}
	if s.health.Skip() {
		s.keep(inv)
		return fmt.Errorf("rediscache: Store.Invalidate: Redis (%s) is away; the invalidation is sent when it returns", s.name)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.invalidate(ctx, inv); err != nil {
		s.keep(inv)
		return s.failed(ctx, "Invalidate", err)
	}
	s.succeeded(ctx)
	return nil
}

// invalidate increments, in one round trip, tree(inv.Path), self(a) for
// every proper ancestor a of it, and tree(p) for every prefix p, renewing
// each counter's expiry.
func (s *Store) invalidate(ctx context.Context, inv cache.Invalidation) error {
	var keys []string
	if inv.Path != "" {
		ns := nodes(inv.Path)
		for _, a := range ns[:len(ns)-1] {
			keys = append(keys, s.genKey("s", a))
		}
		keys = append(keys, s.genKey("t", ns[len(ns)-1]))
	}
	for _, p := range inv.Prefixes {
		if p != "" {
			ns := nodes(p)
			keys = append(keys, s.genKey("t", ns[len(ns)-1]))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	_, err := s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.Incr(ctx, k)
			p.PExpire(ctx, k, s.genTTL)
		}
		return nil
	})
	return err
}

// generations reads the tree counter of every node from the root to path
// and the self counter of path, in one round trip; renew also renews
// their expiries (a Put: the counters must outlive the entry).
func (s *Store) generations(ctx context.Context, path string, renew bool) ([]int64, error) {
	ns := nodes(path)
	keys := make([]string, 0, len(ns)+1)
	for _, n := range ns {
		keys = append(keys, s.genKey("t", n))
	}
	keys = append(keys, s.genKey("s", ns[len(ns)-1]))
	gets := make([]*redis.StringCmd, len(keys))
	_, err := s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			if renew {
				p.PExpire(ctx, k, s.genTTL)
			}
			gets[i] = p.Get(ctx, k)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	gens := make([]int64, len(keys))
	for i, g := range gets {
		n, err := g.Int64()
		switch {
		case errors.Is(err, redis.Nil):
		case err != nil:
			return nil, err
		default:
			gens[i] = n
		}
	}
	return gens, nil
}

// genKey is the key of a node's tree ("t") or self ("s") counter.
func (s *Store) genKey(kind, node string) string { return s.prefix + "g:" + kind + ":" + node }

// nodes returns the path nodes from the root to p, as the cache package
// compares paths (segment by segment, trailing slashes ignored):
// "/v1/me" gives "", "/v1", "/v1/me"; "/" and "" give "".
func nodes(p string) []string {
	p = strings.TrimRight(p, "/")
	var out []string
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			out = append(out, p[:i])
		}
	}
	return append(out, p)
}

// failed records a failed command and returns its error, named.
func (s *Store) failed(ctx context.Context, method string, err error) error {
	if unreachable(err) {
		s.health.Failed(ctx, err)
	}
	return fmt.Errorf("rediscache: Store.%s: %w", method, err)
}

// succeeded records a command that worked, and sends the invalidations
// kept while Redis was away.
func (s *Store) succeeded(ctx context.Context) {
	s.health.Succeeded(ctx)
	s.mu.Lock()
	pending := s.pending
	s.pending = nil
	s.mu.Unlock()
	for i, inv := range pending {
		if err := s.invalidate(ctx, inv); err != nil {
			for _, again := range pending[i:] {
				s.keep(again)
			}
			return
		}
	}
}

// keep remembers an invalidation Redis did not get; past maxPending they
// are replaced by one that drops every entry.
func (s *Store) keep(inv cache.Invalidation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) >= maxPending {
		s.pending = []cache.Invalidation{{Prefixes: []string{"/"}}}
		return
	}
	s.pending = append(s.pending, inv)
}

// unreachable reports whether err says that Redis did not answer, rather
// than that it answered with an error.
func unreachable(err error) bool {
	var re redis.Error
	return !errors.As(err, &re)
}
