package main

import (
	"fmt"
	"time"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// chaosLevel is the value of -chaos: "" (off), "mild" or "heavy". It is a
// boolean flag as well, so that -chaos alone means mild.
type chaosLevel string

const (
	chaosOff   chaosLevel = ""
	chaosMild  chaosLevel = "mild"
	chaosHeavy chaosLevel = "heavy"
)

// String returns the level, "" when off.
func (c *chaosLevel) String() string { return string(*c) }

// Set parses -chaos (true: mild), -chaos=mild, -chaos=heavy or
// -chaos=false.
func (c *chaosLevel) Set(s string) error {
	switch s {
	case "true", "mild":
		*c = chaosMild
	case "heavy":
		*c = chaosHeavy
	case "false", "off":
		*c = chaosOff
	default:
		return fmt.Errorf("want mild or heavy, got %q", s)
	}
	return nil
}

// IsBoolFlag lets -chaos stand alone.
func (c *chaosLevel) IsBoolFlag() bool { return true }

// chaosPlans are the faults of -chaos (mild), on every /v1 route: about
// one request in twelve fails in a way the chain retries (a GET is
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

// heavyChaosPlans are the faults of -chaos=heavy: a quarter of the
// requests fail, enough that with the client's default options some calls
// run out of retries and the import has to try their units again.
var heavyChaosPlans = []spotifytest.FaultPlan{
	{Kind: spotifytest.Fault503, Probability: 0.10},
	{Kind: spotifytest.Fault429, Probability: 0.05, Burst: 3, RetryAfter: 50 * time.Millisecond},
	{Kind: spotifytest.FaultResetAfter, Probability: 0.02},
	{Kind: spotifytest.FaultTruncate, Probability: 0.02},
}

// chaosOptions returns the emulator options of a -chaos level.
func chaosOptions(c chaosLevel) []spotifytest.Option {
	switch c {
	case chaosMild:
		return []spotifytest.Option{spotifytest.WithFaults(chaosPlans...)}
	case chaosHeavy:
		return []spotifytest.Option{spotifytest.WithFaults(heavyChaosPlans...)}
	}
	return nil
}

// chaosClientOptions returns the client options of a -chaos level. Mild
// chaos gets a few more retries than the default 3, since the faults are
// drawn independently and a request may meet several in a row; heavy
// chaos keeps the client's defaults on purpose: the calls that run out of
// retries are what the import's own unit retries are for.
func chaosClientOptions(c chaosLevel) []spotify.Option {
	if c != chaosMild {
		return nil
	}
	return []spotify.Option{spotify.WithMaxRetries(6)}
}
