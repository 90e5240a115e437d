package spotifytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// freshClient returns a client that opens a connection per request, so
// that a cut connection surfaces as an error instead of being resent by
// the Transport on a new one.
func freshClient(t testing.TB) *http.Client {
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// send sends GET path with tok on cl; it returns the answer (body unread)
// or the transport's error.
func send(t testing.TB, cl *http.Client, srv *Server, tok, path string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := cl.Do(req)
	if err == nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

// lastServed returns the last Served record.
func lastServed(t testing.TB, srv *Server) Served {
	t.Helper()
	s := srv.Served()
	if len(s) == 0 {
		t.Fatal("nothing served")
	}
	return s[len(s)-1]
}

const albumRoute = "GET /v1/albums/{id}"

func TestFaultStatuses(t *testing.T) {
	for _, tc := range []struct {
		kind   FaultKind
		status int
		retry  string
	}{
		{Fault429, 429, "1"},
		{Fault500, 500, ""},
		{Fault502, 502, ""},
		{Fault503, 503, ""},
	} {
		t.Run(tc.kind.String(), func(t *testing.T) {
			srv := start(t, WithFaults(FaultPlan{Route: albumRoute, Kind: tc.kind, Count: 1}))
			tok := srv.Token()
			path := "/v1/albums/" + id(t, srv, KindAlbum, 0)
			resp, body := get(t, srv, tok, path)
			var e apiError
			if err := json.Unmarshal(body, &e); err != nil || resp.StatusCode != tc.status || e.Error.Status != tc.status {
				t.Fatalf("answer %d %s, want %d", resp.StatusCode, body, tc.status)
			}
			if got := resp.Header.Get("Retry-After"); got != tc.retry {
				t.Fatalf("Retry-After %q, want %q", got, tc.retry)
			}
			if s := lastServed(t, srv); s.Fault != tc.kind || s.Status != tc.status || s.Route != albumRoute {
				t.Fatalf("served %+v", s)
			}
			// Count 1: the plan is spent.
			if resp, _ := get(t, srv, tok, path); resp.StatusCode != 200 {
				t.Fatalf("second request: %d", resp.StatusCode)
			}
			if f := srv.Faults(albumRoute); f[tc.kind] != 1 || len(f) != 1 {
				t.Fatalf("Faults %v", f)
			}
		})
	}
}

func TestFault429RetryAfter(t *testing.T) {
	srv := start(t, WithRetryAfter(20*time.Millisecond))
	srv.InjectFaults(FaultPlan{Kind: Fault429, Count: 1}, FaultPlan{Kind: Fault429, Count: 1, RetryAfter: 2500 * time.Millisecond})
	tok := srv.Token()
	resp, body := get(t, srv, tok, "/v1/markets")
	want429(t, resp, body, "0.02", "API rate limit exceeded", "")
	resp, body = get(t, srv, tok, "/v1/markets")
	want429(t, resp, body, "2.5", "API rate limit exceeded", "")
}

func TestFaultResetBefore(t *testing.T) {
	srv := start(t, WithFaults(FaultPlan{Route: albumRoute, Kind: FaultResetBefore, Count: 1}))
	path := "/v1/albums/" + id(t, srv, KindAlbum, 0)
	if resp, err := send(t, freshClient(t), srv, srv.Token(), path); err == nil {
		t.Fatalf("reset before: got %d, want a transport error", resp.StatusCode)
	}
	if s := lastServed(t, srv); s.Fault != FaultResetBefore || s.Status != 0 {
		t.Fatalf("served %+v", s)
	}
	if resp, _ := get(t, srv, srv.Token(), path); resp.StatusCode != 200 {
		t.Fatalf("after the fault: %d", resp.StatusCode)
	}
}

func TestFaultResetAfter(t *testing.T) {
	srv := start(t, WithFaults(FaultPlan{Route: albumRoute, Kind: FaultResetAfter, Count: 2}))
	tok := srv.Token()
	path := "/v1/albums/" + id(t, srv, KindAlbum, 0)
	if resp, err := send(t, freshClient(t), srv, tok, path); err == nil {
		t.Fatalf("reset after: got %d, want a transport error", resp.StatusCode)
	}
	// The handler ran: the answer it gave is recorded.
	if s := lastServed(t, srv); s.Fault != FaultResetAfter || s.Status != 200 {
		t.Fatalf("served %+v", s)
	}
	if _, err := send(t, freshClient(t), srv, tok, "/v1/albums/2KrxsD86ARO5beq7Q0Drfq"); err == nil {
		t.Fatal("reset after: no transport error")
	}
	if s := lastServed(t, srv); s.Fault != FaultResetAfter || s.Status != 404 {
		t.Fatalf("served %+v", s)
	}
}

func TestFaultLatency(t *testing.T) {
	const delay = 50 * time.Millisecond
	srv := start(t, WithFaults(FaultPlan{Route: albumRoute, Kind: FaultLatency, Delay: delay}))
	tok := srv.Token()
	path := "/v1/albums/" + id(t, srv, KindAlbum, 0)
	begin := time.Now()
	resp, body := get(t, srv, tok, path)
	if took := time.Since(begin); took < delay {
		t.Fatalf("answered in %v, want at least %v", took, delay)
	}
	if resp.StatusCode != 200 || !json.Valid(body) {
		t.Fatalf("answer %d %.100s", resp.StatusCode, body)
	}
	if s := lastServed(t, srv); s.Fault != FaultLatency || s.Status != 200 {
		t.Fatalf("served %+v", s)
	}
	// Other routes are not delayed by a plan on one route.
	begin = time.Now()
	get(t, srv, tok, "/v1/markets")
	if s := lastServed(t, srv); s.Fault != 0 {
		t.Fatalf("markets got %v (after %v)", s.Fault, time.Since(begin))
	}
}

func TestFaultSlowBody(t *testing.T) {
	srv := start(t)
	tok := srv.Token()
	path := "/v1/albums/" + id(t, srv, KindAlbum, 0)
	_, want := get(t, srv, tok, path)
	srv.InjectFaults(FaultPlan{Route: albumRoute, Kind: FaultSlowBody, Chunk: 256, Delay: 2 * time.Millisecond})
	begin := time.Now()
	resp, err := send(t, freshClient(t), srv, tok, path)
	if err != nil {
		t.Fatal(err)
	}
	headers := time.Since(begin)
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	chunks := (len(want) + 255) / 256
	if took := time.Since(begin); took < time.Duration(chunks-1)*2*time.Millisecond || took <= headers {
		t.Fatalf("%d chunks in %v (headers after %v)", chunks, took, headers)
	}
	if resp.StatusCode != 200 || resp.ContentLength != int64(len(want)) || !bytes.Equal(got, want) {
		t.Fatalf("slow body differs: %d, %d bytes of %d", resp.StatusCode, len(got), len(want))
	}
	if s := lastServed(t, srv); s.Fault != FaultSlowBody || s.Status != 200 {
		t.Fatalf("served %+v", s)
	}
}

func TestFaultTruncate(t *testing.T) {
	srv := start(t, WithFaults(FaultPlan{Route: albumRoute, Kind: FaultTruncate, Count: 1}))
	tok := srv.Token()
	path := "/v1/albums/" + id(t, srv, KindAlbum, 0)
	resp, err := send(t, http.DefaultClient, srv, tok, path)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.ContentLength <= 0 {
		t.Fatalf("truncated answer: %d, length %d", resp.StatusCode, resp.ContentLength)
	}
	got, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("reading the body: %v, want io.ErrUnexpectedEOF", err)
	}
	if int64(len(got)) != resp.ContentLength/2 {
		t.Fatalf("read %d bytes of %d", len(got), resp.ContentLength)
	}
	if s := lastServed(t, srv); s.Fault != FaultTruncate || s.Status != 200 {
		t.Fatalf("served %+v", s)
	}
	// The client recovers on a new connection.
	if resp, body := get(t, srv, tok, path); resp.StatusCode != 200 || !json.Valid(body) {
		t.Fatalf("after the truncation: %d", resp.StatusCode)
	}
}

func TestFaultMalformedJSON(t *testing.T) {
	srv := start(t, WithFaults(
		FaultPlan{Route: albumRoute, Kind: FaultMalformedJSON, Count: 1},
		FaultPlan{Route: "/v1/albums/{id}/tracks", Kind: FaultMalformedJSON, Count: 1},
	))
	tok := srv.Token()
	for _, path := range []string{
		"/v1/albums/" + id(t, srv, KindAlbum, 0),
		"/v1/albums/2KrxsD86ARO5beq7Q0Drfq/tracks", // a 404 turns into a malformed 200 too
	} {
		resp, body := get(t, srv, tok, path)
		if resp.StatusCode != 200 || resp.ContentLength != int64(len(body)) || len(body) == 0 {
			t.Fatalf("%s: %d, length %d, %d bytes", path, resp.StatusCode, resp.ContentLength, len(body))
		}
		if json.Valid(body) {
			t.Fatalf("%s: body is valid JSON: %s", path, body)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("%s: Content-Type %q", path, resp.Header.Get("Content-Type"))
		}
	}
	if f := srv.Faults(""); f[FaultMalformedJSON] != 2 {
		t.Fatalf("Faults %v", f)
	}
}

// The broken body must not carry the good body's validators: a cache
// would keep it (TestSDKMalformedJSONIsNotCached).
func TestFaultMalformedJSONHasNoValidators(t *testing.T) {
	srv := start(t)
	tok := srv.Token()
	path := "/v1/playlists/" + id(t, srv, KindPlaylist, 0)
	if resp, _ := get(t, srv, tok, path); resp.Header.Get("ETag") == "" || resp.Header.Get("Cache-Control") == "" {
		t.Fatalf("a playlist answer without ETag or Cache-Control: %v", resp.Header)
	}
	srv.InjectFaults(FaultPlan{Route: "GET /v1/playlists/{playlist_id}", Kind: FaultMalformedJSON, Count: 1})
	resp, body := get(t, srv, tok, path)
	if resp.StatusCode != 200 || json.Valid(body) {
		t.Fatalf("fault not injected: %d %s", resp.StatusCode, body)
	}
	if et, cc := resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"); et != "" || cc != "" {
		t.Fatalf("malformed answer with ETag %q, Cache-Control %q", et, cc)
	}
}

// statusRun sends n requests to GET /v1/markets on a server with plan
// and returns the statuses.
func statusRun(t *testing.T, plan FaultPlan, n int) []int {
	srv := start(t, WithFaults(plan))
	tok := srv.Token()
	out := make([]int, n)
	for i := range out {
		resp, _ := get(t, srv, tok, "/v1/markets")
		out[i] = resp.StatusCode
	}
	if st := srv.Statuses("GET /v1/markets"); st[200]+st[faultStatus[plan.Kind]] != n {
		t.Fatalf("statuses %v", st)
	}
	return out
}

// faultStatus is the status of each fault that answers one.
var faultStatus = map[FaultKind]int{Fault429: 429, Fault500: 500, Fault502: 502, Fault503: 503}

func TestFaultProbabilitySeeded(t *testing.T) {
	plan := FaultPlan{Route: "GET /v1/markets", Kind: Fault503, Probability: 0.1, Seed: 42}
	a := statusRun(t, plan, 1000)
	n := 0
	for _, s := range a {
		if s == 503 {
			n++
		}
	}
	if n < 70 || n > 130 {
		t.Fatalf("%d faults in 1000 at probability 0.1", n)
	}
	if b := statusRun(t, plan, 1000); !slices.Equal(a, b) {
		t.Fatal("the same seed gave other faults")
	}
	plan.Seed = 43
	if c := statusRun(t, plan, 1000); slices.Equal(a, c) {
		t.Fatal("another seed gave the same faults")
	}
}

func TestFaultAfterCountBurst(t *testing.T) {
	got := statusRun(t, FaultPlan{Kind: Fault429, After: 2, Count: 3}, 7)
	if want := []int{200, 200, 429, 429, 429, 200, 200}; !slices.Equal(got, want) {
		t.Fatalf("After 2 Count 3: %v", got)
	}
	// Bursts of 4: every run of 429s is a multiple of 4 long.
	got = statusRun(t, FaultPlan{Kind: Fault429, Probability: 0.05, Burst: 4, Seed: 7}, 400)
	runs, run := 0, 0
	for i, s := range append(got, 200) {
		if s == 429 {
			run++
			continue
		}
		if run%4 != 0 {
			t.Fatalf("a run of %d 429s ending at %d", run, i)
		}
		if run > 0 {
			runs++
		}
		run = 0
	}
	if runs == 0 {
		t.Fatal("no burst in 400 requests")
	}
}

func TestFaultRoutes(t *testing.T) {
	srv := start(t, WithFaults(FaultPlan{Kind: Fault500})) // every /v1 route
	tok := appToken(t, srv, ClientID, ClientSecret)        // not the accounts service
	if resp, _ := get(t, srv, tok, "/v1/markets"); resp.StatusCode != 500 {
		t.Fatalf("markets: %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv, tok, "/v1/nowhere"); resp.StatusCode != 404 {
		t.Fatalf("unmatched: %d", resp.StatusCode)
	}
	srv.ClearFaults()
	if resp, _ := get(t, srv, tok, "/v1/markets"); resp.StatusCode != 200 {
		t.Fatalf("after ClearFaults: %d", resp.StatusCode)
	}
	// Named, the token endpoint is faulted too.
	srv.InjectFaults(FaultPlan{Route: "POST /api/token", Kind: Fault503, Count: 1})
	resp, err := http.Post(srv.URL+"/api/token", "application/x-www-form-urlencoded", strings.NewReader("grant_type=client_credentials"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Fatalf("token endpoint: %d", resp.StatusCode)
	}
	if f := srv.Faults("POST /api/token"); f[Fault503] != 1 {
		t.Fatalf("Faults %v", f)
	}
}

func TestFaultPlanPanics(t *testing.T) {
	srv := start(t)
	for name, p := range map[string]FaultPlan{
		"no kind":     {},
		"bad kind":    {Kind: FaultGoAway + 1},
		"probability": {Kind: Fault500, Probability: 1.5},
		"negative":    {Kind: Fault500, Count: -1},
		"no route":    {Kind: Fault500, Route: "GET /v1/nowhere"},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			srv.InjectFaults(p)
		}()
	}
	if FaultTruncate.String() != "FaultTruncate" || FaultKind(0).String() != "" || FaultKind(99).String() != "FaultKind(99)" {
		t.Fatal("FaultKind.String")
	}
}
