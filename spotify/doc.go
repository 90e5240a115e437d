// Package spotify is the Spotify Web API client of spotify-go.
//
// Every request passes through one chain of [net/http.RoundTripper] stages
// (package transport and package middleware); [NewPipeline] builds that chain
// in its default order, which is written once, in pipeline.go:
//
//	tracing -> cache -> coalesce -> retry -> bulkhead -> ratelimit ->
//	breaker -> timeout -> attempt -> download -> auth -> base transport
//
// Stages above retry run once per call; stages below it once per attempt.
// A stage that is switched off stays in the chain and passes requests
// through, so custom middleware can always be placed by name.
package spotify
