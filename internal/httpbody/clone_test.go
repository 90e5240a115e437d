package httpbody

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

type cloneCtxKey struct{}

// cloneCases are requests of every shape Clone meets: the fast path's and
// the ones it hands to Request.Clone.
func cloneCases(t testing.TB) map[string]*http.Request {
	ctx := context.WithValue(context.Background(), cloneCtxKey{}, "v")
	mk := func(method, target string, body io.Reader) *http.Request {
		r, err := http.NewRequestWithContext(ctx, method, target, body)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	cases := map[string]*http.Request{}

	r := mk(http.MethodGet, "https://api.spotify.com/v1/tracks/x?market=SE", nil)
	r.Header["User-Agent"] = []string{"spotify-go"}
	r.Header["Accept"] = []string{"application/json"}
	cases["client GET, values inline"] = r

	r = mk(http.MethodPost, "https://api.spotify.com/v1/playlists/p/items", strings.NewReader(`{"uris":[]}`))
	r.Header["User-Agent"] = []string{"spotify-go"}
	r.Header["Accept"] = []string{"application/json"}
	r.Header["Content-Type"] = []string{"application/json"}
	r.Header.Add("X-Many", "a")
	r.Header.Add("X-Many", "b")
	cases["POST, values beyond the inline room"] = r

	r = mk(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	r.Header = nil
	cases["nil header"] = r

	cases["empty header"] = mk(http.MethodGet, "https://api.spotify.com/v1/me", nil)

	r = mk(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	r.Header["X-Nil"] = nil
	r.Header["X-Empty"] = []string{}
	cases["nil and empty values"] = r

	r = mk(http.MethodGet, "https://user:secret@api.spotify.com/v1/me", nil)
	r.Header.Set("Accept", "application/json")
	cases["user info"] = r

	r = mk(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	r.URL = nil
	cases["nil URL"] = r

	r = mk(http.MethodPut, "https://api.spotify.com/v1/me/tracks", strings.NewReader("x"))
	r.Trailer = http.Header{"X-Sum": {"1"}}
	cases["trailer (slow path)"] = r

	r = mk(http.MethodPut, "https://api.spotify.com/v1/me/tracks", strings.NewReader("x"))
	r.TransferEncoding = []string{"chunked"}
	cases["transfer encoding (slow path)"] = r

	r = mk(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	r.Form = url.Values{"a": {"1"}}
	r.PostForm = url.Values{"b": {"2"}}
	cases["forms (slow path)"] = r

	r = mk(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	r.MultipartForm = &multipart.Form{Value: map[string][]string{"c": {"3"}}}
	cases["multipart form (slow path)"] = r

	r = mk(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	r.SetPathValue("id", "x")
	cases["path value (slow path)"] = r
	return cases
}

// TestCloneMatchesRequestClone holds the fast path to Request.Clone: the
// same fields, and nothing a stage could change shared with the original.
func TestCloneMatchesRequestClone(t *testing.T) {
	for name, req := range cloneCases(t) {
		t.Run(name, func(t *testing.T) {
			if slow := strings.Contains(name, "slow path"); plainRequest(req) == slow {
				t.Fatalf("plainRequest = %v, want %v", !slow, !slow)
			}
			checkClone(t, req)
		})
	}
}

// FuzzCloneMatchesRequestClone does the same for headers of any shape.
func FuzzCloneMatchesRequestClone(f *testing.F) {
	f.Add("User-Agent", "Accept", uint8(1), uint8(1), "https://api.spotify.com/v1/x")
	f.Add("A", "B", uint8(0), uint8(3), "http://u:p@127.0.0.1:8080/p?q=1")
	f.Add("A", "A", uint8(2), uint8(0), "/relative")
	f.Fuzz(func(t *testing.T, k1, k2 string, n1, n2 uint8, target string) {
		u, err := url.Parse(target)
		if err != nil {
			return
		}
		req := (&http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}).WithContext(context.Background())
		for i := range int(n1 % 5) {
			req.Header[k1] = append(req.Header[k1], strings.Repeat("v", i))
		}
		if n2%5 == 4 {
			req.Header[k2] = nil
		}
		for i := range int(n2 % 4) {
			req.Header[k2] = append(req.Header[k2], strings.Repeat("w", i))
		}
		checkClone(t, req)
	})
}

// checkClone compares Clone(req) with req.Clone(req.Context()) and
// mutates the copy everywhere a careless stage could.
func checkClone(t *testing.T, req *http.Request) {
	t.Helper()
	want := req.Clone(req.Context())
	before := req.Clone(req.Context())
	got := Clone(req)
	if got == req {
		t.Fatal("Clone returned the request itself")
	}
	if got.Context() != req.Context() {
		t.Fatal("Clone changed the context")
	}
	if !sameRequest(got, want) {
		t.Fatalf("Clone differs from Request.Clone:\n got %+v\nwant %+v", got, want)
	}
	if req.URL != nil && got.URL == req.URL {
		t.Fatal("Clone shares the URL")
	}
	if req.URL != nil && req.URL.User != nil && got.URL.User == req.URL.User {
		t.Fatal("Clone shares the user info")
	}

	// A careless stage below changes everything it can reach.
	if got.Header != nil {
		for k := range got.Header {
			if len(got.Header[k]) > 0 {
				got.Header[k][0] = "mutated"
			}
			got.Header[k] = append(got.Header[k], "appended")
		}
		got.Header.Set("X-Below", "mutated")
	}
	if got.URL != nil {
		got.URL.Path = "/elsewhere"
		got.URL.RawQuery = "x=1"
		if got.URL.User != nil {
			*got.URL.User = *url.UserPassword("other", "other")
		}
	}
	got.SetPathValue("id", "mutated")
	if got.Form != nil {
		got.Form.Set("a", "mutated")
	}
	if !sameRequest(req, before) {
		t.Fatalf("a change to the clone reached the original:\n got %+v\nwant %+v", req, before)
	}
}

// sameRequest compares two requests with reflect.DeepEqual, GetBody by
// identity (DeepEqual never finds two funcs equal).
func sameRequest(a, b *http.Request) bool {
	ca, cb := *a, *b
	fa, fb := ca.GetBody, cb.GetBody
	ca.GetBody, cb.GetBody = nil, nil
	if (fa == nil) != (fb == nil) || (fa != nil && reflect.ValueOf(fa).Pointer() != reflect.ValueOf(fb).Pointer()) {
		return false
	}
	return reflect.DeepEqual(&ca, &cb)
}

// TestCloneFastPathAllocs pins what the fast path saves: three
// allocations for a client's GET, where Request.Clone makes five.
func TestCloneFastPathAllocs(t *testing.T) {
	req := cloneCases(t)["client GET, values inline"]
	if !plainRequest(req) {
		t.Fatal("a client's GET does not take the fast path")
	}
	var sink *http.Request
	n := testing.AllocsPerRun(100, func() { sink = Clone(req) })
	if n > 3 {
		t.Fatalf("Clone made %v allocations, want at most 3", n)
	}
	_ = sink
}

func BenchmarkClone(b *testing.B) {
	req := cloneCases(b)["client GET, values inline"]
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = Clone(req)
		}
	})
	b.Run("Request.Clone", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = req.Clone(req.Context())
		}
	})
}

// TestCloneHeaderOmitAndExtra: the key omit is left out, extra slots follow
// the copied values (in spare when they fit), a nil header with extra
// slots becomes a map, and the copy shares no values with the original.
func TestCloneHeaderOmitAndExtra(t *testing.T) {
	h := http.Header{"Accept": {"a"}, "Authorization": {"old"}, "X-Multi": {"1", "2"}}
	var spare [4]string
	got, rest := CloneHeader(h, spare[:0], "Authorization", 1)
	if len(rest) != 1 {
		t.Fatalf("rest has %d slots, want 1", len(rest))
	}
	rest[0] = "new"
	got["Authorization"] = rest[:1:1]
	want := http.Header{"Accept": {"a"}, "Authorization": {"new"}, "X-Multi": {"1", "2"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("CloneHeader = %v, want %v", got, want)
	}
	if &got["Accept"][0] != &spare[0] && &got["X-Multi"][0] != &spare[0] {
		t.Error("the values did not go into spare")
	}
	got["X-Multi"][0] = "changed"
	if h["X-Multi"][0] != "1" || h["Authorization"][0] != "old" {
		t.Errorf("the original changed: %v", h)
	}

	if got, rest := CloneHeader(nil, nil, "", 0); got != nil || rest != nil {
		t.Errorf("nil header: %v, %v; want nil, nil", got, rest)
	}
	got, rest = CloneHeader(nil, nil, "Authorization", 1)
	if got == nil || len(got) != 0 || len(rest) != 1 {
		t.Errorf("nil header with an extra slot: %v, %d slots; want an empty map and 1", got, len(rest))
	}
	// With omit "", nothing is left out, an empty key included.
	got, _ = CloneHeader(http.Header{"": {"v"}, "A": {"b"}}, nil, "", 0)
	if len(got) != 2 {
		t.Errorf("omit \"\" left out a key: %v", got)
	}
}

// TestCloneHeaderOverflowsSpare: values beyond spare's room go into a new
// slice, part-way through the copy as well, and no two copied values, nor
// the extra slots, share storage: appending to or writing into one copy
// leaves every other value and the original as they were.
func TestCloneHeaderOverflowsSpare(t *testing.T) {
	h := http.Header{"A": {"1"}, "B": {"2", "3", "4"}, "C": {"5"}, "D": {"6", "7"}}
	for _, room := range []int{0, 1, 2, 3, 7, 9} {
		spare := make([]string, 0, room)
		got, rest := CloneHeader(h, spare, "", 2)
		if !reflect.DeepEqual(got, h) || len(rest) != 2 || cap(rest) != 2 {
			t.Fatalf("room %d: CloneHeader = %v, %d/%d slots; want %v, 2/2", room, got, len(rest), cap(rest), h)
		}
		rest[0], rest[1] = "x", "y"
		for k := range got {
			got[k] = append(got[k], "appended")
			got[k][0] = "written"
		}
		for k, vv := range got {
			if len(vv) != len(h[k])+1 || vv[0] != "written" || vv[len(vv)-1] != "appended" {
				t.Fatalf("room %d: %s = %v: another copy's write or append reached it", room, k, vv)
			}
			for i := 1; i < len(h[k]); i++ {
				if vv[i] != h[k][i] {
					t.Fatalf("room %d: %s = %v, want the original's values after the first", room, k, vv)
				}
			}
		}
		want := http.Header{"A": {"1"}, "B": {"2", "3", "4"}, "C": {"5"}, "D": {"6", "7"}}
		if !reflect.DeepEqual(h, want) {
			t.Fatalf("room %d: the original changed: %v", room, h)
		}
	}
}
