package spotify

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/transport"
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
	} else if !isNilResult(got) {
		t.Errorf("the call returned a %T but the case has no check: a case must check the result it decodes", got)
	}
}

// isNilResult reports whether a call's result is absent: a nil interface,
// or a nil pointer, slice or map inside one.
func isNilResult(got any) bool {
	if got == nil {
		return true
	}
	v := reflect.ValueOf(got)
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return v.IsNil()
	}
	return false
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

// trackBase is a base transport that answers every request with a 200 and
// a small track, after handing the request to seen (when not nil): the
// chain's tests look at what reaches the base without a server.
func trackBase(seen func(*http.Request)) transport.RoundTripperFunc {
	return func(req *http.Request) (*http.Response, error) {
		if seen != nil {
			seen(req)
		}
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(`{"id":"4iV5W9uYEdYUVa79Axb7Rh","name":"t"}`)), Request: req}, nil
	}
}
