package spotify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorded is a request the test server received.
type recorded struct {
	Method string
	Path   string // without the /v1 prefix
	Query  url.Values
	Header http.Header
	Body   []byte
}

// testServer is a go-github-style fake API: handlers on a mux under /v1,
// every request recorded.
type testServer struct {
	*httptest.Server
	Mux *http.ServeMux
	mu  sync.Mutex
	got []recorded
}

func (s *testServer) requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.got...)
}

// newTestServer starts the fake API; handlers are registered on Mux with
// paths without the /v1 prefix.
func newTestServer(t *testing.T) *testServer {
	t.Helper()
	ts := &testServer{Mux: http.NewServeMux()}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p := r.URL.Path
		if len(p) >= 3 && p[:3] == "/v1" {
			p = p[3:]
		}
		ts.mu.Lock()
		ts.got = append(ts.got, recorded{Method: r.Method, Path: p, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
		ts.mu.Unlock()
		r2 := r.Clone(r.Context())
		r2.URL.Path = p
		ts.Mux.ServeHTTP(w, r2)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// newTestClient returns a client of the fake API with a static token, no
// cache and retries that wait a millisecond.
func newTestClient(t *testing.T, ts *testServer, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithAccessToken("test-token"), WithBaseURL(ts.URL + "/v1"), WithCache(nil),
		WithBackoff(func(int) time.Duration { return time.Millisecond })}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// methodCase is one service method: what it must send and what it must
// return for a canned answer.
type methodCase struct {
	name string
	call func(ctx context.Context, c *Client) (any, error)
	// asyncCall is the same call on the AsyncClient, awaited. Only the
	// generated TestAsyncMethods sets it (async_cases_gen_test.go, from
	// the call of each sync case).
	asyncCall func(ctx context.Context, ac *AsyncClient) (any, error)
	// What the method must send: method, path (without /v1), the exact
	// query (nil: none) and the JSON body ("": none).
	method string
	path   string
	query  url.Values
	body   string
	// The canned answer (status 0 means 200).
	status  int
	respond string
	// check inspects the decoded result.
	check func(t *testing.T, got any)
}

// runMethodCases runs every case against a fresh fake API.
func runMethodCases(t *testing.T, cases []methodCase) {
	t.Helper()
	require.NotEmpty(t, cases, "an empty table tests nothing")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NotNil(t, tc.call, "a case needs a call")
			runMethodCase(t, tc, func(ts *testServer) (any, error) {
				return tc.call(context.Background(), newTestClient(t, ts))
			})
		})
	}
}

// runAsyncMethodCases runs every case's asyncCall on an AsyncClient made
// with newTestClient's options, with the checks of runMethodCases.
func runAsyncMethodCases(t *testing.T, cases []methodCase) {
	t.Helper()
	require.NotEmpty(t, cases, "an empty table tests nothing")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NotNil(t, tc.asyncCall, "the async table needs an asyncCall: run go generate ./spotify")
			runMethodCase(t, tc, func(ts *testServer) (any, error) {
				return tc.asyncCall(context.Background(), newTestAsyncClient(t, ts))
			})
		})
	}
}

// newTestAsyncClient is newTestClient for the AsyncClient: a client of its
// own (NewAsyncClient), closed when the test ends.
func newTestAsyncClient(t *testing.T, ts *testServer, opts ...Option) *AsyncClient {
	t.Helper()
	base := []Option{WithAccessToken("test-token"), WithBaseURL(ts.URL + "/v1"), WithCache(nil),
		WithBackoff(func(int) time.Duration { return time.Millisecond })}
	ac, err := NewAsyncClient(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = ac.Close() })
	return ac
}

// awaitErr awaits f and returns its error alone: the async form of a sync
// method that returns only an error, in the generated async cases.
func awaitErr[T any](ctx context.Context, f *Future[T]) error {
	_, err := f.Await(ctx)
	return err
}

// runMethodCase serves tc's canned answer on a fresh fake API, makes the
// call with run and checks the request and the result.
func runMethodCase(t *testing.T, tc methodCase, run func(ts *testServer) (any, error)) {
	t.Helper()
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		status := tc.status
		if status == 0 {
			status = http.StatusOK
		}
		if tc.respond != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, tc.respond)
	})
	got, err := run(ts)
	require.NoError(t, err)
	reqs := ts.requests()
	require.Len(t, reqs, 1, "one request")
	r := reqs[0]
	assert.Equal(t, tc.method, r.Method, "method")
	assert.Equal(t, tc.path, r.Path, "path")
	if tc.query == nil {
		assert.Empty(t, r.Query, "query")
	} else {
		assert.Equal(t, tc.query, r.Query, "query")
	}
	if tc.body == "" {
		assert.Empty(t, r.Body, "body")
	} else {
		assert.JSONEq(t, tc.body, string(r.Body), "body")
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	}
	assert.Equal(t, "Bearer test-token", r.Header.Get("Authorization"))
	if tc.check != nil {
		tc.check(t, got)
	}
}

// invalidCase is a call whose arguments fail validation.
type invalidCase struct {
	name string
	call func(ctx context.Context, c *Client) error
	want string // part of the message
}

// runInvalidCases checks that each call fails with ErrInvalidArgument and
// the message, and that no request was sent.
func runInvalidCases(t *testing.T, cases []invalidCase) {
	t.Helper()
	require.NotEmpty(t, cases, "an empty table tests nothing")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			c := newTestClient(t, ts)
			err := tc.call(context.Background(), c)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrInvalidArgument), "want ErrInvalidArgument, got %v", err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, ts.requests(), "no request may be sent")
		})
	}
}

// sharedDir is ../shared beside the repository.
var sharedDir = filepath.Join("..", "..", "shared", "spotify-api")

// sample returns a recorded response body from ../shared, or skips the test
// when ../shared is absent.
func sample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedDir, "samples", name))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("../shared/spotify-api/samples/%s is absent: the sample tests need ../shared beside the repository", name)
	}
	require.NoError(t, err)
	return data
}

// assertDecodesWithoutLoss decodes data into v with the SDK's codec, then
// checks that every member the model declares survives: the model marshalled
// back with encoding/json, compared with the sample restricted to the
// model's keys.
func assertDecodesWithoutLoss(t *testing.T, data []byte, v any) {
	t.Helper()
	require.NoError(t, decodeJSON(data, v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	var want, got any
	require.NoError(t, json.Unmarshal(data, &want))
	require.NoError(t, json.Unmarshal(out, &got))
	assertSubset(t, "$", got, want)
	assertDeclaredKept(t, "$", reflect.TypeOf(v), got, want)
}

// assertDeclaredKept is the other half of assertSubset: every key the
// model declares (by its json tags) that the sample sets to a non-zero
// value must be in what the model marshals back. assertSubset alone walks
// only the keys the model kept, so a field with omitempty that failed to
// decode would vanish unnoticed.
func assertDeclaredKept(t *testing.T, path string, typ reflect.Type, got, want any) {
	t.Helper()
	for typ != nil && typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ == nil {
		return
	}
	marshaler := reflect.TypeFor[json.Marshaler]()
	if typ.Implements(marshaler) || reflect.PointerTo(typ).Implements(marshaler) {
		return // its own encoding: assertSubset covers it
	}
	switch typ.Kind() {
	case reflect.Struct:
		g, gok := got.(map[string]any)
		w, wok := want.(map[string]any)
		if !gok || !wok {
			return
		}
		for name, ft := range jsonFields(typ) {
			wv, present := w[name]
			if !present || isZeroJSON(wv) {
				continue
			}
			gv, kept := g[name]
			if !kept {
				t.Errorf("%s.%s: the sample has %v, the model declares the key but lost it", path, name, wv)
				continue
			}
			assertDeclaredKept(t, path+"."+name, ft, gv, wv)
		}
	case reflect.Slice, reflect.Array:
		g, gok := got.([]any)
		w, wok := want.([]any)
		if !gok || !wok || len(g) != len(w) {
			return
		}
		for i := range g {
			assertDeclaredKept(t, path+"["+strconv.Itoa(i)+"]", typ.Elem(), g[i], w[i])
		}
	case reflect.Map:
		g, gok := got.(map[string]any)
		w, wok := want.(map[string]any)
		if !gok || !wok {
			return
		}
		for k, gv := range g {
			assertDeclaredKept(t, path+"."+k, typ.Elem(), gv, w[k])
		}
	}
}

// jsonFields maps the json names of typ's exported fields, those of
// embedded structs included, to their types.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range typ.Fields() {
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for n, t := range jsonFields(et) {
					if _, ok := out[n]; !ok {
						out[n] = t
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// assertSubset checks that every key of got (what the model kept) has the
// sample's value, recursively: a declared field that decoded wrong shows.
func assertSubset(t *testing.T, path string, got, want any) {
	t.Helper()
	switch g := got.(type) {
	case map[string]any:
		w, ok := want.(map[string]any)
		if !ok {
			if want == nil && len(g) == 0 {
				return
			}
			t.Errorf("%s: model has an object, sample has %T", path, want)
			return
		}
		for k, gv := range g {
			wv, present := w[k]
			if !present {
				if isZeroJSON(gv) {
					continue // a field the sample lacks, marshalled as its zero value
				}
				t.Errorf("%s.%s: model has %v, sample lacks the key", path, k, gv)
				continue
			}
			assertSubset(t, path+"."+k, gv, wv)
		}
	case []any:
		w, ok := want.([]any)
		if !ok {
			if want == nil && len(g) == 0 {
				return
			}
			t.Errorf("%s: model has a list, sample has %T", path, want)
			return
		}
		if len(g) != len(w) {
			t.Errorf("%s: model has %d items, sample %d", path, len(g), len(w))
			return
		}
		for i := range g {
			assertSubset(t, path+"["+strconv.Itoa(i)+"]", g[i], w[i])
		}
	default:
		if want == nil && isZeroJSON(got) {
			return
		}
		assert.Equal(t, want, got, path)
	}
}

func isZeroJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case float64:
		return x == 0
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, e := range x {
			if !isZeroJSON(e) {
				return false
			}
		}
		return true
	}
	return false
}
