package bench

import "time"

// FleetRun is what one setup of BenchmarkFleet measured (issue 19), as it
// writes it to SPOTIFY_FLEET_OUT for cmd/report: worker processes of one
// app against one emulator window of B requests per W, which they are not
// told, sharing their Budget through Redis or each with its own.
type FleetRun struct {
	// Setup is "shared" (a redisbudget.Budget over an AdaptiveBudget in
	// each worker) or "local" (each worker's own AdaptiveBudget).
	Setup       string        `json:"setup"`
	Workers     int           `json:"workers"`
	B           int           `json:"b"`
	W           time.Duration `json:"w"`
	Windows     int           `json:"windows"`
	Concurrency int           `json:"concurrency"` // calls in flight per worker
	// First is the first window, Rest the windows after it, by the
	// emulator's served log.
	First FleetCounts `json:"first"`
	Rest  FleetCounts `json:"rest"`
	// Early counts the requests of any worker that left their Budget
	// after a worker had taken in a 429 (and, when shared, stored it in
	// Redis) and before its deadline (its arrival plus its Retry-After),
	// except those in flight: their Budget check began before the 429 was
	// taken in and they left within 100 ms of it. EarliestBy is the
	// longest time before a deadline one left.
	Early      int           `json:"early"`
	EarliestBy time.Duration `json:"earliest_by"`
	// PerWorker is each worker's successful calls; Failed the calls that
	// failed, over all workers.
	PerWorker []int `json:"per_worker"`
	Failed    int   `json:"failed"`
}

// FleetCounts counts the requests of some windows.
type FleetCounts struct {
	Sent    int `json:"sent"`
	Limited int `json:"limited"` // answered 429
	OK      int `json:"ok"`      // answered otherwise
	// Capacity is B times the number of windows.
	Capacity int `json:"capacity"`
}

// LimitedShare is the share of the requests answered 429.
func (c FleetCounts) LimitedShare() float64 {
	if c.Sent == 0 {
		return 0
	}
	return float64(c.Limited) / float64(c.Sent)
}

// OfCapacity is the successful requests over B/W.
func (c FleetCounts) OfCapacity() float64 {
	if c.Capacity == 0 {
		return 0
	}
	return float64(c.OK) / float64(c.Capacity)
}
