package spotify

// Version is the version of spotify-go, sent in the User-Agent header.
const Version = "0.1.0"

const (
	// DefaultBaseURL is the Web API root, with its version.
	DefaultBaseURL = "https://api.spotify.com/v1"
	// DefaultTokenURL is Spotify's token endpoint.
	DefaultTokenURL = "https://accounts.spotify.com/api/token"
	// DefaultConcurrency caps requests in flight on a client family.
	DefaultConcurrency = 16
)
