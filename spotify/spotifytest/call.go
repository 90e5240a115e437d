package spotifytest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// call is one request being answered: the route, its path parameters, the
// query and the token.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	rt     *route
	params []string
	q      url.Values
	base   string // "http://127.0.0.1:port", the root of hrefs
	tok    *token
}

// param returns the path parameter name.
func (c *call) param(name string) string {
	for i, n := range c.rt.names {
		if n == name {
			return c.params[i]
		}
	}
	return ""
}

// fail answers an error in Spotify's shape.
func (c *call) fail(status int, msg string) { writeAPIError(c.w, status, msg) }

// send answers 200 with v's JSON and releases v.
func (c *call) send(v *view) {
	if c.cached(v.b) { // ETag and 304 (cache.go)
		v.free()
		return
	}
	writeJSON(c.w, http.StatusOK, v.b)
	v.free()
}

// writeAPIError writes {"error":{"status":N,"message":"..."}}, the Web
// API's error object.
func writeAPIError(w http.ResponseWriter, status int, msg string) {
	writeAPIErrorReason(w, status, msg, "")
}

// writeAPIErrorReason writes the error object with a reason,
// {"error":{"status":N,"message":"...","reason":"..."}}; no reason key
// when reason is "".
func writeAPIErrorReason(w http.ResponseWriter, status int, msg, reason string) {
	j := newJW()
	j.obj()
	j.k("error")
	j.obj()
	j.ki("status", status)
	j.ks("message", msg)
	if reason != "" {
		j.ks("reason", reason)
	}
	j.objEnd()
	j.objEnd()
	writeJSON(w, status, j.b)
	j.free()
}

// writeOAuthError writes {"error":code,"error_description":desc}, the
// accounts service's error object (RFC 6749 §5.2).
func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	j := newJW()
	j.obj()
	j.ks("error", code)
	j.ks("error_description", desc)
	j.objEnd()
	writeJSON(w, status, j.b)
	j.free()
}

// writeJSON writes a JSON body with its length.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// view starts an answer: a JSON writer that knows the request's base URL,
// market and the app mode. On an invalid market it answers 400 and returns
// nil.
func (c *call) view() *view {
	m := -1
	if raw := strings.TrimSpace(c.q.Get("market")); raw != "" { // an empty market is no market
		code := strings.ToUpper(raw)
		if code == "FROM_TOKEN" {
			code = "US"
		}
		if m = marketIndex(code); m < 0 {
			c.fail(http.StatusBadRequest, "Invalid market code")
			return nil
		}
	}
	return &view{jw: newJW(), cat: c.s.cat, base: c.base, market: m, mode: c.s.cfg.mode}
}

// pageView checks the paging parameters and the market and returns the
// view to write a page with; nil when the request was refused (already
// answered).
func (c *call) pageView(def, maxLimit, maxOffset int) (offset, limit int, v *view) {
	offset, limit, ok := c.page(def, maxLimit, maxOffset)
	if !ok {
		return 0, 0, nil
	}
	return offset, limit, c.view()
}

// page reads offset and limit (limit in 1..maxLimit, default def; offset
// 0..maxOffset when maxOffset > 0). On a bad value it answers 400 and
// returns ok false.
func (c *call) page(def, maxLimit, maxOffset int) (offset, limit int, ok bool) {
	limit, offset = def, 0
	if raw := c.q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxLimit {
			c.fail(http.StatusBadRequest, "Invalid limit")
			return 0, 0, false
		}
		limit = n
	}
	if raw := c.q.Get("offset"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || (maxOffset > 0 && n > maxOffset) {
			c.fail(http.StatusBadRequest, "Invalid offset")
			return 0, 0, false
		}
		offset = n
	}
	return offset, limit, true
}

// ids reads the comma-separated ids parameter of a batch get (at most
// maxIDs). A malformed id answers 400 "invalid id", as Spotify does; an
// id that is well formed but unknown is the caller's null entry.
func (c *call) ids(maxIDs int) ([]string, bool) {
	raw := c.q.Get("ids")
	if strings.TrimSpace(raw) == "" {
		c.fail(http.StatusBadRequest, "Missing required parameter: ids")
		return nil, false
	}
	ids := strings.Split(raw, ",")
	if len(ids) > maxIDs {
		c.fail(http.StatusBadRequest, "Too many ids requested")
		return nil, false
	}
	for i, id := range ids {
		ids[i] = strings.TrimSpace(id)
		if !wellFormed(ids[i]) {
			c.fail(http.StatusBadRequest, "invalid id")
			return nil, false
		}
	}
	return ids, true
}

// item resolves the path parameter name to an item of kind k: 400 for a
// malformed id, 404 for an unknown one.
func (c *call) item(k kind, name string) (int, bool) {
	id := c.param(name)
	if !wellFormed(id) {
		c.fail(http.StatusBadRequest, "invalid id")
		return 0, false
	}
	i, ok := c.s.cat.lookup(k, id)
	if !ok {
		c.fail(http.StatusNotFound, "Resource not found")
		return 0, false
	}
	return i, true
}
