package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/spotifysdk/spotify-go/auth"
)

// lockScript takes the lock (KEYS[2]) with token ARGV[1] for ARGV[2] ms
// if it is free, and answers {1, version of KEYS[1]} then, {0} otherwise.
var lockScript = redis.NewScript(`
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
local v = redis.call('HGET', KEYS[1], 'v')
if not v then v = '' end
return {1, v}
`)

// extendScript renews the lock (KEYS[1]) to ARGV[2] ms if it still holds
// token ARGV[1]; it answers 1 then, 0 otherwise.
var extendScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
	return 1
end
return 0
`)

// unlockScript deletes the lock (KEYS[1]) if it still holds token
// ARGV[1].
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// Lock takes the store's lock, waiting while another process holds it
// (until ctx ends), and reads the stored token's version. While Redis does
// not answer it tries again for up to Options.UnavailableWait, then fails
// with an [*UnavailableError]: no refresh is sent without the lock. The
// lease expires after Options.LockTTL unless its fence renews it.
func (s *Store) Lock(ctx context.Context) (auth.Lease, error) {
	token := randomText()
	if s.noLock {
		_, version, err := s.load(ctx, "Store.Lock")
		if err != nil {
			return nil, err
		}
		return &lease{s: s, version: version, held: true}, nil
	}
	for {
		var res []any
		err := s.retry(ctx, func(ctx context.Context) error {
			var err error
			res, err = lockScript.Run(ctx, s.client, []string{s.tokenKey, s.lockKey}, token, s.lockTTL.Milliseconds()).Slice()
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
		if n, _ := res[0].(int64); n == 1 {
			version, _ := res[1].(string)
			return &lease{s: s, token: token, version: version, held: true}, nil
		}
		if err := sleep(ctx, s.interval); err != nil {
			return nil, err
		}
	}
}

// lease is the [auth.Lease] of a [Store].
type lease struct {
	s       *Store
	token   string // the lock's token; "" without a lock (noLock)
	version string
	held    bool
}

func (l *lease) Load(ctx context.Context) (*auth.StoredToken, error) {
	if !l.held {
		return nil, auth.ErrLeaseLost
	}
	st, version, err := l.s.load(ctx, "Lease.Load")
	if err != nil {
		return nil, err
	}
	l.version = version
	return st, nil
}

func (l *lease) Version() string { return l.version }

// Valid is the fence: the lock must still be the lease's, and it is
// renewed to a full LockTTL so that it outlives the request about to be
// sent, whose context must end before then.
func (l *lease) Valid(ctx context.Context) error {
	if !l.held {
		return auth.ErrLeaseLost
	}
	if l.token == "" {
		return nil
	}
	if d, ok := ctx.Deadline(); ok {
		if left := time.Until(d); left > l.s.lockTTL-l.s.lockTTL/10 {
			return fmt.Errorf("redisstore: Lease.Valid: the refresh may run %s, longer than the lock lives (LockTTL %s): set Options.LockTTL above the provider's RefreshTimeout",
				left.Round(time.Second), l.s.lockTTL)
		}
	}
	n, err := extendScript.Run(ctx, l.s.client, []string{l.s.lockKey}, l.token, l.s.lockTTL.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("redisstore: Lease.Valid: %w", err)
	}
	if n != 1 {
		l.held = false
		return fmt.Errorf("redisstore: Lease.Valid: the lock expired: %w", auth.ErrLeaseLost)
	}
	return nil
}

func (l *lease) Save(ctx context.Context, tok *auth.StoredToken) error {
	if !l.held {
		return auth.ErrLeaseLost
	}
	version, err := l.s.save(ctx, "Lease.Save", tok, l.token, l.version)
	if err != nil {
		return err
	}
	l.version = version
	return nil
}

func (l *lease) Unlock(ctx context.Context) error {
	if !l.held {
		return nil
	}
	l.held = false
	if l.token == "" {
		return nil
	}
	if err := unlockScript.Run(ctx, l.s.client, []string{l.s.lockKey}, l.token).Err(); err != nil {
		return fmt.Errorf("redisstore: Lease.Unlock (the lock expires by itself): %w", err)
	}
	return nil
}
