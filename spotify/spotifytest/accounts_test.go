package spotifytest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
)

// postToken sends POST /api/token with form, and Basic credentials when
// id is not "".
func postToken(t *testing.T, srv *Server, id, secret string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(id, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("token answer %q: %v", b, err)
	}
	return resp.StatusCode, m
}

var clientCredentials = url.Values{"grant_type": {"client_credentials"}}

func TestClientCredentialsBasic(t *testing.T) {
	srv := start(t)
	status, m := postToken(t, srv, ClientID, ClientSecret, clientCredentials)
	if status != 200 || m["token_type"] != "Bearer" || m["expires_in"] != 3600.0 {
		t.Fatalf("token answer %d %v", status, m)
	}
	tok, _ := m["access_token"].(string)
	if len(tok) < 40 {
		t.Fatalf("access_token %q", tok)
	}
	if _, ok := m["refresh_token"]; ok {
		t.Fatal("client credentials answer has a refresh_token")
	}
	if status, _ := fetch(t, srv, tok, "/v1/markets"); status != 200 {
		t.Fatalf("GET with the issued token: %d", status)
	}
}

func TestClientCredentialsForm(t *testing.T) {
	srv := start(t, WithApp("other-app", "other-secret"))
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"other-app"}, "client_secret": {"other-secret"}}
	if status, m := postToken(t, srv, "", "", form); status != 200 || m["access_token"] == "" {
		t.Fatalf("form credentials: %d %v", status, m)
	}
}

func TestTokenErrors(t *testing.T) {
	srv := start(t)
	for _, tc := range []struct {
		name, id, secret string
		form             url.Values
		code, desc       string
	}{
		{"wrong secret", ClientID, "nope", clientCredentials, "invalid_client", "Invalid client secret"},
		{"unknown client", "nobody", "x", clientCredentials, "invalid_client", "Invalid client"},
		{"no credentials", "", "", clientCredentials, "invalid_client", "Invalid client"},
		{"no grant", ClientID, ClientSecret, url.Values{}, "unsupported_grant_type", "grant_type parameter is missing"},
		{"unknown grant", ClientID, ClientSecret, url.Values{"grant_type": {"password"}}, "unsupported_grant_type", "grant_type parameter is invalid"},
	} {
		status, m := postToken(t, srv, tc.id, tc.secret, tc.form)
		if status != 400 || m["error"] != tc.code || m["error_description"] != tc.desc || len(m) != 2 {
			t.Errorf("%s: %d %v, want 400 %s %q", tc.name, status, m, tc.code, tc.desc)
		}
	}
}

func TestBearerRequired(t *testing.T) {
	srv := start(t)
	path := "/v1/albums/" + id(t, srv, KindAlbum, 0)
	for _, tc := range []struct {
		tok, msg string
		status   int
	}{
		{"", "No token provided", 401},
		{"BQnotatoken", "Invalid access token", 401},
	} {
		status, body := fetch(t, srv, tc.tok, path)
		var e struct {
			Error struct {
				Status  int
				Message string
			}
		}
		_ = json.Unmarshal(body, &e)
		if status != tc.status || e.Error.Status != tc.status || e.Error.Message != tc.msg {
			t.Errorf("token %q: %d %s, want %d %q", tc.tok, status, body, tc.status, tc.msg)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	req.SetBasicAuth(ClientID, ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("Basic auth on the API: %d, want 400", resp.StatusCode)
	}
}

// fakeClock is a settable clock. New tests use clock.Fake (package clock);
// this one stays for the player and authorization-code tests that set its
// start with the t field.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestTokenExpiresFakeClock(t *testing.T) {
	clk := clock.NewFake()
	srv := start(t, WithClock(clk.Now), WithTokenLifetime(10*time.Minute))
	status, m := postToken(t, srv, ClientID, ClientSecret, clientCredentials)
	if status != 200 || m["expires_in"] != 600.0 {
		t.Fatalf("token answer %d %v", status, m)
	}
	tok := m["access_token"].(string)
	path := "/v1/artists/" + id(t, srv, KindArtist, 0)
	clk.Advance(10*time.Minute - time.Nanosecond)
	if status, _ := fetch(t, srv, tok, path); status != 200 {
		t.Fatalf("before expiry: %d", status)
	}
	clk.Advance(time.Nanosecond)
	status, body := fetch(t, srv, tok, path)
	if status != 401 || !strings.Contains(string(body), `"message":"The access token expired"`) {
		t.Fatalf("at expiry: %d %s", status, body)
	}
	// Long after, the token is forgotten: invalid, no longer "expired".
	clk.Advance(2 * time.Hour)
	srv.Token() // sweeps
	if _, body := fetch(t, srv, tok, path); !strings.Contains(string(body), "Invalid access token") {
		t.Fatalf("long after expiry: %s", body)
	}
}

func TestTokenExpiresRealClock(t *testing.T) {
	const life = 50 * time.Millisecond
	srv := start(t, WithTokenLifetime(life))
	issued := time.Now()
	status, m := postToken(t, srv, ClientID, ClientSecret, clientCredentials)
	if status != 200 || m["expires_in"] != 1.0 {
		t.Fatalf("token answer %d %v (expires_in rounds up)", status, m)
	}
	tok := m["access_token"].(string)
	status, _ = fetch(t, srv, tok, "/v1/markets")
	if status != 200 && time.Since(issued) < life { // a slow machine may take longer than the lifetime
		t.Fatalf("fresh token: %d", status)
	}
	time.Sleep(60 * time.Millisecond)
	if status, body := fetch(t, srv, tok, "/v1/markets"); status != 401 || !strings.Contains(string(body), "expired") {
		t.Fatalf("after 60 ms: %d %s", status, body)
	}
}
