package spotifytest

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// gateRefresh posts a refresh_token grant through the gate and returns its
// status.
func gateRefresh(t *testing.T, g *RefreshGate) int {
	t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"AQ-unknown"}, "client_id": {ClientID}}
	resp, err := http.Post(g.URL+"/api/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Error(err)
		return 0
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// TestRefreshGate: a refresh alone is held for the hold time; two that
// overlap are released together, the first before the hold time, and
// both reach the server with their form intact.
func TestRefreshGate(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	g := NewRefreshGate(srv, 300*time.Millisecond)
	defer g.Close()

	start := time.Now()
	if got := gateRefresh(t, g); got != http.StatusBadRequest { // an unknown refresh token: invalid_grant
		t.Errorf("status %d, want 400 from the server", got)
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Errorf("a lone refresh took %v, want the hold time", took)
	}

	start = time.Now()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { gateRefresh(t, g) })
		time.Sleep(50 * time.Millisecond)
	}
	wg.Wait()
	if took := time.Since(start); took >= 300*time.Millisecond {
		t.Errorf("two overlapping refreshes took %v, want less than the hold time", took)
	}
	if g.Paired() != 1 {
		t.Errorf("Paired %d, want 1", g.Paired())
	}
	if n := srv.Statuses("POST /api/token")[http.StatusBadRequest]; n != 3 {
		t.Errorf("%d refreshes reached the server, want 3", n)
	}

	// Other requests pass at once.
	start = time.Now()
	resp, err := http.Get(g.URL + "/v1/albums/x")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if took := time.Since(start); took >= 300*time.Millisecond {
		t.Errorf("a GET took %v through the gate", took)
	}
}
