package spotifytest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
)

// apiError is a decoded Web API error body.
type apiError struct {
	Error struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
		Reason  string `json:"reason"`
	} `json:"error"`
}

// get sends GET path with tok and returns the answer with its body read.
func get(t testing.TB, srv *Server, tok, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// want429 checks a 429 answer's Retry-After, message and reason.
func want429(t testing.TB, resp *http.Response, body []byte, retryAfter, message, reason string) {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("429 body %q: %v", body, err)
	}
	if resp.StatusCode != 429 || e.Error.Status != 429 || e.Error.Message != message || e.Error.Reason != reason {
		t.Fatalf("answer %d %s, want 429 %q reason %q", resp.StatusCode, body, message, reason)
	}
	if got := resp.Header.Get("Retry-After"); got != retryAfter {
		t.Fatalf("Retry-After %q, want %q", got, retryAfter)
	}
}

// appToken gets a client-credentials token for another app over HTTP.
func appToken(t testing.TB, srv *Server, id, secret string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 200 {
		t.Fatalf("token for %s: %d %v", id, resp.StatusCode, err)
	}
	return m.AccessToken
}

func TestRateLimitWindow(t *testing.T) {
	const otherID, otherSecret = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
	clk := clock.NewFake()
	srv := start(t, WithClock(clk.Now), WithRateLimit(5, 0), WithApp(otherID, otherSecret))
	tok := srv.Token()
	path := "/v1/albums/" + id(t, srv, KindAlbum, 0)
	for i := range 5 {
		if resp, body := get(t, srv, tok, path); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i+1, resp.StatusCode, body)
		}
		clk.Advance(time.Second)
	}
	// t0+5s: the 6th request in the window; the oldest (t0) leaves at
	// t0+30s, 25 s from now.
	resp, body := get(t, srv, tok, path)
	want429(t, resp, body, "25", "API rate limit exceeded", "")

	// Another app has its own window; the token endpoint is never limited.
	other := appToken(t, srv, otherID, otherSecret)
	if resp, _ := get(t, srv, other, path); resp.StatusCode != 200 {
		t.Fatalf("other app: %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv, tok, path); resp.StatusCode != 429 {
		t.Fatalf("still over the budget: %d", resp.StatusCode)
	}

	// t0+30s: the first request left the window, one slot is free.
	clk.Advance(25 * time.Second)
	if resp, body := get(t, srv, tok, path); resp.StatusCode != 200 {
		t.Fatalf("after the window: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, srv, tok, path)
	want429(t, resp, body, "1", "API rate limit exceeded", "") // the t0+1s request leaves in 1 s

	st := srv.Statuses("GET /v1/albums/{id}")
	if st[200] != 7 || st[429] != 3 {
		t.Fatalf("statuses %v, want 7×200 and 3×429", st)
	}

	// Raising the budget at run time admits more; ResetRateLimit empties
	// the window.
	srv.SetRateLimit(6, 0)
	if resp, _ := get(t, srv, tok, path); resp.StatusCode != 200 {
		t.Fatalf("budget 6: %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv, tok, path); resp.StatusCode != 429 {
		t.Fatalf("budget 6, 7th: %d", resp.StatusCode)
	}
	srv.ResetRateLimit()
	if resp, _ := get(t, srv, tok, path); resp.StatusCode != 200 {
		t.Fatalf("after ResetRateLimit: %d", resp.StatusCode)
	}
}

func TestRateLimitWindowLength(t *testing.T) {
	clk := clock.NewFake()
	srv := start(t, WithClock(clk.Now), WithRateLimit(2, 10*time.Second))
	tok := srv.Token()
	get(t, srv, tok, "/v1/markets")
	get(t, srv, tok, "/v1/markets")
	clk.Advance(9*time.Second + 500*time.Millisecond)
	resp, body := get(t, srv, tok, "/v1/markets")
	want429(t, resp, body, "1", "API rate limit exceeded", "") // 0.5 s rounds up to 1
	clk.Advance(500 * time.Millisecond)
	if resp, _ := get(t, srv, tok, "/v1/markets"); resp.StatusCode != 200 {
		t.Fatalf("after 10 s: %d", resp.StatusCode)
	}
}

func TestRetryAfterDecimals(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{50 * time.Millisecond, "0.05"}, {1500 * time.Millisecond, "1.5"}, {2 * time.Second, "2"}} {
		srv := start(t, WithRateLimit(1, time.Minute), WithRetryAfter(tc.d))
		tok := srv.Token()
		get(t, srv, tok, "/v1/markets")
		resp, body := get(t, srv, tok, "/v1/markets")
		want429(t, resp, body, tc.want, "API rate limit exceeded", "")
	}
}

func TestRateLimitRealClock(t *testing.T) {
	srv := start(t, WithRateLimit(1, 50*time.Millisecond), WithRetryAfter(50*time.Millisecond))
	tok := srv.Token()
	get(t, srv, tok, "/v1/markets")
	resp, _ := get(t, srv, tok, "/v1/markets")
	if resp.StatusCode != 429 {
		t.Skipf("second request after the window on a slow machine: %d", resp.StatusCode)
	}
	time.Sleep(60 * time.Millisecond) // Retry-After: 0.05
	if resp, _ := get(t, srv, tok, "/v1/markets"); resp.StatusCode != 200 {
		t.Fatalf("after Retry-After: %d", resp.StatusCode)
	}
}

func TestQuotaExceeded(t *testing.T) {
	srv := start(t, WithQuotaExceeded(), WithRetryAfter(30*time.Second))
	tok := appToken(t, srv, ClientID, ClientSecret) // the accounts service still answers
	path := "/v1/artists/" + id(t, srv, KindArtist, 0)
	resp, body := get(t, srv, tok, path)
	want429(t, resp, body, "30", "Quota exceeded", "QUOTA_EXCEEDED")

	srv.SetQuotaExceeded(false)
	if resp, _ := get(t, srv, tok, path); resp.StatusCode != 200 {
		t.Fatalf("quota mode off: %d", resp.StatusCode)
	}
	srv.SetQuotaExceeded(true)
	resp, body = get(t, srv, tok, path)
	want429(t, resp, body, "30", "Quota exceeded", "QUOTA_EXCEEDED")

	// Without WithRetryAfter the quota answer waits out a window.
	srv2 := start(t, WithQuotaExceeded())
	resp, body = get(t, srv2, srv2.Token(), path)
	want429(t, resp, body, "30", "Quota exceeded", "QUOTA_EXCEEDED")
}

// The quota answer's Retry-After reads the window while SetRateLimit
// changes it: run with -race.
func TestQuotaRetryAfterRacesSetRateLimit(t *testing.T) {
	srv := start(t, WithQuotaExceeded())
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
				srv.SetRateLimit(1, time.Duration(i)*time.Second)
			}
		}
	}()
	for range 1000 {
		w := httptest.NewRecorder()
		if srv.limiter.admit(w, "app", srv.now()) || w.Code != http.StatusTooManyRequests {
			close(stop)
			t.Fatalf("quota mode admitted a request: %d", w.Code)
		}
	}
	close(stop)
	<-done
}

func TestRateLimitOptionsPanic(t *testing.T) {
	for name, opt := range map[string]Option{
		"negative budget": WithRateLimit(-1, 0),
		"negative window": WithRateLimit(1, -time.Second),
		"zero RetryAfter": WithRetryAfter(0),
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			NewServer(opt).Close()
		}()
	}
}
