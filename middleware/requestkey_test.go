package middleware

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/cache"
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
		{"http://127.0.0.1:8080/v1/x", "http://127.0.0.1:8080/v1/x"},
		{"https://h:443/x", "https://h/x"},
		{"https://h:0443/x", "https://h:0443/x"},
		{"https://H:8443/x", "https://h:8443/x"},
		{"https://h.:8443/x", "https://h:8443/x"},
	} {
		got := canonicalURL(mustParse(t, tc.in))
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, got, canonicalURL(mustParse(t, got)), "idempotent: %s", tc.in)
	}
}

// A plain host, with or without a port of its own, is canonical as it
// comes: keying a request to it parses nothing and allocates nothing.
func TestCanonicalHostPlainAllocatesNothing(t *testing.T) {
	for _, host := range []string{"api.spotify.com", "127.0.0.1:8080"} {
		assert.Equal(t, host, canonicalHost("https", host))
		assert.Zero(t, testing.AllocsPerRun(100, func() { _ = canonicalHost("https", host) }), host)
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
	req := func(method, rawURL string, header ...string) *http.Request {
		r := &http.Request{Method: method, URL: mustParse(t, rawURL), Header: http.Header{}}
		for i := 0; i < len(header); i += 2 {
			r.Header.Add(header[i], header[i+1])
		}
		return r
	}
	de := []string{"Accept-Language", "de"}
	base := requestKey("user:a", req("GET", "https://h/v1/x?a=1&b=2", de...))
	assert.Equal(t, "user:a", base.Principal)
	assert.Equal(t, base, requestKey("user:a", req("GET", "https://H/v1/x?b=2&a=1", de...)))
	assert.Equal(t, base, requestKey("user:a", req("", "https://h/v1/x?a=1&b=2", de...)), `"" is GET`)
	assert.Equal(t, base, requestKey("user:a", req("GET", "https://h/v1/x?a=1&b=2", "Accept-Language", "de", "X-Other", "1")),
		"headers that select nothing are not part of the key")
	for _, other := range []cache.Key{
		requestKey("user:b", req("GET", "https://h/v1/x?a=1&b=2", de...)),
		requestKey("user:a", req("HEAD", "https://h/v1/x?a=1&b=2", de...)),
		requestKey("user:a", req("GET", "https://h/v1/x?a=1&b=2", "Accept-Language", "fr")),
		requestKey("user:a", req("GET", "https://h/v1/x?a=1&b=2")),
		requestKey("user:a", req("GET", "https://h/v1/x?a=1", de...)),
		requestKey("user:a", req("GET", "https://h/v1/x?a=1&b=2", "Accept-Language", "de", "Accept-Language", "fr")),
		requestKey("user:a", req("GET", "https://h/v1/x?a=1&b=2", "Accept-Language", "de", "Range", "bytes=0-9")),
		requestKey("user:a", req("GET", "https://h/v1/x?a=1&b=2", "Accept-Language", "de", "If-None-Match", `"e"`)),
	} {
		assert.NotEqual(t, base, other)
	}
	// Separators inside the fields cannot make two keys meet.
	assert.NotEqual(t,
		requestKey("a", req("GET", "https://h/", "Accept-Language", "x", "Range", "1")),
		requestKey("a", req("GET", "https://h/", "Accept-Language", "x1:1")))
	assert.NotEqual(t,
		requestKey("a", req("GET", "https://h/", "Range", "1", "If-Range", "2")),
		requestKey("a", req("GET", "https://h/", "Range", "1", "If-Match", "2")))
	assert.NotEqual(t, requestKey("a", req("GET\x00x", "https://h/")), requestKey("a", req("GET", "https://h/", "Accept-Language", "x")))

	// The cache refuses what the key would tell apart only by a selector.
	assert.False(t, hasSelectors(req("GET", "https://h/", de...)))
	for _, h := range selectorHeaders {
		assert.True(t, hasSelectors(req("GET", "https://h/", h, "x")), h)
	}
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
// principals, methods ("" being GET), Accept-Language and Range values and
// canonical URLs are all equal, and that the key of a request without
// selector headers is the same when they are not looked up.
func FuzzRequestKey(f *testing.F) {
	f.Add("user:a", "GET", "de", "", "https://h/v1/x?a=1&b=2", "user:a", "", "de", "", "https://H:443/v1/x?b=2&a=1")
	f.Add("a", "GET", "x", "1", "https://h/", "a", "GET", "x1:1", "", "https://h/")
	f.Add("1:a", "GET", "", "", "https://h/", "1", "GET", "", "", "https://h/")
	f.Fuzz(func(t *testing.T, p1, m1, l1, r1, u1, p2, m2, l2, r2, u2 string) {
		pu1, err1 := url.Parse(u1)
		pu2, err2 := url.Parse(u2)
		if err1 != nil || err2 != nil {
			return
		}
		mk := func(m, l, r string, u *url.URL) *http.Request {
			req := &http.Request{Method: m, URL: u, Header: http.Header{}}
			if l != "" {
				req.Header.Set("Accept-Language", l)
			}
			if r != "" {
				req.Header.Set("Range", r)
			}
			return req
		}
		norm := func(m string) string {
			if m == "" {
				return http.MethodGet
			}
			return m
		}
		q1, q2 := mk(m1, l1, r1, pu1), mk(m2, l2, r2, pu2)
		for _, q := range []*http.Request{q1, q2} {
			if !hasSelectors(q) {
				// The cache stage's key for a request it checked.
				require.Equal(t, requestKeyString(q), requestKeyStringUnselected(q))
			}
		}
		k1, k2 := requestKey(p1, q1), requestKey(p2, q2)
		same := p1 == p2 && norm(m1) == norm(m2) && l1 == l2 && r1 == r2 && canonicalURL(pu1) == canonicalURL(pu2)
		require.Equal(t, same, k1 == k2, "keys %q and %q", k1, k2)
	})
}

// TestRequestKeyStringIsOneAllocation pins the cost of keying a read: the
// string itself, the canonical URL written into it.
func TestRequestKeyStringIsOneAllocation(t *testing.T) {
	r, err := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/albums/2CWWgbxApjbyByxBBCvGTm", nil)
	require.NoError(t, err)
	r.Header.Set("Accept-Language", "sv")
	r.Header.Set("If-None-Match", `"e1"`)
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _ = requestKeyString(r) }))
	assert.Equal(t, `3:GET2:sv24:"e1";https://api.spotify.com/v1/albums/2CWWgbxApjbyByxBBCvGTm`, requestKeyString(r))
}

// canonicalFastSeeds are URLs at the edges of canonicalURLFast: the ones a
// client sends, and near misses that must take the slow path or give the
// same parts.
var canonicalFastSeeds = []string{
	"https://api.spotify.com/v1/tracks/11dFghVXANMlKmJXsNCbNl",
	"http://127.0.0.1:8080/v1/me/player",
	"https://api.spotify.com/v1/me/tracks?limit=50",
	"https://api.spotify.com/v1/a%2Fb",
	"https://api.spotify.com/v1/a b",
	"https://api.spotify.com/v1/a~b_c-d.e",
	"https://api.spotify.com/v1/x:y@z",
	"https://API.spotify.com/v1",
	"HTTPS://api.spotify.com/v1",
	"https://api.spotify.com:443/v1",
	"https://api.spotify.com:/v1",
	"https://api.spotify.com./v1",
	"https://api.spotify.com",
	"https://api.spotify.com/",
	"https://api.spotify.com/v1#frag",
	"https://user:pw@api.spotify.com/v1",
	"https:api.spotify.com/v1",
	"https://[::1]:8080/v1",
	"https://h/*",
	"https://h/%7E",
	"https://h\u00e9/x",
	"ftp://h/x",
	"//h/x",
	"/v1/x",
}

// FuzzCanonicalURLFast checks that the fast path of canonicalURLOf, where
// it applies, gives the parts the slow path gives.
func FuzzCanonicalURLFast(f *testing.F) {
	for _, s := range canonicalFastSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if err != nil {
			return
		}
		if fast, ok := canonicalURLFast(u); ok {
			require.Equal(t, canonicalURLSlow(u), fast, "%q", s)
		}
	})
}

// TestCanonicalURLFast checks where the fast path applies (the URLs a
// client sends) and that it agrees with the slow path there, also for URLs
// built field by field, which url.Parse never makes.
func TestCanonicalURLFast(t *testing.T) {
	for _, s := range canonicalFastSeeds[:2] {
		_, ok := canonicalURLFast(mustParse(t, s))
		assert.True(t, ok, "a client's URL takes the fast path: %s", s)
	}
	urls := []*url.URL{
		{Scheme: "https", Host: "h", Path: "v1/x"},
		{Scheme: "https", Host: "h", Path: "/v1/x", RawPath: "/v1/x"},
		{Scheme: "https", Host: "h", Path: "/v1/\x00"},
		{Scheme: "https", Host: "h", Path: "/v1/\u00e9"},
		{Scheme: "https", Host: "h", Path: "/v1/x?"},
		{Scheme: "https", Host: "h", Path: "/v1/x", ForceQuery: true},
		{Scheme: "https", Host: "h", Path: "/v1/x", Fragment: "f", User: url.User("u")},
		{Scheme: "https", Host: "h", Opaque: "//h/v1"},
		{Scheme: "https", Host: "h:0443", Path: "/x"},
		{Scheme: "http", Host: "h:80", Path: "/x"},
		{Scheme: "https", Host: "h:8x", Path: "/x"},
		{Scheme: "https", Host: "", Path: "/x"},
		{Scheme: "HTTPS", Host: "h", Path: "/x"},
		{Host: "h", Path: "/x"},
	}
	for _, s := range canonicalFastSeeds {
		urls = append(urls, mustParse(t, s))
	}
	for c := range 256 {
		// Every byte in a path and in a host, as a URL built by hand holds
		// it.
		urls = append(urls,
			&url.URL{Scheme: "https", Host: "h", Path: "/v1/x" + string(rune(c)) + "y"},
			&url.URL{Scheme: "https", Host: "h", Path: "/v1/x" + string([]byte{byte(c)}) + "y"},
			&url.URL{Scheme: "https", Host: "h" + string([]byte{byte(c)}) + "i", Path: "/v1"})
	}
	for _, u := range urls {
		if fast, ok := canonicalURLFast(u); ok {
			assert.Equal(t, canonicalURLSlow(u), fast, "%#v", u)
		}
	}
}
