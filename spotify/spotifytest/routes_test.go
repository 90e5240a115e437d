package spotifytest

import (
	"net/http"
	"testing"
)

func TestRouterMatch(t *testing.T) {
	rt := &router{}
	h := func(*call) {}
	rt.add("GET", "/v1/albums/{id}", h)
	rt.add("GET", "/v1/albums/{id}/tracks", h)
	rt.add("GET", "/v1/browse/categories/{category_id}", h)
	rt.add("GET", "/v1/browse/categories/toplists", h)
	rt.add("POST", "/v1/albums/{id}", h)
	for _, tc := range []struct {
		method, path, want string
		params             []string
		allowed            int
	}{
		{"GET", "/v1/albums/abc", "GET /v1/albums/{id}", []string{"abc"}, 0},
		{"GET", "/v1/albums/abc/tracks", "GET /v1/albums/{id}/tracks", []string{"abc"}, 0},
		{"GET", "/v1/browse/categories/toplists", "GET /v1/browse/categories/toplists", nil, 0},
		{"GET", "/v1/browse/categories/pop", "GET /v1/browse/categories/{category_id}", []string{"pop"}, 0},
		{"POST", "/v1/albums/x", "POST /v1/albums/{id}", []string{"x"}, 0},
		{"DELETE", "/v1/albums/x", "", nil, 2},
		{"GET", "/v1/albums/", "", nil, 0},
		{"GET", "/v1/nothing", "", nil, 0},
		{"GET", "nothing", "", nil, 0},
	} {
		r, params, allowed := rt.match(tc.method, tc.path)
		got := ""
		if r != nil {
			got = r.name
		}
		if got != tc.want || len(allowed) != tc.allowed || len(params) != len(tc.params) {
			t.Errorf("%s %s: %q %v %v, want %q %v and %d methods", tc.method, tc.path, got, params, allowed, tc.want, tc.params, tc.allowed)
			continue
		}
		for i := range params {
			if params[i] != tc.params[i] {
				t.Errorf("%s %s: params %v, want %v", tc.method, tc.path, params, tc.params)
			}
		}
	}
}

func TestRouterDuplicatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic on a duplicate route")
		}
	}()
	rt := &router{}
	rt.add("GET", "/x", nil)
	rt.add("GET", "/x", nil)
}

func TestUnknownRouteAndMethod(t *testing.T) {
	srv := start(t)
	wantError(t, srv, "/v1/nothing/here", http.StatusNotFound, "Service not found")
	wantError(t, srv, "/v2/albums/x", http.StatusNotFound, "Service not found")

	req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/v1/albums/"+id(t, srv, KindAlbum, 0), nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET" {
		t.Fatalf("DELETE album: %d Allow %q, want 405 Allow GET", resp.StatusCode, resp.Header.Get("Allow"))
	}
	if srv.Requests("") != 3 {
		t.Fatalf("Requests(\"\") = %d unmatched, want 3", srv.Requests(""))
	}
}

func TestEveryRouteIsListed(t *testing.T) {
	srv := start(t)
	routes := srv.Routes()
	if len(routes) < 30 || routes[0] != "POST /api/token" {
		t.Fatalf("Routes() = %v", routes)
	}
}
