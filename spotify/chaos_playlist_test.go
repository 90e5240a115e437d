package spotify_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// TestChaosPlaylistAddItems builds a 1,000-track playlist with chunked
// AddItems under the fault mix. An add is not idempotent, so the SDK
// never sends a chunk again after a 5xx or a broken connection: it stops
// with a *ChunkError. The test then reads the playlist back (a read may
// be retried), tells from its length whether the failed chunk was
// applied, and adds the missing items at their position. It ends with
// every track in the playlist exactly once and in order. It runs over
// HTTP/1.1 and HTTP/2 (where a reset is a stream's).
func TestChaosPlaylistAddItems(t *testing.T) { overProtocols(t, chaosPlaylistAddItems) }

func chaosPlaylistAddItems(t *testing.T, p spotifytest.Protocol) {
	ignore := goleak.IgnoreCurrent()
	const (
		total = 1_000
		add   = "POST /v1/playlists/{playlist_id}/items"
		read  = "GET /v1/playlists/{playlist_id}/items"
	)
	srv := spotifytest.NewServer(spotifytest.WithProtocol(p))
	uris := make([]string, 0, total)
	for _, id := range srv.Catalog().IDs(spotifytest.KindTrack, total) {
		uris = append(uris, "spotify:track:"+id)
	}
	require.Len(t, chaosDistinct(uris), total)

	tok := srv.UserToken("playlist-modify-private", "playlist-modify-public", "playlist-read-private")
	c, err := spotify.NewClient(append(append(srv.ClientOptions(), spotify.WithAccessToken(tok)), chaosOptions()...)...)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pl, err := c.Playlists.Create(ctx, "chaos", nil)
	require.NoError(t, err)

	// Besides the mix, which hits few of the dozen adds, some faults hit
	// the adds on every run: the second add is answered 429 (the SDK sends
	// it again: nothing was applied), the third is applied but its answer
	// is lost (the client cannot know it landed), and later ones fail with
	// a 503 or a cut connection before they are applied.
	srv.InjectFaults(
		spotifytest.FaultPlan{Route: add, Kind: spotifytest.Fault429, After: 1, Count: 1, RetryAfter: 30 * time.Millisecond},
		spotifytest.FaultPlan{Route: add, Kind: spotifytest.FaultResetAfter, After: 2, Count: 1},
		spotifytest.FaultPlan{Route: add, Kind: spotifytest.Fault503, After: 4, Count: 1},
		spotifytest.FaultPlan{Route: add, Kind: spotifytest.FaultResetBefore, After: 6, Count: 1},
	)
	srv.InjectFaults(chaosPlans(add, 11)...)
	srv.InjectFaults(chaosPlans(read, 12)...)

	start := time.Now()
	have, landed, lost, reads := 0, 0, 0, 0
	for calls := 0; have < total; calls++ {
		require.Less(t, calls, 50, "the playlist still lacks %d items", total-have)
		_, err := c.Playlists.AddItems(ctx, pl.ID, uris[have:], &spotify.AddItemsOptions{Position: spotify.Ptr(have)})
		got, n := chaosReadPlaylist(ctx, t, c, pl.ID)
		reads += n
		if err == nil {
			require.Equal(t, uris, got, "the playlist after an add that succeeded")
			break
		}
		var ce *spotify.ChunkError
		require.ErrorAs(t, err, &ce, "a failed chunked add")
		sent := append(append(append([]string(nil), ce.Applied...), ce.Failed...), ce.NotSent...)
		require.Equal(t, uris[have:], sent, "Applied, Failed and NotSent are the items asked for, in order")
		require.NotEmpty(t, ce.Failed)
		// The playlist holds the items before the failed chunk, and the
		// failed chunk when it landed after all: nothing else.
		switch len(got) {
		case have + len(ce.Applied):
			lost++
		case have + len(ce.Applied) + len(ce.Failed):
			landed++
		default:
			require.Failf(t, "items lost or duplicated",
				"add of %d items at %d failed (%v) with %d applied and %d failed, and the playlist has %d items",
				total-have, have, ce.Err, len(ce.Applied), len(ce.Failed), len(got))
		}
		require.Equal(t, uris[:len(got)], got, "the playlist is the first %d items, in order", len(got))
		have = len(got)
	}

	final, _ := chaosReadPlaylist(ctx, t, c, pl.ID)
	require.Equal(t, uris, final, "every track exactly once, in order")
	t.Logf("1,000 items in %v: %d failed chunks had not landed and %d had (the outcome was unknown); %d reads",
		time.Since(start).Round(time.Millisecond), lost, landed, reads)
	assert.Positive(t, landed, "no failed chunk had landed: the unknown-outcome path did not run")
	assert.Positive(t, lost, "every failed chunk had landed: the resend path did not run")
	chaosFaults(t, srv, add)
	chaosFaults(t, srv, read)

	require.NoError(t, c.Close())
	srv.Close()
	goleak.VerifyNone(t, ignore)
}

// chaosReadPlaylist reads every item URI of a playlist, reading again from
// the first page when a read fails after its retries (a read changes
// nothing). It returns the URIs and how many reads it started.
func chaosReadPlaylist(ctx context.Context, t *testing.T, c *spotify.Client, id string) ([]string, int) {
	t.Helper()
	for n := 1; n <= 10; n++ {
		got, err := chaosReadPlaylistOnce(ctx, c, id)
		if err == nil {
			return got, n
		}
		require.NoError(t, ctx.Err(), "the test ran out of time")
		t.Logf("read %d of playlist %s failed: %v", n, id, err)
	}
	require.FailNow(t, "the playlist could not be read in 10 tries")
	return nil, 0
}

// chaosReadPlaylistOnce reads every item URI of a playlist, page by page.
func chaosReadPlaylistOnce(ctx context.Context, c *spotify.Client, id string) ([]string, error) {
	page, err := c.Playlists.GetItems(ctx, id, &spotify.PlaylistItemsOptions{Limit: 50})
	if err != nil {
		return nil, err
	}
	var uris []string
	for it, err := range page.All(ctx) {
		if err != nil {
			return nil, err
		}
		if it.Item == nil {
			uris = append(uris, "")
			continue
		}
		uris = append(uris, it.Item.URI())
	}
	return uris, nil
}
