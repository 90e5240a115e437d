package spotify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// apiToken is a bearer token with characters that escaping changes.
const apiToken = "BQ/api+token=0123456789-abcdefghijklmnop_QRS"

// secretSpellings returns v raw, query-escaped (the form encoding too),
// path-escaped and with "/" written "\/" (as some JSON encoders do).
func secretSpellings(v string) map[string]string {
	return map[string]string{
		"raw " + v: v, "query-escaped " + v: url.QueryEscape(v), "path-escaped " + v: url.PathEscape(v),
		"JSON-escaped " + v: strings.ReplaceAll(v, "/", `\/`),
	}
}

// echoBearer answers with status and a Spotify error whose message repeats
// the Authorization header it received, in several spellings.
func echoBearer(status int, header http.Header) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		tok := strings.TrimPrefix(h, "Bearer ")
		msg := fmt.Sprintf("the access token %s expired (Authorization: %s; query %s; path %s)", tok, h, url.QueryEscape(tok), url.PathEscape(tok))
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"status": status, "message": msg}})
	}
}

// observedClient returns a client of ts with token, a span recorder and a
// debug logger writing JSON lines to the returned buffer.
func observedClient(t *testing.T, ts *testServer, opts ...Option) (*Client, *tracetest.SpanRecorder, *bytes.Buffer) {
	t.Helper()
	spans := tracetest.NewSpanRecorder()
	var logs bytes.Buffer
	opts = append([]Option{
		WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))),
		WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		WithMaxRetries(1),
	}, opts...)
	return coreClient(t, ts, opts...), spans, &logs
}

// everythingKept renders what the SDK keeps of a failed call: the error in
// every fmt verb and as a slog JSON line, the *Error's fields, every span's
// status, attributes and events, and the debug log.
func everythingKept(err error, spans *tracetest.SpanRecorder, logs *bytes.Buffer) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v\n%+v\n%#v\n%s\n", err, err, err, err.Error())
	var line bytes.Buffer
	slog.New(slog.NewJSONHandler(&line, nil)).Error("call failed", "err", err)
	b.WriteString(line.String())
	var e *Error
	if errors.As(err, &e) {
		fmt.Fprintf(&b, "%#v\n%s\n%s\n%s\n", *e, e.Message, e.Reason, e.Body)
	}
	for _, s := range spans.Ended() {
		fmt.Fprintf(&b, "span %s: %v %q %v\n", s.Name(), s.Status().Code, s.Status().Description, s.Attributes())
		for _, ev := range s.Events() {
			fmt.Fprintf(&b, "  event %s %v\n", ev.Name, ev.Attributes)
		}
	}
	b.WriteString(logs.String())
	return b.String()
}

func TestAPIErrorScrubsEchoedBearer(t *testing.T) {
	calls := map[string]func(c *Client) error{
		"GET (coalesced)": func(c *Client) error {
			_, err := c.Albums.Get(context.Background(), "a1", nil)
			return err
		},
		"PUT": func(c *Client) error { return c.Player.PausePlayback(context.Background(), nil) },
	}
	answers := map[string]http.HandlerFunc{
		"400": echoBearer(http.StatusBadRequest, nil),
		"401": echoBearer(http.StatusUnauthorized, nil),
		"403": echoBearer(http.StatusForbidden, nil),
		"404": echoBearer(http.StatusNotFound, nil),
		"500": echoBearer(http.StatusInternalServerError, nil),
		"429": echoBearer(http.StatusTooManyRequests, nil),
		// Over the Retry-After cap: the chain's *middleware.RateLimitError
		// carries the 429's body.
		"429 over the cap": echoBearer(http.StatusTooManyRequests, http.Header{"Retry-After": {"3600"}}),
	}
	for callName, call := range calls {
		for answerName, answer := range answers {
			t.Run(callName+" "+answerName, func(t *testing.T) {
				ts := newTestServer(t)
				ts.Mux.HandleFunc("/albums/a1", answer)
				ts.Mux.HandleFunc("/me/player/pause", answer)
				opts := []Option{WithAccessToken(apiToken)}
				if answerName == "429" {
					// A 429 without Retry-After is retried ten times, a
					// second apart: returned at once here.
					opts = append(opts, WithMaxRetries(0))
				}
				c, spans, logs := observedClient(t, ts, opts...)
				err := call(c)
				require.Error(t, err)
				var e *Error
				require.ErrorAs(t, err, &e)
				require.Contains(t, e.Message, "the access token [REDACTED] expired", "the echo reached the error, redacted")
				kept := everythingKept(err, spans, logs)
				for name, form := range secretSpellings(apiToken) {
					assert.NotContains(t, kept, form, "%s leaked:\n%s", name, kept)
				}
			})
		}
	}
}

// A server that \u-escapes the token in its JSON hides it from a scrub of
// the body's bytes; the message, once decoded, is scrubbed again against
// the Authorization header the request was sent with.
func TestAPIErrorScrubsTheDecodedMessage(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/me/player/pause", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		var escaped strings.Builder
		for _, c := range tok {
			fmt.Fprintf(&escaped, `\u%04x`, c)
		}
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":{"status":401,"message":"token %s expired"}}`, escaped.String())
	})
	c, spans, logs := observedClient(t, ts, WithAccessToken(apiToken))
	err := c.Player.PausePlayback(context.Background(), nil)
	require.Error(t, err)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "token [REDACTED] expired", e.Message)
	kept := everythingKept(err, spans, logs)
	assert.NotContains(t, kept, apiToken)
}

func TestResponseErrorScrubsTheSentCredentials(t *testing.T) {
	t.Parallel()
	sent := http.Header{"Authorization": {"Bearer " + apiToken}}
	body := []byte(`{"error":{"status":401,"message":"token ` + apiToken + ` expired","reason":"` + url.QueryEscape(apiToken) + `"}}`)
	e := newResponseError(http.MethodGet, "/me", http.StatusUnauthorized, sent, body, 0)
	assert.Equal(t, "token [REDACTED] expired", e.Message)
	assert.Equal(t, "[REDACTED]", e.Reason)
	assert.NotContains(t, string(e.Body), apiToken)
	assert.Contains(t, string(body), apiToken, "the caller's bytes are not changed")
	assert.NotContains(t, fmt.Sprintf("%#v", *e), "Authorization", "the header is not kept")

	// The cap applies after the scrub: a token across the 64 KiB line is
	// not cut in two with its first half kept.
	long := append(bytes.Repeat([]byte("x"), maxErrorBody-10), apiToken...)
	e = newResponseError(http.MethodGet, "/me", http.StatusBadGateway, sent, long, 0)
	assert.NotContains(t, string(e.Body), apiToken[:10])
	assert.Equal(t, http.StatusText(http.StatusBadGateway), e.Message)

	e = newResponseError(http.MethodGet, "/me", http.StatusNotFound, nil, []byte(`{"error":{"message":"plain"}}`), time.Second)
	assert.Equal(t, "plain", e.Message)
}
