package spotify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// The chaos tests run the SDK against the emulator with a mix of faults on
// the routes they use, and check that nothing is lost or duplicated: a
// 10,000-track fetch through the AsyncClient (here) and a 1,000-track
// playlist built with chunked adds (chaos_playlist_test.go).

// chaosShare is one fault of the mix and the share of requests it hits.
type chaosShare struct {
	kind       spotifytest.FaultKind
	share      float64
	retryAfter time.Duration
	delay      time.Duration
}

// chaosMix is the fault mix of the issue: 10% 5xx, 5% 429 with a
// Retry-After of 20 to 50 ms, 2% resets (half before the handler runs,
// half after), and a few milliseconds of latency on a fifth of the
// requests.
var chaosMix = []chaosShare{
	{kind: spotifytest.Fault500, share: 0.04},
	{kind: spotifytest.Fault502, share: 0.03},
	{kind: spotifytest.Fault503, share: 0.03},
	{kind: spotifytest.Fault429, share: 0.0125, retryAfter: 20 * time.Millisecond},
	{kind: spotifytest.Fault429, share: 0.0125, retryAfter: 30 * time.Millisecond},
	{kind: spotifytest.Fault429, share: 0.0125, retryAfter: 40 * time.Millisecond},
	{kind: spotifytest.Fault429, share: 0.0125, retryAfter: 50 * time.Millisecond},
	{kind: spotifytest.FaultResetBefore, share: 0.01},
	{kind: spotifytest.FaultResetAfter, share: 0.01},
	{kind: spotifytest.FaultLatency, share: 0.20, delay: 3 * time.Millisecond},
}

// chaosPlans returns the plans of chaosMix on route, seeded from seed so
// that the sequence of faults is the same on every run. The emulator tries
// plans in order and the first that fires decides, so each plan draws only
// among the requests the plans before it let through: its probability is
// its share of what is left.
func chaosPlans(route string, seed int64) []spotifytest.FaultPlan {
	plans := make([]spotifytest.FaultPlan, len(chaosMix))
	left := 1.0
	for i, m := range chaosMix {
		plans[i] = spotifytest.FaultPlan{Route: route, Kind: m.kind, Probability: m.share / left,
			Seed: seed*100 + int64(i) + 1, RetryAfter: m.retryAfter, Delay: m.delay}
		left -= m.share
	}
	return plans
}

// Client settings of the chaos tests.
const (
	chaosConcurrency = 8
	chaosRetries     = 2
)

// chaosOptions are the client options of the chaos tests: few retries
// with short waits, so that some calls fail after their retries and the
// test has to send them again, no circuit breaker, which would turn a
// burst of 5xx into thirty seconds of refusals. The adaptive rate stays
// on: the random 429s ask for under a second, which it reads as a
// cool-down, not as a limit (a rate cut on each would slow the test to a
// crawl).
func chaosOptions() []spotify.Option {
	return []spotify.Option{
		spotify.WithMaxRetries(chaosRetries),
		spotify.WithBackoff(func(n int) time.Duration { return time.Duration(n+1) * time.Millisecond }),
		spotify.WithCircuitBreaker(nil),
		spotify.WithConcurrency(chaosConcurrency),
	}
}

// chaosFaults logs how many requests route had and the share of them each
// kind of fault hit, and returns the counts by kind.
func chaosFaults(t *testing.T, srv *spotifytest.Server, route string) map[spotifytest.FaultKind]int {
	t.Helper()
	faults := srv.Faults(route)
	total := srv.Requests(route)
	var line string
	for _, k := range slices.Sorted(maps.Keys(faults)) {
		line += fmt.Sprintf(" %v %d (%.1f%%)", k, faults[k], 100*float64(faults[k])/float64(total))
	}
	t.Logf("%s: %d requests, faults:%s", route, total, line)
	return faults
}

// chaosExpectedFailure reports whether err is what an injected fault
// leaves once the retries are spent: a 429 or 5xx answer, a cut
// connection, or over HTTP/2 a reset stream. Anything else (a decode
// error, a lost request) is a bug the resubmission must not hide.
func chaosExpectedFailure(err error) bool {
	var apiErr *spotify.Error
	if errors.As(err, &apiErr) && slices.Contains([]int{429, 500, 502, 503}, apiErr.StatusCode) {
		return true
	}
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || streamReset(err)
}

// TestChaosFetchTracks fetches 10,000 tracks through the AsyncClient in
// batches of 50, under the fault mix, sending again every batch whose call
// failed after its retries, and checks that the results hold every track
// exactly once, in the order asked, and that the emulator served each. It
// runs over HTTP/1.1 and HTTP/2.
func TestChaosFetchTracks(t *testing.T) { overProtocols(t, chaosFetchTracks) }

func chaosFetchTracks(t *testing.T, p spotifytest.Protocol) {
	ignore := goleak.IgnoreCurrent()
	const (
		route = "GET /v1/tracks"
		total = 10_000
		batch = 50 // one request per call
		// burst is a run of 503s that some call meets on every attempt, so
		// that the resubmission path runs on every run: when the burst
		// starts and when it ends, at most chaosConcurrency calls are
		// running, each with at most chaosRetries of its attempts inside
		// it; a longer burst holds all the attempts of at least one call.
		burst = 2*chaosConcurrency*chaosRetries + 8
	)
	forced := spotifytest.FaultPlan{Route: route, Kind: spotifytest.Fault503, After: 40, Burst: burst, Count: burst}
	srv := spotifytest.NewServer(spotifytest.WithProtocol(p), spotifytest.WithFaults(append([]spotifytest.FaultPlan{forced}, chaosPlans(route, 7)...)...))
	ids := srv.Catalog().IDs(spotifytest.KindTrack, total)
	require.Len(t, ids, total)
	require.Len(t, chaosDistinct(ids), total, "the catalogue's ids")

	opts := append(srv.ClientOptions(), spotify.WithClientCredentials(spotifytest.ClientID, spotifytest.ClientSecret))
	ac, err := spotify.NewAsyncClient(append(opts, chaosOptions()...)...)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	var batches [][]string
	for ch := range slices.Chunk(ids, batch) {
		batches = append(batches, ch)
	}
	start := time.Now()
	results := make([][]*spotify.Track, len(batches))
	pending := make([]int, len(batches)) // indexes of the batches still to fetch
	for i := range pending {
		pending[i] = i
	}
	resubmitted := 0
	var failures []error
	for round := 0; len(pending) > 0; round++ {
		require.Less(t, round, 10, "%d batches still fail after 10 rounds: %v", len(pending), failures)
		if round > 0 {
			resubmitted += len(pending)
		}
		futures := make([]*spotify.Future[[]*spotify.Track], len(pending))
		for j, b := range pending {
			futures[j] = ac.Tracks.GetSeveral(ctx, batches[b], nil)
		}
		var failed []int
		for j, b := range pending {
			tracks, err := futures[j].Await(ctx)
			if err != nil {
				require.NoError(t, ctx.Err(), "the test ran out of time")
				failures = append(failures, err)
				failed = append(failed, b)
				continue
			}
			require.Nil(t, results[b], "batch %d came back twice", b)
			results[b] = tracks
		}
		pending = failed
	}
	elapsed := time.Since(start)

	// Every track exactly once, where it was asked for.
	seen := make(map[string]int, total)
	for b, tracks := range results {
		require.Len(t, tracks, len(batches[b]), "batch %d", b)
		for j, tr := range tracks {
			require.NotNil(t, tr, "batch %d, track %d (%s) came back null", b, j, batches[b][j])
			assert.Equal(t, batches[b][j], tr.ID, "batch %d, track %d", b, j)
			seen[tr.ID]++
		}
	}
	assert.Len(t, seen, total, "distinct tracks in the results")
	for _, id := range ids {
		assert.Equal(t, 1, seen[id], "track %s in the results", id)
	}

	// Every track served at least once by the emulator.
	servedTotal, servedTwice := 0, 0
	for _, id := range ids {
		n := srv.TimesServed("spotify:track:" + id)
		assert.Positive(t, n, "track %s was never served", id)
		servedTotal += n
		if n > 1 {
			servedTwice++
		}
	}

	t.Logf("%d tracks in %d batches in %v; %d calls failed after their retries and were sent again (%d failures); "+
		"the emulator served %d track objects, %d tracks more than once", total, len(batches), elapsed.Round(time.Millisecond),
		resubmitted, len(failures), servedTotal, servedTwice)
	for i, err := range failures[:min(3, len(failures))] {
		t.Logf("failure %d: %v", i+1, err)
	}
	assert.Positive(t, resubmitted, "no call failed after its retries: the resubmission path did not run")
	for _, err := range failures {
		assert.True(t, chaosExpectedFailure(err), "a call failed in a way the faults do not explain: %v", err)
	}
	faults := chaosFaults(t, srv, route)
	t.Logf("%d of the 503s are the forced burst", burst)
	for _, m := range chaosMix {
		assert.Positive(t, faults[m.kind], "no %v was injected", m.kind)
	}
	// The handler of a reset-after answer ran, and the call then sent its
	// batch again: besides those, every track was served exactly once, so
	// the SDK sent no request it did not need.
	assert.Equal(t, total+batch*faults[spotifytest.FaultResetAfter], servedTotal,
		"track objects served: one per track, plus a batch per reset-after answer")

	require.NoError(t, ac.Close())
	srv.Close()
	goleak.VerifyNone(t, ignore)
}

// chaosDistinct returns the distinct strings of list.
func chaosDistinct(list []string) map[string]bool {
	out := make(map[string]bool, len(list))
	for _, s := range list {
		out[s] = true
	}
	return out
}
