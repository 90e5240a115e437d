package spotify

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithLoggerLogsEachAttemptWithoutTheToken(t *testing.T) {
	const secret = "logger-test-secret-token"
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/albums/a1", coreScript(`{"id":"a1"}`, http.StatusServiceUnavailable))
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := coreClient(t, ts, WithAccessToken(secret), WithLogger(logger))
	_, err := c.Albums.Get(context.Background(), "a1", nil)
	require.NoError(t, err)

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	assert.Len(t, lines, 2, "one line per attempt (a 503, then the 200):\n%s", buf.String())
	assert.Contains(t, buf.String(), "/albums/{id}")
	assert.NotContains(t, buf.String(), secret)
}
