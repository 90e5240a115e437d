package spotify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// batchCase is a methodCase of an Extended Quota operation: the case name
// starts with the operation id, and the case's method and path must be the
// operation's.
type batchCase struct {
	op *operation
	methodCase
}

// runBatchCases checks each case against its operation, then runs them.
func runBatchCases(t *testing.T, cases []batchCase) {
	t.Helper()
	mcs := make([]methodCase, 0, len(cases))
	for _, bc := range cases {
		require.NotNil(t, bc.op, bc.name)
		assert.True(t, bc.op.extended, "%s is an Extended Quota operation", bc.op.id)
		assert.Equal(t, bc.op.method, bc.method, "%s: the case sends the operation's method", bc.op.id)
		assert.True(t, batchPathMatches(bc.op.path, bc.path), "%s: %s does not fill %s", bc.op.id, bc.path, bc.op.path)
		mc := bc.methodCase
		mc.name = bc.op.id + " " + mc.name
		mcs = append(mcs, mc)
	}
	runMethodCases(t, mcs)
}

// batchPathMatches reports whether path fills the template tmpl (the
// matching of requests built by hand, route_match.go).
func batchPathMatches(tmpl, path string) bool {
	_, ok := templateMatch(strings.Split(strings.Trim(tmpl, "/"), "/"), strings.Split(strings.Trim(path, "/"), "/"))
	return ok
}

// batchOps are the 30 operations of this area, each a method of Albums,
// Artists, Audiobooks, Chapters, Episodes, Shows or Tracks.
var batchOps = []*operation{
	opGetSeveralAlbums, opGetNewReleases, opCheckSavedAlbums, opSaveAlbums, opRemoveAlbums,
	opGetSeveralArtists, opGetArtistTopTracks, opGetRelatedArtists,
	opGetSeveralAudiobooks, opCheckSavedAudiobooks, opSaveAudiobooks, opRemoveAudiobooks,
	opGetSeveralChapters,
	opGetSeveralEpisodes, opCheckSavedEpisodes, opSaveEpisodes, opRemoveEpisodes,
	opGetSeveralShows, opCheckSavedShows, opSaveShows, opRemoveShows,
	opGetSeveralTracks, opCheckSavedTracks, opSaveTracks, opRemoveTracks,
	opGetAudioFeatures, opGetSeveralAudioFeatures, opGetAudioAnalysis, opGetRecommendations, opGetRecommendationGenres,
}

func TestBatchEveryOperationHasAMethodCase(t *testing.T) {
	covered := map[*operation]int{}
	for _, cases := range [][]batchCase{albumsExtendedCases(), artistsExtendedCases(), audiobooksExtendedCases(),
		chaptersExtendedCases(), episodesExtendedCases(), showsExtendedCases(), tracksExtendedCases()} {
		for _, c := range cases {
			covered[c.op]++
		}
	}
	require.Len(t, batchOps, 30)
	for _, op := range batchOps {
		assert.True(t, op.extended, op.id)
		assert.Positive(t, covered[op], "%s has no method case", op.id)
	}
	assert.Len(t, covered, len(batchOps), "every case belongs to one of the area's operations")
}

func TestBatchDistinct(t *testing.T) {
	d, slot := batchDistinct([]string{"a", "b", "a", "c", "b", "a"})
	assert.Equal(t, []string{"a", "b", "c"}, d)
	assert.Equal(t, []int{0, 1, 0, 2, 1, 0}, slot)
}

// batchIDList returns n distinct ids; every 7th (i%7 == 3) is unknown to
// the fake API, which answers null for it.
func batchIDList(n int) []string {
	out := make([]string, n)
	for i := range out {
		if i%7 == 3 {
			out[i] = fmt.Sprintf("unknown%03d", i)
		} else {
			out[i] = fmt.Sprintf("t%03d", i)
		}
	}
	return out
}

// batchItemServer answers every batch get like Spotify: the list under
// key, one entry per asked id in the order asked, {"id": id} or null for
// an id starting with "unknown". handle, when set, runs first and may
// answer instead (returning true).
func batchItemServer(t *testing.T, key string, handle func(w http.ResponseWriter, r *http.Request, ids []string) bool) *testServer {
	t.Helper()
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		ids := strings.Split(r.URL.Query().Get("ids"), ",")
		if handle != nil && handle(w, r, ids) {
			return
		}
		parts := make([]string, len(ids))
		for i, id := range ids {
			if strings.HasPrefix(id, "unknown") {
				parts[i] = "null"
			} else {
				parts[i] = fmt.Sprintf(`{"id":%q,"name":"Item %s","type":"track","uri":"spotify:track:%s"}`, id, id, id)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{%q:[%s]}`, key, strings.Join(parts, ","))
	})
	return ts
}

// batchAskedIDs returns the ids of each recorded request, in the order the
// chunks were cut (by the position of their first id in order).
func batchAskedIDs(t *testing.T, reqs []recorded, method, path string) [][]string {
	t.Helper()
	var out [][]string
	for _, r := range reqs {
		assert.Equal(t, method, r.Method)
		assert.Equal(t, path, r.Path)
		out = append(out, strings.Split(r.Query.Get("ids"), ","))
	}
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(a[0][len(a[0])-3:], b[0][len(b[0])-3:]) })
	return out
}

func batchFail(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"error":{"status":%d,"message":"no"}}`, status)
}

// The test: 250 track ids, some unknown to Spotify, are fetched in
// 5 batch requests of 50 and come back in input order with nil for the
// unknown ones, whatever order the requests finish in.
func TestBatchTracksGetSeveral250(t *testing.T) {
	ids := batchIDList(250)
	ts := batchItemServer(t, "tracks", func(_ http.ResponseWriter, r *http.Request, asked []string) bool {
		if asked[0] == ids[0] {
			time.Sleep(30 * time.Millisecond) // the first chunk finishes last
		}
		return false
	})
	c := newTestClient(t, ts)
	got, err := c.Tracks.GetSeveral(context.Background(), ids, &SeveralTracksOptions{Market: "SE"})
	require.NoError(t, err)

	reqs := ts.requests()
	require.Len(t, reqs, 5, "250 ids are 5 requests of 50")
	for _, r := range reqs {
		assert.Equal(t, "SE", r.Query.Get("market"))
		assert.Equal(t, "Bearer test-token", r.Header.Get("Authorization"))
	}
	asked := batchAskedIDs(t, reqs, "GET", "/tracks")
	for i, chunk := range asked {
		assert.Equal(t, ids[i*50:(i+1)*50], chunk, "chunk %d", i)
	}

	require.Len(t, got, 250)
	unknown := 0
	for i, tr := range got {
		if strings.HasPrefix(ids[i], "unknown") {
			assert.Nil(t, tr, "position %d: Spotify answered null", i)
			unknown++
			continue
		}
		require.NotNil(t, tr, "position %d", i)
		assert.Equal(t, ids[i], tr.ID, "position %d is in input order", i)
	}
	assert.Equal(t, 36, unknown)
}

func TestBatchGetSeveralDuplicatesFetchedOnce(t *testing.T) {
	distinct := batchIDList(250)
	// 300 ids: the 250 distinct ones with a repeat after every 5th.
	var ids []string
	for i, id := range distinct {
		ids = append(ids, id)
		if i%5 == 4 {
			ids = append(ids, distinct[i/2])
		}
	}
	require.Len(t, ids, 300)
	ts := batchItemServer(t, "tracks", nil)
	c := newTestClient(t, ts)
	got, err := c.Tracks.GetSeveral(context.Background(), ids, nil)
	require.NoError(t, err)

	asked := batchAskedIDs(t, ts.requests(), "GET", "/tracks")
	require.Len(t, asked, 5, "250 distinct ids are 5 requests of 50")
	var all []string
	for _, chunk := range asked {
		assert.Len(t, chunk, 50)
		all = append(all, chunk...)
	}
	assert.Equal(t, distinct, all, "each distinct id is asked once, in order of first occurrence")

	require.Len(t, got, 300)
	first := map[string]*Track{}
	for i, tr := range got {
		if strings.HasPrefix(ids[i], "unknown") {
			assert.Nil(t, tr, "position %d", i)
			continue
		}
		require.NotNil(t, tr, "position %d", i)
		assert.Equal(t, ids[i], tr.ID, "position %d", i)
		if p, ok := first[ids[i]]; ok {
			assert.Same(t, p, tr, "a repeated id gets the result of its first occurrence")
		}
		first[ids[i]] = tr
	}
}

// batchInFlight counts the handler executions in flight and their peak.
type batchInFlight struct {
	now, peak atomic.Int32
}

// enter counts a request in, waits until want have been in flight
// together (or wait passes), and returns the function that counts it out.
func (f *batchInFlight) enter(want int32, wait time.Duration) func() {
	n := f.now.Add(1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	deadline := time.Now().Add(wait)
	for f.peak.Load() < want && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return func() { f.now.Add(-1) }
}

func TestBatchGetSeveralConcurrency(t *testing.T) {
	ids := batchIDList(250)
	t.Run("never more than WithConcurrency", func(t *testing.T) {
		var f batchInFlight
		ts := batchItemServer(t, "tracks", func(_ http.ResponseWriter, _ *http.Request, _ []string) bool {
			// Wait for a third request that must never come.
			defer f.enter(3, 100*time.Millisecond)()
			return false
		})
		c := newTestClient(t, ts, WithConcurrency(2))
		got, err := c.Tracks.GetSeveral(context.Background(), ids, nil)
		require.NoError(t, err)
		assert.Len(t, got, 250)
		assert.Len(t, ts.requests(), 5)
		assert.EqualValues(t, 2, f.peak.Load(), "the chunks run 2 at a time, never more")
	})
	t.Run("all chunks at once within the default concurrency", func(t *testing.T) {
		var f batchInFlight
		ts := batchItemServer(t, "tracks", func(_ http.ResponseWriter, _ *http.Request, _ []string) bool {
			defer f.enter(5, 5*time.Second)()
			return false
		})
		c := newTestClient(t, ts)
		_, err := c.Tracks.GetSeveral(context.Background(), ids, nil)
		require.NoError(t, err)
		assert.EqualValues(t, 5, f.peak.Load(), "the 5 chunks are in flight together")
	})
}

// The chain's bulkhead also caps the requests in flight; this checks the
// fan-out's own cap, which keeps a long list from queueing every chunk at
// once (the remaining chunks are not even started).
func TestBatchFetchRunsAtMostConcurrencyChunks(t *testing.T) {
	for _, n := range []int{1, 2, 3} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ts := newTestServer(t)
			c := newTestClient(t, ts, WithConcurrency(n))
			var f batchInFlight
			var started atomic.Int32
			ids := batchIDList(250)
			got, err := batchFetch(context.Background(), c, opGetSeveralTracks, 50, ids,
				func(_ context.Context, chunk []string, _ *transport.Throttle) ([]string, error) {
					started.Add(1)
					defer f.enter(int32(n)+1, 30*time.Millisecond)()
					return chunk, nil
				})
			require.NoError(t, err)
			assert.Equal(t, ids, got)
			assert.EqualValues(t, 5, started.Load())
			assert.EqualValues(t, n, f.peak.Load(), "at most %d chunks at a time", n)
		})
	}
}

func TestBatchGetSeveralFailure(t *testing.T) {
	ids := batchIDList(250)
	t.Run("a failing chunk stops the chunks not yet sent", func(t *testing.T) {
		ts := batchItemServer(t, "tracks", func(w http.ResponseWriter, _ *http.Request, _ []string) bool {
			batchFail(w, http.StatusNotFound)
			return true
		})
		c := newTestClient(t, ts, WithConcurrency(1), WithMaxRetries(0))
		got, err := c.Tracks.GetSeveral(context.Background(), ids, nil)
		assert.Nil(t, got)
		require.Error(t, err)
		assert.True(t, errors.Is(err, ErrNotFound), "the failing request's error: %v", err)
		var ce *ChunkError
		assert.False(t, errors.As(err, &ce), "a read is not a ChunkError")
		assert.Len(t, ts.requests(), 1, "the other chunks are not sent")
	})
	t.Run("a failing chunk cancels those in flight and its error is returned", func(t *testing.T) {
		var blocked, cancelled atomic.Int32
		ts := batchItemServer(t, "tracks", func(w http.ResponseWriter, r *http.Request, asked []string) bool {
			if asked[0] == ids[50] {
				batchFail(w, http.StatusNotFound)
				return true
			}
			blocked.Add(1)
			select {
			case <-r.Context().Done():
				cancelled.Add(1)
			case <-time.After(10 * time.Second):
			}
			return false
		})
		c := newTestClient(t, ts, WithMaxRetries(0))
		start := time.Now()
		_, err := c.Tracks.GetSeveral(context.Background(), ids, nil)
		require.Error(t, err)
		assert.Less(t, time.Since(start), 5*time.Second, "the blocked chunks were cancelled")
		assert.True(t, errors.Is(err, ErrNotFound), "the failure is returned, not the cancellations: %v", err)
		assert.False(t, errors.Is(err, context.Canceled), "%v", err)
		assert.Eventually(t, func() bool { return cancelled.Load() == blocked.Load() }, 5*time.Second, 5*time.Millisecond,
			"every chunk in flight saw its request cancelled")
	})
	t.Run("the caller's cancellation", func(t *testing.T) {
		ts := batchItemServer(t, "tracks", func(_ http.ResponseWriter, r *http.Request, _ []string) bool {
			<-r.Context().Done()
			return true
		})
		c := newTestClient(t, ts, WithConcurrency(2))
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		got, err := c.Tracks.GetSeveral(ctx, ids, nil)
		assert.Nil(t, got)
		require.Error(t, err)
		assert.True(t, errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled), "%v", err)
		assert.LessOrEqual(t, len(ts.requests()), 2, "no chunk starts after the cancellation")
	})
	t.Run("an answer without one entry per id", func(t *testing.T) {
		ts := batchItemServer(t, "tracks", func(w http.ResponseWriter, _ *http.Request, _ []string) bool {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"tracks":[{"id":"t000"}]}`)
			return true
		})
		c := newTestClient(t, ts)
		_, err := c.Tracks.GetSeveral(context.Background(), ids[:3], nil)
		var de *DecodeError
		require.True(t, errors.As(err, &de), "want a *DecodeError, got %T: %v", err, err)
		assert.Equal(t, "/tracks", de.Route)
		assert.Contains(t, err.Error(), "expected 3 results (one per id), got 1")
	})
	t.Run("an answer without the key", func(t *testing.T) {
		ts := batchItemServer(t, "albums", nil)
		c := newTestClient(t, ts)
		_, err := c.Tracks.GetSeveral(context.Background(), ids[:3], nil)
		var de *DecodeError
		require.True(t, errors.As(err, &de), "want a *DecodeError, got %T: %v", err, err)
	})
}

// batchGetter is one GetSeveral method: its path, answer key and limit,
// and a call that returns the ids of its results ("" for nil).
type batchGetter struct {
	op    *operation
	path  string
	key   string
	limit int
	call  func(ctx context.Context, c *Client, ids []string) ([]string, error)
}

// batchResultIDs returns the ID of each result, "" for nil.
func batchResultIDs[T any](items []*T, id func(*T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		if it != nil {
			out[i] = id(it)
		}
	}
	return out
}

var batchGetters = []batchGetter{
	{opGetSeveralAlbums, "/albums", "albums", 20, func(ctx context.Context, c *Client, ids []string) ([]string, error) {
		r, err := c.Albums.GetSeveral(ctx, ids, nil)
		return batchResultIDs(r, func(a *Album) string { return a.ID }), err
	}},
	{opGetSeveralArtists, "/artists", "artists", 50, func(ctx context.Context, c *Client, ids []string) ([]string, error) {
		r, err := c.Artists.GetSeveral(ctx, ids, nil)
		return batchResultIDs(r, func(a *Artist) string { return a.ID }), err
	}},
	{opGetSeveralAudiobooks, "/audiobooks", "audiobooks", 50, func(ctx context.Context, c *Client, ids []string) ([]string, error) {
		r, err := c.Audiobooks.GetSeveral(ctx, ids, nil)
		return batchResultIDs(r, func(a *Audiobook) string { return a.ID }), err
	}},
	{opGetSeveralChapters, "/chapters", "chapters", 50, func(ctx context.Context, c *Client, ids []string) ([]string, error) {
		r, err := c.Chapters.GetSeveral(ctx, ids, nil)
		return batchResultIDs(r, func(a *Chapter) string { return a.ID }), err
	}},
	{opGetSeveralEpisodes, "/episodes", "episodes", 50, func(ctx context.Context, c *Client, ids []string) ([]string, error) {
		r, err := c.Episodes.GetSeveral(ctx, ids, nil)
		return batchResultIDs(r, func(a *Episode) string { return a.ID }), err
	}},
	{opGetSeveralShows, "/shows", "shows", 50, func(ctx context.Context, c *Client, ids []string) ([]string, error) {
		r, err := c.Shows.GetSeveral(ctx, ids, nil)
		return batchResultIDs(r, func(a *SimplifiedShow) string { return a.ID }), err
	}},
	{opGetSeveralTracks, "/tracks", "tracks", 50, func(ctx context.Context, c *Client, ids []string) ([]string, error) {
		r, err := c.Tracks.GetSeveral(ctx, ids, nil)
		return batchResultIDs(r, func(a *Track) string { return a.ID }), err
	}},
	{opGetSeveralAudioFeatures, "/audio-features", "audio_features", 100, func(ctx context.Context, c *Client, ids []string) ([]string, error) {
		r, err := c.Tracks.GetSeveralAudioFeatures(ctx, ids, nil)
		return batchResultIDs(r, func(a *AudioFeatures) string { return a.ID }), err
	}},
}

// Every GetSeveral splits by its endpoint's limit and unwraps its key.
func TestBatchGetSeveralLimits(t *testing.T) {
	for _, g := range batchGetters {
		t.Run(g.op.id, func(t *testing.T) {
			assert.Equal(t, g.path, g.op.path)
			ids := batchIDList(2*g.limit + 1)
			ts := batchItemServer(t, g.key, nil)
			c := newTestClient(t, ts)
			got, err := g.call(context.Background(), c, ids)
			require.NoError(t, err)
			asked := batchAskedIDs(t, ts.requests(), "GET", g.path)
			require.Len(t, asked, 3)
			assert.Equal(t, ids[:g.limit], asked[0])
			assert.Equal(t, ids[g.limit:2*g.limit], asked[1])
			assert.Equal(t, ids[2*g.limit:], asked[2])
			for i, id := range ids {
				if strings.HasPrefix(id, "unknown") {
					assert.Empty(t, got[i], "position %d is nil", i)
				} else {
					assert.Equal(t, id, got[i], "position %d", i)
				}
			}
		})
	}
}

// batchChecker is one CheckSaved method.
type batchChecker struct {
	op    *operation
	limit int
	call  func(ctx context.Context, c *Client, ids []string) ([]bool, error)
}

var batchCheckers = []batchChecker{
	{opCheckSavedAlbums, 20, func(ctx context.Context, c *Client, ids []string) ([]bool, error) {
		return c.Albums.CheckSaved(ctx, ids, nil)
	}},
	{opCheckSavedAudiobooks, 50, func(ctx context.Context, c *Client, ids []string) ([]bool, error) {
		return c.Audiobooks.CheckSaved(ctx, ids, nil)
	}},
	{opCheckSavedEpisodes, 50, func(ctx context.Context, c *Client, ids []string) ([]bool, error) {
		return c.Episodes.CheckSaved(ctx, ids, nil)
	}},
	{opCheckSavedShows, 50, func(ctx context.Context, c *Client, ids []string) ([]bool, error) {
		return c.Shows.CheckSaved(ctx, ids, &ShowLibraryOptions{Market: "SE"})
	}},
	{opCheckSavedTracks, 50, func(ctx context.Context, c *Client, ids []string) ([]bool, error) {
		return c.Tracks.CheckSaved(ctx, ids, nil)
	}},
}

// batchSaved is the fake library: an id is saved when its number is even.
func batchSaved(id string) bool {
	var n int
	_, _ = fmt.Sscanf(id[len(id)-3:], "%d", &n)
	return n%2 == 0
}

func TestBatchCheckSavedChunks(t *testing.T) {
	for _, ck := range batchCheckers {
		t.Run(ck.op.id, func(t *testing.T) {
			ids := batchIDList(2*ck.limit + 1)
			ids = append(ids, ids[1]) // a repeat is asked once
			ts := newTestServer(t)
			ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				asked := strings.Split(r.URL.Query().Get("ids"), ",")
				out := make([]bool, len(asked))
				for i, id := range asked {
					out[i] = batchSaved(id)
				}
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(out)
			})
			c := newTestClient(t, ts)
			got, err := ck.call(context.Background(), c, ids)
			require.NoError(t, err)
			require.Len(t, got, len(ids))
			for i, id := range ids {
				assert.Equal(t, batchSaved(id), got[i], "position %d", i)
			}
			reqs := ts.requests()
			for _, r := range reqs {
				assert.Equal(t, []string{"ids"}, slices.Sorted(maps.Keys(r.Query)), "only ids is sent")
			}
			asked := batchAskedIDs(t, reqs, "GET", ck.op.path)
			require.Len(t, asked, 3)
			assert.Len(t, asked[0], ck.limit)
			assert.Len(t, asked[1], ck.limit)
			assert.Equal(t, ids[2*ck.limit:2*ck.limit+1], asked[2])
		})
	}
	t.Run("an answer that is not a list of booleans", func(t *testing.T) {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"saved":true}`)
		})
		c := newTestClient(t, ts)
		_, err := c.Tracks.CheckSaved(context.Background(), []string{"t1"}, nil)
		var de *DecodeError
		require.True(t, errors.As(err, &de), "want a *DecodeError, got %T: %v", err, err)
	})
}

// batchWriter is one Save or Remove method.
type batchWriter struct {
	op     *operation
	limit  int
	inBody bool
	call   func(ctx context.Context, c *Client, ids []string) error
}

var batchWriters = []batchWriter{
	{opSaveAlbums, 20, false, func(ctx context.Context, c *Client, ids []string) error { return c.Albums.Save(ctx, ids, nil) }},
	{opRemoveAlbums, 20, false, func(ctx context.Context, c *Client, ids []string) error { return c.Albums.Remove(ctx, ids, nil) }},
	{opSaveAudiobooks, 50, false, func(ctx context.Context, c *Client, ids []string) error { return c.Audiobooks.Save(ctx, ids, nil) }},
	{opRemoveAudiobooks, 50, false, func(ctx context.Context, c *Client, ids []string) error {
		return c.Audiobooks.Remove(ctx, ids, nil)
	}},
	{opSaveEpisodes, 50, false, func(ctx context.Context, c *Client, ids []string) error { return c.Episodes.Save(ctx, ids, nil) }},
	{opRemoveEpisodes, 50, false, func(ctx context.Context, c *Client, ids []string) error { return c.Episodes.Remove(ctx, ids, nil) }},
	{opSaveShows, 50, false, func(ctx context.Context, c *Client, ids []string) error { return c.Shows.Save(ctx, ids, nil) }},
	{opRemoveShows, 50, false, func(ctx context.Context, c *Client, ids []string) error { return c.Shows.Remove(ctx, ids, nil) }},
	{opSaveTracks, 50, true, func(ctx context.Context, c *Client, ids []string) error { return c.Tracks.Save(ctx, ids, nil) }},
	{opRemoveTracks, 50, false, func(ctx context.Context, c *Client, ids []string) error { return c.Tracks.Remove(ctx, ids, nil) }},
}

// batchWrittenIDs returns the ids of each write request, in the order
// sent, from the query or the JSON body.
func batchWrittenIDs(t *testing.T, reqs []recorded, w batchWriter) [][]string {
	t.Helper()
	var out [][]string
	for _, r := range reqs {
		assert.Equal(t, w.op.method, r.Method)
		assert.Equal(t, w.op.path, r.Path)
		if w.inBody {
			assert.Empty(t, r.Query, "the ids go in the body")
			var b struct {
				IDs []string `json:"ids"`
			}
			require.NoError(t, json.Unmarshal(r.Body, &b))
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			out = append(out, b.IDs)
		} else {
			assert.Empty(t, r.Body, "the ids go in the query")
			out = append(out, strings.Split(r.Query.Get("ids"), ","))
		}
	}
	return out
}

func TestBatchWriteChunks(t *testing.T) {
	for _, w := range batchWriters {
		t.Run(w.op.id, func(t *testing.T) {
			ids := batchIDList(2*w.limit + 1)
			var inFlight batchInFlight
			ts := newTestServer(t)
			ts.Mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
				defer inFlight.enter(2, 10*time.Millisecond)()
				rw.WriteHeader(http.StatusOK)
			})
			c := newTestClient(t, ts)
			require.NoError(t, w.call(context.Background(), c, ids))
			got := batchWrittenIDs(t, ts.requests(), w)
			require.Len(t, got, 3)
			assert.Equal(t, ids[:w.limit], got[0])
			assert.Equal(t, ids[w.limit:2*w.limit], got[1])
			assert.Equal(t, ids[2*w.limit:], got[2])
			assert.EqualValues(t, 1, inFlight.peak.Load(), "writes are sent one after the other")
		})
		t.Run(w.op.id+" failure", func(t *testing.T) {
			ids := batchIDList(2*w.limit + 1)
			ts := newTestServer(t)
			var n atomic.Int32
			ts.Mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 2 {
					batchFail(rw, http.StatusBadGateway)
					return
				}
				rw.WriteHeader(http.StatusOK)
			})
			c := newTestClient(t, ts, WithMaxRetries(0))
			err := w.call(context.Background(), c, ids)
			var ce *ChunkError
			require.True(t, errors.As(err, &ce), "want a *ChunkError, got %T: %v", err, err)
			assert.Equal(t, ids[:w.limit], ce.Applied)
			assert.Equal(t, ids[w.limit:2*w.limit], ce.Failed)
			assert.Equal(t, ids[2*w.limit:], ce.NotSent)
			assert.True(t, errors.Is(err, ErrServer), "%v", err)
			assert.Len(t, ts.requests(), 2, "the third chunk is not sent")
		})
	}
	t.Run("Shows.Remove sends the market with each chunk", func(t *testing.T) {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) { rw.WriteHeader(http.StatusOK) })
		c := newTestClient(t, ts)
		require.NoError(t, c.Shows.Remove(context.Background(), batchIDList(60), &ShowLibraryOptions{Market: "SE"}))
		reqs := ts.requests()
		require.Len(t, reqs, 2)
		for _, r := range reqs {
			assert.Equal(t, "SE", r.Query.Get("market"))
		}
	})
	t.Run("duplicates are written as given", func(t *testing.T) {
		ts := newTestServer(t)
		ts.Mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) { rw.WriteHeader(http.StatusOK) })
		c := newTestClient(t, ts)
		require.NoError(t, c.Albums.Save(context.Background(), []string{"a1", "a1"}, nil))
		reqs := ts.requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, "a1,a1", reqs[0].Query.Get("ids"))
	})
}

// batchInvalidIDs returns the validation cases of op's method, which
// takes ids: each error names the method and the bad element.
func batchInvalidIDs(op *operation, call func(ctx context.Context, c *Client, ids []string) error) []invalidCase {
	name, prefix := op.id, "spotify: "+op.name+": "
	return []invalidCase{
		{name + " nil", func(ctx context.Context, c *Client) error { return call(ctx, c, nil) }, prefix + "ids is empty"},
		{name + " empty", func(ctx context.Context, c *Client) error { return call(ctx, c, []string{}) }, prefix + "ids is empty"},
		{name + " empty value", func(ctx context.Context, c *Client) error {
			return call(ctx, c, []string{"x1", ""})
		}, prefix + "ids[1] is empty"},
		{name + " blank value", func(ctx context.Context, c *Client) error {
			return call(ctx, c, []string{" "})
		}, prefix + "ids[0] is empty"},
		{name + " empty value past the first chunk", func(ctx context.Context, c *Client) error {
			ids := batchIDList(230)
			ids[225] = ""
			return call(ctx, c, ids)
		}, prefix + "ids[225] is empty"},
		{name + " a comma inside an id", func(ctx context.Context, c *Client) error {
			return call(ctx, c, []string{"x1", "a,b"})
		}, prefix + `ids[1] "a,b" holds a comma`},
		{name + " a URI for an id", func(ctx context.Context, c *Client) error {
			return call(ctx, c, []string{"spotify:track:x1"})
		}, prefix + `ids[0] "spotify:track:x1" is a Spotify URI, not an id: pass "x1"`},
	}
}

func TestBatchValidation(t *testing.T) {
	var cases []invalidCase
	for _, g := range batchGetters {
		cases = append(cases, batchInvalidIDs(g.op, func(ctx context.Context, c *Client, ids []string) error {
			_, err := g.call(ctx, c, ids)
			return err
		})...)
	}
	for _, ck := range batchCheckers {
		cases = append(cases, batchInvalidIDs(ck.op, func(ctx context.Context, c *Client, ids []string) error {
			_, err := ck.call(ctx, c, ids)
			return err
		})...)
	}
	for _, w := range batchWriters {
		cases = append(cases, batchInvalidIDs(w.op, w.call)...)
	}
	require.Len(t, cases, 7*23)
	runInvalidCases(t, cases)
}

// The app-mode tests of the issue, for the batch get.

func TestBatchDevelopmentModeFailsLocally(t *testing.T) {
	var hits atomic.Int32
	ts := batchItemServer(t, "tracks", func(_ http.ResponseWriter, _ *http.Request, _ []string) bool {
		hits.Add(1)
		return false
	})
	c := newTestClient(t, ts, WithAppMode(DevelopmentMode))
	got, err := c.Tracks.GetSeveral(context.Background(), batchIDList(250), nil)
	assert.Nil(t, got)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "%v", err)
	assert.Empty(t, ts.requests(), "nothing is sent")

	err = c.Tracks.Save(context.Background(), batchIDList(120), nil)
	assert.True(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "%v", err)
	var ce *ChunkError
	assert.False(t, errors.As(err, &ce), "nothing was sent: not a part failure")
	_, err = c.Tracks.CheckSaved(context.Background(), batchIDList(120), nil)
	assert.True(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "%v", err)
	assert.Empty(t, ts.requests(), "nothing is sent")

	_, err = c.Tracks.GetSeveral(context.Background(), nil, nil)
	assert.True(t, errors.Is(err, ErrInvalidArgument), "validation comes first: %v", err)
}

func TestBatchUnsetMode403(t *testing.T) {
	ts := batchItemServer(t, "tracks", func(w http.ResponseWriter, _ *http.Request, _ []string) bool {
		batchFail(w, http.StatusForbidden)
		return true
	})
	c := newTestClient(t, ts, WithMaxRetries(0))
	_, err := c.Tracks.GetSeveral(context.Background(), batchIDList(250), nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrUnavailableInDevelopmentMode), "%v", err)
	assert.True(t, errors.Is(err, ErrForbidden), "%v", err)
	var apiErr *Error
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, "GET", apiErr.Method)
	assert.Equal(t, "/tracks", apiErr.Route)
	assert.NotEmpty(t, ts.requests())
}
