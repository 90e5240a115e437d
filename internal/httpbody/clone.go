package httpbody

import (
	"net/http"
	"net/url"
	"reflect"
)

// cloneInline is how many header values a [Clone] holds in the allocation
// of the request itself: a client's request carries one or two
// (User-Agent, and Content-Type with a body), and with room for two the
// request, URL and values fill a 480-byte size class exactly
// (304 + 144 + 32).
const cloneInline = 2

// clonedRequest is a request copy, its URL and room for its header values
// in one allocation.
type clonedRequest struct {
	req  http.Request
	url  url.URL
	vals [cloneInline]string
}

// Clone returns a deep copy of req on the same context, equal to
// req.Clone(req.Context()) field by field and sharing nothing with req that
// a stage could change (URL, Header and the values in it, user info). It
// makes three allocations where Request.Clone makes five: the request, its
// URL and up to two header values share one, and the header map takes
// two. A request with fields this fast path does not copy (Trailer,
// TransferEncoding, forms, path values) gets Request.Clone.
func Clone(req *http.Request) *http.Request {
	if !plainRequest(req) {
		return req.Clone(req.Context())
	}
	c := new(clonedRequest)
	c.req = *req
	if req.URL != nil {
		c.url = *req.URL
		if req.URL.User != nil {
			u := *req.URL.User
			c.url.User = &u
		}
		c.req.URL = &c.url
	}
	c.req.Header, _ = CloneHeader(req.Header, c.vals[:0], "", 0)
	return &c.req
}

// CloneHeader copies h as http.Header.Clone does, leaving out the key omit
// (none when omit is ""), with room in the map for extra more keys. The
// values go into spare while they fit in its capacity (Header.Clone makes
// one new slice for them), and the returned slice holds extra more value
// slots for the caller to fill. A nil h with no extra stays nil.
func CloneHeader(h http.Header, spare []string, omit string, extra int) (http.Header, []string) {
	if h == nil && extra == 0 {
		return nil, nil
	}
	// One pass: the values go into spare while they fit (a request's
	// header has about one value per key, so they usually do); what does
	// not fit gets a slice sized for the keys still to come.
	sv := spare[:cap(spare)]
	h2 := make(http.Header, len(h)+extra)
	left := len(h) // keys not yet copied
	for k, vv := range h {
		left--
		if omit != "" && k == omit {
			continue
		}
		if vv == nil {
			h2[k] = nil // as Header.Clone keeps it
			continue
		}
		if len(vv) > len(sv) {
			sv = make([]string, len(vv)+left+extra)
		}
		n := copy(sv, vv)
		h2[k] = sv[:n:n]
		sv = sv[n:]
	}
	if len(sv) < extra {
		sv = make([]string, extra)
	}
	return h2, sv[:extra:extra]
}

// pathValueFields are the indexes, in http.Request, of the unexported
// fields that hold path values (matches, otherValues), which Request.Clone
// copies and a struct copy would share; nil when this Go version has other
// fields, and then every request takes Request.Clone.
var pathValueFields = func() [][]int {
	t := reflect.TypeFor[http.Request]()
	var idx [][]int
	for _, name := range []string{"matches", "otherValues"} {
		f, ok := t.FieldByName(name)
		if !ok || (f.Type.Kind() != reflect.Slice && f.Type.Kind() != reflect.Map) {
			return nil
		}
		idx = append(idx, f.Index)
	}
	return idx
}()

// plainRequest reports whether req holds nothing beyond what [Clone]
// copies: no Trailer, TransferEncoding, forms or path values.
func plainRequest(req *http.Request) bool {
	if pathValueFields == nil || req.Trailer != nil || req.TransferEncoding != nil ||
		req.Form != nil || req.PostForm != nil || req.MultipartForm != nil {
		return false
	}
	v := reflect.ValueOf(req).Elem()
	for _, i := range pathValueFields {
		if !v.FieldByIndex(i).IsNil() {
			return false
		}
	}
	return true
}
