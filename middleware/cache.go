package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/spotifysdk/spotify-go/cache"
	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/transport"
)

// CacheOptions configures the [Cache] stage. The zero value is a cache that
// is off: every request passes through untouched.
type CacheOptions struct {
	// Store holds the entries. Nil turns the cache off: the stage passes
	// every request through, reads and writes alike. Default nil (package
	// spotify passes a bounded LRU store).
	Store cache.Store
	// Clock stamps entries and measures their freshness. Nil means the
	// wall clock.
	Clock transport.Clock
	// Invalidate returns, for a write that may have been applied (see
	// [Cache]), extra escaped path prefixes ("/v1/me/tracks") whose
	// entries are dropped too, for writes whose effects their path does not
	// show (PUT /v1/me/library changes /v1/me/tracks). It is called after
	// the write was sent, with the caller's request (whose body must not be
	// read), from any goroutine; it may return nil. Nil means no extra
	// prefixes.
	Invalidate func(req *http.Request) []string
	// Logger receives a line at [slog.LevelDebug] for every store operation
	// that failed. Nil means none.
	Logger *slog.Logger
}

// Cache returns the cache stage: a per-principal ETag and max-age cache for
// GETs, that sits above retry so that a hit costs no attempt.
//
// Which requests it serves and stores: a GET (or a request with an empty
// method) whose context carries a principal ([transport.Call.Principal]), without
// the per-call NoCache override, a Range header, a conditional header
// (If-None-Match, If-Modified-Since, If-Match, If-Unmodified-Since,
// If-Range) or Cache-Control: no-store. Any other read passes through
// untouched: without a principal nothing is cached at all, so one user's
// data can never reach another.
//
// The key is the principal, the method, the canonical URL (query keys
// sorted) and Accept-Language. An entry also records the request's values
// of the headers its response named in Vary; a request whose values differ
// misses (the response it gets replaces the entry).
//
// Freshness: Cache-Control max-age, minus the response's Age, counted from
// when the response was received (or last revalidated) on the stage's
// clock. A response with no-cache, max-age=0 or no max-age is stale at
// once; Expires is not read. A request with Cache-Control no-cache or
// max-age=0, or Pragma: no-cache, treats every entry as stale.
//
//   - A fresh entry is served with no request below: a new *http.Response
//     with a copy of the stored header, a [transport.BufferedBody] over the
//     stored bytes, and Request set to the caller's request.
//   - A stale entry with an ETag is revalidated: a clone of the request
//     goes below with If-None-Match. A 304 is drained and closed and turned
//     into the stored 200 with the 304's header fields merged over the
//     stored ones (hop-by-hop fields and Content-Length excepted); the
//     merged entry is stored again with a new receive time. If the entry was
//     evicted or dropped while the 304 was on its way, the stage still holds
//     the entry it validated (entries are immutable) and serves it: the 304
//     vouches for exactly that ETag, so nothing needs to be re-sent.
//   - A stale entry without an ETag is refetched with the caller's request.
//   - When the answer to a refetch or revalidation is anything but a 304, a
//     429 or a 5xx, the old entry is dropped; a storable 200 replaces it.
//
// Fresh hits and 304 revalidations are marked on the call's
// [transport.Call] (SetFromCache).
//
// What is stored: a 200 answer to a GET, unless its Cache-Control says
// no-store or its Vary is "*", and only if it can be used later (it has an
// ETag or a positive max-age). Cache-Control: private is stored, since the
// key carries the principal. A body a stage below buffered
// ([transport.BodyBytes] sees its bytes) is stored at once and returned
// unwrapped, so the caller can still take its bytes without a copy. A
// streamed body is wrapped, and the entry is stored only once a Read
// returned io.EOF; a streamed body closed earlier, or failing, stores
// nothing. Hop-by-hop header fields are not stored.
//
// Writes: after a PUT, POST, PATCH or DELETE that may have been applied
// (any answer but a 1xx, 3xx or 4xx status: a 2xx, a 5xx or a transport
// error), whatever its principal, the entries of every principal whose path
// is a path-segment prefix of the written path, or has it as one, are
// dropped ("/v1/playlists/x/items" drops "/v1/playlists/x" and
// "/v1/playlists/x/items?offset=0", not "/v1/playlists/xy"), together with
// the entries under the prefixes [CacheOptions.Invalidate] returns: one
// [cache.Store.Invalidate], which the store answers without a scan of its
// entries. It runs with a context that does not end with the call, since a
// write the caller gave up on may still have been applied. A GET whose
// flight overlapped such a write to its path, made through the same
// middleware (one Cache call; clients sharing a Store should share it too),
// does not store its answer, so a response read before the write cannot
// outlive it.
//
// Store errors never fail a request: a Get that fails is a miss, a Put,
// Delete or Invalidate that fails is skipped, and each failure is logged
// ([CacheOptions.Logger]).
//
// The returned RoundTripper is safe for concurrent use.
func Cache(o CacheOptions) transport.Middleware {
	c := clock.Or(o.Clock)
	writes := &cacheWriteLog{}
	return func(next http.RoundTripper) http.RoundTripper {
		return &cacheTransport{next: next, store: o.Store, clock: c, invalidate: o.Invalidate, logger: o.Logger, writes: writes}
	}
}

// cacheTransport is the RoundTripper of the [Cache] stage.
type cacheTransport struct {
	next       http.RoundTripper
	store      cache.Store // nil: off
	clock      clock.Clock
	invalidate func(*http.Request) []string
	logger     *slog.Logger   // nil: store failures are not logged
	writes     *cacheWriteLog // shared by every transport of one Cache call
}

var _ http.RoundTripper = (*cacheTransport)(nil)

// RoundTrip serves req from the store, revalidates it, or sends it and
// stores the answer; a write drops the entries it touches.
func (t *cacheTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.store != nil {
		switch req.Method {
		case "", http.MethodGet:
			if p := transport.CallFrom(req.Context()).Principal(); p != "" && cacheableRequest(req) {
				return t.get(req, p)
			}
		case http.MethodPut, http.MethodPost, http.MethodPatch, http.MethodDelete:
			return t.write(req)
		}
	}
	return transport.CheckResponse(t.next.RoundTrip(req))
}

// get answers a cacheable GET of principal.
func (t *cacheTransport) get(req *http.Request, principal string) (*http.Response, error) {
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		transport.CloseRequestBody(req)
		return nil, err
	}
	key := callRequestKeyUnselected(principal, req) // cacheableRequest: no selectors
	since := t.writes.current()
	e, ok := t.lookup(req, key)
	if !ok && ctx.Err() != nil {
		// The call ended while the store looked: give up as any wait does.
		transport.CloseRequestBody(req)
		return nil, ctx.Err()
	}
	if ok && !cacheVaryMatches(e.Header, e.VaryHeader, req) {
		e, ok = nil, false
	}
	if ok && !cacheRequestRevalidates(req.Header) && cacheFresh(e, t.clock.Now()) {
		transport.CloseRequestBody(req)
		transport.CallFrom(ctx).SetFromCache()
		return cacheResponse(e, req), nil
	}
	var etag string
	out := req
	if ok {
		if etag = fieldValue(e.Header, fieldETag); etag != "" {
			out = req.Clone(ctx)
			out.Header.Set("If-None-Match", etag)
		}
	}
	resp, err := transport.CheckResponse(t.next.RoundTrip(out))
	if err != nil {
		return nil, err
	}
	if etag != "" && resp.StatusCode == http.StatusNotModified {
		now := t.clock.Now()
		transport.DrainAndClose(resp)
		transport.CallFrom(ctx).SetFromCache()
		return t.revalidated(req, key, e, resp.Header, since, now), nil
	}
	if ok && resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
		t.drop(req, key)
	}
	if cacheStorable(resp.StatusCode, resp.Header) {
		// The clock is read only for an answer that is stored: the receive
		// time is what its freshness counts from.
		now := t.clock.Now()
		ne := &cache.Entry{
			Principal:  principal,
			Path:       canonicalPath(req.URL),
			StatusCode: resp.StatusCode,
			Header:     cacheCopyFields(nil, resp.Header, false),
			Stored:     now,
			VaryHeader: cacheVaryValues(resp.Header, req),
		}
		if data, ok := transport.BodyBytes(resp.Body); ok {
			// Buffered below: store it now and hand the body back as it is,
			// so that the caller can still take its bytes without a copy.
			ne.Body = data
			t.put(req, key, ne, since)
		} else {
			resp.Body = newCacheFillBody(resp.Body, func(data []byte) {
				ne.Body = data
				t.put(req, key, ne, since)
			})
		}
	}
	return resp, nil
}

// revalidated turns the 304 that validated e into e's response with the
// 304's header merged in, and stores the merged entry, unless the store
// already holds a newer one under key (stored by another call meanwhile).
func (t *cacheTransport) revalidated(req *http.Request, key cache.Key, e *cache.Entry, h http.Header, since uint64, now time.Time) *http.Response {
	merged := cacheCopyFields(e.Header.Clone(), h, true)
	ne := &cache.Entry{
		Principal:  e.Principal,
		Path:       e.Path,
		StatusCode: e.StatusCode,
		Header:     merged,
		Body:       e.Body,
		Stored:     now,
		VaryHeader: cacheVaryValues(merged, req),
	}
	cur, ok := t.lookup(req, key)
	switch {
	case ok && cur.Stored.After(e.Stored):
		// Another call stored a newer answer meanwhile: keep it.
	case !cacheStorable(ne.StatusCode, merged):
		if ok {
			t.drop(req, key)
		}
	default:
		t.put(req, key, ne, since)
	}
	return cacheResponse(ne, req)
}

// put stores e under key unless a write touched e's path since the write
// sequence number since; the check is made again after the Put, so a write
// that raced with it still drops it.
func (t *cacheTransport) put(req *http.Request, key cache.Key, e *cache.Entry, since uint64) {
	if t.writes.touched(since, e.Path) {
		return
	}
	if err := t.store.Put(req.Context(), key, e); err != nil {
		t.storeFailed(req, "Put", err)
		return
	}
	if t.writes.touched(since, e.Path) {
		t.drop(req, key)
	}
}

// write sends a write and drops the entries it may have changed.
func (t *cacheTransport) write(req *http.Request) (*http.Response, error) {
	resp, err := transport.CheckResponse(t.next.RoundTrip(req))
	if err != nil || resp.StatusCode/100 == 2 || resp.StatusCode >= 500 {
		inv := cache.Invalidation{Path: canonicalPath(req.URL)}
		if t.invalidate != nil {
			inv.Prefixes = t.invalidate(req)
		}
		t.writes.add(inv)
		// The write may have been applied even if the caller gave up on
		// it: its entries go all the same.
		if ierr := t.store.Invalidate(context.WithoutCancel(req.Context()), inv); ierr != nil {
			t.storeFailed(req, "Invalidate", ierr)
		}
	}
	return resp, err
}

// lookup returns the entry under key; a store that fails misses (and is
// logged, unless the call's context ended meanwhile).
func (t *cacheTransport) lookup(req *http.Request, key cache.Key) (*cache.Entry, bool) {
	e, ok, err := t.store.Get(req.Context(), key)
	if err != nil {
		if req.Context().Err() == nil {
			t.storeFailed(req, "Get", err)
		}
		return nil, false
	}
	return e, ok && e != nil
}

// drop deletes the entry under key; a store that fails keeps it.
func (t *cacheTransport) drop(req *http.Request, key cache.Key) {
	if err := t.store.Delete(req.Context(), key); err != nil {
		t.storeFailed(req, "Delete", err)
	}
}

// storeFailed records that the store operation op for req failed with err:
// a debug line on the logger, if any. The call goes on without the store.
func (t *cacheTransport) storeFailed(req *http.Request, op string, err error) {
	ctx := req.Context()
	if t.logger == nil || !t.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	t.logger.LogAttrs(ctx, slog.LevelDebug, "spotify cache store failed",
		slog.String("op", op),
		slog.String("method", req.Method),
		slog.String("url", RedactURL(req.URL)),
		slog.String("error", redactMessage(err.Error(), req.URL)))
}
