package spotify

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// The token request runs on the context of the call that needed it; its
// span must carry its own name, not the call's route.
func TestTokenRequestSpanHasItsOwnRoute(t *testing.T) {
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"tok","token_type":"Bearer","expires_in":3600}`)
	}))
	defer tokens.Close()
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, albumJSON) })
	spans := tracetest.NewSpanRecorder()
	c, err := NewClient(WithClientCredentials("id", "secret"), WithBaseURL(ts.URL+"/v1"), WithTokenURL(tokens.URL+"/api/token"),
		WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)
	var names []string
	for _, s := range spans.Ended() {
		names = append(names, s.Name())
	}
	assert.Contains(t, names, "POST /api/token")
	assert.NotContains(t, names, "POST /albums/{id}")
	assert.Contains(t, names, "GET /albums/{id}")
}
