package middleware

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/spotifysdk/spotify-go/transport"
)

// authCopyReference is what withAuthorization must equal: a clone of req
// with Authorization set to value (the clone's own URL aside: the auth
// stage shares the caller's).
func authCopyReference(req *http.Request, value string) *http.Request {
	r := req.Clone(req.Context())
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Header.Set("Authorization", value)
	r.URL = req.URL
	return r
}

// checkAuthCopy compares withAuthorization with authCopyReference, then
// changes the copy's header everywhere a stage below could and checks that
// the caller's request did not move.
func checkAuthCopy(t *testing.T, req *http.Request, value string) {
	t.Helper()
	before := req.Clone(req.Context())
	got := withAuthorization(req, value)
	want := authCopyReference(req, value)
	if got == req {
		t.Fatal("withAuthorization returned the request itself")
	}
	if !reflect.DeepEqual(got.Header, want.Header) {
		t.Fatalf("header: got %v, want %v", got.Header, want.Header)
	}
	g, w := *got, *want
	g.Header, w.Header = nil, nil
	if !reflect.DeepEqual(&g, &w) {
		t.Fatalf("request: got %+v, want %+v", g, w)
	}
	for k := range got.Header {
		if len(got.Header[k]) > 0 {
			got.Header[k][0] = "mutated"
		}
		got.Header[k] = append(got.Header[k], "appended")
	}
	got.Header.Set("X-Below", "mutated")
	if !reflect.DeepEqual(req.Header, before.Header) {
		t.Fatalf("a change to the copy reached the caller's header: %v, was %v", req.Header, before.Header)
	}
}

func TestWithAuthorizationMatchesCloneAndSet(t *testing.T) {
	ctx, _ := transport.StartCall(context.Background(), transport.CallSpec{Route: "/me"})
	headers := map[string]http.Header{
		"client GET (values inline)": {"User-Agent": {"spotify-go"}, "Accept": {"application/json"}},
		"client POST (one value beyond)": {"User-Agent": {"spotify-go"}, "Accept": {"application/json"},
			"Content-Type": {"application/json"}},
		"caller's Authorization replaced": {"Authorization": {"Bearer caller", "Basic x"}, "Accept": {"a"}},
		"nil header":                      nil,
		"empty header":                    {},
		"nil and empty values":            {"X-Nil": nil, "X-Empty": {}, "Accept": {"a", "b"}},
		"many values":                     {"A": {"1", "2", "3"}, "B": {"4", "5"}},
	}
	for name, h := range headers {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.spotify.com/v1/me", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header = h
			checkAuthCopy(t, req, "Bearer tok")
		})
	}
}

func FuzzWithAuthorizationMatchesCloneAndSet(f *testing.F) {
	f.Add("User-Agent", "Accept", uint8(1), uint8(1), "Bearer tok")
	f.Add("Authorization", "Accept", uint8(2), uint8(4), "Bearer t")
	f.Add("A", "A", uint8(3), uint8(0), "")
	f.Fuzz(func(t *testing.T, k1, k2 string, n1, n2 uint8, value string) {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, "https://api.spotify.com/v1/me", nil)
		if err != nil {
			t.Fatal(err)
		}
		// Keys as a client sends them: canonical, so that Set in the
		// reference means the same key as the stage's "Authorization".
		k1, k2 = http.CanonicalHeaderKey(k1), http.CanonicalHeaderKey(k2)
		for i := range int(n1 % 5) {
			req.Header[k1] = append(req.Header[k1], strings.Repeat("v", i))
		}
		if n2%5 == 4 {
			req.Header[k2] = nil
		}
		for i := range int(n2 % 4) {
			req.Header[k2] = append(req.Header[k2], strings.Repeat("w", i))
		}
		checkAuthCopy(t, req, value)
	})
}

// TestWithAuthorizationAllocs pins the saving: a client's GET costs the
// auth stage three allocations (request and values, the map's two).
func TestWithAuthorizationAllocs(t *testing.T) {
	req, err := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/me", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = http.Header{"User-Agent": {"spotify-go"}, "Accept": {"application/json"}}
	var sink *http.Request
	if n := testing.AllocsPerRun(100, func() { sink = withAuthorization(req, "Bearer tok") }); n > 3 {
		t.Fatalf("withAuthorization made %v allocations, want at most 3", n)
	}
	_ = sink
}
