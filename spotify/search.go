package spotify

import "context"

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
	// Limit is the number of results per type, 1 to 10 since February
	// 2026, or 0 for Spotify's default, 5. Extended Quota Mode apps may
	// ask for up to 50; a client set to DevelopmentMode (see
	// [WithAppMode]) rejects more than 10. A value out of range fails
	// before a request.
	Limit int
	// Offset is the index of the first result, 0 to 1,000 (Spotify's
	// cap); any other value fails before a request.
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
	op := opSearch
	p := s.c.params(op)
	if q == "" {
		p.fail(op.invalid("q is empty"))
	}
	if len(types) == 0 {
		p.fail(op.invalid("types is empty"))
	}
	for _, t := range types {
		if err := op.oneOf("types", t, searchTypes); err != nil {
			p.fail(err)
			break
		}
	}
	if opts == nil {
		opts = &SearchOptions{}
	}
	if opts.IncludeExternal != "" {
		p.fail(op.oneOf("include_external", opts.IncludeExternal, []string{"audio"}))
	}
	cl, err := p.str("q", q).list("type", types).pageAlways(opts.Limit, opts.Offset).market(opts.Market).
		str("include_external", opts.IncludeExternal).call()
	if err != nil {
		return nil, err
	}
	var r SearchResult
	if _, err := s.c.call(ctx, cl, &r); err != nil {
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
