package spotify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// asyncHandTested are the methods whose async form is tested by hand here,
// because their sync test is not a methodCase table.
var asyncHandTested = []string{"Playlists.UploadCoverImage"}

// The Sync client of a NewAsyncClient shares its family but does not own
// it: closing it leaves the async client working.
func TestAsyncSyncOfAnOwnedClient(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(asyncAlbum))
	ac := newTestAsyncClient(t, ts)
	s := ac.Sync()
	require.NoError(t, s.Close())
	a, err := s.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	assert.Equal(t, "a1", a.ID)
	a, err = ac.Albums.Get(context.Background(), "a1", nil).Await(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "a1", a.ID)
	assert.Same(t, s.fam, ac.c.fam)
}

func TestAsyncViewSharesTheTokenRequest(t *testing.T) {
	ts := newTestServer(t)
	tokens := coreTokenServer(ts)
	ts.Mux.HandleFunc("/albums/a1", coreScript(asyncAlbum))
	c := coreClient(t, ts, WithClientCredentials("id", "secret"), WithTokenURL(ts.URL+"/api/token"))
	ac := c.Async()

	_, err := c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	_, err = ac.Albums.Get(context.Background(), "a1", nil).Await(context.Background())
	require.NoError(t, err)

	assert.EqualValues(t, 1, tokens.Load(), "one token request for the client and its view")
	reqs := coreAPIRequests(ts)
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer cc-token-1", reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "Bearer cc-token-1", reqs[1].Header.Get("Authorization"))
}

func TestAsyncClientFromClientCredentials(t *testing.T) {
	ts := newTestServer(t)
	tokens := coreTokenServer(ts)
	ts.Mux.HandleFunc("/albums/a1", coreScript(asyncAlbum))
	ac, err := NewAsyncClientFromClientCredentials("id", "secret", WithBaseURL(ts.URL+"/v1"), WithTokenURL(ts.URL+"/api/token"))
	require.NoError(t, err)
	defer ac.Close()
	for range 3 {
		_, err = ac.Albums.Get(context.Background(), "a1", nil).Await(context.Background())
		require.NoError(t, err)
	}
	_, err = ac.Sync().Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	assert.EqualValues(t, 1, tokens.Load())

	_, err = NewAsyncClient(WithAccessToken("tok"), WithClientCredentials("id", "secret"))
	require.Error(t, err, "the constructor's checks are NewClient's")
}

// A 429 seen through the sync client holds the async view back: they share
// one budget. The view's call, whose deadline ends before the cool-down,
// fails without being sent; a later one waits for the cool-down.
func TestAsyncViewSharesTheBudget(t *testing.T) {
	ts := newTestServer(t)
	var mu sync.Mutex
	var arrivals []time.Time
	ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		limited := len(arrivals) == 1
		mu.Unlock()
		if limited {
			w.Header().Set("Retry-After", "0.3")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, asyncAlbum)
	})
	c := coreClient(t, ts, WithAccessToken("tok"), WithMaxRetryAfter(5*time.Second))
	ac := c.Async()

	_, err := c.Albums.Get(WithCallRetries(context.Background(), 0), "a1", nil)
	require.ErrorIs(t, err, ErrRateLimited)

	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = ac.Albums.Get(short, "a1", nil).Await(context.Background())
	require.Error(t, err, "the view is held back by the cool-down the sync client saw")
	assert.Len(t, ts.requests(), 1, "nothing is sent during the cool-down")

	start := time.Now()
	_, err = ac.Albums.Get(context.Background(), "a1", nil).Await(context.Background())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond, "the view waited for the cool-down")
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, arrivals, 2)
	assert.GreaterOrEqual(t, arrivals[1].Sub(arrivals[0]), 250*time.Millisecond)
}

// A call's fan-out (chunks) goes through the bulkhead, not through
// submission slots: with one slot, held by the call itself, a chunked
// write and a concurrent batch get still complete, and the batch never has
// more than WithConcurrency requests in flight.
func TestAsyncFanOutDoesNotWaitOnItsOwnSlot(t *testing.T) {
	ts := newTestServer(t)
	var inFlight, maxInFlight atomic.Int64
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := maxInFlight.Load(); n > m && !maxInFlight.CompareAndSwap(m, n); m = maxInFlight.Load() {
		}
		time.Sleep(5 * time.Millisecond)
		if r.URL.Path != "/tracks" {
			w.WriteHeader(http.StatusOK)
			return
		}
		ids := strings.Split(r.URL.Query().Get("ids"), ",")
		parts := make([]string, len(ids))
		for i, id := range ids {
			parts[i] = fmt.Sprintf(`{"id":%q,"type":"track"}`, id)
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"tracks":[%s]}`, strings.Join(parts, ","))
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	one := newTestAsyncClient(t, ts, WithConcurrency(1))
	require.NoError(t, awaitErr(ctx, one.Library.SaveItems(ctx, libraryTestURIs(100), nil)), "100 URIs are 3 chunks")
	ids := make([]string, 120)
	for i := range ids {
		ids[i] = fmt.Sprintf("t%03d", i)
	}
	got, err := one.Tracks.GetSeveral(ctx, ids, nil).Await(ctx)
	require.NoError(t, err, "120 ids are 3 chunks")
	require.Len(t, got, 120)
	assert.Equal(t, "t119", got[119].ID)
	assert.EqualValues(t, 1, maxInFlight.Load())

	maxInFlight.Store(0)
	two := newTestAsyncClient(t, ts, WithConcurrency(2))
	_, err = two.Tracks.GetSeveral(ctx, append(ids, ids...)[:240], nil).Await(ctx)
	require.NoError(t, err)
	assert.LessOrEqual(t, maxInFlight.Load(), int64(2), "one call fans out at most WithConcurrency requests")
	assert.Len(t, ts.requests(), 3+3+3)
}

// All on a page that an async call returned prefetches the next page while
// the current one is consumed, and stops the prefetch when the loop breaks.
func TestAsyncPageAllPrefetchesAndStops(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	ts := newTestServer(t)
	second := make(chan struct{}, 1)
	cancelled := make(chan struct{}, 1)
	ts.Mux.HandleFunc("/albums/a1/tracks", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "2" {
			second <- struct{}{}
			<-r.Context().Done()
			cancelled <- struct{}{}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"href":"h","items":[{"id":"t1"},{"id":"t2"}],"limit":2,"offset":0,"total":4,"next":%q}`,
			ts.URL+"/v1/albums/a1/tracks?offset=2&limit=2")
	})
	ac := newTestAsyncClient(t, ts, WithConcurrency(1))
	page, err := ac.Albums.GetTracks(context.Background(), "a1", &AlbumTracksOptions{Limit: 2}).Await(context.Background())
	require.NoError(t, err)

	var seen []string
	for tr, err := range page.All(context.Background()) {
		require.NoError(t, err)
		seen = append(seen, tr.ID)
		asyncWait(t, second, "the next page is fetched while the first is consumed")
		break
	}
	assert.Equal(t, []string{"t1"}, seen)
	asyncWait(t, cancelled, "breaking the loop cancels the prefetch")

	require.NoError(t, ac.Close())
	ts.Close()
	goleak.VerifyNone(t, ignore)
}

func TestAsyncUploadCoverImage(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) })
	ac := newTestAsyncClient(t, ts)
	f := ac.Playlists.UploadCoverImage(context.Background(), "p1", "/9j/4AAQSkZJRg==", nil)
	v, err := f.Await(context.Background())
	require.NoError(t, err)
	assert.Equal(t, struct{}{}, v)
	reqs := ts.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "PUT", reqs[0].Method)
	assert.Equal(t, "/playlists/p1/images", reqs[0].Path)
	assert.Equal(t, "/9j/4AAQSkZJRg==", string(reqs[0].Body))
	assert.Equal(t, "image/jpeg", reqs[0].Header.Get("Content-Type"))
	assert.Equal(t, "Bearer test-token", reqs[0].Header.Get("Authorization"))
}

// A validation error comes back through the future, and nothing is sent.
func TestAsyncValidationErrorThroughTheFuture(t *testing.T) {
	ts := newTestServer(t)
	ac := newTestAsyncClient(t, ts)
	_, err := ac.Albums.Get(context.Background(), "", nil).Await(context.Background())
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Empty(t, ts.requests())
}

// Every service of Client has its async form, with every method: the same
// parameters, and a *Future of the sync result (Future[struct{}] for a
// method that returns only an error). And every async method is tested:
// by TestAsyncMethods (the sync tables, rewritten) or by hand here.
func TestAsyncMethodsMirrorAndCoverTheSyncServices(t *testing.T) {
	errType := reflect.TypeFor[error]()
	ctxType := reflect.TypeFor[context.Context]()
	syncT, asyncT := reflect.TypeFor[Client](), reflect.TypeFor[AsyncClient]()
	tested := map[string]bool{}
	for _, m := range append(slices.Clone(asyncCaseMethods), asyncHandTested...) {
		tested[m] = true
	}
	count := 0
	for i := range syncT.NumField() {
		sf := syncT.Field(i)
		if !sf.IsExported() || !strings.HasSuffix(sf.Type.String(), "Service") {
			continue
		}
		af, ok := asyncT.FieldByName(sf.Name)
		if !assert.True(t, ok, "AsyncClient lacks the service %s: run go generate ./spotify", sf.Name) {
			continue
		}
		for j := range sf.Type.NumMethod() {
			sm := sf.Type.Method(j)
			name := sf.Name + "." + sm.Name
			am, ok := af.Type.MethodByName(sm.Name)
			if !assert.True(t, ok, "the async %s is missing: run go generate ./spotify", name) {
				continue
			}
			count++
			st, at := sm.Type, am.Type
			require.Equal(t, st.NumIn(), at.NumIn(), name)
			for k := 1; k < st.NumIn(); k++ {
				assert.Equal(t, st.In(k), at.In(k), "%s parameter %d", name, k)
			}
			assert.Equal(t, ctxType, at.In(1), name)
			require.Equal(t, 1, at.NumOut(), name)
			await, ok := at.Out(0).MethodByName("Await")
			require.True(t, ok, "%s returns a Future", name)
			want := reflect.TypeFor[struct{}]()
			if st.NumOut() == 2 {
				want = st.Out(0)
			}
			assert.Equal(t, want, await.Type.Out(0), "%s: the Future's value", name)
			assert.Equal(t, errType, st.Out(st.NumOut()-1), name)
			assert.True(t, tested[name], "%s has no async test: give it a methodCase (then go generate ./spotify) or a test in async_test.go", name)
		}
	}
	assert.Equal(t, syncT.NumField()-len([]string{"fam", "provider", "owner"}), asyncT.NumField()-len([]string{"c", "owner"}), "one async service per sync service")
	assert.GreaterOrEqual(t, count, 49, "the 49 Development Mode operations at least")
	t.Logf("%d async methods, %d covered by the sync tables", count, len(asyncCaseMethods))
}
