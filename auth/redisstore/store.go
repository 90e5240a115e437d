package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/redisconn"
)

// Defaults of [Options].
const (
	// DefaultPrefix is the key prefix when Options.Prefix is empty.
	DefaultPrefix = "spotify-go"
	// DefaultLockTTL is the lifetime of a lock: longer than
	// [auth.DefaultRefreshTimeout], which bounds a refresh's token request
	// and its retries.
	DefaultLockTTL = 2 * time.Minute
	// DefaultUnavailableWait is how long Lock and Lease.Save wait for an
	// unreachable Redis.
	DefaultUnavailableWait = 5 * time.Second
	// DefaultRetryInterval is the pause between two tries of a lock held
	// by another process.
	DefaultRetryInterval = 50 * time.Millisecond
	// DefaultTokenTTL is the expiry of the token key, renewed on every
	// save.
	DefaultTokenTTL = 180 * 24 * time.Hour
)

// Options configures a [Store]. Key and one of Client and URL are
// required.
type Options struct {
	// Client is a client the caller built (TLS, ACL user and password,
	// Sentinel or Cluster are its choice). The store never closes it. Set
	// its ContextTimeoutEnabled, so that the store's own time bounds end
	// a command that Redis does not answer (otherwise its ReadTimeout,
	// 3 s by default, does).
	Client redis.UniversalClient
	// URL is used when Client is nil: redis://[user:password@]host:port/db,
	// rediss:// for TLS, or unix://. It is printed redacted only. The
	// store's Close closes the client made from it.
	URL string
	// Key names the user's token among those the app keeps (a user id, an
	// account name). Processes that act for the same user give the same
	// Key.
	Key string
	// Prefix is the app's key prefix; "" means [DefaultPrefix]. It must not
	// hold '{' or '}' (the keys' Cluster hash tag follows it).
	Prefix string
	// LockTTL is a lock's lifetime, renewed by the fence; 0 means
	// [DefaultLockTTL]. It must exceed the provider's RefreshTimeout: a
	// refresh whose context outlives it is not sent.
	LockTTL time.Duration
	// UnavailableWait bounds how long Lock and Lease.Save wait for Redis to
	// answer; 0 means [DefaultUnavailableWait].
	UnavailableWait time.Duration
	// RetryInterval is the pause between two tries of a lock another
	// process holds; 0 means [DefaultRetryInterval].
	RetryInterval time.Duration
	// TokenTTL is the expiry of the stored token, renewed on every save; 0
	// means [DefaultTokenTTL].
	TokenTTL time.Duration
	// AllowInsecure lets tokens go to a Redis reached without TLS at a
	// non-loopback address (on a private network the caller trusts).
	AllowInsecure bool
}

// Store is an [auth.TokenStore] and [auth.TokenLocker] in Redis (see the
// package documentation). It prints the server redacted and never the
// token. Make one with [New]; it is safe for concurrent use.
type Store struct {
	client   redis.UniversalClient
	name     string
	owned    bool
	key      string
	tokenKey string
	lockKey  string
	lockTTL  time.Duration
	wait     time.Duration
	interval time.Duration
	tokenTTL time.Duration

	// noLock makes Lock take no lock (a test's option, to show that the
	// two-process test fails without it).
	noLock bool
}

var (
	_ auth.TokenStore  = (*Store)(nil)
	_ auth.TokenLocker = (*Store)(nil)
)

// New returns a store configured by o. It sends nothing to Redis: a
// client made from the URL connects on first use. A Redis reached without
// TLS at a non-loopback address is refused with an [*InsecureError] unless
// o.AllowInsecure is set.
func New(o Options) (*Store, error) {
	const method = "redisstore: New"
	if o.Key == "" {
		return nil, errors.New(method + ": empty Options.Key")
	}
	prefix := o.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if strings.ContainsAny(prefix, "{}") {
		return nil, fmt.Errorf("%s: Options.Prefix %q holds a brace", method, prefix)
	}
	conn, err := redisconn.Open(redisconn.Config{Method: method, Client: o.Client, URL: o.URL,
		Private: "user tokens", AllowInsecure: o.AllowInsecure})
	if err != nil {
		return nil, err
	}
	base := prefix + ":v1:{" + o.Key + "}:"
	s := &Store{client: conn.Client, name: conn.Name, owned: conn.Owned, key: o.Key,
		tokenKey: base + "token", lockKey: base + "lock",
		lockTTL: or(o.LockTTL, DefaultLockTTL), wait: or(o.UnavailableWait, DefaultUnavailableWait),
		interval: or(o.RetryInterval, DefaultRetryInterval), tokenTTL: or(o.TokenTTL, DefaultTokenTTL)}
	return s, nil
}

// or returns d, or def when d is not positive.
func or(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// String prints the store's server (redacted) and key, never the token.
func (s *Store) String() string {
	return fmt.Sprintf("redisstore.Store{Redis:%s, Key:%q}", s.name, s.key)
}

// Close closes the client the store made from Options.URL; a client the
// caller gave is left open.
func (s *Store) Close() error {
	if s.owned {
		return s.client.Close()
	}
	return nil
}

// encode returns the stored form of tok.
func encode(tok *auth.StoredToken) (string, error) {
	b, err := auth.MarshalStoredToken(tok)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// decode parses the stored form; its error never quotes it.
func (s *Store) decode(data string) (*auth.StoredToken, error) {
	tok, err := auth.UnmarshalStoredToken([]byte(data))
	if err != nil {
		return nil, fmt.Errorf("redisstore: the token under %s cannot be parsed (it is left as it is; delete the key to log in again)", s.tokenKey)
	}
	return tok, nil
}

// Load returns the stored token, or nil when none is stored.
func (s *Store) Load(ctx context.Context) (*auth.StoredToken, error) {
	st, _, err := s.load(ctx, "Store.Load")
	return st, err
}

// load returns the stored token (or nil) and its version.
func (s *Store) load(ctx context.Context, method string) (*auth.StoredToken, string, error) {
	vals, err := s.client.HMGet(ctx, s.tokenKey, "v", "t").Result()
	if err != nil {
		return nil, "", fmt.Errorf("redisstore: %s: %w", method, err)
	}
	version, _ := vals[0].(string)
	data, _ := vals[1].(string)
	if data == "" {
		return nil, version, nil
	}
	st, err := s.decode(data)
	return st, version, err
}

// Save replaces the stored token without a lease: it takes no lock and
// compares no version (a [auth.Lease] does both), and it changes the
// version, so a lease that read an earlier one can no longer save.
func (s *Store) Save(ctx context.Context, tok *auth.StoredToken) error {
	_, err := s.save(ctx, "Store.Save", tok, "", "*")
	return err
}

// saveScript writes a token if the lock is still the lease's (ARGV[1]; ""
// for no lease) and the version is the one it read (ARGV[2]; "*" for
// any): it sets version ARGV[3] and token ARGV[4] and renews the key's
// expiry (ARGV[5] ms). It answers {"ok", version}, {"lost"} or
// {"conflict", stored version}.
var saveScript = redis.NewScript(`
if ARGV[1] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[1] then return {'lost'} end
local v = redis.call('HGET', KEYS[1], 'v')
if not v then v = '' end
if ARGV[2] ~= '*' and v ~= ARGV[2] then return {'conflict', v} end
redis.call('HSET', KEYS[1], 'v', ARGV[3], 't', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {'ok', ARGV[3]}
`)

// save runs saveScript, retrying for up to UnavailableWait while Redis
// does not answer (the token it saves may be the only live one). It
// returns the new version.
func (s *Store) save(ctx context.Context, method string, tok *auth.StoredToken, lockToken, want string) (string, error) {
	if tok == nil {
		return "", fmt.Errorf("redisstore: %s: nil token", method)
	}
	data, err := encode(tok)
	if err != nil {
		return "", err
	}
	version := randomText()
	var res []any
	err = s.retry(ctx, func(ctx context.Context) error {
		var err error
		res, err = saveScript.Run(ctx, s.client, []string{s.tokenKey, s.lockKey},
			lockToken, want, version, data, s.tokenTTL.Milliseconds()).Slice()
		return err
	})
	if err != nil {
		return "", fmt.Errorf("redisstore: %s: %w", method, err)
	}
	switch status, _ := res[0].(string); status {
	case "ok":
		return version, nil
	case "lost":
		return "", fmt.Errorf("redisstore: %s: %w", method, auth.ErrLeaseLost)
	case "conflict":
		stored, _ := res[1].(string)
		return "", &auth.VersionConflictError{Read: want, Stored: stored}
	}
	return "", fmt.Errorf("redisstore: %s: unexpected answer %v from the save script", method, res)
}

// retry runs fn until it succeeds, fails for another reason than a
// network error, or has failed for UnavailableWait; it returns fn's last
// error then (an [*UnavailableError] when Redis never answered).
func (s *Store) retry(ctx context.Context, fn func(ctx context.Context) error) error {
	start := time.Now()
	for {
		actx, cancel := context.WithTimeout(ctx, s.wait-time.Since(start))
		err := fn(actx)
		cancel()
		if err == nil || !unreachable(err) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if waited := time.Since(start); waited >= s.wait {
			return &UnavailableError{Redis: s.name, Waited: waited, Err: err}
		}
		if err := sleep(ctx, min(s.interval, s.wait-time.Since(start))); err != nil {
			return err
		}
	}
}

// unreachable reports whether err says that Redis did not answer, rather
// than that it answered with an error.
func unreachable(err error) bool {
	var re redis.Error
	return !errors.As(err, &re) && !errors.Is(err, redis.Nil)
}

// sleep waits for d or for ctx.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// randomText returns 128 random bits in hex: a lock token or a version.
func randomText() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
