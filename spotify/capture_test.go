package spotify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The chunks of a batch get run concurrently and record into the same
// ResponseMeta: under -race this fails if record is not synchronized.
func TestResponseCaptureOfAConcurrentBatch(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var parts []string
		for _, id := range strings.Split(r.URL.Query().Get("ids"), ",") {
			parts = append(parts, fmt.Sprintf(`{"id":%q}`, id))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"tracks":[%s]}`, strings.Join(parts, ","))
	}))
	defer ts.Close()
	c, err := NewClient(WithAccessToken("x"), WithBaseURL(ts.URL+"/v1"), WithConcurrency(4))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ids := make([]string, 4*batchMaxIDs)
	for i := range ids {
		ids[i] = fmt.Sprint("t", i)
	}
	var m ResponseMeta
	got, err := c.Tracks.GetSeveral(WithResponseCapture(context.Background(), &m), ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("got %d tracks, want %d", len(got), len(ids))
	}
	if m.Attempts != 4 || m.StatusCode != http.StatusOK {
		t.Fatalf("capture: attempts %d, status %d; want 4 attempts, status 200", m.Attempts, m.StatusCode)
	}
}

func TestCoreResponseCapture(t *testing.T) {
	ts := newTestServer(t)
	n := 0
	ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) {
		if n++; n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("X-Extra", "yes")
		_, _ = io.WriteString(w, coreAlbum)
	})
	c := coreClient(t, ts, WithAccessToken("tok"))
	var m ResponseMeta
	_, err := c.Albums.Get(WithResponseCapture(context.Background(), &m), "a1", nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, m.StatusCode)
	assert.Equal(t, `"v1"`, m.ETag)
	assert.Equal(t, "yes", m.Header.Get("X-Extra"))
	assert.Equal(t, 2, m.Attempts)
	assert.False(t, m.FromCache)
	assert.Equal(t, 0, m.RateLimited)
}

func TestCoreResponseCaptureOfAnError(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreFail(429, `{"error":{"status":429,"message":"slow down"}}`, "Retry-After", "0"))
	c := coreClient(t, ts, WithAccessToken("tok"), WithMaxRetries(0)) // no 429 retry either
	var m ResponseMeta
	_, err := c.Albums.Get(WithResponseCapture(context.Background(), &m), "a1", nil)
	require.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, http.StatusTooManyRequests, m.StatusCode)
	assert.Equal(t, 1, m.Attempts)
	assert.Equal(t, 1, m.RateLimited)
}
