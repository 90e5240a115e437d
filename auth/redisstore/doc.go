// Package redisstore keeps one user's token in Redis, shared by every
// process of an app that acts for that user, and makes its refresh safe
// across machines: Spotify rotates the refresh token on every refresh, so
// two processes that refresh with the same one leave the second with
// invalid_grant and the user logged out.
//
// A [Store] is an [auth.TokenStore] and an [auth.TokenLocker]; give it to
// auth.AuthorizationCodeConfig.Store. Its lease ([auth.Lease]) works so:
//
//   - Lock takes a lock key with SET NX PX and a random token of its own;
//     the lock expires after [Options.LockTTL] (default 2 minutes, longer
//     than auth's refresh timeout, which bounds the token request and its
//     retries), so a holder that dies does not block the others for long.
//     Unlock deletes it only if it still holds the token (a Lua
//     check-and-delete).
//   - The stored token carries a version: a random text set on every save.
//     Save is a Lua compare-and-set: it writes only if the lock is still
//     this lease's and the version is the one the lease read, so a holder
//     whose lock expired never overwrites a newer token.
//   - Valid, which the provider calls right before it sends the refresh
//     request (the fence), checks that the lock is still this lease's and
//     extends it to a full LockTTL in the same script; a context deadline
//     beyond that is refused. The request therefore ends (or is abandoned)
//     before the lock can expire: no other process can hold the lock, and
//     spend the same refresh token, while it is in flight. A double spend
//     is impossible, not merely detected.
//
// With Redis down, a provider keeps using its token while it is valid (it
// does not ask the store for it). A refresh waits up to
// [Options.UnavailableWait] (default 5 s) for Redis to answer, then fails
// with an [*UnavailableError] (matching [ErrUnavailable]); it never
// refreshes without the lock.
//
// Keys live under "<prefix>:v1:{<key>}:" (prefix [Options.Prefix], key
// [Options.Key]); the hash tag keeps the token and its lock on one Cluster
// slot, as the scripts need. The token key expires [Options.TokenTTL]
// after its last save (default 180 days); the lock expires with its lease.
//
// Tokens are private: a Redis reached without TLS at a non-loopback
// address is refused ([ErrInsecure]) unless [Options.AllowInsecure] says
// otherwise, before any command is sent.
package redisstore
