package main

import (
	"flag"
	"time"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// registerChaosFlag registers -chaos.
func registerChaosFlag(fs *flag.FlagSet, p *bool) {
	fs.BoolVar(p, "chaos", false, "emulator mode: inject 429 bursts, 5xx, connection resets, truncated bodies and latency")
}

// chaosPlans are the faults of -chaos, on every /v1 route: about one
// request in twelve fails in a way the chain retries (a GET is
// idempotent, so even a reset after the server answered is safe to
// resend), and one in twenty is slowed down.
var chaosPlans = []spotifytest.FaultPlan{
	{Kind: spotifytest.Fault429, Probability: 0.002, Burst: 2, RetryAfter: 100 * time.Millisecond},
	{Kind: spotifytest.Fault503, Probability: 0.02},
	{Kind: spotifytest.Fault502, Probability: 0.01},
	{Kind: spotifytest.FaultResetBefore, Probability: 0.01},
	{Kind: spotifytest.FaultResetAfter, Probability: 0.01},
	{Kind: spotifytest.FaultTruncate, Probability: 0.01},
	{Kind: spotifytest.FaultLatency, Probability: 0.05, Delay: 20 * time.Millisecond},
}

// chaosOptions returns the emulator options of -chaos.
func chaosOptions(on bool) []spotifytest.Option {
	if !on {
		return nil
	}
	return []spotifytest.Option{spotifytest.WithFaults(chaosPlans...)}
}

// chaosClientOptions returns the client options of -chaos: a few more
// retries than the default 3, since the faults are drawn independently
// and a request may meet several in a row.
func chaosClientOptions(on bool) []spotify.Option {
	if !on {
		return nil
	}
	return []spotify.Option{spotify.WithMaxRetries(6)}
}
