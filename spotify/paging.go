package spotify

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/spotifysdk/spotify-go/internal/codec"
)

// Page is one page of an offset-paged listing, with Spotify's fields and
// helpers to walk the rest: NextPage fetches the next page, All yields
// every item from this page on.
type Page[T any] struct {
	Href     string `json:"href"`
	Items    []T    `json:"items"`
	Limit    int    `json:"limit"`
	Next     string `json:"next"`
	Offset   int    `json:"offset"`
	Previous string `json:"previous"`
	Total    int    `json:"total"`

	pager pager
}

// Cursors are the positions of a cursor-paged listing.
type Cursors struct {
	After  string `json:"after"`
	Before string `json:"before"`
}

// CursorPage is one page of a cursor-paged listing (recently played,
// followed artists). Recently played walks back in time by `before`;
// followed artists forward by `after`; NextPage and All follow Spotify's
// next link either way.
type CursorPage[T any] struct {
	Href    string  `json:"href"`
	Items   []T     `json:"items"`
	Limit   int     `json:"limit"`
	Next    string  `json:"next"`
	Cursors Cursors `json:"cursors"`
	Total   int     `json:"total"`

	pager pager
}

// errNullPage refuses a page that is JSON null where the model holds a
// page (an album's "tracks", a show's "episodes"): null is no page at all,
// and decoding it as an empty one would lose the items without a word. A
// page that may be absent is a pointer field, which null leaves nil.
var errNullPage = errors.New("the page is null")

// pageFields and cursorPageFields are the pages without their methods, to
// decode the fields.
type (
	pageFields[T any]       Page[T]
	cursorPageFields[T any] CursorPage[T]
)

// UnmarshalJSONFrom decodes a page with the package's codec; a null page
// is an error (see errNullPage).
func (p *Page[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		return errNullPage
	}
	return codec.UnmarshalDecode(dec, (*pageFields[T])(p))
}

// UnmarshalJSONFrom decodes a cursor page; a null page is an error.
func (p *CursorPage[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		return errNullPage
	}
	return codec.UnmarshalDecode(dec, (*cursorPageFields[T])(p))
}

// pager is what a page needs to fetch the next one: the client, the
// operation (for the route and the offset cap) and the key that wraps the
// page in a response ("artists" for followed artists, the type for search).
type pager struct {
	c    *Client
	op   *operation
	wrap string
}

// bind makes p able to fetch its next pages.
func (p *Page[T]) bind(c *Client, op *operation, wrap string) *Page[T] {
	if p != nil {
		p.pager = pager{c: c, op: op, wrap: wrap}
	}
	return p
}

// bind makes p able to fetch its next pages.
func (p *CursorPage[T]) bind(c *Client, op *operation, wrap string) *CursorPage[T] {
	if p != nil {
		p.pager = pager{c: c, op: op, wrap: wrap}
	}
	return p
}

// NextPage fetches the page after p. After the last page it returns
// ErrNoMorePages. A next link that does not point under the client's base
// URL is refused. An answer that holds no page (an empty body, JSON null,
// a 204) is a *DecodeError, never taken for the end.
func (p *Page[T]) NextPage(ctx context.Context) (*Page[T], error) {
	if !p.pager.more(p.Next) {
		return nil, ErrNoMorePages
	}
	var next Page[T]
	if err := p.pager.fetch(ctx, p.Next, &next); err != nil {
		return nil, err
	}
	next.pager = p.pager
	return &next, nil
}

// NextPage fetches the page after p, or returns ErrNoMorePages.
func (p *CursorPage[T]) NextPage(ctx context.Context) (*CursorPage[T], error) {
	if !p.pager.more(p.Next) {
		return nil, ErrNoMorePages
	}
	var next CursorPage[T]
	if err := p.pager.fetch(ctx, p.Next, &next); err != nil {
		return nil, err
	}
	next.pager = p.pager
	return &next, nil
}

// All yields every item from p on, fetching the following pages while the
// current one is consumed (one page ahead). The walk ends on a page
// without a next link, at an endpoint's offset cap (search: 1,000), when
// the loop breaks (which cancels the prefetch), or on an error, which is
// yielded once: an answer that holds no page (an empty body, JSON null, a
// 204) is such an error (a *DecodeError), never the end. It survives an
// empty page that still has a next link; more than ten in a row end it
// with [ErrEmptyPages].
func (p *Page[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return walk(ctx, p, func(pg *Page[T]) []T { return pg.Items }, (*Page[T]).NextPage)
}

// All yields every item from p on; see [Page.All].
func (p *CursorPage[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return walk(ctx, p, func(pg *CursorPage[T]) []T { return pg.Items }, (*CursorPage[T]).NextPage)
}

// maxEmptyPages bounds a run of empty pages that still have a next link,
// so a server that keeps answering empty pages cannot loop All forever.
const maxEmptyPages = 10

// walk is All for any page type: it yields the items of each page while a
// goroutine fetches the next one.
func walk[P any, T any](ctx context.Context, first *P, items func(*P) []T, next func(*P, context.Context) (*P, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		type result struct {
			page *P
			err  error
		}
		var pending chan result
		defer func() {
			cancel()
			if pending != nil {
				<-pending // the prefetch never outlives the loop
			}
		}()
		page, empty := first, 0
		for page != nil {
			cur := page
			pending = make(chan result, 1)
			go func(ch chan result) {
				np, err := next(cur, ctx)
				ch <- result{np, err}
			}(pending)
			its := items(cur)
			for _, it := range its {
				if !yield(it, nil) {
					return
				}
			}
			r := <-pending
			pending = nil
			if r.err == ErrNoMorePages {
				return
			}
			if r.err != nil {
				var zero T
				yield(zero, r.err)
				return
			}
			if len(its) == 0 {
				if empty++; empty > maxEmptyPages {
					// Stopping quietly would pass a cut walk off as a
					// whole one.
					var zero T
					yield(zero, fmt.Errorf("%w: %d, each with a next link", ErrEmptyPages, empty))
					return
				}
			} else {
				empty = 0
			}
			page = r.page
		}
	}
}

// more reports whether next is a link to follow: present, and below the
// operation's offset cap.
func (pg pager) more(next string) bool {
	if next == "" || pg.c == nil {
		return false
	}
	if pg.op != nil && pg.op.maxOffset > 0 {
		if u, err := url.Parse(next); err == nil {
			if off, err := strconv.Atoi(u.Query().Get("offset")); err == nil && off >= pg.op.maxOffset {
				return false
			}
		}
	}
	return true
}

// fetch GETs next into out, unwrapping the operation's key if it has one.
func (pg pager) fetch(ctx context.Context, next string, out any) error {
	_, err := pg.c.callWrapped(ctx, &call{op: pg.op, next: next}, pg.wrap, out)
	return err
}

// getPage runs a call whose answer is a page of T and returns the page,
// bound to cl's operation so that NextPage and All can walk the rest.
func getPage[T any](ctx context.Context, c *Client, cl *call) (*Page[T], error) {
	return getWrappedPage[T](ctx, c, cl, "")
}

// getWrappedPage is getPage for an answer that wraps the page in the
// member key ({"albums": {page}}); "" for none.
func getWrappedPage[T any](ctx context.Context, c *Client, cl *call, key string) (*Page[T], error) {
	var p Page[T]
	if _, err := c.callWrapped(ctx, cl, key, &p); err != nil {
		return nil, err
	}
	return p.bind(c, cl.op, key), nil
}
