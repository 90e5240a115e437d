// Package rediscache is a [cache.Store] in Redis, shared by every process
// of an app, so that a response one process fetched is a hit (or a 304
// revalidation) for the others instead of a second fetch.
//
// It behaves as the cache package asks of a store:
//
//   - Entries are partitioned by principal exactly like the LRU store: an
//     entry's key carries a hash of its principal (in a Cluster hash tag,
//     "{p:…}", so one principal's entries share a slot) and of its request,
//     and the stored entry repeats both in full; a Get returns an entry only
//     when both equal the key's, so one user's entries are never readable
//     by another.
//   - Every entry expires ([Options.TTL], default 1 h; the cache stage
//     checks freshness itself, so an entry kept past its max-age is still
//     revalidated with its ETag), and an entry larger than
//     [Options.MaxEntryBytes] (default 1 MiB, counted by [cache.Entry.Size])
//     is not stored.
//   - Invalidation uses generations (see the cache package): every path
//     node has a tree and a self counter; Invalidate increments O(depth)
//     of them in one round trip, Put records the ones on the entry's path
//     and Get treats an entry whose recorded counters differ as a miss.
//     Nothing is ever scanned. Counters expire [Options.TTL] plus a minute
//     after their last increment or their last reading by a Put, so a
//     counter always outlives the entries that recorded it.
//   - Keys live under "<prefix>:v1:" ([Options.Prefix]); the "v1" changes
//     with the stored format, so processes of two versions never read each
//     other's entries.
//
// A Get costs two round trips (the entry, then its counters), a Put two
// and an Invalidate one. [Options.Local] puts an LRU store in front: it
// answers repeated Gets in the process, and alone while Redis is away.
// Entries it holds are dropped by this process's invalidations only; one
// another process's write made stale stays until its max-age ends, as the
// cache package says of every shared store.
//
// Redis is never a single point of failure: while it does not answer, the
// store uses its local tier (or misses), says so once in the log and as a
// metric, tries Redis again at most once a second, and says once when it
// is back. Invalidations made while Redis was away are sent when it
// returns.
//
// Cached responses are private: a Redis reached without TLS at a
// non-loopback address is refused ([ErrInsecure]) unless
// [Options.AllowInsecure] says otherwise, before any command is sent.
package rediscache
