// Package cache holds the response store behind the cache stage of the
// spotify-go chain: the [Store] interface, the [Key], [Entry] and
// [Invalidation] it deals in, and an [LRU] store bounded by entries and
// bytes, built on hashicorp/golang-lru/v2.
//
// Entries belong to a principal (the user or app whose data they are): the
// cache stage keys every entry by it ([Key.Principal]), so one user's
// responses never reach another. Writes drop entries by path, for every
// principal: a write to "/v1/playlists/x/items" drops "/v1/playlists/x",
// "/v1/playlists/x/items" and "/v1/playlists/x/items?offset=50" for
// everyone.
//
// # Implementing a Store
//
// The cache stage (middleware.Cache) is the only caller. It decides what is
// fresh, what may be stored and what a write touches; a store keeps entries
// and drops them. An implementation must behave as follows.
//
//   - Concurrency. Every method is safe for concurrent use.
//   - Contexts and errors. Every method takes the call's context; a store
//     that waits (on a network, say) gives up when it ends. An error never
//     fails a request: the stage treats a failed Get as a miss and a failed
//     Put, Delete or Invalidate as skipped, and records it (a debug line on
//     its logger). Invalidate is called with a context that does not end
//     with the call (a write the caller gave up on may still have been
//     applied), so a store must bound its own waits and fail fast when it
//     cannot reach its backend. A failed Invalidate leaves behind entries
//     that are served while they are fresh: fail it only when they may
//     truly still be there.
//   - Get returns (nil, false, nil) on a miss. The *Entry it returns is
//     shared: the stage never changes it, and the store must not change it
//     after returning it (a networked store decodes a new one each time).
//   - Put replaces the entry under the key. A store may decline to keep an
//     entry, or drop any entry later (bounds, expiries) without telling
//     anyone: the stage checks freshness itself, so an entry kept beyond its
//     max-age is still useful (it is revalidated with its ETag). The entry's
//     Path decides which invalidations drop it; it must be kept with it.
//   - Invalidate(inv) drops, for every principal, the entries whose Path
//     inv drops ([Invalidation.Drops]). Once it returned nil, no Get returns
//     an entry that was stored before it was called and that it drops. An
//     entry stored while it runs may survive it: the stage does not store
//     an answer whose request overlapped a write to its path made through
//     the same stage. Its cost must not grow with the entries it keeps:
//     invalidation runs on every write, and a scan of the whole store would
//     make a large or networked store impractical.
//
// There are two ways to find the dropped entries without a scan:
//
//   - An index by path, as [LRU] does: a tree of path segments whose nodes
//     hold the keys stored at exactly their path. Invalidate visits the
//     written path's ancestors (dropping the entries at exactly each) and
//     the subtree below it (dropping all of it): O(depth + dropped).
//   - Generations, which suit a networked store: every path node has two
//     counters, one for the subtree below it ("tree") and one for the node
//     alone ("self"). Invalidate(inv) increments tree(inv.Path), self(a)
//     for every proper ancestor a of inv.Path, and tree(p) for every prefix:
//     O(depth) increments, sent in one round trip. Put records, beside the
//     entry, the tree counter of every node from the root to the entry's
//     Path and the self counter of the Path; Get treats an entry whose
//     recorded counters differ from the current ones as a miss (and may
//     delete it). Nothing is ever looked up by scanning.
//
// A Redis-backed store (issue #19) would use generations: entries under keys
// that carry the principal in a hash tag ("{user:x}", so one user's entries
// share a slot) with an expiry (SET … EX), counters as plain keys shared by
// every principal (a write drops everyone's entries with O(depth) INCRs, not
// one per principal), and a short script that reads an entry and compares
// its counters in one round trip. A counter must outlive every entry that
// recorded an older value of it: give each counter key an expiry at least
// the entries' longest one, renewed on every increment, so that a counter
// that expired and reads as zero again cannot revive an entry stored before
// it was first incremented.
//
// The stage's guard against a GET that overlaps a write (see above) sees
// only the writes made through that stage. Clients in other processes that
// share a networked store can store, while a write of another process
// lands, an answer read before it; it lives until its max-age ends or the
// next write to its path.
package cache
