package spotifytest

import (
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/spotifysdk/spotify-go/internal/shareddata"
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

// TestEveryRouteIsListed checks the route table against the OpenAPI file
// in ../shared: one route per operation of the spec (same method and path,
// parameter names aside) plus the accounts service's routes, and nothing
// else. Without ../shared it checks what it can and is skipped (in CI it
// fails).
func TestEveryRouteIsListed(t *testing.T) {
	srv := start(t)
	routes := srv.Routes()
	require.NotEmpty(t, routes)
	require.Equal(t, "POST /api/token", routes[0])
	var public []string
	for _, r := range srv.router.routes {
		if r.public {
			public = append(public, r.name)
		}
	}
	assert.ElementsMatch(t, []string{"POST /api/token", "GET /authorize"}, public, "the accounts routes")

	data, err := os.ReadFile(shareddata.Path(t, "spotify-api/openapi.yaml"))
	require.NoError(t, err)
	var doc struct {
		Servers []struct {
			URL string `yaml:"url"`
		} `yaml:"servers"`
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	require.NoError(t, yaml.Unmarshal(data, &doc))
	require.Len(t, doc.Servers, 1)
	prefix := strings.TrimPrefix(doc.Servers[0].URL, "https://api.spotify.com") // "/v1"
	want := slices.Clone(public)
	for path, item := range doc.Paths {
		for key := range item {
			switch key {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				want = append(want, strings.ToUpper(key)+" "+anyParams(prefix+path))
			}
		}
	}
	got := make([]string, len(routes))
	for i, r := range routes {
		got[i] = anyParams(r)
	}
	assert.ElementsMatch(t, want, got, "the route table against the spec's operations and the accounts routes")
}

// anyParams replaces every {name} of a path with {}.
func anyParams(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s, '}')
		if i < 0 || j < i {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+1])
		s = s[j:]
	}
}
