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
// The catalogue (artists, albums, tracks, shows, episodes, audiobooks,
// chapters, categories, users, playlists) is generated on demand from a
// seed and an index: nothing of it is held in memory, so a catalogue of
// 100,000 tracks costs nothing, and two servers with the same seed answer
// the same JSON. Every id is a 22-character base62 string that encodes its
// kind and index reversibly (see [Catalog.Decode]); an id the catalogue
// never issued answers 404, or a null entry in a batch.
//
// The emulator routes requests from its own table and writes its own JSON;
// it never uses the SDK's operation registry or model types, so a routing
// or decoding bug in the SDK cannot hide behind a shared definition. Only
// client.go imports package spotify.
//
// What it serves and when is recorded: see [Server.Requests] and
// [Server.Served].
package spotifytest
