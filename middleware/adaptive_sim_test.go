package middleware

import (
	"container/heap"
	"context"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
)

// A discrete-event simulation of clients at the edge of a rolling rate
// window, as the emulator keeps it: B requests per W, a 429 over it with a
// Retry-After of the whole seconds until the oldest request leaves the
// window (at least 1). Workers run closed loops through a budget (as the
// ratelimit stage's Wait and Observe would) on simulated time, so minutes
// of load take milliseconds and every run is the same.

// simConfig describes one run.
type simConfig struct {
	B         int
	W         time.Duration
	Workers   int           // per client
	Clients   int           // independent budgets (0 means 1)
	Latency   time.Duration // from send to answer
	Duration  time.Duration
	Changes   []simChange // B changes during the run
	NewBudget func(fc *clock.Fake) Budget
	Seed      int
}

// simChange sets the window's budget to B at At (from the start).
type simChange struct {
	At time.Duration
	B  int
}

// simWindow is what happened in one window of the run.
type simWindow struct {
	Sent, Limited, OK int
	Capacity          float64 // B/W in force at the window's start, per second
	PerClient         []int   // OK per client
}

type simEvent struct {
	at     time.Time
	seq    int
	client int
	kind   int // 0: wants to send, 1: token due, 2: answer arrives
	gen    int
	status int
	ra     time.Duration
}

type simQueue []*simEvent

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q simQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any)   { *q = append(*q, x.(*simEvent)) }
func (q *simQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// simulate runs cfg and returns its windows.
func simulate(cfg simConfig) []simWindow {
	if cfg.Clients == 0 {
		cfg.Clients = 1
	}
	fc := clock.NewFake()
	start := fc.Now()
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 2))
	budgets := make([]Budget, cfg.Clients)
	for i := range budgets {
		budgets[i] = cfg.NewBudget(fc)
	}
	windows := make([]simWindow, int(cfg.Duration/cfg.W))
	for i := range windows {
		windows[i].PerClient = make([]int, cfg.Clients)
	}
	b := cfg.B
	var hits []time.Time // admitted, oldest first
	var q simQueue
	seq := 0
	push := func(e *simEvent) { seq++; e.seq = seq; heap.Push(&q, e) }
	for c := range cfg.Clients {
		for range cfg.Workers {
			push(&simEvent{at: start, client: c})
		}
	}
	changes := cfg.Changes
	end := start.Add(cfg.Duration)
	for q.Len() > 0 {
		e := heap.Pop(&q).(*simEvent)
		if !e.at.Before(end) {
			break
		}
		fc.Set(e.at)
		for len(changes) > 0 && !e.at.Before(start.Add(changes[0].At)) {
			b = changes[0].B
			changes = changes[1:]
		}
		win := &windows[int(e.at.Sub(start)/cfg.W)]
		if win.Capacity == 0 {
			win.Capacity = float64(b) / cfg.W.Seconds()
		}
		bud := budgets[e.client]
		switch e.kind {
		case 2: // the answer
			bud.Observe(context.Background(), Outcome{Status: e.status, RetryAfter: e.ra, HasRetryAfter: e.status == 429, At: e.at})
			push(&simEvent{at: e.at, client: e.client})
			continue
		case 1: // a token came due
			if ab, ok := bud.(*AdaptiveBudget); ok && !ab.current(e.gen) {
				push(&simEvent{at: e.at, client: e.client})
				continue
			}
		}
		if until, _ := bud.Until(); until.After(e.at) {
			rem := until.Sub(e.at)
			push(&simEvent{at: until.Add(time.Duration(rng.Float64() * float64(rem/10))), client: e.client})
			continue
		}
		if e.kind == 0 {
			if d, gen := simReserve(bud, e.at); d > 0 {
				push(&simEvent{at: e.at.Add(d), client: e.client, kind: 1, gen: gen})
				continue
			}
		}
		// Send: the server counts it on arrival.
		win.Sent++
		for len(hits) > 0 && !hits[0].After(e.at.Add(-cfg.W)) {
			hits = hits[1:]
		}
		ans := &simEvent{at: e.at.Add(cfg.Latency), client: e.client, kind: 2, status: http.StatusOK}
		if len(hits) < b {
			hits = append(hits, e.at)
			win.OK++
			win.PerClient[e.client]++
		} else {
			win.Limited++
			free := hits[0].Add(cfg.W).Sub(e.at)
			ans.status = http.StatusTooManyRequests
			ans.ra = max((free+time.Second-1)/time.Second, 1) * time.Second
		}
		push(ans)
	}
	return windows
}

// simReserve takes a token of bud at now without blocking.
func simReserve(bud Budget, now time.Time) (time.Duration, int) {
	switch b := bud.(type) {
	case *AdaptiveBudget:
		d, _, gen := b.reserve(now)
		return d, gen
	case *FixedBudget:
		if b.limiter == nil {
			return 0, 0
		}
		return b.limiter.ReserveN(now, 1).DelayFrom(now), 0
	}
	return 0, 0
}
