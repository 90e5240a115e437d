package middleware

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

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

	e, ok, _ := h.store.entry(requestKey("user:a", req))
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

// A 304 whose entry was evicted (or dropped) while it was on its way is
// answered from the entry the stage validated, which it still holds.
func TestCache304AfterEntryVanished(t *testing.T) {
	key := requestKey("user:a", cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a"))
	for _, tc := range []struct {
		name      string
		meanwhile func(h *cacheHarness)
		stored    string // the body stored afterwards
	}{
		{"evicted", func(h *cacheHarness) { require.NoError(t, h.store.Delete(context.Background(), key)) }, "v1"},
		{"dropped by a write", func(h *cacheHarness) {
			resp, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:b", http.MethodPut, "/albums/a"))
			require.NoError(t, err)
			transport.DrainAndClose(resp)
		}, ""},
		{"replaced by a newer answer", func(h *cacheHarness) {
			require.NoError(t, h.store.Put(context.Background(), key, &cache.Entry{Path: "/v1/albums/a", StatusCode: 200, Body: []byte("v2"), Stored: h.fc.Now().Add(time.Second)}))
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
			e, ok, _ := h.store.entry(key)
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

func TestCachePrincipalsNeverShare(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.Append(cacheFresh60).Repeat()
	_, body, _ := h.get(t, "user:a", "/me/playlists")
	assert.Equal(t, "user:a /v1/me/playlists", body)
	_, body, fromCache := h.get(t, "user:b", "/me/playlists")
	assert.False(t, fromCache, "B's GET after A's goes to the network")
	assert.Equal(t, "user:b /v1/me/playlists", body)
	_, body, fromCache = h.get(t, "user:a", "/me/playlists")
	assert.True(t, fromCache)
	assert.Equal(t, "user:a /v1/me/playlists", body)
	assert.Equal(t, 2, h.tt.Len())

	h.get(t, "", "/albums/a")
	_, _, fromCache = h.get(t, "", "/albums/a")
	assert.False(t, fromCache, "no principal: no caching at all")
	assert.Equal(t, 4, h.tt.Len())
	assert.Equal(t, 2, h.store.Len())
}

// A store that fails never fails a request: a failed Get is a miss, a
// failed Put, Delete or Invalidate is skipped, and each failure is logged
// at debug level without the query.
func TestCacheStoreErrorsNeverFailARequest(t *testing.T) {
	for _, op := range []string{"Get", "Put", "Delete", "Invalidate"} {
		t.Run(op, func(t *testing.T) {
			h := newCacheHarness(nil)
			h.store.failing = map[string]bool{op: true}
			log := &cacheLog{}
			h.rt = Cache(CacheOptions{Store: h.store, Clock: h.fc, Logger: slog.New(log)})(h.tt)
			h.tt.AppendResponse(200, "v1", "ETag", `"e1"`).
				AppendResponse(200, "v2", "ETag", `"e2"`). // a revalidation answered in full: the old entry goes
				AppendResponse(201, "written").
				AppendResponse(200, "v3", "ETag", `"e3"`)

			for _, want := range []string{"v1", "v2"} {
				resp, body, _ := h.get(t, "user:a", "/albums/a?market=DE")
				assert.Equal(t, 200, resp.StatusCode)
				assert.Equal(t, want, body)
			}
			resp, body, _ := h.do(t, cacheRequest(t, context.Background(), "user:a", http.MethodPut, "/albums/a?market=DE"))
			assert.Equal(t, 201, resp.StatusCode, "a write's answer is passed up whatever its invalidation did")
			assert.Equal(t, "written", body)
			_, body, fromCache := h.get(t, "user:a", "/albums/a?market=DE")
			assert.Equal(t, "v3", body)
			assert.False(t, fromCache)

			calls, _ := h.store.counts(op)
			require.Positive(t, calls, "the scenario calls %s", op)
			want := make([]string, calls)
			for i := range want {
				method := http.MethodGet
				if op == "Invalidate" {
					method = http.MethodPut
				}
				want[i] = "DEBUG spotify cache store failed op=" + op + " method=" + method +
					" url=https://api.spotify.com/v1/albums/a error=cache store unreachable"
			}
			assert.Equal(t, want, log.lines(), "one debug line per failure, without the query")
		})
	}
}

func TestCacheFailingGetIsAMiss(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.Append(cacheFresh60).Repeat()
	h.get(t, "user:a", "/albums/a")
	require.Equal(t, 1, h.store.Len())
	h.store.failing = map[string]bool{"Get": true}
	_, body, fromCache := h.get(t, "user:a", "/albums/a")
	assert.False(t, fromCache, "the stored entry cannot be read: a miss")
	assert.Equal(t, "user:a /v1/albums/a", body)
	assert.Equal(t, 2, h.tt.Len())
	assert.Empty(t, h.tt.Requests()[1].Header.Get("If-None-Match"), "nothing to revalidate")
}

// A write the caller gave up on may still have been applied: its entries
// are invalidated on a context that has not ended.
func TestCacheWriteInvalidatesAfterTheCallerGaveUp(t *testing.T) {
	h := newCacheHarness(nil)
	ctx, cancel := context.WithCancel(context.Background())
	h.tt.Append(cacheFresh60).Append(func(req *http.Request) (*http.Response, error) {
		cancel()
		return nil, req.Context().Err()
	})
	h.get(t, "user:a", "/playlists/x")
	require.Equal(t, 1, h.store.Len())
	_, err := h.rt.RoundTrip(cacheRequest(t, ctx, "user:a", http.MethodPost, "/playlists/x/items"))
	require.ErrorIs(t, err, context.Canceled)
	calls, live := h.store.counts("Invalidate")
	assert.Equal(t, 1, calls)
	assert.Equal(t, 1, live, "Invalidate got a context that had not ended")
	assert.Zero(t, h.store.Len())
}

// A call whose context ends while the store looks gives up there: nothing
// is sent below, and the store's error is not logged as a failure.
func TestCacheCallEndingDuringGetIsNotSent(t *testing.T) {
	h := newCacheHarness(nil)
	h.store.blockGet = true
	log := &cacheLog{}
	h.rt = Cache(CacheOptions{Store: h.store, Clock: h.fc, Logger: slog.New(log)})(h.tt)
	h.tt.Append(cacheFresh60).Repeat()
	ctx, cancel := context.WithCancel(context.Background())
	body, _ := testtransport.NewRequestBody("")
	req := cacheRequest(t, ctx, "user:a", http.MethodGet, "/albums/a")
	req.Body = body
	done := make(chan error, 1)
	go func() {
		_, err := h.rt.RoundTrip(req)
		done <- err
	}()
	require.Eventually(t, func() bool { n, _ := h.store.counts("Get"); return n > 0 }, time.Second, time.Millisecond)
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	assert.Zero(t, h.tt.Len(), "nothing was sent")
	assert.Equal(t, 1, body.Closes())
	assert.Empty(t, log.lines())
}

// TestCacheAndCoalesceKeyARequestOnce checks that the cache stage leaves the
// key it computed on the call record, where the coalescing stage below
// finds it for the same request; a revalidation's request (a clone with
// If-None-Match) is keyed on its own.
func TestCacheAndCoalesceKeyARequestOnce(t *testing.T) {
	store := cache.NewLRU(cache.LRUOptions{})
	var seen []*http.Request
	// Between the cache and the coalescing stage: a request the cache
	// stage keyed must find its key on the record.
	probe := func(next http.RoundTripper) http.RoundTripper {
		return transport.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
			seen = append(seen, r)
			call := transport.CallFrom(r.Context())
			if r.Header.Get("If-None-Match") != "" {
				// The clone is not the request the record keeps a key for.
				assert.Equal(t, requestKey("user:a", r).Request, call.RequestKey(r, requestKeyString))
			} else {
				assert.Equal(t, requestKey("user:a", r).Request, call.RequestKey(r, func(*http.Request) string {
					t.Errorf("%s keyed a second time", r.URL)
					return ""
				}))
			}
			return next.RoundTrip(r)
		})
	}
	base := transport.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		h := http.Header{"Etag": {`"e1"`}, "Cache-Control": {"private, max-age=0"}}
		if r.Header.Get("If-None-Match") != "" {
			return &http.Response{StatusCode: http.StatusNotModified, Header: h, Body: http.NoBody, Request: r}, nil
		}
		return &http.Response{StatusCode: http.StatusOK, Header: h, Body: transport.NewBufferedBody([]byte("x")), Request: r}, nil
	})
	rt := Cache(CacheOptions{Store: store})(probe(Coalesce(CoalesceOptions{})(base)))
	for range 2 { // a miss, then a revalidation
		req := cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a")
		resp, err := rt.RoundTrip(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
	}
	require.Len(t, seen, 2)
	assert.Equal(t, `"e1"`, seen[1].Header.Get("If-None-Match"))
}
