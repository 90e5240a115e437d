// Package spotifytest is an in-process Spotify Web API and accounts
// service for tests, examples and benchmarks, in the manner of
// net/http/httptest:
//
//	srv := spotifytest.NewServer()
//	defer srv.Close()
//	c, err := srv.Client() // a *spotify.Client pointed at srv
//
// or, without the SDK, any HTTP client: POST srv.URL+"/api/token" with the
// default app's credentials ([ClientID], [ClientSecret]) and send the
// bearer token to srv.URL+"/v1/...".
//
// Routes under /v1/me need a user token. Get one as an app would: GET
// srv.URL+"/authorize" (client_id, response_type=code, redirect_uri,
// scope, state, and code_challenge with code_challenge_method=S256 for
// PKCE) redirects at once to redirect_uri with a code for the test user
// ([WithUser], [Server.SetLoginUser]); POST it to /api/token
// (grant_type=authorization_code) for an access and a refresh token. Or
// take a token directly with [Server.UserToken]. Each user has a library,
// follows, top items and a listening history generated from the seed; a
// user plays nothing (the player answers 204) until [Server.SetPlaying] or
// a player command.
// An app token on a /v1/me route answers 401, a token without the route's
// scope 403 "Insufficient client scope".
//
// The catalogue (artists, albums, tracks, shows, episodes, audiobooks,
// chapters, categories, users, playlists) is generated on demand from a
// seed and an index: nothing of it is held in memory, so a catalogue of
// 100,000 tracks costs nothing, and two servers with the same seed answer
// the same JSON. Every id is a 22-character base62 string that encodes its
// kind and index reversibly (see [Catalog.Decode]); an id the catalogue
// never issued answers 404, or a null entry in a batch.
//
// Writes hold state per server. Library saves and removals and follows
// (PUT/DELETE /v1/me/library?uris=, and in Extended Quota Mode the old
// /v1/me/tracks, /albums, /episodes, /shows, /audiobooks, /following and
// /v1/playlists/{id}/followers routes) share one overlay per user over the
// generated library, read back by every contains route and saved page;
// [Server.Applied] counts the writes that changed an item's state and
// [Server.Writes] every write that named it. Playlists can be created and
// changed (details; add, reorder, replace and remove entries through
// /items or /tracks; a cover image upload), each change with a new
// snapshot_id; a write may name any snapshot the playlist had, and one it
// never had answers 400. [Server.PlaylistApplied] and
// [Server.PlaylistWrites] count a playlist's writes. The player keeps
// per-user state behind its ten commands (transfer, play with a context or
// URIs, pause, next, previous, seek, repeat, volume, shuffle, queue):
// devices, the item and its progress on the server's clock, the queue and
// the recently played history, read back by every player route. Answers to
// GETs of user data carry an ETag (304 on a matching If-None-Match) and
// Cache-Control "private, max-age=0".
//
// As a Development Mode app ([WithDevelopmentMode]) the server answers 403
// on the routes Spotify removed for such apps, caps search at 10 items a
// page, and leaves out of its objects the fields removed in February 2026
// (popularity, available_markets, followers, label, album_group,
// publisher, and the user's email, country, product and explicit_content).
//
// The emulator routes requests from its own table and writes its own JSON;
// it never uses the SDK's operation registry or model types, so a routing
// or decoding bug in the SDK cannot hide behind a shared definition. Only
// client.go imports package spotify.
//
// It limits each app to a budget of requests in a rolling window and
// answers 429 with Retry-After past it, or 429 with reason QUOTA_EXCEEDED
// in quota mode ([WithRateLimit], [WithRetryAfter], [WithQuotaExceeded]),
// and injects faults on demand, per route, by seeded probability, on a
// count or in bursts ([FaultPlan], [Server.InjectFaults]).
//
// It speaks plain HTTP/1.1 by default, and HTTPS with HTTP/2 as Spotify
// does with [WithTLS] (or HTTP/1.1 over TLS, [WithProtocol]), with a
// certificate made in the process that [Server.Client] and
// [Server.ClientOptions] make the SDK trust. Over HTTP/2 the faults act on
// the request's stream, and a stream can be refused
// ([FaultRefusedStream]) or its connection drained ([FaultGoAway]).
//
// What it serves and when is recorded: see [Server.Requests],
// [Server.Served], [Server.Faults] and, per catalogue item,
// [Server.TimesServed].
package spotifytest
