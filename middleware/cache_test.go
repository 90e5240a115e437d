package middleware

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/internal/clock"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

const cacheAPI = "https://api.spotify.com/v1"

// cacheTestStore is a map-based [cache.Store] for the tests.
type cacheTestStore struct {
	mu sync.Mutex
	m  map[string]*cache.Entry
}

func (s *cacheTestStore) Get(key string) (*cache.Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[key]
	return e, ok
}

func (s *cacheTestStore) Put(key string, e *cache.Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string]*cache.Entry)
	}
	s.m[key] = e
}

func (s *cacheTestStore) Delete(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
}

func (s *cacheTestStore) DeleteFunc(match func(string, *cache.Entry) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, e := range s.m {
		if match(k, e) {
			delete(s.m, k)
			n++
		}
	}
	return n
}

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
// pairs and a CallInfo on its context.
func cacheRequest(t *testing.T, ctx context.Context, principal, method, path string, headerPairs ...string) *http.Request {
	t.Helper()
	if principal != "" {
		ctx = transport.WithPrincipal(ctx, principal)
	}
	req, err := http.NewRequestWithContext(transport.WithCallInfo(ctx, &transport.CallInfo{}), method, cacheAPI+path, nil)
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
	return resp, string(data), transport.CallInfoFrom(req.Context()).Stats().FromCache
}

// get is do for a GET of principal.
func (h *cacheHarness) get(t *testing.T, principal, path string, headerPairs ...string) (*http.Response, string, bool) {
	t.Helper()
	return h.do(t, cacheRequest(t, context.Background(), principal, http.MethodGet, path, headerPairs...))
}

func TestCacheRevalidationTurns304IntoCachedResponse(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.AppendResponse(200, "stored", "ETag", `"e1"`, "Cache-Control", "private, max-age=0",
		"Date", "Sat, 28 Nov 2026 12:00:00 GMT", "X-Request-Id", "r1", "Content-Type", "application/json").
		AppendResponse(304, "", "ETag", `"e1"`, "Date", "Sat, 28 Nov 2026 12:05:00 GMT", "X-Request-Id", "r2",
			"Content-Length", "0", "Connection", "X-Hop", "X-Hop", "x", "Keep-Alive", "timeout=5")
	_, body, fromCache := h.get(t, "user:a", "/playlists/x")
	assert.Equal(t, "stored", body)
	assert.False(t, fromCache)

	h.fc.Advance(5 * time.Minute)
	req := cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/playlists/x")
	resp, body, fromCache := h.do(t, req)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "stored", body)
	assert.True(t, fromCache, "a 304 revalidation counts as served from the cache")
	assert.Equal(t, "r2", resp.Header.Get("X-Request-Id"), "the 304's header fields are merged")
	assert.Equal(t, "Sat, 28 Nov 2026 12:05:00 GMT", resp.Header.Get("Date"))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), "stored fields the 304 lacks are kept")
	assert.Empty(t, resp.Header.Get("Content-Length"), "the 304's Content-Length is not merged")
	assert.Empty(t, resp.Header.Values("X-Hop"), "fields named in Connection are hop-by-hop")
	assert.Empty(t, resp.Header.Values("Keep-Alive"))
	assert.Equal(t, int64(len("stored")), resp.ContentLength)
	assert.Same(t, req, resp.Request, "the response answers the caller's request")

	require.Equal(t, 2, h.tt.Len())
	assert.Equal(t, `"e1"`, h.tt.Requests()[1].Header.Get("If-None-Match"), "the revalidation carries the ETag")
	assert.Empty(t, req.Header.Get("If-None-Match"), "the caller's request is not changed")
	assert.Zero(t, h.tt.Unclosed(), "the 304 is closed")

	e, ok := h.store.Get(requestKey("user:a", req))
	require.True(t, ok)
	assert.Equal(t, h.fc.Now(), e.Stored, "the revalidated entry is stored again, received now")
	assert.Equal(t, "r2", e.Header.Get("X-Request-Id"))
}

func TestCacheFreshEntryServedWithoutRequestUntilMaxAge(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.AppendResponse(200, "v1", "ETag", `"e1"`, "Cache-Control", "max-age=60").
		AppendResponse(304, "", "ETag", `"e1"`, "Cache-Control", "max-age=60")
	h.get(t, "user:a", "/search?q=x&type=track")

	h.fc.Advance(59 * time.Second)
	req := cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/search?type=track&q=x")
	resp, body, fromCache := h.do(t, req)
	assert.Equal(t, 1, h.tt.Len(), "a fresh entry is served with no request")
	assert.True(t, fromCache)
	assert.Equal(t, "v1", body)
	assert.Equal(t, "200 OK", resp.Status)
	assert.Same(t, req, resp.Request)
	resp.Header.Set("ETag", "changed by the caller")

	h.fc.Advance(2 * time.Second)
	_, body, fromCache = h.get(t, "user:a", "/search?q=x&type=track")
	require.Equal(t, 2, h.tt.Len(), "after max-age the entry is revalidated")
	assert.Equal(t, `"e1"`, h.tt.Requests()[1].Header.Get("If-None-Match"), "a served response's header is a copy")
	assert.True(t, fromCache)
	assert.Equal(t, "v1", body)

	h.fc.Advance(30 * time.Second)
	h.get(t, "user:a", "/search?q=x&type=track")
	assert.Equal(t, 2, h.tt.Len(), "the 304 restarted the entry's lifetime")
}

func TestCacheStaleEntryWithoutETagIsRefetched(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.AppendResponse(200, "v1", "Cache-Control", "max-age=10").AppendResponse(200, "v2", "Cache-Control", "max-age=10")
	h.get(t, "user:a", "/albums/a")
	h.fc.Advance(11 * time.Second)
	_, body, fromCache := h.get(t, "user:a", "/albums/a")
	assert.Equal(t, "v2", body)
	assert.False(t, fromCache)
	assert.Empty(t, h.tt.Requests()[1].Header.Get("If-None-Match"))
	_, body, _ = h.get(t, "user:a", "/albums/a")
	assert.Equal(t, "v2", body, "the new answer replaced the entry")
	assert.Equal(t, 2, h.tt.Len())
}

func TestCacheRevalidationAnswers(t *testing.T) {
	for _, tc := range []struct {
		status int
		kept   bool // the old entry is still there afterwards
	}{{200, false}, {404, false}, {429, true}, {503, true}} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			h := newCacheHarness(nil)
			h.tt.AppendResponse(200, "v1", "ETag", `"e1"`).AppendResponse(tc.status, "new", "Cache-Control", "no-store")
			h.get(t, "user:a", "/albums/a")
			resp, body, fromCache := h.get(t, "user:a", "/albums/a")
			assert.Equal(t, tc.status, resp.StatusCode, "any answer but a 304 is passed up")
			assert.Equal(t, "new", body)
			assert.False(t, fromCache)
			assert.Equal(t, map[bool]int{true: 1, false: 0}[tc.kept], h.store.Len())
		})
	}
}

// A 304 whose merged header says no-store still answers the call from the
// entry it validated, but drops that entry.
func TestCache304WithNoStoreDropsTheEntry(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.AppendResponse(200, "v1", "ETag", `"e1"`).
		AppendResponse(304, "", "ETag", `"e1"`, "Cache-Control", "no-store").
		AppendResponse(200, "v2", "ETag", `"e2"`)
	h.get(t, "user:a", "/albums/a")
	require.Equal(t, 1, h.store.Len())
	resp, body, fromCache := h.get(t, "user:a", "/albums/a")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "v1", body)
	assert.True(t, fromCache)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Zero(t, h.store.Len(), "the entry is dropped")
	_, body, fromCache = h.get(t, "user:a", "/albums/a")
	assert.Equal(t, "v2", body)
	assert.False(t, fromCache)
	assert.Empty(t, h.tt.Requests()[2].Header.Get("If-None-Match"), "nothing is left to revalidate")
}

// cacheFresh60 answers every GET with its principal and URL as body, fresh
// for 60 s.
var cacheFresh60 = func(req *http.Request) (*http.Response, error) {
	p := transport.Principal(req.Context())
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

func TestCacheWriteDropsEntriesOfEveryPrincipal(t *testing.T) {
	h := newCacheHarness(func(req *http.Request) []string {
		if req.URL.Path == "/v1/me/library" {
			return []string{"/v1/me/tracks", ""}
		}
		return nil
	})
	h.tt.Append(cacheWrites60(testtransport.Respond(200, `{"snapshot_id":"s"}`))).Repeat()
	paths := []string{"/playlists/x", "/playlists/x/items?offset=0", "/playlists/xy", "/me/tracks?limit=50", "/me/albums"}
	for _, p := range []string{"user:a", "user:b"} {
		for _, path := range paths {
			h.get(t, p, path)
		}
	}
	require.Equal(t, 10, h.store.Len())

	h.do(t, cacheRequest(t, context.Background(), "user:a", http.MethodPut, "/playlists/x/items"))
	assert.Equal(t, []string{
		"user:a /v1/me/albums", "user:a /v1/me/tracks", "user:a /v1/playlists/xy",
		"user:b /v1/me/albums", "user:b /v1/me/tracks", "user:b /v1/playlists/xy",
	}, h.store.entries(), "the written path's ancestors and descendants go, for every principal")
	_, body, fromCache := h.get(t, "user:b", "/playlists/x")
	assert.False(t, fromCache)
	assert.Equal(t, "user:b /v1/playlists/x", body)

	// The hook drops prefixes the path does not show; a write without a
	// principal invalidates too.
	h.do(t, cacheRequest(t, context.Background(), "", http.MethodPut, "/me/library?uris=spotify:track:1"))
	assert.Equal(t, []string{
		"user:a /v1/me/albums", "user:a /v1/playlists/xy", "user:b /v1/me/albums", "user:b /v1/playlists/x", "user:b /v1/playlists/xy",
	}, h.store.entries())
}

func TestCacheWriteOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answer  testtransport.Step
		dropped bool
	}{
		{"2xx", testtransport.Respond(201, ""), true},
		{"5xx may have been applied", testtransport.Respond(502, ""), true},
		{"transport error may have been applied", func(*http.Request) (*http.Response, error) { return nil, io.ErrUnexpectedEOF }, true},
		{"4xx was not applied", testtransport.Respond(403, ""), false},
		{"429 was not applied", testtransport.Respond(429, ""), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newCacheHarness(nil)
			h.tt.Append(cacheWrites60(tc.answer)).Repeat()
			for _, m := range []string{http.MethodPut, http.MethodPost, http.MethodPatch, http.MethodDelete} {
				h.get(t, "user:a", "/playlists/x")
				require.Equal(t, 1, h.store.Len())
				resp, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", m, "/playlists/x/items"))
				if err == nil {
					transport.DrainAndClose(resp)
				}
				assert.Equal(t, map[bool]int{true: 0, false: 1}[tc.dropped], h.store.Len(), m)
			}
		})
	}
}

func TestCacheStoresStreamedBodiesOnlyWhenReadToTheEnd(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.Append(cacheFresh60).Repeat()
	resp, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a"))
	require.NoError(t, err)
	_, err = io.ReadFull(resp.Body, make([]byte, 3))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Zero(t, h.store.Len(), "a body closed before its end stores nothing")
	_, _, fromCache := h.get(t, "user:a", "/albums/a")
	assert.False(t, fromCache)
	assert.Equal(t, 2, h.tt.Len(), "the next GET goes to the network")
	assert.Equal(t, 1, h.store.Len(), "a body read to io.EOF is stored")

	h.store.Delete(requestKey("user:a", cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a")))
	resp, err = h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a"))
	require.NoError(t, err)
	_, err = io.ReadFull(resp.Body, make([]byte, len("user:a /v1/albums/a")))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Zero(t, h.store.Len(), "every byte read is not io.EOF: a streamed body needs io.EOF")
}

// A body a stage below buffered is stored as soon as it arrives, whatever
// the caller reads of it, and comes back unwrapped, so that its bytes can
// still be taken without a copy; a write during its flight still keeps it
// out.
func TestCacheStoresBufferedBodiesAtOnce(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.Append(cacheFresh60).Append(func(req *http.Request) (*http.Response, error) {
		w, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:b", http.MethodPut, "/albums/b"))
		require.NoError(t, err)
		transport.DrainAndClose(w)
		return cacheFresh60(req)
	}).Append(cacheFresh60).Repeat()
	h.rt = Cache(CacheOptions{Store: h.store, Clock: h.fc})(Download(DownloadOptions{})(h.tt))

	resp, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a"))
	require.NoError(t, err)
	data, ok := transport.BodyBytes(resp.Body)
	require.True(t, ok, "the cache hands back the buffered body")
	assert.Equal(t, "user:a /v1/albums/a", string(data))
	assert.Equal(t, 1, h.store.Len(), "stored before the body is read")
	require.NoError(t, resp.Body.Close())
	_, body, fromCache := h.get(t, "user:a", "/albums/a")
	assert.True(t, fromCache, "a buffered body closed unread is stored")
	assert.Equal(t, "user:a /v1/albums/a", body)

	resp, err = h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/b"))
	require.NoError(t, err)
	_, ok = transport.BodyBytes(resp.Body)
	assert.True(t, ok)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, []string{"user:a /v1/albums/a"}, h.store.entries(), "a write during the flight keeps it out")
}

// A 304 whose entry was evicted (or dropped) while it was on its way is
// answered from the entry the stage validated, which it still holds.
func TestCache304AfterEntryVanished(t *testing.T) {
	key := requestKey("user:a", cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a"))
	for _, tc := range []struct {
		name      string
		meanwhile func(h *cacheHarness)
		stored    string // the body stored afterwards
	}{
		{"evicted", func(h *cacheHarness) { h.store.Delete(key) }, "v1"},
		{"dropped by a write", func(h *cacheHarness) {
			resp, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:b", http.MethodPut, "/albums/a"))
			require.NoError(t, err)
			transport.DrainAndClose(resp)
		}, ""},
		{"replaced by a newer answer", func(h *cacheHarness) {
			h.store.Put(key, &cache.Entry{Path: "/v1/albums/a", StatusCode: 200, Body: []byte("v2"), Stored: h.fc.Now().Add(time.Second)})
		}, "v2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newCacheHarness(nil)
			h.tt.AppendResponse(200, "v1", "ETag", `"e1"`, "Cache-Control", "no-cache").
				Append(func(req *http.Request) (*http.Response, error) {
					tc.meanwhile(h)
					return testtransport.Respond(304, "", "X-Request-Id", "r2")(req)
				}).AppendResponse(204, "")
			h.get(t, "user:a", "/albums/a")
			resp, body, fromCache := h.get(t, "user:a", "/albums/a")
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, "v1", body)
			assert.Equal(t, "r2", resp.Header.Get("X-Request-Id"))
			assert.True(t, fromCache)
			e, ok := h.store.Get(key)
			assert.Equal(t, tc.stored != "", ok)
			if ok {
				assert.Equal(t, tc.stored, string(e.Body))
			}
		})
	}
}

func TestCacheGETKeepsTheContract(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.Append(cacheFresh60).Append(func(*http.Request) (*http.Response, error) { return nil, nil })
	h.get(t, "user:a", "/albums/a")

	// A hit closes the request's body, exactly once.
	body, _ := testtransport.NewRequestBody("{}")
	req := cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a")
	req.Body = body
	_, _, fromCache := h.do(t, req)
	assert.True(t, fromCache)
	assert.Equal(t, 1, body.Closes())

	// A cancelled call is not served.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := h.rt.RoundTrip(cacheRequest(t, ctx, "user:a", http.MethodGet, "/albums/a"))
	assert.ErrorIs(t, err, context.Canceled)

	// (nil, nil) below a miss becomes an error.
	resp, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/b"))
	assert.Nil(t, resp)
	assert.Error(t, err)
}
