package spotify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// libraryTestURIs returns n distinct track URIs.
func libraryTestURIs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("spotify:track:t%03d", i)
	}
	return out
}

func TestLibraryMethods(t *testing.T) {
	two := []string{"spotify:track:t1", "spotify:album:a1"}
	q := url.Values{"uris": {"spotify:track:t1,spotify:album:a1"}}
	runMethodCases(t, []methodCase{
		{
			name: "SaveItems", method: "PUT", path: "/me/library", query: q,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Library.SaveItems(ctx, two, nil)
			},
		},
		{
			name: "SaveItems with an answer body", method: "PUT", path: "/me/library", query: q,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Library.SaveItems(ctx, two, &LibraryOptions{})
			},
			respond: `{}`,
		},
		{
			name: "RemoveItems", method: "DELETE", path: "/me/library", query: q, status: http.StatusNoContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Library.RemoveItems(ctx, two, nil)
			},
		},
		{
			name: "CheckContains", method: "GET", path: "/me/library/contains", query: q,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Library.CheckContains(ctx, two, nil)
			},
			respond: `[true,false]`,
			check: func(t *testing.T, got any) {
				assert.Equal(t, []bool{true, false}, got)
			},
		},
	})
}

func TestLibraryValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{"SaveItems nil", func(ctx context.Context, c *Client) error { return c.Library.SaveItems(ctx, nil, nil) }, "spotify: Library.SaveItems: uris is empty"},
		{"SaveItems empty value", func(ctx context.Context, c *Client) error {
			return c.Library.SaveItems(ctx, []string{"spotify:track:t1", ""}, nil)
		}, "spotify: Library.SaveItems: uris[1] is empty"},
		{"SaveItems a comma inside a URI", func(ctx context.Context, c *Client) error {
			return c.Library.SaveItems(ctx, []string{"spotify:track:t1,spotify:track:t2"}, nil)
		}, `spotify: Library.SaveItems: uris[0] "spotify:track:t1,spotify:track:t2" holds a comma, which Spotify reads as a separator between URIs`},
		{"RemoveItems empty", func(ctx context.Context, c *Client) error {
			return c.Library.RemoveItems(ctx, []string{}, nil)
		}, "spotify: Library.RemoveItems: uris is empty"},
		{"RemoveItems empty value", func(ctx context.Context, c *Client) error {
			return c.Library.RemoveItems(ctx, []string{""}, nil)
		}, "spotify: Library.RemoveItems: uris[0] is empty"},
		{"CheckContains empty", func(ctx context.Context, c *Client) error {
			_, err := c.Library.CheckContains(ctx, nil, nil)
			return err
		}, "spotify: Library.CheckContains: uris is empty"},
		{"CheckContains empty value", func(ctx context.Context, c *Client) error {
			_, err := c.Library.CheckContains(ctx, []string{"spotify:artist:r1", ""}, nil)
			return err
		}, "spotify: Library.CheckContains: uris[1] is empty"},
		{"CheckContains a comma inside a URI", func(ctx context.Context, c *Client) error {
			_, err := c.Library.CheckContains(ctx, []string{"spotify:artist:r1", "a,b"}, nil)
			return err
		}, `spotify: Library.CheckContains: uris[1] "a,b" holds a comma`},
		{"an empty value among more than 40 is still caught before any request", func(ctx context.Context, c *Client) error {
			uris := libraryTestURIs(90)
			uris[85] = ""
			return c.Library.SaveItems(ctx, uris, nil)
		}, "spotify: Library.SaveItems: uris[85] is empty"},
	})
}

// libraryChunkServer answers /me/library requests; fail (if not nil) picks
// the requests to answer with a 500.
func libraryChunkServer(t *testing.T, fail func(uris []string) bool, answer func(uris []string) string) *testServer {
	t.Helper()
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		uris := strings.Split(r.URL.Query().Get("uris"), ",")
		if fail != nil && fail(uris) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"error":{"status":500,"message":"Server error"}}`)
			return
		}
		if answer == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer(uris))
	})
	return ts
}

// libraryRequestURIs returns the uris query of each recorded request.
func libraryRequestURIs(t *testing.T, reqs []recorded, method, path string) [][]string {
	t.Helper()
	var out [][]string
	for _, r := range reqs {
		assert.Equal(t, method, r.Method)
		assert.Equal(t, path, r.Path)
		assert.Empty(t, r.Body, "the URIs go in the query, not a body")
		out = append(out, strings.Split(r.Query.Get("uris"), ","))
	}
	return out
}

func TestLibrarySaveItemsChunks(t *testing.T) {
	uris := libraryTestURIs(90)
	for _, tc := range []struct {
		name   string
		method string
		run    func(ctx context.Context, c *Client) error
	}{
		{"SaveItems", "PUT", func(ctx context.Context, c *Client) error { return c.Library.SaveItems(ctx, uris, nil) }},
		{"RemoveItems", "DELETE", func(ctx context.Context, c *Client) error { return c.Library.RemoveItems(ctx, uris, nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := libraryChunkServer(t, nil, nil)
			c := newTestClient(t, ts)
			require.NoError(t, tc.run(context.Background(), c))
			got := libraryRequestURIs(t, ts.requests(), tc.method, "/me/library")
			require.Len(t, got, 3, "90 URIs are 3 requests")
			assert.Equal(t, uris[:40], got[0])
			assert.Equal(t, uris[40:80], got[1])
			assert.Equal(t, uris[80:], got[2])
		})
	}
}

func TestLibrarySaveItemsChunkFailure(t *testing.T) {
	uris := libraryTestURIs(90)
	ts := libraryChunkServer(t, func(got []string) bool { return got[0] == uris[40] }, nil)
	c := newTestClient(t, ts, WithMaxRetries(0))
	err := c.Library.SaveItems(context.Background(), uris, nil)
	require.Error(t, err)
	var ce *ChunkError
	require.True(t, errors.As(err, &ce), "want a *ChunkError, got %T: %v", err, err)
	assert.Equal(t, uris[:40], ce.Applied)
	assert.Equal(t, uris[40:80], ce.Failed)
	assert.Equal(t, uris[80:], ce.NotSent)
	assert.True(t, errors.Is(err, ErrServer), "the status's sentinel shows through the ChunkError: %v", err)
	var apiErr *Error
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	got := libraryRequestURIs(t, ts.requests(), "PUT", "/me/library")
	require.Len(t, got, 2, "the third chunk is not sent")
}

func TestLibraryRemoveItemsFirstChunkFailure(t *testing.T) {
	uris := libraryTestURIs(45)
	ts := libraryChunkServer(t, func([]string) bool { return true }, nil)
	c := newTestClient(t, ts, WithMaxRetries(0))
	err := c.Library.RemoveItems(context.Background(), uris, nil)
	var ce *ChunkError
	require.True(t, errors.As(err, &ce), "want a *ChunkError, got %T: %v", err, err)
	assert.Empty(t, ce.Applied)
	assert.Equal(t, uris[:40], ce.Failed)
	assert.Equal(t, uris[40:], ce.NotSent)
	assert.True(t, errors.Is(err, ErrServer))
	assert.Len(t, ts.requests(), 1)
}

func TestLibraryCheckContainsChunks(t *testing.T) {
	uris := libraryTestURIs(90)
	// An URI is "saved" when its number is a multiple of 3.
	saved := func(u string) bool {
		var n int
		_, _ = fmt.Sscanf(u, "spotify:track:t%d", &n)
		return n%3 == 0
	}
	ts := libraryChunkServer(t, nil, func(got []string) string {
		parts := make([]string, len(got))
		for i, u := range got {
			parts[i] = fmt.Sprint(saved(u))
		}
		return "[" + strings.Join(parts, ",") + "]"
	})
	c := newTestClient(t, ts)
	got, err := c.Library.CheckContains(context.Background(), uris, nil)
	require.NoError(t, err)
	require.Len(t, got, 90)
	for i, u := range uris {
		assert.Equal(t, saved(u), got[i], "answer %d (%s) in input order", i, u)
	}
	// Three chunks of 40, 40 and 10, sent concurrently: in any order.
	reqs := libraryRequestURIs(t, ts.requests(), "GET", "/me/library/contains")
	slices.SortFunc(reqs, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	assert.Equal(t, [][]string{uris[:40], uris[40:80], uris[80:]}, reqs)
}

func TestLibraryCheckContainsAsksEachURIOnce(t *testing.T) {
	uris := libraryTestURIs(3)
	uris = append(uris, uris[1], uris[0])
	ts := libraryChunkServer(t, nil, func(got []string) string {
		parts := make([]string, len(got))
		for i := range got {
			parts[i] = fmt.Sprint(i%2 == 0)
		}
		return "[" + strings.Join(parts, ",") + "]"
	})
	c := newTestClient(t, ts)
	got, err := c.Library.CheckContains(context.Background(), uris, nil)
	require.NoError(t, err)
	assert.Equal(t, []bool{true, false, true, false, true}, got, "one answer per input URI, a repeat gets its first one's")
	reqs := libraryRequestURIs(t, ts.requests(), "GET", "/me/library/contains")
	assert.Equal(t, [][]string{uris[:3]}, reqs, "each distinct URI once")
}

func TestLibraryCheckContainsChunkFailure(t *testing.T) {
	uris := libraryTestURIs(50)
	ts := libraryChunkServer(t, func(got []string) bool { return got[0] == uris[40] }, func(got []string) string {
		return "[" + strings.TrimSuffix(strings.Repeat("true,", len(got)), ",") + "]"
	})
	c := newTestClient(t, ts, WithMaxRetries(0))
	got, err := c.Library.CheckContains(context.Background(), uris, nil)
	assert.Nil(t, got)
	assert.True(t, errors.Is(err, ErrServer), "got %v", err)
}

func TestLibraryCheckContainsBadAnswers(t *testing.T) {
	two := []string{"spotify:track:t1", "spotify:album:a1"}
	for _, tc := range []struct {
		name, respond, want string
	}{
		{"an object", `{"a":true}`, "expected an array of booleans from /me/library/contains, got an object"},
		{"a string", `"yes"`, "expected an array of booleans from /me/library/contains, got a string"},
		{"a number", `1`, "expected an array of booleans from /me/library/contains, got a number"},
		{"null", `null`, "the answer (200 OK) holds no object: the body is JSON null"},
		{"a non-bool element", `[true,1]`, "expected an array of booleans from /me/library/contains, got a number at index 1"},
		{"a null element", `[true,null]`, "expected an array of booleans from /me/library/contains, got null at index 1"},
		{"too few booleans", `[true]`, "expected 2 booleans (one per URI) from /me/library/contains, got 1"},
		{"too many booleans", `[true,false,true]`, "expected 2 booleans (one per URI) from /me/library/contains, got 3"},
		{"an empty body", ``, "the answer (200 OK) holds no object: the body is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, tc.respond)
			})
			c := newTestClient(t, ts)
			got, err := c.Library.CheckContains(context.Background(), two, nil)
			assert.Nil(t, got)
			var de *DecodeError
			require.True(t, errors.As(err, &de), "want a *DecodeError, got %T: %v", err, err)
			assert.Equal(t, "/me/library/contains", de.Route)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestLibrarySamplesDecode(t *testing.T) {
	data := sample(t, "contains-booleans.json")
	var bs []bool
	assertDecodesWithoutLoss(t, data, &bs)
	assert.Equal(t, []bool{true, false}, bs)
	got, err := libraryBools(data, 2)
	require.NoError(t, err)
	assert.Equal(t, []bool{true, false}, got)
}
