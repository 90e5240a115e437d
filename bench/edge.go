package bench

import "time"

// EdgeRun is what one setup of BenchmarkEdge measured, as it writes it
// to SPOTIFY_EDGE_OUT for cmd/report.
type EdgeRun struct {
	Setup       string        `json:"setup"`
	Clients     int           `json:"clients"`
	Adaptive    bool          `json:"adaptive"`
	B           int           `json:"b"`
	W           time.Duration `json:"w"`
	Concurrency int           `json:"concurrency"`
	// Changes are the window numbers at whose start B changed, and the new B.
	Changes []EdgeChange `json:"changes"`
	// Windows holds per window: the capacity in force (B/W at its start,
	// per second), attempts sent, 429s, attempts answered otherwise, per
	// client; failed calls.
	Windows []EdgeWindow `json:"windows"`
	// Slices is the successful attempts per second in each quarter window,
	// for the chart.
	Slices []float64 `json:"slices"`
	Failed int       `json:"failed"`
}

// EdgeChange is a change of the emulator's limit at the start of a window.
type EdgeChange struct {
	Window int `json:"window"`
	B      int `json:"b"`
}

// EdgeWindow is one window of a run.
type EdgeWindow struct {
	Capacity  float64 `json:"capacity"`
	Sent      int     `json:"sent"`
	Limited   int     `json:"limited"`
	OK        int     `json:"ok"`
	PerClient []int   `json:"per_client"`
}
