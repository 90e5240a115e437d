package spotify

// Tests of the service methods' request fast path: requestURL builds the
// URL that parsing opURL's string gives, and newOpRequest the request that
// newHTTPRequest (http.NewRequestWithContext) makes of it.

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/transport"
)

// fastArgs are path parameters of every shape: ids, escapes, dots,
// slashes, spaces, colons, non-ASCII bytes and the sub-delimiters url.URL
// escapes in a path and those it does not.
var fastArgs = []string{
	"4iV5W9uYEdYUVa79Axb7Rh", "x", "", ".", "..", "...", "a.b", "a/b", "a b", "a%2Fb", "%41", "a:b", "caf\u00e9",
	"a!b", "a$b", "a&b", "a'b", "a(b)", "a*b", "*", "a+b", "a,b", "a;b", "a=b", "a@b", "a~b", "a-b_c", "a?b", "a#b",
	"a[b]", "a|b", "a\\b", "a\x00b", "smedjan", "spotify:track:x",
}

// fastQueries are the queries of the comparisons.
var fastQueries = []url.Values{nil, {}, {"market": {"SE"}}, {"a": {}}, {"q": {"a b&c#d"}, "limit": {"5"}}, {"x": {"\x01é/?"}}}

// parsedRequestURL is the URL of a call the long way: opURL's string, parsed
// by http.NewRequest.
func parsedRequestURL(t testing.TB, c *Client, o *operation, args []string, q url.Values) (*url.URL, bool) {
	raw, err := c.opURL(o.expand(args...), q)
	if err != nil {
		return nil, false
	}
	req, err := http.NewRequest(o.method, raw, nil)
	if err != nil {
		return nil, false
	}
	if req.Host != req.URL.Host {
		t.Fatalf("%s: Host %q, URL.Host %q", raw, req.Host, req.URL.Host)
	}
	return req.URL, true
}

// checkRequestURL compares requestURL with the long way for one call; it
// reports whether the fast path took it.
func checkRequestURL(t testing.TB, c *Client, o *operation, args []string, q url.Values) bool {
	if tmpl := c.fam.reqBase; tmpl != nil {
		want := tmpl.Path + strings.TrimLeft(o.expand(args...), "/")
		if got := expandAfter(tmpl.Path, o.path, args); got != want {
			t.Fatalf("expandAfter(%q, %q, %q) = %q, want %q", tmpl.Path, o.path, args, got, want)
		}
	}
	p := c.requestURL(o, args, q)
	if p == nil {
		return false
	}
	want, ok := parsedRequestURL(t, c, o, args, q)
	if !ok {
		t.Fatalf("base %s, %s %q: the fast path built %s, the long way fails", c.fam.base, o.path, args, &p.url)
	}
	if !reflect.DeepEqual(&p.url, want) {
		t.Fatalf("base %s, %s %q, query %v:\nfast %#v\nlong %#v", c.fam.base, o.path, args, q, p.url, *want)
	}
	return true
}

// fastClient is a client of the family of base, as newFamily makes it.
func fastClient(t testing.TB, raw string) *Client {
	base, err := parseServiceURL("WithBaseURL", raw)
	require.NoError(t, err, raw)
	plain := plainBaseOf(base)
	return &Client{fam: &family{base: base, plainBase: plain, reqBase: requestBaseOf(plain), ua: "ua/1"}}
}

func TestRequestURLMatchesParse(t *testing.T) {
	bases := append([]string{"https://api.spotify.com:/v1", "http://localhost:/v1", "http://[::1]:8080/v1",
		"https://h/v1!", "https://h/v1*/", "https://h/a;b/v1", "https://h/v1%2A"}, opURLBases...)
	fastBases, fast, total := 0, 0, 0
	for _, raw := range bases {
		c := fastClient(t, raw)
		if c.fam.reqBase != nil {
			fastBases++
		}
		for _, o := range registry {
			for _, a := range fastArgs {
				args := make([]string, len(o.pathNames))
				for i := range args {
					args[i] = a
				}
				for _, q := range fastQueries {
					total++
					if checkRequestURL(t, c, o, args, q) {
						fast++
					}
				}
			}
			// Fewer or more args than the template names.
			checkRequestURL(t, c, o, nil, nil)
			checkRequestURL(t, c, o, []string{"a", "b", "c", "d", "e", "f"}, nil)
		}
	}
	assert.Greater(t, fastBases, len(bases)/2, "most bases have a request template")
	assert.Greater(t, fast, total/4, "the fast path is taken")

	// The default base: every operation with a plain id takes it.
	c := fastClient(t, DefaultBaseURL)
	for _, o := range registry {
		args := make([]string, len(o.pathNames))
		for i := range args {
			args[i] = "4iV5W9uYEdYUVa79Axb7Rh"
		}
		assert.True(t, checkRequestURL(t, c, o, args, url.Values{"market": {"SE"}}), o.name)
	}
}

func TestRequestBaseOf(t *testing.T) {
	for raw, want := range map[string]string{
		"https://api.spotify.com/v1":   "https://api.spotify.com/v1/",
		"https://api.spotify.com/v1/":  "https://api.spotify.com/v1/",
		"https://api.spotify.com:/v1":  "https://api.spotify.com/v1/", // the empty port goes, as NewRequest drops it
		"http://127.0.0.1:8080/v1":     "http://127.0.0.1:8080/v1/",
		"https://api.spotify.com":      "https://api.spotify.com/",
		"https://h/v1%7e":              "", // the path is spelled otherwise
		"https://h/v1!":                "", // RawPath
		"https://h/a%2Fb/v1":           "", // no plain base
		"https://api.spotify.com/v1?x": "https://api.spotify.com/v1/",
	} {
		c := fastClient(t, raw)
		got := ""
		if c.fam.reqBase != nil {
			got = c.fam.reqBase.String()
		}
		assert.Equal(t, want, got, raw)
	}
}

// FuzzRequestURL checks that the fast path builds the URL parsing gives,
// for any base URL, id and query value.
func FuzzRequestURL(f *testing.F) {
	for _, b := range opURLBases {
		for _, a := range fastArgs {
			f.Add(b, a, "SE")
		}
	}
	ops := []*operation{opGetTrack, opGetSavedTracks, opGetPlaylistItems, opGetSeveralAlbums}
	f.Fuzz(func(t *testing.T, raw, id, q string) {
		base, err := parseServiceURL("WithBaseURL", raw)
		if err != nil {
			return
		}
		plain := plainBaseOf(base)
		c := &Client{fam: &family{base: base, plainBase: plain, reqBase: requestBaseOf(plain)}}
		for _, o := range ops {
			args := make([]string, len(o.pathNames))
			for i := range args {
				args[i] = id
			}
			checkRequestURL(t, c, o, args, url.Values{"q": {q}})
		}
	})
}

// fieldsOf is req with what cannot be compared taken out: its context
// (each request has a call record of its own), its body and GetBody
// (read and compared apart).
func fieldsOf(t *testing.T, req *http.Request) (*http.Request, string, string) {
	t.Helper()
	r := req.WithContext(context.Background())
	body, getBody := "<nil>", "<nil>"
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		body = string(b)
		if r.Body == http.NoBody {
			body = "NoBody"
		}
	}
	if r.GetBody != nil {
		rc, err := r.GetBody()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		getBody = string(b)
		if rc == http.NoBody {
			getBody = "NoBody"
		}
	}
	r.Body, r.GetBody = nil, nil
	return r, body, getBody
}

func TestNewOpRequestMatchesNewHTTPRequest(t *testing.T) {
	c := fastClient(t, "https://api.spotify.com:/v1")
	c.provider = nil
	ctx := context.WithValue(context.Background(), layerMarkerKey{}, "caller")
	extra := http.Header{"X-Extra": {"1", "2"}, "Authorization": {"Bearer no"}, "Accept": {"text/plain"}}
	n := 0
	for _, o := range []*operation{opGetTrack, opSaveLibrary, opAddPlaylistItems, opRemovePlaylistItems, opGetSavedTracks} {
		for _, body := range [][]byte{nil, {}, []byte(`{"uris":["a"]}`)} {
			for _, hdr := range []http.Header{nil, extra} {
				args := make([]string, len(o.pathNames))
				for i := range args {
					args[i] = "x1"
				}
				q := url.Values{"market": {"SE"}}
				p := c.requestURL(o, args, q)
				require.NotNil(t, p, o.name)
				raw, err := c.opURL(o.expand(args...), q)
				require.NoError(t, err)
				spec := transport.CallSpec{Route: o.path, Idempotent: &o.idempotent, Overrides: transport.Overrides{Header: hdr}}

				want, wantRec, err := c.newHTTPRequest(ctx, o.method, raw, spec, body, "application/x-test")
				require.NoError(t, err)
				got, gotRec := c.newOpRequest(ctx, o.method, p, spec, body, "application/x-test")

				assert.Equal(t, wantRec.Spec(), gotRec.Spec())
				assert.Same(t, gotRec, transport.CallFrom(got.Context()), "the record is on the request's context")
				assert.Equal(t, "caller", got.Context().Value(layerMarkerKey{}), "the caller's context is the parent")
				w, wBody, wGet := fieldsOf(t, want)
				g, gBody, gGet := fieldsOf(t, got)
				assert.Equal(t, wBody, gBody, "Body")
				assert.Equal(t, wGet, gGet, "GetBody")
				if !reflect.DeepEqual(w, g) {
					t.Errorf("%s, body %q, header %v:\nfast %#v\nlong %#v", o.name, body, hdr, g, w)
				}
				n++
			}
		}
	}
	assert.Equal(t, 30, n)
}

// TestParamsStartsPagingQuery pins what the methods that write p.q
// directly rely on: an operation that pages starts with a query map.
func TestParamsStartsPagingQuery(t *testing.T) {
	c := fastClient(t, DefaultBaseURL)
	for _, o := range registry {
		p := c.params(o)
		if o.limitMax > 0 || o.offset {
			assert.NotNil(t, p.q, o.name)
		}
	}
	cl, err := c.params(opGetTrack, "x").market("").call()
	require.NoError(t, err)
	assert.Empty(t, cl.query)
	cl, err = c.params(opGetTrack, "x").market("SE").call()
	require.NoError(t, err)
	assert.Equal(t, url.Values{"market": {"SE"}}, cl.query)
}

func TestEncodeQueryMatchesEncode(t *testing.T) {
	many := url.Values{}
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
		many[k] = []string{k + "1", k + " 2"}
	}
	for _, q := range append([]url.Values{
		{"market": {"SE"}, "limit": {"20"}, "offset": {"0"}},
		{"ids": {"a,b,c"}, "market": {"from_token"}},
		{"": {""}}, {"k": nil}, {"k": {}}, {"k": {"", ""}}, {"a b": {"c&d=e", "f+g"}, "ä": {"/?#%"}},
		{"z": {"1"}, "a": {"2"}, "m": {"3"}, "b": {"4"}, "y": {"5"}, "c": {"6"}, "x": {"7"}, "d": {"8"}},
		many,
	}, fastQueries...) {
		assert.Equal(t, q.Encode(), encodeQuery(q), "%v", q)
	}
	q := url.Values{"market": {"SE"}, "limit": {"20"}, "offset": {"0"}}
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _ = encodeQuery(q) }))
}

// FuzzEncodeQuery checks encodeQuery against url.Values.Encode.
func FuzzEncodeQuery(f *testing.F) {
	f.Add("market", "SE", "limit", "20", "q", "a b&c")
	f.Add("", "", "", "", "ä", "%zz")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, k3, v3 string) {
		q := url.Values{}
		q.Add(k1, v1)
		q.Add(k2, v2)
		q.Add(k3, v3)
		if got, want := encodeQuery(q), q.Encode(); got != want {
			t.Fatalf("%v: encodeQuery %q, Encode %q", q, got, want)
		}
	})
}

// TestFillPath pins the template filling that expand (the long way) and
// expandAfter (the request's fast path) share, against spelled-out
// answers rather than against each other.
func TestFillPath(t *testing.T) {
	for _, c := range []struct {
		prefix, template string
		args             []string
		trim             bool
		want             string
	}{
		{"", "/albums/{id}", []string{"x"}, false, "/albums/x"},
		{"", "/albums/{id}", nil, false, "/albums/{id}"},
		{"", "/playlists/{playlist_id}/items", []string{"a b/c"}, false, "/playlists/a%20b%2Fc/items"},
		{"", "/users/{user_id}/playlists/{id}", []string{"u"}, false, "/users/u/playlists/{id}"},
		{"", "/albums/{id}", []string{"x", "extra"}, false, "/albums/x"},
		{"", "/chapters/{id}", []string{".."}, false, "/chapters/%2E%2E"},
		{"/v1/", "/albums/{id}/tracks", []string{"x"}, true, "/v1/albums/x/tracks"},
		{"/v1/", "//me", nil, true, "/v1/me"},
		{"/v1/", "/{id}", []string{"x"}, true, "/v1/x"},
		{"/v1/", "/albums/{id}", []string{"x"}, false, "/v1//albums/x"},
	} {
		if got := fillPath(c.prefix, c.template, c.args, c.trim); got != c.want {
			t.Errorf("fillPath(%q, %q, %q, %v) = %q, want %q", c.prefix, c.template, c.args, c.trim, got, c.want)
		}
	}
}
