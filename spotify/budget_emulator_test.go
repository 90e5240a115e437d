package spotify_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
	"github.com/spotifysdk/spotify-go/transport"
)

// budgetProbe is a per-attempt stage placed after the ratelimit stage: it
// counts the attempts that passed the budget, before the first 429 and
// after the cool-down's end, and reports the first 429 it sees.
type budgetProbe struct {
	mu       sync.Mutex
	deadline time.Time // end of the cool-down; zero until the 429
	before   int       // attempts sent before the 429 came back
	after    int       // attempts sent after deadline

	got429 chan struct{}
	once   *sync.Once
}

func (p *budgetProbe) stage() transport.Stage {
	return transport.Stage{Name: "probe", Wrap: func(next http.RoundTripper) http.RoundTripper {
		return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			sent := time.Now()
			p.mu.Lock()
			switch {
			case p.deadline.IsZero():
				p.before++
			case sent.After(p.deadline):
				p.after++
			}
			p.mu.Unlock()
			resp, err := next.RoundTrip(req)
			if err == nil && resp.StatusCode == http.StatusTooManyRequests {
				p.once.Do(func() { close(p.got429) })
			}
			return resp, err
		})
	}}
}

// counts returns the attempts counted before the 429 and after deadline.
func (p *budgetProbe) counts() (before, after int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.before, p.after
}

// TestBudgetSharedAcrossClients sends load from two clients that share one
// budget, answers one request with 429 and Retry-After: 1, and checks on
// the emulator's record that no request arrived from 200 ms after the 429
// (the requests already on their way) until the end of its second, and
// that both clients sent again after it.
func TestBudgetSharedAcrossClients(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	const (
		route      = "GET /v1/tracks/{id}"
		retryAfter = time.Second
		inFlight   = 200 * time.Millisecond
		workers    = 4 // per client
	)
	srv := spotifytest.NewServer(spotifytest.WithFaults(spotifytest.FaultPlan{
		Route: route, Kind: spotifytest.Fault429, After: 80, Count: 1, RetryAfter: retryAfter}))
	ids := srv.Catalog().IDs(spotifytest.KindTrack, 500)
	budget := middleware.NewFixedBudget(middleware.BudgetOptions{})

	got429 := make(chan struct{})
	var once sync.Once
	probes := []*budgetProbe{{got429: got429, once: &once}, {got429: got429, once: &once}}
	clients := make([]*spotify.Client, len(probes))
	for i, p := range probes {
		opts := append(srv.ClientOptions(),
			spotify.WithClientCredentials(spotifytest.ClientID, spotifytest.ClientSecret),
			spotify.WithBudget(budget),
			spotify.WithCache(nil), // every call reaches the emulator
			spotify.WithBackoff(func(int) time.Duration { return time.Millisecond }),
			spotify.WithMiddleware(p.stage(), spotify.After(middleware.StageRateLimit)))
		c, err := spotify.NewClient(opts...)
		require.NoError(t, err)
		clients[i] = c
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stop := make(chan struct{})
	var next atomic.Int64
	var failures atomic.Int64
	var wg sync.WaitGroup
	for _, c := range clients {
		for range workers {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					id := ids[int(next.Add(1))%len(ids)]
					if _, err := c.Tracks.Get(ctx, id, nil); err != nil {
						failures.Add(1)
						t.Errorf("GET track %s: %v", id, err)
						return
					}
				}
			})
		}
	}

	select {
	case <-got429:
	case <-ctx.Done():
		close(stop)
		wg.Wait()
		require.FailNow(t, "no 429 within the test's time")
	}
	// The cool-down, plus its jitter (up to a tenth), plus time for the
	// load to come back.
	deadline := time.Now().Add(retryAfter)
	for _, p := range probes {
		p.mu.Lock()
		p.deadline = deadline.Add(retryAfter / 10)
		p.mu.Unlock()
	}
	select {
	case <-time.After(time.Until(deadline) + 400*time.Millisecond):
	case <-ctx.Done():
	}
	close(stop)
	wg.Wait()
	require.NoError(t, ctx.Err(), "the test ran out of time")
	require.Zero(t, failures.Load())

	served := srv.Served()
	var limited []spotifytest.Served
	for _, s := range served {
		if s.Fault == spotifytest.Fault429 {
			limited = append(limited, s)
		}
	}
	require.Len(t, limited, 1, "429 answers")
	at := limited[0].At
	quietFrom, quietTo := at.Add(inFlight), at.Add(retryAfter)
	before, quiet, after := 0, 0, 0
	for _, s := range served {
		switch {
		case !s.At.After(at):
			before++
		case s.At.After(quietFrom) && s.At.Before(quietTo):
			quiet++
			if quiet <= 5 {
				t.Errorf("%s arrived %v after the 429, inside its cool-down", s.Route, s.At.Sub(at))
			}
		case !s.At.Before(quietTo):
			after++
		}
	}
	t.Logf("requests: %d before the 429, %d within %v of it, %d in the cool-down, %d after it",
		before, len(served)-before-quiet-after, inFlight, quiet, after)
	assert.Zero(t, quiet, "requests that arrived during the shared cool-down")
	assert.Positive(t, after, "no request arrived after the cool-down: the load did not resume")
	for i, p := range probes {
		b, a := p.counts()
		t.Logf("client %d: %d attempts before the 429, %d after the cool-down", i, b, a)
		assert.Positive(t, b, "client %d sent nothing before the 429", i)
		assert.Positive(t, a, "client %d sent nothing after the cool-down", i)
	}

	for _, c := range clients {
		require.NoError(t, c.Close())
	}
	srv.Close()
	goleak.VerifyNone(t, ignore)
}
