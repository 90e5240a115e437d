package spotify

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Every method checks its arguments before it sends anything. Ids,
// markets, page sizes and offsets are checked here, in one place, against
// the operation's entry in the registry (operations.go); a method's own
// rules report through operation.invalid. Either way the error names the
// method and the argument ("spotify: Albums.GetTracks: limit 51 is out of
// range 1..50") and matches ErrInvalidArgument.

// argError is an argument that failed its check; no request was sent. It
// matches ErrInvalidArgument.
type argError struct {
	method string // "Albums.GetTracks"
	msg    string // "limit 51 is out of range 1..50"
}

// Error returns "spotify: Albums.GetTracks: limit 51 is out of range 1..50".
func (e *argError) Error() string { return "spotify: " + e.method + ": " + e.msg }

// Unwrap returns ErrInvalidArgument, for errors.Is.
func (e *argError) Unwrap() error { return ErrInvalidArgument }

// invalid returns the argument error of a call of o.
func (o *operation) invalid(format string, args ...any) error {
	return &argError{method: o.name, msg: fmt.Sprintf(format, args...)}
}

// params collects what one call of an operation sends and checks each
// argument as it is added; the first failure is kept, and call returns it
// instead of a call. A limit of 0 means the operation's default page size
// and an offset of 0 the first item, for every method: page and limit
// send neither (Spotify applies its defaults), pageAlways sends both with
// their default values, for the methods that have always sent them. An
// empty market is not sent.
//
// A params is made by a method and used by it alone: made where the method
// can keep it on its stack (params is small enough to inline), with a
// query map only once a parameter is set (see set), or from the start for
// the operations that page, whose methods may write p.q directly.
type params struct {
	c    *Client
	op   *operation
	args []string // path parameters, in template order
	q    query
	err  error
}

// params starts a call of op with its path parameters, in template order;
// each is checked as an id and named in errors as the template names it
// ("id", "playlist_id").
func (c *Client) params(op *operation, path ...string) *params {
	q, err := op.start(path)
	return &params{c: c, op: op, args: path, q: q, err: err}
}

// start returns the query map a call of o starts with (one for an
// operation that pages, nil for any other) and the first of the path
// parameters, in template order, that fails its check as an id named as
// the template names it ("id", "playlist_id").
func (o *operation) start(path []string) (query, error) {
	var q query
	if o.limitMax > 0 || o.offset {
		q = query{}
	}
	for i, v := range path {
		name := "id"
		if i < len(o.pathNames) {
			name = o.pathNames[i]
		}
		if err := o.checkID(name, v); err != nil {
			return q, err
		}
	}
	return q, nil
}

// set sends k as v, making the query map on the first parameter.
func (p *params) set(k, v string) {
	if p.q == nil {
		p.q = query{}
	}
	p.q[k] = []string{v}
}

// fail keeps err when it is the first failure.
func (p *params) fail(err error) *params {
	if p.err == nil {
		p.err = err
	}
	return p
}

// market sends m as the market when it is set.
func (p *params) market(m string) *params {
	if err := p.op.checkMarket(m); err != nil {
		return p.fail(err)
	}
	return p.str("market", m)
}

// limit sends n as the page size when it is not 0.
func (p *params) limit(n int) *params {
	if err := p.c.checkLimit(p.op, n); err != nil {
		return p.fail(err)
	}
	if n != 0 {
		p.set("limit", strconv.Itoa(n))
	}
	return p
}

// offset sends n as the offset when it is not 0.
func (p *params) offset(n int) *params {
	if err := p.op.checkOffset(n); err != nil {
		return p.fail(err)
	}
	if n != 0 {
		p.set("offset", strconv.Itoa(n))
	}
	return p
}

// page is limit and offset.
func (p *params) page(limit, offset int) *params { return p.limit(limit).offset(offset) }

// pageAlways is page, but sends the operation's default limit for 0, and
// the offset even when it is 0.
func (p *params) pageAlways(limit, offset int) *params {
	p.page(limit, offset)
	if limit == 0 {
		p.set("limit", strconv.Itoa(p.op.limitDefault))
	}
	p.set("offset", strconv.Itoa(offset))
	return p
}

// str sends k when v is not empty.
func (p *params) str(k, v string) *params {
	if v != "" {
		p.set(k, v)
	}
	return p
}

// list sends k as the comma-joined vs when there are any.
func (p *params) list(k string, vs []string) *params {
	if len(vs) > 0 {
		p.set(k, strings.Join(vs, ","))
	}
	return p
}

// call returns the call, or the first argument that failed its check.
func (p *params) call() (*call, error) {
	if p.err != nil {
		return nil, p.err
	}
	return &call{op: p.op, args: p.args, query: url.Values(p.q)}, nil
}

// checkID checks the id argument name of a call of o.
func (o *operation) checkID(name, id string) error {
	if problem := idProblem(id); problem != "" {
		return o.invalid("%s%s", name, problem)
	}
	return nil
}

// checkIDList checks a list of ids (of URIs when uris is set) named name:
// not empty, and each element as checkID (checkURI) would. The index of a
// bad element is named: "ids[3]".
func (o *operation) checkIDList(name string, vs []string, uris bool) error {
	if len(vs) == 0 {
		return o.invalid("%s is empty", name)
	}
	check := idProblem
	if uris {
		check = uriProblem
	}
	for i, v := range vs {
		if problem := check(v); problem != "" {
			return o.invalid("%s[%d]%s", name, i, problem)
		}
	}
	return nil
}

// idProblem says what is wrong with id, as the end of a sentence that
// starts with the argument's name, or "". An id is refused when it is
// blank, "." or "..", a Spotify URI or a URL (a mistake the message helps
// to fix), or holds a comma (Spotify would read two ids). Anything else is
// Spotify's to judge: user and category ids are not all base-62.
func idProblem(id string) string {
	trimmed := strings.TrimSpace(id)
	switch {
	case trimmed == "":
		return " is empty"
	case trimmed == "." || trimmed == "..":
		return fmt.Sprintf(" %q is not an id", id)
	case hasPrefixFold(trimmed, "spotify:"):
		return fmt.Sprintf(" %q is a Spotify URI, not an id%s", id, passInstead(trimmed[strings.LastIndexByte(trimmed, ':')+1:]))
	case hasPrefixFold(trimmed, "https://") || hasPrefixFold(trimmed, "http://"):
		last := ""
		if u, err := url.Parse(trimmed); err == nil {
			segs := strings.Split(strings.Trim(u.Path, "/"), "/")
			last = segs[len(segs)-1]
		}
		return fmt.Sprintf(" %q is a URL, not an id%s", id, passInstead(last))
	case strings.Contains(id, ","):
		return fmt.Sprintf(" %q holds a comma, which Spotify reads as a separator between ids", id)
	}
	return ""
}

// uriProblem says what is wrong with a URI of a list sent comma-joined in
// the query, or "": blank, or holding a comma.
func uriProblem(uri string) string {
	switch {
	case strings.TrimSpace(uri) == "":
		return " is empty"
	case strings.Contains(uri, ","):
		return fmt.Sprintf(" %q holds a comma, which Spotify reads as a separator between URIs", uri)
	}
	return ""
}

// passInstead suggests the id to pass, when there is one.
func passInstead(id string) string {
	if id == "" {
		return ""
	}
	return fmt.Sprintf(": pass %q", id)
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// checkURIs checks the URIs argument of a call of o: not empty, no blank
// element; inQuery adds no comma inside one, for a list sent comma-joined
// in the query. Long lists are chunked by the caller, not rejected.
func (o *operation) checkURIs(uris []string, inQuery bool) error {
	if inQuery {
		return o.checkIDList("uris", uris, true)
	}
	if len(uris) == 0 {
		return o.invalid("uris is empty")
	}
	for i, u := range uris {
		if strings.TrimSpace(u) == "" {
			return o.invalid("uris[%d] is empty", i)
		}
	}
	return nil
}

// checkMarket checks a market: "" (not sent), a two-letter ISO 3166-1
// alpha-2 country code, or "from_token" (the user's country).
func (o *operation) checkMarket(m string) error {
	if m == "" || m == "from_token" || (len(m) == 2 && isASCIILetter(m[0]) && isASCIILetter(m[1])) {
		return nil
	}
	return o.invalid(`market %q is neither a two-letter country code (ISO 3166-1 alpha-2) nor "from_token"`, m)
}

func isASCIILetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

// checkLimit checks a page size for o: 0 (not sent) or within o's range.
// The range is the spec's, widened to the one Extended Quota Mode apps
// keep unless c is set to DevelopmentMode.
func (c *Client) checkLimit(o *operation, n int) error {
	if n == 0 {
		return nil
	}
	if o.limitMax == 0 {
		return o.invalid("limit %d is not a parameter of this call", n)
	}
	hi := o.limitMax
	devMode := c.appMode() == DevelopmentMode
	if o.limitMaxExtended > 0 && !devMode {
		hi = o.limitMaxExtended
	}
	switch {
	case n >= o.limitMin && n <= hi:
		return nil
	case devMode && n > hi && n <= o.limitMaxExtended:
		return o.invalid("limit %d is over %d, the most a Development Mode app may ask for since February 2026 (Extended Quota Mode apps may ask for %d)",
			n, hi, o.limitMaxExtended)
	}
	return o.invalid("limit %d is out of range %d..%d", n, o.limitMin, hi)
}

// checkOffset checks an offset for o: 0 (not sent), or positive and at
// most o's maximum when it has one.
func (o *operation) checkOffset(n int) error {
	switch {
	case n == 0:
		return nil
	case !o.offset:
		return o.invalid("offset %d is not a parameter of this call", n)
	case o.maxOffset > 0 && (n < 0 || n > o.maxOffset):
		return o.invalid("offset %d is out of range 0..%d", n, o.maxOffset)
	case n < 0:
		return o.invalid("offset %d is negative", n)
	}
	return nil
}

// oneOf checks that v, the argument name of a call of o, is one of valid.
func (o *operation) oneOf(name, v string, valid []string) error {
	for _, ok := range valid {
		if v == ok {
			return nil
		}
	}
	if len(valid) == 1 {
		return o.invalid("%s: %q is not %q", name, v, valid[0])
	}
	return o.invalid("%s: %q is not one of %s", name, v, strings.Join(valid, ", "))
}

// query builds the query of a call; its methods skip unset values, so a
// parameter the caller did not give is not sent and Spotify's default
// applies.
type query map[string][]string

// str sets k when v is not empty.
func (q query) str(k, v string) query {
	if v != "" {
		q[k] = []string{v}
	}
	return q
}

// num sets k to v unconditionally.
func (q query) num(k string, v int) query {
	q[k] = []string{strconv.Itoa(v)}
	return q
}

// jsonKindName names the kind of a JSON value for the messages of an
// answer of the wrong shape.
func jsonKindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return "an invalid value"
}
