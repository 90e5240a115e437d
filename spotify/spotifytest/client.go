package spotifytest

import "github.com/spotifysdk/spotify-go/spotify"

// This is the only file of the package that imports package spotify: the
// emulator itself shares nothing with the SDK.

// Client returns a *spotify.Client pointed at the server (see
// [Server.ClientOptions]) that authenticates with the default app's
// client credentials ([ClientID], [ClientSecret]). opts come after these,
// so they may override anything but the auth: the SDK rejects a second
// auth option. For another auth (a static token, a user's provider), call
// spotify.NewClient(append(srv.ClientOptions(), auth)...). Close the
// client when done.
func (s *Server) Client(opts ...spotify.Option) (*spotify.Client, error) {
	base := append(s.ClientOptions(), spotify.WithClientCredentials(ClientID, ClientSecret))
	return spotify.NewClient(append(base, opts...)...)
}

// ClientOptions returns the options that point an SDK client at the
// server: spotify.WithBaseURL(URL+"/v1") and
// spotify.WithTokenURL(URL+"/api/token"), without auth; over TLS also
// spotify.WithRootCAs([Server.RootCAs]), so that the client trusts the
// server's certificate with its own base transport (HTTP/2 included).
func (s *Server) ClientOptions() []spotify.Option {
	opts := []spotify.Option{
		spotify.WithBaseURL(s.URL + "/v1"),
		spotify.WithTokenURL(s.URL + "/api/token"),
	}
	if pool := s.RootCAs(); pool != nil {
		opts = append(opts, spotify.WithRootCAs(pool))
	}
	return opts
}
