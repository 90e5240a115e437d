package middleware

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/auth"
	"github.com/spotifysdk/spotify-go/internal/scrub"
)

// echoToken is an access token with characters that escaping changes.
const echoToken = "BQ/echo+token=value-0123456789_abc"

// echoServer answers with status and a Spotify error body whose message
// repeats the Authorization header it received in several spellings.
func echoServer(t *testing.T, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		_, cred, _ := strings.Cut(h, " ")
		msg := "header " + h + "; the access token " + cred + " expired; escaped " + url.QueryEscape(cred) + " " + url.PathEscape(cred)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"status": status, "message": msg}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// tokenForms are the spellings of echoToken that must not show.
var tokenForms = []string{echoToken, url.QueryEscape(echoToken), url.PathEscape(echoToken), strings.ReplaceAll(echoToken, "/", `\/`)}

func TestDownloadScrubsEchoedBearerFromErrorBodies(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, http.StatusUnauthorized)
	u, _ := url.Parse(srv.URL)
	rt := Download(DownloadOptions{})(authStage(auth.NewStatic(echoToken), u.Host, http.DefaultTransport))
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/v1/me", nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	for _, form := range tokenForms {
		assert.NotContains(t, string(body), form)
	}
	assert.Contains(t, string(body), "the access token "+Redacted+" expired")
	assert.Equal(t, int64(len(body)), resp.ContentLength)
}

// A coalesced GET gets the caller's request on its answer (no
// Authorization): the body must already be clean when the flight shares it.
func TestCoalescedErrorBodyIsScrubbedBelow(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, http.StatusUnauthorized)
	u, _ := url.Parse(srv.URL)
	rt := Coalesce(CoalesceOptions{})(Download(DownloadOptions{})(authStage(auth.NewStatic(echoToken), u.Host, http.DefaultTransport)))
	ctx := withPrincipal(context.Background(), "tok:x")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/v1/me", nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Empty(t, resp.Request.Header.Get("Authorization"), "the answer carries the caller's request")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	for _, form := range tokenForms {
		assert.NotContains(t, string(body), form)
	}
	assert.Contains(t, string(body), Redacted)
}

func TestDownloadScrubsEchoedBasicCredential(t *testing.T) {
	t.Parallel()
	const secret = "pro/xy+pw"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, "you sent "+r.Header.Get("Authorization")+" and "+r.Header.Get("Proxy-Authorization"))
	}))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	req.SetBasicAuth("user", secret)
	req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("p:"+secret+"2")))
	resp, err := Download(DownloadOptions{})(http.DefaultTransport).RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, "you sent Basic "+Redacted+" and Basic "+Redacted, string(body))
}

// A success body is data, not an error text: it is passed on as it came.
func TestDownloadLeavesSuccessBodiesAlone(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, http.StatusOK)
	u, _ := url.Parse(srv.URL)
	rt := Download(DownloadOptions{})(authStage(auth.NewStatic(echoToken), u.Host, http.DefaultTransport))
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(body), "the access token "+echoToken+" expired")
}

func TestRedactMessageCutsEncodedQueryValues(t *testing.T) {
	t.Parallel()
	u, err := url.Parse("https://api.example/v1/me?code=" + url.QueryEscape("ab/cd+ef") + "#frag/ment")
	require.NoError(t, err)
	for _, msg := range []string{
		"bad code ab%2Fcd%2Bef", // as the URL spelled it
		"bad code ab%2fcd%2bef", // lower-case hex
		"bad code ab/cd+ef",     // decoded
		"bad code ab%2Fcd+ef",   // path-escaped
		`{"code":"ab\/cd+ef"}`,  // JSON with "\/"
		"after # frag%2Fment",
	} {
		got := redactMessage(msg, u)
		assert.NotContains(t, got, "cd", msg)
		assert.NotContains(t, got, "ment", msg)
		assert.Contains(t, got, Redacted, msg)
	}
	assert.Equal(t, scrub.Redacted, Redacted, "one marker for the whole SDK")
}
