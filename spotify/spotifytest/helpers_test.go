package spotifytest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// start returns a server closed at the end of the test.
func start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// fetch sends GET path (relative to srv.URL, or an absolute URL) with the
// bearer tok ("" for none) and returns the status and body.
func fetch(t testing.TB, srv *Server, tok, path string) (int, []byte) {
	t.Helper()
	u := path
	if !strings.HasPrefix(path, "http") {
		u = srv.URL + path
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// obj is a decoded JSON object.
type obj = map[string]any

// getJSON fetches path with a fresh app token, checks the status and
// decodes the body.
func getJSON(t testing.TB, srv *Server, path string, wantStatus int) any {
	t.Helper()
	status, body := fetch(t, srv, srv.Token(), path)
	if status != wantStatus {
		t.Fatalf("GET %s: status %d, want %d; body %.300s", path, status, wantStatus, body)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("GET %s: invalid JSON: %v; body %.300s", path, err, body)
	}
	return v
}

// getObj is getJSON for a 200 object.
func getObj(t testing.TB, srv *Server, path string) obj {
	t.Helper()
	o, ok := getJSON(t, srv, path, http.StatusOK).(obj)
	if !ok {
		t.Fatalf("GET %s: not an object", path)
	}
	return o
}

// wantError checks a Web API error answer {"error":{"status","message"}}.
func wantError(t testing.TB, srv *Server, path string, status int, message string) {
	t.Helper()
	e := getJSON(t, srv, path, status).(obj)["error"].(obj)
	if int(e["status"].(float64)) != status || (message != "" && e["message"] != message) {
		t.Fatalf("GET %s: error %v, want status %d message %q", path, e, status, message)
	}
}

// id returns the id of the i-th item of k in catalogue order.
func id(t testing.TB, srv *Server, k Kind, i int) string {
	t.Helper()
	ids := srv.Catalog().IDs(k, i+1)
	if len(ids) <= i {
		t.Fatalf("catalogue has %d %ss, want %d", len(ids), k, i+1)
	}
	return ids[i]
}

// items returns a page's items.
func items(t testing.TB, page obj) []any {
	t.Helper()
	it, ok := page["items"].([]any)
	if !ok {
		t.Fatalf("page without items: %v", page)
	}
	return it
}

// num returns o[key] as an int.
func num(o obj, key string) int {
	f, _ := o[key].(float64)
	return int(f)
}

// pathOf returns the path and query of an absolute href, checking it is
// on srv.
func pathOf(t testing.TB, srv *Server, href any) string {
	t.Helper()
	s, ok := href.(string)
	if !ok {
		t.Fatalf("href %v is not a string", href)
	}
	u, err := url.Parse(s)
	if err != nil || !strings.HasPrefix(s, srv.URL+"/v1/") {
		t.Fatalf("href %q is not on %s", s, srv.URL)
	}
	return u.RequestURI()
}

// idsOf returns the "id" of each item, or of a playlist entry's item (or
// track); null entries give "".
func idsOf(list []any) []string {
	out := make([]string, len(list))
	for i, x := range list {
		o, ok := x.(obj)
		if !ok {
			continue
		}
		if inner, ok := o["item"].(obj); ok {
			o = inner
		} else if inner, ok := o["track"].(obj); ok {
			o = inner
		}
		out[i], _ = o["id"].(string)
	}
	return out
}
