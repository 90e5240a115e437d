package spotify

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
