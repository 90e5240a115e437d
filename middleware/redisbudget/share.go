package redisbudget

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Sharing the learned rate (when the local Budget is a
// middleware.AdaptiveBudget): a worker whose own 429 cut its rate
// publishes the cut, from which Redis makes the fleet's rate, with the
// learned window and when the regrowth starts, as a time of Redis's clock;
// every worker that reads a cut it has not seen imposes the fleet's rate
// divided by the workers it sees on its local budget. Workers report
// themselves in a sorted set scored by the Redis time their report
// expires.

// Defaults of the rate sharing.
const (
	// DefaultHeartbeat is how often a worker reports itself when
	// Options.Heartbeat is zero; a report lasts three times as long.
	DefaultHeartbeat = time.Second
	// minRateTTL is the shortest life of the shared rate; it lives ten
	// learned windows otherwise.
	minRateTTL = time.Minute
)

// luaNow sets now to Redis's time in milliseconds. Redis before 7
// replicates a script that reads TIME only with effects replication on.
const luaNow = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

// readScript reads the cool-down (KEYS[1]: its PTTL and value), the shared
// rate (KEYS[2]: gen, rate, window, from) and counts the workers (KEYS[3])
// whose report has not expired; with ARGV[1] set, it first reports worker
// ARGV[1] for ARGV[2] ms. It returns {pttl, value, workers, gen, rate,
// window, from, now}, false for what is missing.
var readScript = redis.NewScript(luaNow + `
if ARGV[1] ~= '' then
	local ttl = tonumber(ARGV[2])
	redis.call('ZADD', KEYS[3], now + ttl, ARGV[1])
	redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
	redis.call('PEXPIRE', KEYS[3], ttl)
end
local pttl = redis.call('PTTL', KEYS[1])
local v = false
if pttl > 0 then v = redis.call('GET', KEYS[1]) end
local n = redis.call('ZCOUNT', KEYS[3], '(' .. now, '+inf')
local r = redis.call('HMGET', KEYS[2], 'gen', 'rate', 'window', 'from')
return {pttl, v, n, r[1], r[2], r[3], r[4], now}
`)

// publishScript publishes a worker's cut (KEYS[1]): its rate ARGV[1]
// (requests per second), its window ARGV[2] (ms), the regrowth starting
// ARGV[3] ms from now; the key lives ARGV[4] ms; ARGV[5] names the
// worker. The fleet's rate is the sum of the cuts of the workers that
// gave one in the event times the workers counted in KEYS[2] over their
// number: the first cut of an event writes the rate, the window and the
// regrowth's start; the cuts of other workers met before the regrowth
// starts (the same event) refine the rate, each once. It returns
// {1 written, 2 refined or 0 neither, gen, rate, window, from, now,
// workers}.
var publishScript = redis.NewScript(luaNow + `
local n = redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf')
local from = tonumber(redis.call('HGET', KEYS[1], 'from') or '0')
local done = 0
if from > now then
	if redis.call('HSETNX', KEYS[1], 'w:' .. ARGV[5], ARGV[1]) == 1 then
		local sum = tonumber(redis.call('HINCRBYFLOAT', KEYS[1], 'sum', ARGV[1]))
		local k = redis.call('HINCRBY', KEYS[1], 'k', 1)
		redis.call('HSET', KEYS[1], 'gen', now .. ':' .. k, 'rate', string.format('%.6f', sum * math.max(n, k) / k))
		done = 2
	end
else
	redis.call('DEL', KEYS[1])
	redis.call('HSET', KEYS[1], 'gen', tostring(now), 'rate', string.format('%.6f', tonumber(ARGV[1]) * math.max(n, 1)),
		'window', ARGV[2], 'from', tostring(now + tonumber(ARGV[3])), 'sum', ARGV[1], 'k', 1, 'w:' .. ARGV[5], ARGV[1])
	redis.call('PEXPIRE', KEYS[1], ARGV[4])
	done = 1
end
local r = redis.call('HMGET', KEYS[1], 'gen', 'rate', 'window', 'from')
return {done, r[1], r[2], r[3], r[4], now, n}
`)

// sharedCut is a cut as Redis holds it.
type sharedCut struct {
	gen    string        // its identity: the Redis time it was written, in ms
	rate   float64       // the fleet's rate, requests per second
	window time.Duration // the learned window
	in     time.Duration // until its regrowth starts (negative: started)
}

// parseCut reads a cut from the fields gen, rate, window, from of a script
// answer and Redis's now (ms); ok is false when there is none.
func parseCut(gen, rate, window, from any, now int64) (sharedCut, bool) {
	g, ok := gen.(string)
	if !ok {
		return sharedCut{}, false
	}
	r, err1 := strconv.ParseFloat(str(rate), 64)
	w, err2 := strconv.ParseInt(str(window), 10, 64)
	f, err3 := strconv.ParseInt(str(from), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || !(r > 0) {
		return sharedCut{}, false
	}
	return sharedCut{gen: g, rate: r, window: time.Duration(w) * time.Millisecond,
		in: time.Duration(f-now) * time.Millisecond}, true
}

// str returns v as a string, "" when it is none.
func str(v any) string {
	s, _ := v.(string)
	return s
}

// num returns v as an integer, 0 when it is none.
func num(v any) int64 {
	n, _ := v.(int64)
	return n
}

// newWorkerID returns a random name for this worker.
func newWorkerID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// readShared runs readScript: the cool-down left and whether it is a
// quota stop, reporting this worker when its heartbeat is due and
// adopting a cut it has not seen.
func (b *Budget) readShared(ctx context.Context) (time.Duration, bool, error) {
	id := ""
	now := b.clock.Now()
	b.mu.Lock()
	if !now.Before(b.nextBeat) {
		id, b.nextBeat = b.id, now.Add(b.heartbeat)
	}
	b.mu.Unlock()
	res, err := readScript.Run(ctx, b.client, []string{b.key, b.rateKey, b.workersKey},
		id, (3 * b.heartbeat).Milliseconds()).Slice()
	if err != nil {
		if id != "" {
			b.mu.Lock()
			b.nextBeat = time.Time{} // report at the next read
			b.mu.Unlock()
		}
		return 0, false, err
	}
	if len(res) != 8 {
		return 0, false, fmt.Errorf("redisbudget: the read script answered %d values, want 8", len(res))
	}
	workers := int(num(res[2]))
	if c, ok := parseCut(res[3], res[4], res[5], res[6], num(res[7])); ok {
		b.adopt(c, workers)
	} else {
		b.mu.Lock()
		b.workers = max(workers, 1)
		b.mu.Unlock()
	}
	return time.Duration(num(res[0])) * time.Millisecond, str(res[1]) == "q", nil
}

// adopt imposes c on the local budget, divided among workers, unless it
// was seen already.
func (b *Budget) adopt(c sharedCut, workers int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.workers = max(workers, 1)
	if c.gen == b.gen {
		return
	}
	b.gen, b.fleetRate = c.gen, c.rate
	b.adaptive.Impose(c.rate/float64(b.workers), c.window, c.in)
}

// publishCut shares the local budget's cut, if Observe made one: its
// rate, the learned window, and the regrowth starting after the cool-down
// d; it then takes the fleet's rate, unless its cut was the first of the
// event (the fleet's rate is then its own times the workers).
func (b *Budget) publishCut(ctx context.Context, d time.Duration) {
	st := b.adaptive.State()
	b.mu.Lock()
	if st.Cuts <= b.cuts || !st.Throttled {
		b.mu.Unlock()
		return
	}
	b.cuts = st.Cuts
	b.mu.Unlock()
	if !st.Measured || b.health.Skip() {
		// A cut that measured nothing (this worker's first answers were
		// 429s: the others filled the window) is no rate; the worker
		// takes the fleet's at its next read.
		return
	}
	ttl := max(10*st.Window, minRateTTL)
	res, err := publishScript.Run(ctx, b.client, []string{b.rateKey, b.workersKey},
		strconv.FormatFloat(st.Cut, 'g', -1, 64), st.Window.Milliseconds(), max(d.Milliseconds(), 1),
		ttl.Milliseconds(), b.id).Slice()
	if err != nil || len(res) != 7 {
		if err != nil {
			b.failed(ctx, err)
		}
		return
	}
	b.health.Succeeded(ctx)
	c, ok := parseCut(res[1], res[2], res[3], res[4], num(res[5]))
	if !ok {
		return
	}
	if num(res[0]) == 1 {
		b.mu.Lock()
		b.gen, b.fleetRate, b.workers = c.gen, c.rate, max(int(num(res[6])), 1) // its own: not imposed again
		b.mu.Unlock()
		return
	}
	b.adopt(c, int(num(res[6]))) // the event's first cut stands, refined by this one
}

// SharedRate returns the fleet's rate of the last cut this worker
// published or adopted (requests per second, 0 when none) and the number
// of workers it last counted, itself included. It is 0, 0 unless the
// local Budget is a [middleware.AdaptiveBudget].
func (b *Budget) SharedRate() (float64, int) {
	if b.adaptive == nil {
		return 0, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fleetRate, max(b.workers, 1)
}
