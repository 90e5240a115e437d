package middleware

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/internal/testtransport"
	"github.com/spotifysdk/spotify-go/transport"
)

func mustParse(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

func TestCanonicalURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"HTTPS://API.Spotify.COM:443/v1/Me?b=2&a=1", "https://api.spotify.com/v1/Me?a=1&b=2"},
		{"https://user:pw@api.spotify.com./v1/x#frag", "https://api.spotify.com/v1/x"},
		{"http://h:80", "http://h/"},
		{"https://h:8443/x", "https://h:8443/x"},
		{"https://h:/x?", "https://h/x"},
		{"https://h/x?ids=a,b", "https://h/x?ids=a%2Cb"},
		{"https://h/x?ids=a%2cb", "https://h/x?ids=a%2Cb"},
		{"https://h/x?q=a+b", "https://h/x?q=a+b"},
		{"https://h/x?q=a%20b", "https://h/x?q=a+b"},
		{"https://h/x?b=1&a=2&a=1&&c", "https://h/x?a=2&a=1&b=1&c="},
		{"https://h/x?b=1&a=%zz", "https://h/x?a=%zz&b=1"},
		{"https://h/x?a;b=1&a=2", "https://h/x?a=2&a;b=1"},
		{"https://h/a%2Fb", "https://h/a%2Fb"},
		{"https://h/a b", "https://h/a%20b"},
		{"https://a%25b/x", "https://a%25b/x"},
		{"https://%C3%89/x", "https://\u00c9/x"},
		{"http://[FE80::1%25En0]:80/", "http://[fe80::1%25En0]/"},
		{"http://[::1%25\u00e9%20x]:80/", "http://[::1%25\u00e9%20x]/"},
		{"https:api.spotify.com/v1", "https:///api.spotify.com/v1"},
		{"//h/p", "//h/p"},
		{"relative", "/relative"},
	} {
		got := canonicalURL(mustParse(t, tc.in))
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, got, canonicalURL(mustParse(t, got)), "idempotent: %s", tc.in)
	}
}

func TestCanonicalPath(t *testing.T) {
	assert.Equal(t, "/", canonicalPath(mustParse(t, "https://h")))
	assert.Equal(t, "/v1/a%2Fb", canonicalPath(mustParse(t, "https://h/v1/a%2Fb?x=1")))
	// The "//host/path" opaque form sends an exact path.
	u := &url.URL{Scheme: "https", Host: "h", Opaque: "//h/v1/a%2Fb"}
	assert.Equal(t, "/v1/a%2Fb", canonicalPath(u))
	assert.Equal(t, "https://h/v1/a%2Fb", canonicalURL(u))
}

func TestRequestKey(t *testing.T) {
	req := func(method, rawURL string, lang ...string) *http.Request {
		r := &http.Request{Method: method, URL: mustParse(t, rawURL), Header: http.Header{}}
		for _, l := range lang {
			r.Header.Add("Accept-Language", l)
		}
		return r
	}
	base := requestKey("user:a", req("GET", "https://h/v1/x?a=1&b=2", "de"))
	assert.Equal(t, base, requestKey("user:a", req("GET", "https://H/v1/x?b=2&a=1", "de")))
	assert.Equal(t, base, requestKey("user:a", req("", "https://h/v1/x?a=1&b=2", "de")), `"" is GET`)
	for _, other := range []string{
		requestKey("user:b", req("GET", "https://h/v1/x?a=1&b=2", "de")),
		requestKey("user:a", req("HEAD", "https://h/v1/x?a=1&b=2", "de")),
		requestKey("user:a", req("GET", "https://h/v1/x?a=1&b=2", "fr")),
		requestKey("user:a", req("GET", "https://h/v1/x?a=1&b=2")),
		requestKey("user:a", req("GET", "https://h/v1/x?a=1", "de")),
		requestKey("user:a", req("GET", "https://h/v1/x?a=1&b=2", "de", "fr")),
	} {
		assert.NotEqual(t, base, other)
	}
	// Separators inside the fields cannot make two keys meet.
	assert.NotEqual(t,
		requestKey("a\x00GET", req("GET", "https://h/", "x")),
		requestKey("a", req("GET", "https://h/", "GET\x00x")))
	assert.NotEqual(t, requestKey("1:a", req("GET", "https://h/")), requestKey("1", req("GET", "https://h/")))
}

func TestCachePathWithin(t *testing.T) {
	for _, tc := range []struct {
		p, prefix string
		want      bool
	}{
		{"/v1/playlists/x", "/v1/playlists/x", true},
		{"/v1/playlists/x/items", "/v1/playlists/x", true},
		{"/v1/playlists/x/", "/v1/playlists/x", true},
		{"/v1/playlists/x", "/v1/playlists/x/", true},
		{"/v1/playlists/xy", "/v1/playlists/x", false},
		{"/v1/playlists", "/v1/playlists/x", false},
		{"/v1/anything", "/", true},
	} {
		assert.Equal(t, tc.want, cachePathWithin(tc.p, tc.prefix), "%s within %s", tc.p, tc.prefix)
	}
}

func TestCacheWriteLog(t *testing.T) {
	var l cacheWriteLog
	since := l.current()
	l.add(cacheInvalidation{path: "/v1/playlists/x/items", prefixes: []string{"/v1/me/tracks"}})
	assert.True(t, l.touched(since, "/v1/playlists/x"))
	assert.True(t, l.touched(since, "/v1/me/tracks/contains"))
	assert.False(t, l.touched(since, "/v1/playlists/xy"))
	assert.False(t, l.touched(l.current(), "/v1/playlists/x"), "writes before since do not count")
	since = l.current()
	for range cacheWriteLogSize {
		l.add(cacheInvalidation{path: "/v1/other"})
	}
	assert.False(t, l.touched(since, "/v1/playlists/x"))
	l.add(cacheInvalidation{path: "/v1/other"})
	assert.True(t, l.touched(since, "/v1/playlists/x"), "more writes than the log holds: assume touched")
}

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

// cacheReorderQuery returns raw with its pairs in another order that keeps
// the order of the values of each key (keys compared unescaped): pairs
// sorted by key, descending.
func cacheReorderQuery(raw string) string {
	pieces := strings.Split(raw, "&")
	key := func(piece string) string {
		k, _, _ := strings.Cut(piece, "=")
		if un, err := url.QueryUnescape(k); err == nil {
			return un
		}
		return k
	}
	slices.SortStableFunc(pieces, func(a, b string) int { return strings.Compare(key(b), key(a)) })
	return strings.Join(pieces, "&")
}

// FuzzCanonicalURL checks, for any string url.Parse accepts, that
// canonicalURL does not panic, gives a URL whose canonical form is itself,
// keeps the path of an absolute URL (the invalidation key), and ignores the
// order of query keys.
func FuzzCanonicalURL(f *testing.F) {
	f.Add("https://api.spotify.com/v1/playlists/x/items?offset=0&limit=50")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if err != nil {
			return
		}
		out := canonicalURL(u)
		u2, err := url.Parse(out)
		require.NoError(t, err, "the canonical form of %q does not parse: %q", s, out)
		require.Equal(t, out, canonicalURL(u2), "not idempotent for %q", s)
		if u.Scheme != "" {
			require.Equal(t, canonicalPath(u), canonicalPath(u2), "path of %q", s)
		}
		require.Equal(t, canonicalPath(u), canonicalPath(mustParse(t, "https://h"+canonicalPath(u))))
		if perm := cacheReorderQuery(u.RawQuery); perm != u.RawQuery {
			u3 := *u
			u3.RawQuery = perm
			require.Equal(t, out, canonicalURL(&u3), "query order changed the key of %q", s)
		}
	})
}

// FuzzRequestKey checks that two requests share a key exactly when their
// principals, methods ("" being GET), Accept-Language values and canonical
// URLs are all equal.
func FuzzRequestKey(f *testing.F) {
	f.Add("user:a", "GET", "de", "https://h/v1/x?a=1&b=2", "user:a", "", "de", "https://H:443/v1/x?b=2&a=1")
	f.Add("a\x00GET", "GET", "x", "https://h/", "a", "GET", "GET\x00x", "https://h/")
	f.Add("1:a", "GET", "", "https://h/", "1", "GET", "", "https://h/")
	f.Fuzz(func(t *testing.T, p1, m1, l1, u1, p2, m2, l2, u2 string) {
		pu1, err1 := url.Parse(u1)
		pu2, err2 := url.Parse(u2)
		if err1 != nil || err2 != nil {
			return
		}
		mk := func(m, l string, u *url.URL) *http.Request {
			r := &http.Request{Method: m, URL: u, Header: http.Header{}}
			if l != "" {
				r.Header.Set("Accept-Language", l)
			}
			return r
		}
		norm := func(m string) string {
			if m == "" {
				return http.MethodGet
			}
			return m
		}
		k1, k2 := requestKey(p1, mk(m1, l1, pu1)), requestKey(p2, mk(m2, l2, pu2))
		same := p1 == p2 && norm(m1) == norm(m2) && l1 == l2 && canonicalURL(pu1) == canonicalURL(pu2)
		require.Equal(t, same, k1 == k2, "keys %q and %q", k1, k2)
	})
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
	noCache := transport.WithOverrides(context.Background(), transport.Overrides{NoCache: true})
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

func TestCacheGETOverlappingAWriteDoesNotStore(t *testing.T) {
	for _, tc := range []struct {
		written string
		stored  bool
	}{{"/playlists/x/items", false}, {"/playlists/other", true}} {
		t.Run(tc.written, func(t *testing.T) {
			h := newCacheHarness(nil)
			h.tt.Append(cacheFresh60).AppendResponse(200, "")
			resp, err := h.rt.RoundTrip(cacheRequest(t, context.Background(), "user:a", http.MethodGet, "/playlists/x"))
			require.NoError(t, err)
			h.do(t, cacheRequest(t, context.Background(), "user:b", http.MethodPost, tc.written))
			_, err = io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, map[bool]int{true: 1, false: 0}[tc.stored], h.store.Len())
		})
	}
}
