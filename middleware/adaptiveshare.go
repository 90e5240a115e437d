package middleware

import (
	"math"
	"time"

	"golang.org/x/time/rate"
)

// What an AdaptiveBudget learned, read and imposed from outside: the hooks
// a budget shared among several processes (middleware/redisbudget) uses
// so that the fleet learns the rate window once.

// AdaptiveState is what an [AdaptiveBudget] has learned, as
// [AdaptiveBudget.State] reads it.
type AdaptiveState struct {
	// Throttled reports whether the budget has met a 429 or been imposed a
	// rate; the other fields are zero until then.
	Throttled bool
	// Rate is the rate it lets through now, in requests per second.
	Rate float64
	// Cut is the rate of the last cut (its own or imposed), in requests
	// per second.
	Cut float64
	// Window is the rate window it learned (or was imposed).
	Window time.Duration
	// Cuts counts the cuts its own 429s made (not the imposed ones): a
	// change tells that Observe cut.
	Cuts int
	// Measured reports whether the budget had seen answered requests
	// before its last cut: a cut without them (the first answers were
	// 429s) is the minimum rate in the assumed window, a guess, not a
	// measure.
	Measured bool
}

// State returns what the budget has learned.
func (b *AdaptiveBudget) State() AdaptiveState {
	now := b.clock.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.throttled {
		return AdaptiveState{Cuts: b.cuts}
	}
	return AdaptiveState{Throttled: true, Rate: b.rateAt(now, b.min, b.max), Cut: b.floor,
		Window: b.learned, Cuts: b.cuts, Measured: !b.first.IsZero() && !b.first.After(b.cutAt)}
}

// Impose makes the budget act as if it had cut to r requests per second
// itself: a rate learned elsewhere (by another process of the app). The
// rate holds until regrowIn from now (the end of the cool-down the cut
// belongs to; 429s observed until then do not cut again), then regrows
// as after a cut of its own. A window > 0 replaces the learned window,
// the time unit of the regrowth. r is kept within the budget's minimum
// and maximum rate; an r that is not positive (or NaN) is ignored.
func (b *AdaptiveBudget) Impose(r float64, window, regrowIn time.Duration) {
	if !(r > 0) || math.IsInf(r, 1) {
		return
	}
	now := b.clock.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.impose(now, clampRate(r, b.min, b.max), window, max(regrowIn, 0))
	b.gen++
	b.paced.Store(true)
	// A fresh limiter, as after a cut: the tokens reserved before are void.
	b.limiter, b.limit = rate.NewLimiter(rate.Limit(b.floor), 1), b.floor
}

// impose sets the learned state to a cut to r at now whose regrowth
// starts after regrowIn. A window > 0 replaces the learned one.
func (s *rateState) impose(now time.Time, r float64, window, regrowIn time.Duration) {
	if window > 0 {
		s.learned = min(max(window, minLearnedWindow), s.window)
	} else if !s.throttled {
		s.learned = s.window
	}
	s.throttled = true
	s.since = s.regrow
	s.cutAt, s.regrow = now, now.Add(regrowIn)
	s.eventEnd = s.regrow
	s.floor, s.peak = r, r/cutFactor
	if s.peak >= s.best || s.cutAt.Sub(s.bestAt) > bestFor*s.learned {
		s.best, s.bestAt = s.peak, s.cutAt
	}
	// The imposed figures stand: the regrowth does not measure them again
	// from this process's own answers.
	s.settled = true
}
