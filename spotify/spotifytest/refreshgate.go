package spotifytest

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// RefreshGate is a proxy in front of a [Server] that holds a refresh
// request (POST /api/token with grant_type=refresh_token) until a second
// one arrives or a hold time passes, then lets both through in the order
// they came. Two processes that refresh one user's token without a lock
// between them then both send the same refresh token while the first is
// still in flight, so the second is refused (invalid_grant), every time
// rather than by chance; processes that do share a lock send one refresh
// at a time, each held for the hold time only.
//
// Point the clients' token URL at RefreshGate.URL + "/api/token"; every
// other request passes through unchanged. Start one with
// [NewRefreshGate] and stop it with Close. It is safe for concurrent use.
type RefreshGate struct {
	// URL is the proxy's root, "http://127.0.0.1:port".
	URL string

	hold    time.Duration
	hs      *httptest.Server
	proxy   *httputil.ReverseProxy
	mu      sync.Mutex
	waiting chan struct{} // closed to release the refresh held now; nil when none is held
	paired  atomic.Int64
}

// NewRefreshGate starts a gate in front of srv that holds a refresh for
// at most hold.
func NewRefreshGate(srv *Server, hold time.Duration) *RefreshGate {
	target, err := url.Parse(srv.URL)
	if err != nil {
		panic("spotifytest: NewRefreshGate: " + err.Error())
	}
	g := &RefreshGate{hold: hold, proxy: httputil.NewSingleHostReverseProxy(target)}
	g.hs = httptest.NewServer(http.HandlerFunc(g.serveHTTP))
	g.URL = g.hs.URL
	return g
}

// Close stops the gate, blocking until its requests end.
func (g *RefreshGate) Close() { g.hs.Close() }

// Paired returns how many refreshes were released by a second one
// arriving (rather than by the hold time passing): the refreshes that
// overlapped.
func (g *RefreshGate) Paired() int64 { return g.paired.Load() }

func (g *RefreshGate) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/api/token" && isRefresh(r) {
		g.gate()
	}
	g.proxy.ServeHTTP(w, r)
}

// isRefresh reports whether r is a refresh_token grant, leaving its body
// readable for the proxy.
func isRefresh(r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		return false
	}
	refresh := r.PostForm.Get("grant_type") == "refresh_token"
	body := r.PostForm.Encode()
	r.Body = http.NoBody
	if body != "" {
		r.Body = readCloser{strings.NewReader(body)}
	}
	r.ContentLength = int64(len(body))
	return refresh
}

// readCloser is a body that closes as nothing.
type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

// gate holds the first of two refreshes until the second arrives (or the
// hold time passes); the second releases it and goes on a moment later,
// so the first reaches the server first.
func (g *RefreshGate) gate() {
	g.mu.Lock()
	if w := g.waiting; w != nil {
		g.waiting = nil
		g.mu.Unlock()
		g.paired.Add(1)
		close(w)
		time.Sleep(20 * time.Millisecond)
		return
	}
	w := make(chan struct{})
	g.waiting = w
	g.mu.Unlock()
	t := time.NewTimer(g.hold)
	defer t.Stop()
	select {
	case <-w:
	case <-t.C:
		g.mu.Lock()
		if g.waiting == w {
			g.waiting = nil
		}
		g.mu.Unlock()
	}
}
