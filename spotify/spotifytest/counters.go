package spotifytest

import (
	"strings"
	"sync"
	"time"
)

// Served is one request the server answered.
type Served struct {
	// Method is the request's method.
	Method string
	// Route is the route template that matched, "GET /v1/albums/{id}",
	// or "" when no route matched (a 404 or 405).
	Route string
	// Status is the status the server answered.
	Status int
	// At is when the request arrived, by the server's clock.
	At time.Time
	// Fault is the fault injected into the answer, or 0 (see
	// [FaultPlan]). Status is 0 when no answer was sent.
	Fault FaultKind
}

// servedRec is the compact form of a Served: 16 bytes, so a million
// requests cost 16 MB.
type servedRec struct {
	at     int64 // Unix nanoseconds
	route  int32 // route id, or -1
	status int16
	method uint8 // index in methods
	fault  uint8 // FaultKind, or 0
}

var methods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "OTHER"}

func methodCode(m string) uint8 {
	for i, x := range methods {
		if x == m {
			return uint8(i)
		}
	}
	return uint8(len(methods) - 1)
}

// counters records what the server served.
type counters struct {
	rt *router

	mu  sync.Mutex
	log []servedRec
}

func newCounters(rt *router) *counters { return &counters{rt: rt} }

// recordFault notes a served request into which fault was injected (0:
// none); r is nil for an unmatched one.
func (c *counters) recordFault(r *route, method string, status int, at time.Time, fault FaultKind) {
	rec := servedRec{at: at.UnixNano(), route: -1, status: int16(status), method: methodCode(method), fault: uint8(fault)}
	if r != nil {
		rec.route = int32(r.id)
	}
	c.mu.Lock()
	c.log = append(c.log, rec)
	c.mu.Unlock()
}

func (c *counters) expand(rec servedRec) Served {
	s := Served{Method: methods[rec.method], Status: int(rec.status), At: time.Unix(0, rec.at), Fault: FaultKind(rec.fault)}
	if rec.route >= 0 {
		s.Route = c.rt.routes[rec.route].name
	}
	return s
}

// tally calls f with each record of the log that match accepts, in log
// order, under the lock: the one scan behind Requests, Statuses and
// Faults.
func (c *counters) tally(match func(servedRec) bool, f func(servedRec)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.log {
		if match(r) {
			f(r)
		}
	}
}

// routeFilter returns a predicate for a route given as "METHOD /pattern",
// "/pattern" (every method) or "" (unmatched requests: the meaning of ""
// for Requests and Statuses; Faults reads "" as every route).
func (c *counters) routeFilter(route string) func(servedRec) bool {
	if route == "" {
		return func(r servedRec) bool { return r.route < 0 }
	}
	ids := map[int32]bool{}
	for _, r := range c.rt.routes {
		if r.name == route || (strings.HasPrefix(route, "/") && r.pattern == route) {
			ids[int32(r.id)] = true
		}
	}
	return func(r servedRec) bool { return ids[r.route] }
}

// Requests returns how many requests the server answered on route: a
// template with its method ("GET /v1/albums/{id}"), a template alone
// ("/v1/albums/{id}": every method), or "" for the requests no route
// matched. Every answer counts, errors included.
func (s *Server) Requests(route string) int {
	n := 0
	s.counters.tally(s.counters.routeFilter(route), func(servedRec) { n++ })
	return n
}

// Statuses returns how many answers of each status the server sent on
// route (named as for Requests: "" counts the unmatched requests).
func (s *Server) Statuses(route string) map[int]int {
	out := map[int]int{}
	s.counters.tally(s.counters.routeFilter(route), func(r servedRec) { out[int(r.status)]++ })
	return out
}

// Served returns every request answered so far, in the order the answers
// were completed (arrival times may interleave under concurrency).
func (s *Server) Served() []Served {
	s.counters.mu.Lock()
	defer s.counters.mu.Unlock()
	out := make([]Served, len(s.counters.log))
	for i, r := range s.counters.log {
		out[i] = s.counters.expand(r)
	}
	return out
}

// ResetCounters forgets what was served so far: the requests and the
// per-item counts of [Server.TimesServed].
func (s *Server) ResetCounters() {
	s.counters.mu.Lock()
	s.counters.log = nil
	s.counters.mu.Unlock()
	s.served.reset()
}

// Routes returns the route templates the server serves, "METHOD
// /pattern", in table order.
func (s *Server) Routes() []string {
	names := make([]string, len(s.router.routes))
	for i, r := range s.router.routes {
		names[i] = r.name
	}
	return names
}
