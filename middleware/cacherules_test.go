package middleware

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

func TestCacheVaryMatches(t *testing.T) {
	stored := http.Header{"Vary": {"Accept-Encoding, x-client"}}
	req := &http.Request{Header: http.Header{"Accept-Encoding": {"gzip"}}}
	vh := cacheVaryValues(stored, req)
	assert.Equal(t, http.Header{"Accept-Encoding": {"gzip"}}, vh)
	assert.True(t, cacheVaryMatches(stored, vh, req))
	assert.False(t, cacheVaryMatches(stored, vh, &http.Request{Header: http.Header{"Accept-Encoding": {"br"}}}))
	assert.False(t, cacheVaryMatches(stored, vh, &http.Request{Header: http.Header{"Accept-Encoding": {"gzip"}, "X-Client": {"1"}}}))
	assert.False(t, cacheVaryMatches(http.Header{"Vary": {"*"}}, nil, req))
	assert.True(t, cacheVaryMatches(http.Header{}, nil, req))
}

func TestCacheFreshness(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
		after  time.Duration
		fresh  bool
	}{
		{"max-age", []string{"Cache-Control", "max-age=60"}, 59 * time.Second, true},
		{"max-age reached", []string{"Cache-Control", "max-age=60"}, 60 * time.Second, false},
		{"Age counts", []string{"Cache-Control", "max-age=60", "Age", "50"}, 11 * time.Second, false},
		{"Age within", []string{"Cache-Control", "max-age=60", "Age", "50"}, 9 * time.Second, true},
		{"quoted", []string{"Cache-Control", `private, MAX-AGE="60"`}, time.Second, true},
		{"no-cache wins", []string{"Cache-Control", "max-age=60, no-cache"}, 0, false},
		{"max-age=0", []string{"Cache-Control", "max-age=0"}, 0, false},
		{"no max-age", []string{"Expires", "Sat, 28 Nov 2099 12:00:00 GMT"}, 0, false},
		{"bad max-age", []string{"Cache-Control", "max-age=soon"}, 0, false},
		{"huge max-age", []string{"Cache-Control", "max-age=99999999999999999"}, 24 * time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newCacheHarness(nil)
			hdr := append([]string{"ETag", `"e"`}, tc.header...)
			h.tt.AppendResponse(200, "v1", hdr...).AppendResponse(304, "")
			h.get(t, "user:a", "/albums/a")
			h.fc.Advance(tc.after)
			_, body, fromCache := h.get(t, "user:a", "/albums/a")
			assert.Equal(t, "v1", body)
			assert.True(t, fromCache)
			assert.Equal(t, map[bool]int{true: 1, false: 2}[tc.fresh], h.tt.Len())
		})
	}
}

func TestCacheRequestNoCacheRevalidates(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.AppendResponse(200, "v1", "ETag", `"e1"`, "Cache-Control", "max-age=600").AppendResponse(304, "").Repeat()
	h.get(t, "user:a", "/albums/a")
	h.get(t, "user:a", "/albums/a", "Cache-Control", "no-cache")
	h.get(t, "user:a", "/albums/a", "Pragma", "no-cache")
	assert.Equal(t, 3, h.tt.Len(), "a request's no-cache forces a revalidation")
	h.get(t, "user:a", "/albums/a")
	assert.Equal(t, 3, h.tt.Len())
}

func TestCacheStorageRules(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header []string
		stored bool
	}{
		{"private is stored", 200, []string{"Cache-Control", "private, max-age=60"}, true},
		{"an ETag alone is stored", 200, []string{"ETag", `"e"`, "Cache-Control", "no-cache"}, true},
		{"no-store", 200, []string{"Cache-Control", "private, no-store, max-age=60", "ETag", `"e"`}, false},
		{"Vary *", 200, []string{"Cache-Control", "max-age=60", "Vary", "Accept-Language, *"}, false},
		{"neither ETag nor max-age", 200, []string{"Cache-Control", "max-age=0"}, false},
		{"not a 200", 203, []string{"Cache-Control", "max-age=60"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newCacheHarness(nil)
			h.tt.AppendResponse(tc.status, "v1", tc.header...)
			h.get(t, "user:a", "/albums/a")
			assert.Equal(t, map[bool]int{true: 1, false: 0}[tc.stored], h.store.Len())
		})
	}
}

func TestCacheVary(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.AppendResponse(200, "gzip", "Cache-Control", "max-age=60", "Vary", "accept-encoding").
		AppendResponse(200, "br", "Cache-Control", "max-age=60", "Vary", "Accept-Encoding").
		AppendResponse(200, "none", "Cache-Control", "max-age=60", "Vary", "Accept-Encoding")
	h.get(t, "user:a", "/albums/a", "Accept-Encoding", "gzip")
	_, body, fromCache := h.get(t, "user:a", "/albums/a", "Accept-Encoding", "gzip")
	assert.True(t, fromCache)
	assert.Equal(t, "gzip", body)
	_, body, fromCache = h.get(t, "user:a", "/albums/a", "Accept-Encoding", "br")
	assert.False(t, fromCache, "another value of a Vary header misses")
	assert.Equal(t, "br", body)
	_, body, _ = h.get(t, "user:a", "/albums/a", "Accept-Encoding", "br")
	assert.Equal(t, "br", body, "the new variant replaced the entry")
	_, _, fromCache = h.get(t, "user:a", "/albums/a")
	assert.False(t, fromCache, "a missing header is a different value")
}

func TestCacheNoCacheOverrideNeitherServesNorStores(t *testing.T) {
	h := newCacheHarness(nil)
	h.tt.Append(cacheFresh60).Repeat()
	noCache := withOverrides(context.Background(), transport.Overrides{NoCache: true})
	h.do(t, cacheRequest(t, noCache, "user:a", http.MethodGet, "/albums/a"))
	assert.Zero(t, h.store.Len(), "not stored")
	h.get(t, "user:a", "/albums/a")
	_, _, fromCache := h.do(t, cacheRequest(t, noCache, "user:a", http.MethodGet, "/albums/a"))
	assert.False(t, fromCache, "not served")
	assert.Equal(t, 3, h.tt.Len())
	assert.Empty(t, h.tt.Requests()[2].Header.Get("If-None-Match"), "passed through untouched")
}

func TestCachePassesThroughRequestsItMustNotAnswer(t *testing.T) {
	for _, hdr := range [][]string{
		{"Range", "bytes=0-9"}, {"Cache-Control", "no-store"}, {"If-None-Match", `"e"`}, {"If-Modified-Since", "Sat, 28 Nov 2026 12:00:00 GMT"},
	} {
		t.Run(hdr[0], func(t *testing.T) {
			h := newCacheHarness(nil)
			h.tt.Append(cacheFresh60).Repeat()
			h.get(t, "user:a", "/albums/a")
			req := cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a", hdr...)
			before := req.Header.Clone()
			_, _, fromCache := h.do(t, req)
			assert.False(t, fromCache)
			assert.Equal(t, 2, h.tt.Len())
			assert.Equal(t, before, h.tt.Requests()[1].Header, "sent untouched")
			assert.Equal(t, 1, h.store.Len())
		})
	}
	t.Run("no store", func(t *testing.T) {
		tt := testtransport.New().Append(cacheFresh60).Repeat()
		rt := Cache(CacheOptions{})(tt)
		for range 2 {
			resp, err := rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/albums/a"))
			require.NoError(t, err)
			transport.DrainAndClose(resp)
		}
		assert.Equal(t, 2, tt.Len())
	})
}

// An absent header (Age, most of the time) is read without parsing, so
// without the error value a failed parse allocates.
func TestCacheSecondsAbsentAllocatesNothing(t *testing.T) {
	_, ok := cacheSeconds("")
	assert.False(t, ok)
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = cacheSeconds(" ") }))
	n, ok := cacheSeconds(" 42 ")
	assert.True(t, ok)
	assert.EqualValues(t, 42, n)
}

// TestCacheControlOfMatchesCacheDirective checks that the one-pass read of
// a response's Cache-Control finds what cacheDirective finds directive by
// directive.
func TestCacheControlOfMatchesCacheDirective(t *testing.T) {
	for _, vs := range [][]string{
		nil, {""}, {"private, max-age=0"}, {"max-age=60"}, {"No-Store"}, {" no-cache , max-age = 5 "},
		{`max-age="30"`}, {"max-age=1, max-age=2"}, {"private", "max-age=7, no-store"}, {"no-cache=Set-Cookie, max-age=9"},
		{"max-age"}, {"max-ages=3, xmax-age=4"}, {"s-maxage=5"}, {"MAX-AGE=8", "max-age=9"},
	} {
		h := http.Header{}
		for _, v := range vs {
			h.Add("Cache-Control", v)
		}
		_, noStore := cacheDirective(h, "no-store")
		_, noCache := cacheDirective(h, "no-cache")
		maxAge, _ := cacheDirective(h, "max-age")
		assert.Equal(t, cacheControl{noStore: noStore, noCache: noCache, maxAge: maxAge}, cacheControlOf(h), "%q", vs)
	}
}

// The cache rules look their fields up by these names directly: each must
// be the canonical form of itself, or the lookup would miss the field.
func TestCacheFieldNamesAreCanonical(t *testing.T) {
	for _, name := range []string{fieldCacheControl, fieldPragma, fieldConnection, fieldVary, fieldETag, fieldAge, fieldAcceptLanguage} {
		assert.Equal(t, http.CanonicalHeaderKey(name), name)
	}
	h := http.Header{}
	h.Set("ETag", `"e1"`)
	assert.Equal(t, h.Get("ETag"), fieldValue(h, fieldETag))
	assert.Empty(t, fieldValue(h, fieldAge))
}
