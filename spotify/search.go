package spotify

import (
	"context"
	"net/url"
	"slices"
)

// SearchService searches the catalog: c.Search.
type SearchService service

// Search types, the values of the types argument of [SearchService.Search].
const (
	SearchTypeAlbum     = "album"
	SearchTypeArtist    = "artist"
	SearchTypePlaylist  = "playlist"
	SearchTypeTrack     = "track"
	SearchTypeShow      = "show"
	SearchTypeEpisode   = "episode"
	SearchTypeAudiobook = "audiobook"
)

// searchTypes are the valid search types.
var searchTypes = []string{SearchTypeAlbum, SearchTypeArtist, SearchTypePlaylist, SearchTypeTrack,
	SearchTypeShow, SearchTypeEpisode, SearchTypeAudiobook}

// SearchOptions are the options of [SearchService.Search].
type SearchOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; with a user token,
	// "from_token" is the user's country.
	Market string
	// Limit is the number of results per type, 0 to 10 since February
	// 2026 (0 means 5); a client in DevelopmentMode (see [WithAppMode])
	// rejects more without a request.
	Limit int
	// Offset is the index of the first result; Spotify caps it at 1,000.
	Offset int
	// IncludeExternal "audio" marks externally hosted audio as playable.
	IncludeExternal string
}

// Search searches the catalog for q (with Spotify's filters such as
// "artist:" or "year:") among the given types, in the order given. The
// result holds one page per type asked; each walks its rest with NextPage
// or All, up to Spotify's offset cap of 1,000.
//
// Spotify API: GET /search. No scope needed.
func (s *SearchService) Search(ctx context.Context, q string, types []string, opts *SearchOptions) (*SearchResult, error) {
	if q == "" {
		return nil, invalidArgument("q cannot be empty")
	}
	if len(types) == 0 {
		return nil, invalidArgument("types cannot be empty")
	}
	var bad []string
	for _, t := range types {
		if !slices.Contains(searchTypes, t) && !slices.Contains(bad, t) {
			bad = append(bad, t)
		}
	}
	if len(bad) > 0 {
		return nil, invalidArgument("Invalid types: %s. Valid values: %s", pySortedSet(bad), pySortedSet(searchTypes))
	}
	if opts == nil {
		opts = &SearchOptions{}
	}
	if opts.IncludeExternal != "" && opts.IncludeExternal != "audio" {
		return nil, invalidArgument("Invalid include_external: %s. Valid values: {'audio'}", pyRepr(opts.IncludeExternal))
	}
	if err := s.c.appModeCheckSearchLimit(opts.Limit); err != nil {
		return nil, err
	}
	qv := query{"q": {q}}.list("type", types).num("limit", or(opts.Limit, 5)).num("offset", opts.Offset).
		str("market", opts.Market).str("include_external", opts.IncludeExternal)
	var r SearchResult
	if _, err := s.c.send(ctx, &call{op: opSearch, query: url.Values(qv)}, &r); err != nil {
		return nil, err
	}
	r.Tracks.bind(s.c, opSearch, "tracks")
	r.Artists.bind(s.c, opSearch, "artists")
	r.Albums.bind(s.c, opSearch, "albums")
	r.Playlists.bind(s.c, opSearch, "playlists")
	r.Shows.bind(s.c, opSearch, "shows")
	r.Episodes.bind(s.c, opSearch, "episodes")
	r.Audiobooks.bind(s.c, opSearch, "audiobooks")
	return &r, nil
}
