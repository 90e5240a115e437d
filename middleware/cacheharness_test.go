package middleware

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

const cacheAPI = "https://api.spotify.com/v1"

// errCacheStore is the error of a [cacheTestStore] operation told to fail.
var errCacheStore = errors.New("cache store unreachable")

// cacheTestStore is a map-based [cache.Store] for the tests. Its
// Invalidate scans the map, which a test store may do.
type cacheTestStore struct {
	mu sync.Mutex
	m  map[cache.Key]*cache.Entry
	// failing names the operations ("Get", "Put", "Delete", "Invalidate")
	// that fail with errCacheStore; calls counts the calls of each.
	failing map[string]bool
	calls   map[string]int
	// live counts the calls of each operation whose context had not ended.
	live map[string]int
	// blockGet makes Get wait for its context to end and fail with its
	// error, as a networked store that cannot be reached would.
	blockGet bool
}

// call counts a call of op on ctx and returns the error it must fail
// with. s.mu must be held.
func (s *cacheTestStore) call(ctx context.Context, op string) error {
	if s.calls == nil {
		s.calls, s.live = make(map[string]int), make(map[string]int)
	}
	s.calls[op]++
	if ctx.Err() == nil {
		s.live[op]++
	}
	if s.failing[op] {
		return errCacheStore
	}
	return nil
}

func (s *cacheTestStore) Get(ctx context.Context, key cache.Key) (*cache.Entry, bool, error) {
	s.mu.Lock()
	err := s.call(ctx, "Get")
	block := s.blockGet
	s.mu.Unlock()
	if block {
		<-ctx.Done()
		return nil, false, ctx.Err()
	}
	if err != nil {
		return nil, false, err
	}
	return s.entry(key)
}

func (s *cacheTestStore) Put(ctx context.Context, key cache.Key, e *cache.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.call(ctx, "Put"); err != nil {
		return err
	}
	if s.m == nil {
		s.m = make(map[cache.Key]*cache.Entry)
	}
	s.m[key] = e
	return nil
}

func (s *cacheTestStore) Delete(ctx context.Context, key cache.Key) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.call(ctx, "Delete"); err != nil {
		return err
	}
	delete(s.m, key)
	return nil
}

func (s *cacheTestStore) Invalidate(ctx context.Context, inv cache.Invalidation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.call(ctx, "Invalidate"); err != nil {
		return err
	}
	for k, e := range s.m {
		if inv.Drops(e.Path) {
			delete(s.m, k)
		}
	}
	return nil
}

// entry returns the entry under key, as Get would without failing.
func (s *cacheTestStore) entry(key cache.Key) (*cache.Entry, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[key]
	return e, ok, nil
}

// Len returns the number of entries.
func (s *cacheTestStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

// entries lists the stored entries as "principal path", sorted.
func (s *cacheTestStore) entries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(func(yield func(string) bool) {
		for _, e := range s.m {
			if !yield(e.Principal + " " + e.Path) {
				return
			}
		}
	})
}

// cacheHarness is a cache stage over a scripted transport, a map store and
// a fake clock.
type cacheHarness struct {
	fc    *clock.Fake
	tt    *testtransport.Transport
	store *cacheTestStore
	rt    http.RoundTripper
}

func newCacheHarness(invalidate func(*http.Request) []string) *cacheHarness {
	h := &cacheHarness{fc: clock.NewFake(), tt: testtransport.New(), store: &cacheTestStore{}}
	h.rt = Cache(CacheOptions{Store: h.store, Clock: h.fc, Invalidate: invalidate})(h.tt)
	return h
}

// cacheRequest builds a request of principal (none when "") with header
// pairs and a call record on its context.
func cacheRequest(t *testing.T, ctx context.Context, principal, method, path string, headerPairs ...string) *http.Request {
	t.Helper()
	ctx = withPrincipal(ctx, principal)
	req, err := http.NewRequestWithContext(ctx, method, cacheAPI+path, nil)
	require.NoError(t, err)
	for i := 0; i < len(headerPairs); i += 2 {
		req.Header.Add(headerPairs[i], headerPairs[i+1])
	}
	return req
}

// do sends req, reads the whole body, closes it and reports whether the
// call was served from the cache.
func (h *cacheHarness) do(t *testing.T, req *http.Request) (resp *http.Response, body string, fromCache bool) {
	t.Helper()
	resp, err := h.rt.RoundTrip(req)
	require.NoError(t, err)
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp, string(data), transport.CallFrom(req.Context()).Stats().FromCache
}

// get is do for a GET of principal.
func (h *cacheHarness) get(t *testing.T, principal, path string, headerPairs ...string) (*http.Response, string, bool) {
	t.Helper()
	return h.do(t, cacheRequest(t, context.Background(), principal, http.MethodGet, path, headerPairs...))
}

// cacheFresh60 answers every GET with its principal and URL as body, fresh
// for 60 s.
var cacheFresh60 = func(req *http.Request) (*http.Response, error) {
	p := transport.CallFrom(req.Context()).Principal()
	return testtransport.Respond(200, p+" "+req.URL.RequestURI(), "Cache-Control", "private, max-age=60", "ETag", `"e"`)(req)
}

// cacheWrites60 answers GETs with cacheFresh60 and other methods with write.
func cacheWrites60(write testtransport.Step) testtransport.Step {
	return func(req *http.Request) (*http.Response, error) {
		if req.Method == http.MethodGet {
			return cacheFresh60(req)
		}
		return write(req)
	}
}

// counts returns how often op was called, and how often on a context that
// had not ended.
func (s *cacheTestStore) counts(op string) (calls, live int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op], s.live[op]
}

// cacheLog collects the records of a logger, for the tests.
type cacheLog struct {
	mu      sync.Mutex
	records []slog.Record
}

func (l *cacheLog) Enabled(context.Context, slog.Level) bool { return true }

func (l *cacheLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r.Clone())
	return nil
}

func (l *cacheLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *cacheLog) WithGroup(string) slog.Handler      { return l }

// lines returns every record as its level, message and attributes, in the
// order logged.
func (l *cacheLog) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.records {
		line := r.Level.String() + " " + r.Message
		r.Attrs(func(a slog.Attr) bool {
			line += " " + a.String()
			return true
		})
		out = append(out, line)
	}
	return out
}
