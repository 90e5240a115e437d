// Package spotify is the Spotify Web API client of spotify-go.
//
// # Making a client
//
// [NewClient] takes options; one of them says how the client authenticates:
//
//	c, err := spotify.NewClient(spotify.WithAccessToken(token))
//	if err != nil {
//		return err
//	}
//	defer c.Close()
//
//	album, err := c.Albums.Get(ctx, "4aawyAB9vmqN3uQ7FjRGTy", nil)
//
// [WithAccessToken] sends a token you already have (a 401 is returned to
// you); [WithClientCredentials] fetches and renews app tokens; and
// [WithAuthProvider] takes any [auth.Provider], such as a user's tokens from
// [auth.NewAuthorizationCode]. With no auth option at all the client uses
// client credentials from the environment (SPOTIFY_SDK_CLIENT_ID and
// SPOTIFY_SDK_CLIENT_SECRET). Giving two auth options is an error. A client
// is safe for concurrent use; Close it when done.
//
// The services are fields of the client (c.Albums, c.Playlists, c.Player,
// ...). Every method takes a context first and a trailing options pointer
// (nil means Spotify's defaults), checks its arguments before sending, and
// returns a typed error: errors.Is with the sentinels ([ErrNotFound],
// [ErrRateLimited], [ErrInvalidArgument], ...), errors.As with [*Error].
// Listings return a [Page] whose [Page.All] walks every page. [Client.Async]
// (or [NewAsyncClient]) gives the same methods returning a [Future], and
// [Client.Clone] a client for another user that shares the app's chain,
// rate budget and cache store. Most of the package's examples run against
// the emulator of package spotify/spotifytest, which a program's own tests
// can use too.
//
// # The chain
//
// Every request passes through one chain of [net/http.RoundTripper] stages
// (package transport and package middleware); [NewPipeline] builds that chain
// in its default order, which is written once, in pipeline.go:
//
//	tracing -> cache -> coalesce -> retry -> ratelimit -> bulkhead ->
//	breaker -> timeout -> attempt -> download -> auth -> base transport
//
// Stages above retry run once per call; stages below it once per attempt.
// A stage that is switched off stays in the chain and passes requests
// through, so custom middleware can always be placed by name
// ([WithMiddleware]).
//
// # Layout
//
// For maintainers, where a call goes inside the package. A service method
// (albums.go, player.go, ...) checks its arguments (validate.go, against
// the operation registry of operations.go) and describes its request as a
// call, which Client.call runs (call.go): it resolves the path under the
// base URL (urls.go), builds the request with the call's record
// (newHTTPRequest, callSpec; the caller's per-call overrides and response
// capture come from overrides.go and capture.go), and has it sent and
// decoded by Client.do. Client.send (send.go) sends it through the
// family's chain with family.send and returns the answer's status and body
// or the call's error (errors.go); decode (codec.go) turns a 2xx answer
// into the result by the operation's rule (answerRule, DecodeError).
// Listings wrap the answer in a Page (paging.go); calls with more ids
// than one request may carry are split by batch.go (reads run their chunks
// concurrently, writes one after the other, a part failure being a
// *ChunkError of chunk.go). [Client.NewRequest] and [Client.Do] (do.go)
// are the escape hatch, named after the registry's route when one matches
// (route_match.go). client.go holds the Client, its construction, Clone
// and Close; family.go what a client shares with its clones and async
// views (the chain built from config.go and pipeline.go, the lifetime,
// the token client); async.go and future.go the AsyncClient.
package spotify
