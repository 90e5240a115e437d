package spotify

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"strings"

	"github.com/spotifysdk/spotify-go/transport"
	"golang.org/x/sync/errgroup"
)

// Batch gets and the type-specific library routes of Extended Quota apps
// take ids in runs of at most an endpoint's limit. The helpers here split a
// list of any length: reads run their chunks concurrently, within the
// client's concurrency, and put the answers back in input order; writes
// run one chunk after the other and report a part failure as a *ChunkError.

// Spotify's limits of ids per request.
const (
	batchMaxAlbums        = 20
	batchMaxIDs           = 50 // artists, audiobooks, chapters, episodes, shows, tracks
	batchMaxAudioFeatures = 100
)

// batchIDs checks the ids of a call of op: not empty, and each an id (not
// blank, no comma inside, not a URI or a URL). Lists over an endpoint's
// limit are chunked, not rejected.
func batchIDs(op *operation, ids []string) error {
	return op.checkIDList("ids", ids, false)
}

// batchDistinct returns the distinct ids in order of first occurrence, and
// for each input position the index of its id among them.
func batchDistinct(ids []string) (distinct []string, slot []int) {
	seen := make(map[string]int, len(ids))
	slot = make([]int, len(ids))
	for i, id := range ids {
		j, ok := seen[id]
		if !ok {
			j = len(distinct)
			seen[id] = j
			distinct = append(distinct, id)
		}
		slot[i] = j
	}
	return distinct, slot
}

// batchFetch is the read side of a batch (the caller has validated ids):
// it fetches each distinct id once, in chunks of limit, with at most the client's
// concurrency of chunks in flight, and returns one result per input id, in
// input order (a repeated id gets the result of its first occurrence).
// fetch must return one result per id of its chunk, in the chunk's order.
// The first failure cancels the chunks in flight, stops the rest from
// being sent, and is returned.
func batchFetch[R any](ctx context.Context, c *Client, op *operation, limit int, ids []string,
	fetch func(ctx context.Context, chunk []string, throttle *transport.Throttle) ([]R, error)) ([]R, error) {
	if err := c.appModeCheck(op); err != nil {
		return nil, err // once, before any fan-out
	}
	distinct, slot := batchDistinct(ids)
	cs := chunks(distinct, limit)
	got := make([]R, len(distinct))
	var throttle *transport.Throttle // one 429 budget for every chunk
	if len(cs) > 1 {
		throttle = transport.NewThrottle()
	}
	run := func(ctx context.Context, i int) error {
		ch := cs[i]
		rs, err := fetch(ctx, ch, throttle)
		if err != nil {
			return err
		}
		if len(rs) != len(ch) {
			return &DecodeError{Method: op.method, Route: op.path,
				Err: fmt.Errorf("expected %d results (one per id), got %d", len(ch), len(rs))}
		}
		copy(got[i*limit:], rs)
		return nil
	}
	if len(cs) == 1 {
		if err := run(ctx, 0); err != nil {
			return nil, err
		}
	} else {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(max(1, min(c.fam.cfg.concurrency, len(cs))))
		for i := range cs {
			g.Go(func() error {
				// After a failure (or the caller's cancellation) the
				// chunks not yet started are not sent; their error is
				// not the first, so Wait returns the failure.
				if err := gctx.Err(); err != nil {
					return err
				}
				return run(gctx, i)
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
	}
	out := make([]R, len(ids))
	for i, j := range slot {
		out[i] = got[j]
	}
	return out, nil
}

// getSeveral fetches items by id from a batch endpoint whose answer wraps
// the list under key ({"tracks": [...]}), with Spotify's null for an
// unknown id kept as a nil entry. See batchFetch for the chunking.
func getSeveral[T any](ctx context.Context, c *Client, op *operation, key string, limit int, ids []string, market string) ([]*T, error) {
	if err := batchIDs(op, ids); err != nil {
		return nil, err
	}
	if err := op.checkMarket(market); err != nil {
		return nil, err
	}
	extra := marketQuery(market)
	return batchFetch(ctx, c, op, limit, ids, func(ctx context.Context, chunk []string, throttle *transport.Throttle) ([]*T, error) {
		var got []*T
		if _, err := c.callWrapped(ctx, &call{op: op, query: chunkQuery(chunk, extra), throttle: throttle}, key, &got); err != nil {
			return nil, err
		}
		return got, nil
	})
}

// checkSaved asks a /me/{type}/contains endpoint about ids, in chunks of
// limit, and returns one boolean per input id, in input order.
func checkSaved(ctx context.Context, c *Client, op *operation, limit int, ids []string) ([]bool, error) {
	return batchCheck(ctx, c, op, limit, ids, nil)
}

// batchCheck asks a contains endpoint about ids, in chunks of limit, with
// extra (nil for none) in the query of every chunk, and returns one
// boolean per input id, in input order. See batchFetch for the chunking.
func batchCheck(ctx context.Context, c *Client, op *operation, limit int, ids []string, extra url.Values) ([]bool, error) {
	if err := batchIDs(op, ids); err != nil {
		return nil, err
	}
	return batchFetch(ctx, c, op, limit, ids, func(ctx context.Context, chunk []string, throttle *transport.Throttle) ([]bool, error) {
		var got []bool
		if _, err := c.call(ctx, &call{op: op, query: chunkQuery(chunk, extra), throttle: throttle}, &got); err != nil {
			return nil, err
		}
		return got, nil
	})
}

// chunkQuery is the query of one chunk sent with its ids in the query:
// a copy of extra (nil for none) plus the comma-joined ids.
func chunkQuery(chunk []string, extra url.Values) url.Values {
	q := make(url.Values, len(extra)+1)
	maps.Copy(q, extra)
	q.Set("ids", strings.Join(chunk, ","))
	return q
}

// batchBody is the JSON body of a write that takes its ids in the body.
type batchBody struct {
	IDs []string `json:"ids"`
}

// batchWrite saves or removes ids with a type-specific library route, in
// chunks of limit, one after the other (as given: duplicates are sent
// as they are). The ids go in the query, or in a JSON body {"ids": [...]}
// when inBody; market, when set, goes in the query. A failure part-way is
// a *ChunkError naming the ids applied, failed and not sent.
func batchWrite(ctx context.Context, c *Client, op *operation, limit int, ids []string, extra url.Values, inBody bool) error {
	if err := batchIDs(op, ids); err != nil {
		return err
	}
	if err := c.appModeCheck(op); err != nil {
		return err // not a *ChunkError: nothing was sent
	}
	return runChunks(ids, limit, func(_ int, chunk []string, throttle *transport.Throttle) error {
		cl := &call{op: op, throttle: throttle}
		if inBody {
			cl.query, cl.body = maps.Clone(extra), batchBody{IDs: chunk}
		} else {
			cl.query = chunkQuery(chunk, extra)
		}
		_, err := c.call(ctx, cl, nil)
		return err
	})
}

// marketQuery is the extra query of a write that takes a market.
func marketQuery(market string) url.Values {
	return url.Values(query{}.str("market", market))
}
