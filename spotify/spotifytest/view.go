package spotifytest

import (
	"net/url"
	"strconv"
	"strings"
)

// view writes one answer: a JSON writer plus what the objects' shapes
// depend on (the catalogue, the request's base URL, the market, the mode).
type view struct {
	*jw
	cat    *Catalog
	base   string // "http://127.0.0.1:port"; hrefs are base+"/v1/..."
	market int    // position in markets of the market parameter, or -1
	mode   Mode
}

// dev reports whether the answer is for a Development Mode app, whose
// objects lack the fields Spotify removed for such apps in February 2026:
// available_markets, linked_from and popularity of tracks; album_group,
// available_markets, label and popularity of albums; followers and
// popularity of artists; available_markets and publisher of shows;
// available_markets of audiobooks and chapters and publisher of
// audiobooks. external_ids stays: Spotify restored it in March 2026. The
// writers leave them out, so every route answers alike; GET /me leaves
// out the private user fields (handlers_me.go).
func (v *view) dev() bool { return v.mode == DevelopmentMode }

// apiPath returns the API path of an item, "/v1/albums/<id>".
func apiPath(k kind, id string) string {
	switch k {
	case kCategory:
		return "/v1/browse/categories/" + id
	}
	return "/v1/" + string(k.Kind()) + "s/" + id
}

// ref writes the fields every catalogue object shares: external_urls,
// href, id, type and uri (with the web and URI kind of audiobooks and
// chapters being show and episode, as Spotify's answers have it).
// The strings are written in parts (jw.strcat): the most frequent writer
// of every answer allocates nothing.
func (v *view) ref(k kind, id string) {
	u := string(uriKind(k))
	v.k("external_urls")
	v.obj()
	v.kscat("spotify", "https://open.spotify.com/", u, "/", id)
	v.objEnd()
	if k == kCategory { // as apiPath
		v.kscat("href", v.base, "/v1/browse/categories/", id)
	} else {
		v.kscat("href", v.base, "/v1/", string(k.Kind()), "s/", id)
	}
	v.ks("id", id)
	v.ks("type", string(k.Kind()))
	v.kscat("uri", "spotify:", u, ":", id)
}

// followers writes "followers":{"href":null,"total":n}.
func (v *view) followers(n int) {
	v.k("followers")
	v.obj()
	v.kn("href")
	v.ki("total", n)
	v.objEnd()
}

// Image sets: sizes and the size codes of Spotify's image URLs
// (i.scdn.co/image/<prefix><code><24 hex>, the hex shared by the sizes).
type imageSize struct {
	w, h int
	code string
}

var (
	coverSizes  = imageSet{"ab67616d0000", []imageSize{{640, 640, "b273"}, {300, 300, "1e02"}, {64, 64, "4851"}}}
	artistSizes = imageSet{"ab6761610000", []imageSize{{640, 640, "e5eb"}, {320, 320, "5174"}, {160, 160, "f178"}}}
)

type imageSet struct {
	prefix string
	sizes  []imageSize
}

// images writes "images":[...] with one image per size, URLs drawn from x.
func (v *view) images(x uint64, set imageSet) {
	hex := hex40(x)[:24]
	v.k("images")
	v.arr()
	for _, sz := range set.sizes {
		v.obj()
		v.ki("height", sz.h)
		v.kscat("url", "https://i.scdn.co/image/", set.prefix, sz.code, hex)
		v.ki("width", sz.w)
		v.objEnd()
	}
	v.arrEnd()
}

// kv is a query parameter of a paging href.
type kv struct{ k, v string }

// pageSpec describes the hrefs of a paging object: path?pre&offset=&limit=&post.
type pageSpec struct {
	path      string
	pre, post []kv
	// maxOffset, when positive, is the largest offset a next link may
	// carry (search: 1,000).
	maxOffset int
}

func (p *pageSpec) href(base string, offset, limit int) string {
	var b strings.Builder
	b.WriteString(base)
	b.WriteString(p.path)
	b.WriteByte('?')
	for _, q := range p.pre {
		b.WriteString(q.k + "=" + url.QueryEscape(q.v) + "&")
	}
	b.WriteString("offset=" + strconv.Itoa(offset) + "&limit=" + strconv.Itoa(limit))
	for _, q := range p.post {
		b.WriteString("&" + q.k + "=" + url.QueryEscape(q.v))
	}
	return b.String()
}

// page writes an offset paging object {href, items, limit, next, offset,
// previous, total}; item writes entry i for i in [offset, offset+limit)
// within total.
func (v *view) page(p pageSpec, offset, limit, total int, item func(i int)) {
	v.obj()
	v.ks("href", p.href(v.base, offset, limit))
	v.k("items")
	v.arr()
	for i := offset; i < total && i < offset+limit; i++ {
		item(i)
	}
	v.arrEnd()
	v.ki("limit", limit)
	v.k("next")
	if next := offset + limit; next < total && (p.maxOffset <= 0 || next <= p.maxOffset) {
		v.str(p.href(v.base, next, limit))
	} else {
		v.null()
	}
	v.ki("offset", offset)
	v.k("previous")
	if offset > 0 {
		v.str(p.href(v.base, max(0, offset-limit), limit))
	} else {
		v.null()
	}
	v.ki("total", total)
	v.objEnd()
}

// cursorPage writes a cursor paging object {href, items, limit, next,
// cursors{after, before}, total}. The hrefs carry pre and the cursor
// parameter; after is "" for none (null), before "" for none (left out,
// as in Spotify's answers).
func (v *view) cursorPage(path string, pre []kv, limit, total int, after, before string, items func()) {
	href := func(extra ...kv) string {
		var b strings.Builder
		b.WriteString(v.base + path + "?")
		for _, q := range append(append([]kv{}, pre...), extra...) {
			b.WriteString(q.k + "=" + url.QueryEscape(q.v) + "&")
		}
		b.WriteString("limit=" + strconv.Itoa(limit))
		return b.String()
	}
	v.obj()
	v.ks("href", href())
	v.k("items")
	v.arr()
	items()
	v.arrEnd()
	v.ki("limit", limit)
	v.k("next")
	if after != "" {
		v.str(href(kv{"after", after}))
	} else {
		v.null()
	}
	v.k("cursors")
	v.obj()
	v.ksn("after", after)
	if before != "" { // Spotify leaves it out when there is none
		v.ks("before", before)
	}
	v.objEnd()
	v.ki("total", total)
	v.objEnd()
}

// refPage writes {"href":..., "total":n}, the reference to a list that
// simplified objects carry (a simplified playlist's items).
func (v *view) refPage(href string, total int) {
	v.obj()
	v.ks("href", href)
	v.ki("total", total)
	v.objEnd()
}

func itoa(n int) string { return strconv.Itoa(n) }
