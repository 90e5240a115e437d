// Package redisbudget shares a [middleware.Budget]'s cool-down through
// Redis, among every worker (process, machine) of one app: Spotify counts
// requests per app, so one worker's 429 must hold back all of them until
// its deadline.
//
// A [Budget] wraps a local Budget (any [middleware.Budget]: a
// [middleware.FixedBudget], or an adaptive one) that paces the worker's
// own requests, and adds the shared cool-down:
//
//   - Observe hands every outcome to the local Budget, and a 429 also to
//     Redis: the cool-down key "<prefix>:v1:{budget:<app>}:cooldown" is
//     set with the time left of its Retry-After as its expiry (SET … PX),
//     unless it already holds a later one.
//   - Wait reads the key's expiry (PTTL) and waits that long, then lets
//     the local Budget pace the request, and looks again if that took a
//     while. Deadlines are never exchanged as times: each worker measures
//     the duration Redis gives on its own clock, so workers whose clocks
//     disagree still wait until the same moment.
//   - Until and Reset show and end the shared cool-down together with the
//     local one.
//
// Every key has an expiry: the cool-down key expires when the cool-down
// ends (at most [middleware.MaxCoolDown]); those of the learned rate are
// below.
//
// # The learned rate
//
// When the local Budget is a [middleware.AdaptiveBudget] the fleet also
// learns the rate window once, and every worker paces at its share of it:
//
//   - Each worker reports itself every [Options.Heartbeat] in the sorted
//     set "<prefix>:v1:{budget:<app>}:workers", scored by the Redis time
//     (TIME) its report expires, three heartbeats later; the workers are
//     those whose report has not expired, and the set itself expires with
//     its last report.
//   - A worker whose own 429 cut its rate publishes the cut in the hash
//     "<prefix>:v1:{budget:<app>}:rate": the fleet's rate (its cut times
//     the workers counted), the window it learned, and when the regrowth
//     starts (the end of the 429's cool-down) as a time of Redis's clock,
//     never of a worker's. 429s met before that time belong to the same
//     event: the first cut stands, and a worker whose cut came second
//     takes the fleet's. The hash expires ten learned windows (at least a
//     minute) after the cut.
//   - Every worker reads the hash with the cool-down (one script, one
//     round trip per request) and imposes a cut it has not seen on its
//     local Budget ([middleware.AdaptiveBudget.Impose]): the fleet's rate
//     divided by the workers it counts, the fleet's window, the regrowth
//     starting when the publisher's does (the time left, measured by
//     Redis). From there each regrows as after a cut of its own, so the
//     fleet probes the limit together and the next 429 cuts every worker
//     again; a worker that joins later starts from the fleet's share, not
//     unthrottled.
//
// A worker whose Redis is away keeps pacing with its local Budget, which
// holds the last shared rate divided by the workers it saw (regrowing from
// it as after a cut), not unthrottled; [Budget.SharedRate] shows that
// rate and the count. A local Budget of another kind shares the cool-down
// only.
//
// # Without Redis
//
// Redis is never a single point of failure: when it does not answer (each
// command bounded by [Options.Timeout]) the Budget uses its local twin
// alone, still honouring the last shared deadline it read; it says so
// once in the log and as a metric ("spotify.redis.fallbacks"), tries
// Redis again at most once per [Options.ProbeInterval], and says once
// when it is back ("spotify.redis.returns"). No request fails because
// Redis is away.
//
// The deadlines are not private, so a plain connection to a remote Redis
// is accepted. The circuit breaker stays local: a network fault on one
// machine is not every machine's fault.
package redisbudget
