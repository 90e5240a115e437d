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
// ends (at most [middleware.MaxCoolDown]).
//
// # The learned rate
//
// A local Budget that learns the app's rate (the adaptive Budget) will
// share it under "<prefix>:v1:{budget:<app>}:rate": a hash holding the
// rate, the number of workers that reported within the window and when,
// written with an expiry of a few windows, so the fleet learns the window
// once and a worker that falls back to its local twin starts from the
// shared rate divided by the workers it saw, not unthrottled. The key is
// reserved for it; nothing writes it yet.
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
