package spotifytest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// Server is an emulated Spotify Web API (under URL+"/v1") and accounts
// service (URL+"/api/token") on a loopback port. Start it with NewServer
// and stop it with Close. A Server is safe for concurrent use.
type Server struct {
	// URL is the server's root, "http://127.0.0.1:port" (or https over
	// TLS, see [WithProtocol]), without a trailing slash: the API base is
	// URL+"/v1" and the token endpoint URL+"/api/token".
	URL string

	cfg      config
	cat      *Catalog
	router   *router
	accounts *accounts
	counters *counters
	limiter  *limiter
	faults   faults
	lib      library     // per-user writes over the generated libraries (library.go)
	pl       playlists   // playlists with state (playlist_state.go)
	served   servedItems // per-item serving counts (served_items.go)
	players  players     // the users' players (player_state.go)
	hs       *httptest.Server
	tls      *tlsListener // over TLS (tls.go); nil for plain HTTP
}

// NewServer starts an emulator on a loopback port. It panics on an
// invalid option, like httptest.NewServer when it cannot listen.
func NewServer(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		cfg:    cfg,
		cat:    newCatalog(cfg.seed, cfg.artists),
		router: newRouter(),
	}
	s.accounts = newAccounts(&s.cfg)
	s.counters = newCounters(s.router)
	s.limiter = newLimiter(cfg.rate)
	s.InjectFaults(cfg.faults...)
	if !cfg.protocol.tls() {
		s.hs = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
		s.URL = s.hs.URL
		return s
	}
	s.hs = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	_ = s.hs.Listener.Close()
	s.tls = newTLSListener(cfg.protocol)
	s.hs.Listener = s.tls
	s.hs.Config.ConnContext = connContext
	// The listener makes the TLS handshakes: net/http reads HTTP/1.1 from
	// a *tls.Conn and HTTP/2 from an h2conn, as HTTP/2 without TLS.
	s.hs.Config.Protocols = new(http.Protocols)
	s.hs.Config.Protocols.SetHTTP1(true)
	s.hs.Config.Protocols.SetUnencryptedHTTP2(true)
	s.hs.Start()
	s.URL = "https://" + s.tls.Addr().String()
	return s
}

// Close shuts the server down, blocking until its requests end.
func (s *Server) Close() {
	s.hs.Close()
	if s.tls != nil {
		s.tls.shutdown()
	}
}

// Catalog returns the server's catalogue, to find ids of items that
// exist.
func (s *Server) Catalog() *Catalog { return s.cat }

// Mode returns the app mode the server emulates.
func (s *Server) Mode() Mode { return s.cfg.mode }

// now reads the server's clock.
func (s *Server) now() time.Time { return s.cfg.now() }

// serveHTTP routes one request, injects the fault it drew (faults.go),
// answers it and records what was served.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := s.now()
	stream := streamOf(r)
	rt, params, allowed := s.router.match(r.Method, r.URL.Path)
	// The record is made when the status is decided, before any byte of
	// the answer leaves, so that a client that has its answer sees it in
	// the counters.
	record := func(fault FaultKind) func(int) {
		return func(status int) { s.counters.recordFault(rt, r.Method, status, arrived, fault) }
	}
	answer := func(w http.ResponseWriter, onStatus func(int)) int {
		rec := &statusWriter{ResponseWriter: w, onStatus: onStatus}
		s.answer(rec, r, rt, params, allowed)
		return rec.statusOr200()
	}
	if p, ok := s.faults.pick(rt); ok {
		s.serveFault(p, w, r, stream, answer, record(p.Kind))
		return
	}
	answer(w, record(0))
}

// answer authenticates a request, applies the rate limit (ratelimit.go)
// and runs the route's handler.
func (s *Server) answer(rec http.ResponseWriter, r *http.Request, rt *route, params, allowed []string) {
	if rt == nil {
		if len(allowed) > 0 {
			rec.Header().Set("Allow", strings.Join(allowed, ", "))
			writeAPIError(rec, http.StatusMethodNotAllowed, "Method not allowed")
			return
		}
		writeAPIError(rec, http.StatusNotFound, "Service not found")
		return
	}
	c := &call{s: s, w: rec, r: r, rt: rt, params: params, q: r.URL.Query(), base: s.baseURL(r)}
	if !rt.public {
		tok, status, msg := s.accounts.authenticate(r, s.now())
		if status != 0 {
			rec.Header().Set("WWW-Authenticate", `Bearer realm="spotify", error="invalid_token", error_description="`+msg+`"`)
			writeAPIError(rec, status, msg)
			return
		}
		c.tok = tok
		if !s.limiter.admit(rec, tok.app, s.now()) {
			return
		}
	}
	if rt.extended && s.cfg.mode == DevelopmentMode {
		writeAPIError(rec, http.StatusForbidden, "Forbidden")
		return
	}
	rt.h(c)
}

// baseURL returns the scheme and host the client used, the root of every
// href in the answer. (An HTTP/2 request reaches net/http as if without
// TLS, through an h2conn: the scheme is the server's.)
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if s.cfg.protocol.tls() {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// statusWriter remembers the status a handler wrote, and calls onStatus
// (when set) once, as soon as the status is decided.
type statusWriter struct {
	http.ResponseWriter
	status   int
	onStatus func(int)
}

func (w *statusWriter) decide(code int) {
	w.status = code
	if w.onStatus != nil {
		w.onStatus(code)
	}
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.decide(code)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.decide(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// statusOr200 returns the status, deciding 200 when the handler wrote
// nothing (net/http sends 200 when it returns).
func (w *statusWriter) statusOr200() int {
	if w.status == 0 {
		w.decide(http.StatusOK)
	}
	return w.status
}

// Unwrap lets an http.ResponseController made by a handler reach the
// writer underneath (Flush, deadlines). The fault injection does not need
// it: it flushes and cuts the connection on the server's own writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
