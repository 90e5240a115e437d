package middleware

import (
	"math"
	"time"
)

// The rate an AdaptiveBudget learns: a cut to a fraction of the measured
// rate on a 429, then a cubic regrowth (the shape of TCP CUBIC and of the
// AWS SDKs' adaptive retry mode), whose time unit is the learned window.

const (
	// cutFactor is the fraction of the measured rate a 429 cuts to.
	cutFactor = 0.95
	// growFactor is how far above the peak the regrowth is one time unit
	// (regrowSpan) after it passed the peak, as a fraction of the peak: a
	// limit raised to double is reached half a window after the regrowth
	// began (0.4 windows back to the peak, a tenth more up to double).
	// Above the peak the budget overruns a limit that stays only until its
	// next 429, which costs a handful of 429s; below a limit that rose it
	// wastes the window's free slots for as long as it climbs.
	growFactor = 64.0
	// probeFactor is the same above the best peak of late: a limit that
	// stays is probed slowly.
	probeFactor = 0.25
	// regrowSpan is the regrowth's time unit, in learned windows: back to
	// the peak in 0.4 windows. A whole window (the first design) left too
	// much of the window unused after every cut and after every change of
	// the limit: at B=300 per 10 s, halved and restored, 84.5% of B/W.
	regrowSpan = 0.4
	// bestFor is how many learned windows the best peak is remembered.
	bestFor = 10
	// ringBuckets is the resolution of the answered-request counts over
	// the assumed window.
	ringBuckets = 1024
	// minLearnedWindow is the shortest window the first 429 may teach.
	minLearnedWindow = time.Second
	// minCutRetryAfter is the shortest Retry-After that cuts the rate: a
	// shorter one only sets its cool-down.
	minCutRetryAfter = time.Second
)

// rateState is the learned part of an AdaptiveBudget. Its methods need the
// budget's lock.
type rateState struct {
	window time.Duration // the assumed (longest) window
	bucket time.Duration // window / ringBuckets
	ring   [ringBuckets]struct {
		idx int64 // bucket number (time / bucket) the count is for
		n   int
	}
	first time.Time // the first answer taken, or zero

	throttled bool          // a 429 was met
	learned   time.Duration // the window learned from the first 429
	peak      float64       // the measured rate at the last cut
	floor     float64       // the rate cut to
	regrow    time.Time     // when the regrowth starts: the cut's cool-down end
	eventEnd  time.Time     // 429s before this belong to the last cut
	cutAt     time.Time     // the 429 that cut
	since     time.Time     // the regrowth before it began, or zero
	best      float64       // the best peak of late
	bestAt    time.Time     // when it was measured
	settled   bool          // the answers in flight at the cut were counted
}

func newRateState(window time.Duration) rateState {
	s := rateState{window: window, bucket: window / ringBuckets}
	if s.bucket <= 0 {
		s.bucket = 1
	}
	return s
}

// served counts an answered request at at.
func (s *rateState) served(at time.Time) {
	if s.first.IsZero() {
		s.first = at
	}
	i := at.UnixNano() / int64(s.bucket)
	e := &s.ring[i%ringBuckets]
	if e.idx != i {
		e.idx, e.n = i, 0
	}
	e.n++
}

// servedSince counts the answered requests of the buckets from.. at.
func (s *rateState) servedSince(from, at time.Time) int {
	lo, hi := from.UnixNano()/int64(s.bucket), at.UnixNano()/int64(s.bucket)
	n := 0
	for i := max(lo, hi-ringBuckets+1); i <= hi; i++ {
		if e := s.ring[i%ringBuckets]; e.idx == i {
			n += e.n
		}
	}
	return n
}

// cut learns from a 429 at at with Retry-After ra that starts a new event,
// and returns the rate cut to, within [lo, hi] (hi 0: no ceiling).
func (s *rateState) cut(at time.Time, ra time.Duration, lo, hi float64) float64 {
	if !s.throttled {
		// The load began at first and filled the window by at; the oldest
		// of its requests leaves it in ra: the window is about their sum.
		// A Retry-After in whole seconds is rounded up (Spotify's is):
		// the slot frees half a second earlier, on average.
		free := ra
		if ra >= time.Second && ra%time.Second == 0 {
			free -= time.Second / 2
		}
		s.learned = s.window
		if !s.first.IsZero() {
			s.learned = min(max(at.Sub(s.first)+free, minLearnedWindow), s.window)
		}
		s.throttled = true
	}
	s.since = s.regrow // the previous regrowth's start, or zero
	s.cutAt, s.regrow, s.eventEnd, s.settled = at, at.Add(ra), at.Add(ra), false
	s.measure(at, lo, hi)
	return s.floor
}

// measure sets the peak to the rate of the requests answered from one
// learned window before the cut until to, and the floor below it; or to
// the rate since the previous regrowth began when that is lower and was
// measured over a quarter window or more (the limit fell: the server took
// less than the window-long average says); or, when the previous regrowth
// began a window or more before, to the rate of the last half window when
// that is higher (a probe above a limit that was raised again: the
// window-long average still holds the ramp up to it, and cutting to it
// would dip the next window).
func (s *rateState) measure(to time.Time, lo, hi float64) {
	w := s.learned
	measured := float64(s.servedSince(s.cutAt.Add(-w), to)) / w.Seconds()
	if el := s.cutAt.Sub(s.since); !s.since.IsZero() && el >= w/4 && el < w {
		measured = math.Min(measured, float64(s.servedSince(s.since, to))/el.Seconds())
	} else if !s.since.IsZero() && el >= w {
		q := w / 2
		measured = math.Max(measured, float64(s.servedSince(s.cutAt.Add(-q), to))/q.Seconds())
	}
	s.peak = clampRate(measured, lo, hi)
	if s.peak >= s.best || s.cutAt.Sub(s.bestAt) > bestFor*w {
		s.best, s.bestAt = s.peak, s.cutAt
	}
	s.floor = clampRate(cutFactor*measured, lo, hi)
}

// rateAt returns the learned rate at now, within [lo, hi]: the cut rate
// until the regrowth starts (the cut's cool-down end), then a cubic in
// d = (t−k)/k with k regrowSpan learned windows: peak + (peak−floor)·d³ below the
// peak (concave: back to it in k, flat around it), peak + peak·growFactor·d³
// above it up to the best peak of late, and from there on the same with
// probeFactor.
func (s *rateState) rateAt(now time.Time, lo, hi float64) float64 {
	t := now.Sub(s.regrow).Seconds()
	if t < 0 {
		return s.floor
	}
	if !s.settled {
		// Nothing left during the cool-down: the answers that came in it
		// are of requests sent before the cut, which the server counted.
		s.settled = true
		p := s.peak
		if s.measure(s.regrow, lo, hi); s.peak < p {
			s.measure(s.cutAt, lo, hi) // never lower than at the cut
		}
	}
	k := regrowSpan * s.learned.Seconds()
	d := (t - k) / k
	if d <= 0 {
		return clampRate(s.peak+(s.peak-s.floor)*d*d*d, lo, hi) // back to the peak in k
	}
	// Above the peak: fast up to the best peak of late (a limit that was
	// raised again), slowly beyond it.
	r := s.peak + s.peak*growFactor*d*d*d
	if best := s.best; r > best {
		dm := math.Cbrt(max(best-s.peak, 0) / (s.peak * growFactor))
		e := d - dm
		r = max(best, s.peak) + max(best, s.peak)*probeFactor*e*e*e
	}
	return clampRate(r, lo, hi)
}

// clampRate returns r within [lo, hi] (hi 0: no ceiling).
func clampRate(r, lo, hi float64) float64 {
	if hi > 0 {
		r = math.Min(r, hi)
	}
	return math.Max(r, lo)
}
