package spotifytest

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Fault injection: a FaultPlan makes some requests of a route fail in a
// chosen way, by probability (drawn from a seeded generator, so a
// sequential test sees the same faults on every run), on a count, or in
// bursts. Install plans with [WithFaults] or [Server.InjectFaults]; each
// injected fault is recorded in [Server.Served] (the Fault field) and
// counted by [Server.Faults].
//
// A connection the server cuts before any response byte (FaultResetBefore,
// FaultResetAfter) is one net/http's Transport may resend on its own when
// the request is idempotent and the connection was reused; a test that
// wants to see the transport error uses a client without keep-alives.
//
// Over HTTP/2 ([WithProtocol]) the faults keep their meaning, at the level
// of the request's stream: a reset is RST_STREAM INTERNAL_ERROR on the
// stream (or, with [FaultPlan.WholeConnection], a TCP reset of the whole
// connection), and a truncation sends half the body and then resets the
// stream. Two faults exist for HTTP/2: [FaultRefusedStream] and
// [FaultGoAway].

// FaultKind is a kind of injected fault.
type FaultKind uint8

const (
	// Fault429 answers 429 {"error":{"status":429,"message":"API rate
	// limit exceeded"}} with Retry-After (the plan's, the server's
	// [WithRetryAfter], or "1"), without running the handler.
	Fault429 FaultKind = iota + 1
	// Fault500 answers 500 without running the handler.
	Fault500
	// Fault502 answers 502 without running the handler.
	Fault502
	// Fault503 answers 503 without running the handler.
	Fault503
	// FaultResetBefore cuts the connection before the handler runs: the
	// request was not applied and no response byte is sent. Served
	// records status 0.
	FaultResetBefore
	// FaultResetAfter runs the handler (Served records the status it
	// answered), then cuts the connection before any response byte: the
	// request was applied but the client cannot know.
	FaultResetAfter
	// FaultLatency waits the plan's Delay (default 100 ms) before the
	// request is served normally.
	FaultLatency
	// FaultSlowBody sends the headers at once, then the body in chunks
	// of Chunk bytes (default 64) with a pause of Delay (default 1 ms)
	// after each.
	FaultSlowBody
	// FaultTruncate sends the headers with the full Content-Length and
	// half the body, then closes the connection: the HTTP framing breaks
	// and the client's read of the body fails (io.ErrUnexpectedEOF).
	FaultTruncate
	// FaultMalformedJSON answers a well-framed 200 whose body is not
	// valid JSON (the first half of the handler's answer).
	FaultMalformedJSON
	// FaultRefusedStream refuses the request's HTTP/2 stream before the
	// handler runs (RST_STREAM REFUSED_STREAM): the request was not
	// applied, and the client knows it (RFC 9113 §8.7), so net/http sends
	// it again on its own when it can rewind the body. Served records
	// status 0. HTTP/1.1 cannot refuse a request: there it is
	// FaultResetBefore.
	FaultRefusedStream
	// FaultGoAway serves the request, then drains its connection. Over
	// HTTP/2 the server sends GOAWAY (NO_ERROR) naming the last stream it
	// took, finishes the streams it took and closes the connection; the
	// streams the client opened that it had not taken yet are not
	// processed, and the client sends them again on another connection.
	// Over HTTP/1.1 the answer carries "Connection: close".
	FaultGoAway
)

var faultNames = [...]string{"", "Fault429", "Fault500", "Fault502", "Fault503", "FaultResetBefore",
	"FaultResetAfter", "FaultLatency", "FaultSlowBody", "FaultTruncate", "FaultMalformedJSON",
	"FaultRefusedStream", "FaultGoAway"}

// String returns the constant's name ("FaultTruncate"), or "" for no
// fault.
func (k FaultKind) String() string {
	if int(k) < len(faultNames) {
		return faultNames[k]
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// FaultPlan says which requests get which fault. The zero value of every
// field but Kind is a usable default.
type FaultPlan struct {
	// Route is the route the plan applies to: a template with its method
	// ("GET /v1/albums/{id}"), a template alone ("/v1/albums/{id}": every
	// method), or "" for every /v1 route (the accounts service is faulted
	// only when named: "POST /api/token").
	Route string
	// Kind is the fault.
	Kind FaultKind
	// Probability is the chance, in 0..1, that a matching request gets
	// the fault (0 means 1: every matching request).
	Probability float64
	// Seed seeds the generator of the draws (0: derived from the
	// server's seed and the plan's position).
	Seed int64
	// After lets the first After matching requests through untouched. A
	// request counts for a plan only when it reaches it: one that an
	// earlier plan (see [Server.InjectFaults] for the order) faulted does
	// not count for the later ones.
	After int
	// Count is how many times the plan fires, then it is spent (0: no
	// limit). A burst counts each of its requests.
	Count int
	// Burst makes each firing a burst: the fault also hits the next
	// Burst-1 matching requests, without a draw (0 or 1: single faults).
	Burst int
	// Delay is FaultLatency's wait and FaultSlowBody's pause.
	Delay time.Duration
	// Chunk is FaultSlowBody's chunk size in bytes.
	Chunk int
	// RetryAfter is Fault429's Retry-After (0: the server's).
	RetryAfter time.Duration
	// WholeConnection makes FaultResetBefore and FaultResetAfter over
	// HTTP/2 drop the whole connection with a TCP reset, failing every
	// request on it, instead of resetting the request's stream. (An
	// HTTP/1.1 connection carries one request at a time: they always drop
	// it.)
	WholeConnection bool
}

// plan is an installed FaultPlan and its state.
type plan struct {
	FaultPlan
	match     func(*route) bool
	rng       *rand.Rand
	seen      int // matching requests so far
	fired     int // faults injected so far
	burstLeft int // requests left in the current burst
}

// faults holds the installed plans.
type faults struct {
	n     atomic.Int32 // len(plans), read without the lock
	mu    sync.Mutex
	plans []*plan
}

// WithFaults installs fault plans at construction (see
// [Server.InjectFaults]).
func WithFaults(plans ...FaultPlan) Option {
	return func(c *config) {
		for _, p := range plans {
			validatePlan(p)
		}
		c.faults = append(c.faults, plans...)
	}
}

// validatePlan panics on a plan that cannot work.
func validatePlan(p FaultPlan) {
	switch {
	case p.Kind < Fault429 || p.Kind > FaultGoAway:
		panic(fmt.Sprintf("spotifytest: FaultPlan: unknown kind %v", p.Kind))
	case p.Probability < 0 || p.Probability > 1:
		panic(fmt.Sprintf("spotifytest: FaultPlan: probability %v outside 0..1", p.Probability))
	case p.After < 0 || p.Count < 0 || p.Burst < 0 || p.Delay < 0 || p.Chunk < 0 || p.RetryAfter < 0:
		panic(fmt.Sprintf("spotifytest: FaultPlan: negative field in %+v", p))
	}
}

// InjectFaults installs fault plans besides those already there. For each
// request, the plans are tried in the order they were installed and the
// first that fires decides the fault. It panics on an invalid plan or a
// route the server does not serve.
func (s *Server) InjectFaults(plans ...FaultPlan) {
	for _, p := range plans {
		validatePlan(p)
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	added := make([]*plan, len(plans))
	for i, p := range plans { // may panic: install all or none
		added[i] = s.newPlan(p, len(s.faults.plans)+i)
	}
	s.faults.plans = append(s.faults.plans, added...)
	s.faults.n.Store(int32(len(s.faults.plans)))
}

// ClearFaults removes every fault plan.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.plans = nil
	s.faults.n.Store(0)
	s.faults.mu.Unlock()
}

func (s *Server) newPlan(p FaultPlan, pos int) *plan {
	seed := p.Seed
	if seed == 0 {
		seed = s.cfg.seed*1_000_003 + int64(pos) + 1
	}
	pl := &plan{FaultPlan: p, rng: rand.New(rand.NewPCG(uint64(seed), 0x5eed_fa17))}
	switch {
	case p.Route == "":
		pl.match = func(r *route) bool { return strings.HasPrefix(r.pattern, "/v1/") }
	case strings.HasPrefix(p.Route, "/"):
		pl.match = func(r *route) bool { return r.pattern == p.Route }
	default:
		pl.match = func(r *route) bool { return r.name == p.Route }
	}
	for _, r := range s.router.routes {
		if pl.match(r) {
			return pl
		}
	}
	panic(fmt.Sprintf("spotifytest: FaultPlan: no route %q", p.Route))
}

// pick returns the fault a request of rt gets, if any.
func (f *faults) pick(rt *route) (FaultPlan, bool) {
	if rt == nil || f.n.Load() == 0 {
		return FaultPlan{}, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.plans {
		if !p.match(rt) || (p.Count > 0 && p.fired >= p.Count) {
			continue
		}
		p.seen++
		if p.seen <= p.After {
			continue
		}
		if p.burstLeft > 0 {
			p.burstLeft--
		} else if p.Probability > 0 && p.Probability < 1 && p.rng.Float64() >= p.Probability {
			continue
		} else if p.Burst > 1 {
			p.burstLeft = p.Burst - 1
		}
		p.fired++
		return p.FaultPlan, true
	}
	return FaultPlan{}, false
}

// serveFault answers a request that drew the fault p. answer serves the
// request normally into the writer it is given, calling onStatus when the
// status is decided, and returns the status. record notes what was
// served (status 0 when no answer was sent); serveFault calls it before
// the client can see the end of the answer.
func (s *Server) serveFault(p FaultPlan, w http.ResponseWriter, r *http.Request, st h2stream,
	answer func(w http.ResponseWriter, onStatus func(int)) int, record func(status int)) {
	switch p.Kind {
	case Fault429:
		ra := p.RetryAfter
		if ra == 0 {
			ra = s.limiter.retryAfter(time.Second)
		}
		record(http.StatusTooManyRequests)
		w.Header().Set("Retry-After", formatSeconds(ra))
		writeAPIError(w, http.StatusTooManyRequests, rateLimitMessage)
		return
	case Fault500, Fault502, Fault503:
		status, msg := http.StatusInternalServerError, "Server error"
		switch p.Kind {
		case Fault502:
			status, msg = http.StatusBadGateway, "Bad gateway"
		case Fault503:
			status, msg = http.StatusServiceUnavailable, "Service unavailable"
		}
		record(status)
		writeAPIError(w, status, msg)
		return
	case FaultResetBefore:
		record(0)
		st.cut(w, p.WholeConnection)
		return
	case FaultRefusedStream:
		record(0)
		if st.conn != nil {
			st.conn.refuseStream(st.id)
		}
		st.cut(w, false) // h2conn turns the stream's reset into a refusal
		return
	case FaultGoAway:
		// net/http's HTTP/2 server takes "Connection: close" on an answer
		// as the start of a graceful shutdown of the connection: GOAWAY.
		w.Header().Set("Connection", "close")
		answer(w, record)
		return
	case FaultLatency:
		sleep(r.Context(), orDefault(p.Delay, 100*time.Millisecond))
		answer(w, record)
		return
	}
	b := &bufferedResponse{h: http.Header{}}
	status := answer(b, nil) // answer's statusWriter decides the status
	switch p.Kind {
	case FaultResetAfter:
		record(status)
		st.cut(w, p.WholeConnection)
	case FaultSlowBody:
		record(status)
		maps.Copy(w.Header(), b.h)
		w.WriteHeader(status)
		chunk := p.Chunk
		if chunk == 0 {
			chunk = 64
		}
		rc := http.NewResponseController(w)
		for body := b.body.Bytes(); len(body) > 0; {
			n := min(chunk, len(body))
			if _, err := w.Write(body[:n]); err != nil {
				break
			}
			if body = body[n:]; len(body) == 0 {
				break
			}
			_ = rc.Flush()
			if !sleep(r.Context(), orDefault(p.Delay, time.Millisecond)) {
				break
			}
		}
	case FaultTruncate:
		record(status)
		body := b.body.Bytes()
		if r.ProtoMajor == 2 {
			// Half the body, then a reset of the stream (the server's
			// END_STREAM never comes).
			maps.Copy(w.Header(), b.h)
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(status)
			_, _ = w.Write(body[:len(body)/2])
			_ = http.NewResponseController(w).Flush()
			st.cut(w, false)
		}
		var head bytes.Buffer
		fmt.Fprintf(&head, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
		b.h.Set("Content-Length", strconv.Itoa(len(body)))
		b.h.Del("Connection")
		_ = b.h.Write(&head)
		head.WriteString("\r\n")
		head.Write(body[:len(body)/2])
		hijackCut(w, head.Bytes())
	case FaultMalformedJSON:
		body := b.body.Bytes()
		bad := body[:len(body)/2] // a proper prefix of a JSON text is never JSON
		if len(bytes.TrimSpace(bad)) == 0 {
			bad = []byte(`{"error":`)
		}
		record(http.StatusOK)
		maps.Copy(w.Header(), b.h)
		// The validators describe the good body: a client's cache would
		// store the broken one under them and revalidate it into 304s,
		// making one fault permanent.
		w.Header().Del("ETag")
		w.Header().Del("Cache-Control")
		writeJSON(w, http.StatusOK, bad)
	}
}

// cut drops the request's answer before any byte of it leaves (or after
// the bytes already flushed). Over HTTP/2 it resets the request's stream
// (net/http sends RST_STREAM INTERNAL_ERROR for a handler that panics with
// http.ErrAbortHandler), or with whole the whole connection; over
// HTTP/1.1 it closes the connection with a reset.
func (st h2stream) cut(w http.ResponseWriter, whole bool) {
	if whole && st.conn != nil {
		st.conn.reset()
	}
	hijackCut(w, nil)
}

// hijackCut takes the connection from net/http, writes raw (when any) and
// closes it; with nothing to write it closes with a reset (RST), as a
// dropped connection looks. A connection that cannot be taken (HTTP/2)
// has the request's stream reset.
func hijackCut(w http.ResponseWriter, raw []byte) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil { // not hijackable (HTTP/2): make net/http abort the answer
		panic(http.ErrAbortHandler)
	}
	if len(raw) > 0 {
		_, _ = conn.Write(raw)
	} else if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// bufferedResponse collects an answer so that a fault can send it
// differently. The status is the one answer returns (its statusWriter
// sees every WriteHeader and Write first).
type bufferedResponse struct {
	h    http.Header
	body bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.h }
func (b *bufferedResponse) WriteHeader(int)             {}
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }

// Faults returns how many faults of each kind the server injected on
// route, named as for [Server.Requests] but for "", which here counts
// every route (no fault is injected into an unmatched request).
func (s *Server) Faults(route string) map[FaultKind]int {
	match := func(servedRec) bool { return true }
	if route != "" {
		match = s.counters.routeFilter(route)
	}
	out := map[FaultKind]int{}
	s.counters.tally(match, func(r servedRec) {
		if r.fault != 0 {
			out[FaultKind(r.fault)]++
		}
	})
	return out
}
