package spotify

import "context"

// ArtistsService reads artists: c.Artists.
type ArtistsService service

// ArtistOptions are the options of [ArtistsService.Get]. It has no fields
// today (Spotify's endpoint takes no parameters); it is reserved for
// parameters Spotify adds later.
type ArtistOptions struct{}

// Get returns an artist. For Development Mode apps Spotify leaves out the
// artist's followers and popularity (and reportedly genres): those fields
// stay nil.
//
// Spotify API: GET /artists/{id}. No scope needed.
func (s *ArtistsService) Get(ctx context.Context, id string, opts *ArtistOptions) (*Artist, error) {
	cl, err := s.c.params(opGetArtist, id).call()
	if err != nil {
		return nil, err
	}
	return getOne[Artist](ctx, s.c, cl)
}

// artistsIncludeGroups are the values include_groups accepts.
var artistsIncludeGroups = []string{"album", "single", "appears_on", "compilation"}

// ArtistAlbumsOptions are the options of [ArtistsService.GetAlbums]. Every
// field is sent only when set, so Spotify's defaults apply otherwise.
type ArtistAlbumsOptions struct {
	// IncludeGroups filters the albums by group: "album", "single",
	// "appears_on", "compilation". Any other value is rejected before a
	// request is sent. Empty (nil or an empty list) sends no
	// include_groups, which returns every group.
	IncludeGroups []string
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
	// Limit is the page size, 1 to 10 since February 2026, or 0 for
	// Spotify's default, 5. Extended Quota Mode apps may ask for up to 50;
	// a client set to DevelopmentMode (see [WithAppMode]) rejects more
	// than 10. A value out of range fails before a request.
	Limit int
	// Offset is the index of the first album, 0 or more.
	Offset int
}

// GetAlbums returns a page of an artist's albums; walk the rest with
// NextPage or All.
//
// Spotify API: GET /artists/{id}/albums. No scope needed.
func (s *ArtistsService) GetAlbums(ctx context.Context, id string, opts *ArtistAlbumsOptions) (*Page[SimplifiedAlbum], error) {
	if opts == nil {
		opts = &ArtistAlbumsOptions{}
	}
	p := s.c.params(opGetArtistAlbums, id)
	for _, g := range opts.IncludeGroups {
		if err := opGetArtistAlbums.oneOf("include_groups", g, artistsIncludeGroups); err != nil {
			p.fail(err)
			break
		}
	}
	cl, err := p.list("include_groups", opts.IncludeGroups).market(opts.Market).page(opts.Limit, opts.Offset).call()
	if err != nil {
		return nil, err
	}
	return getPage[SimplifiedAlbum](ctx, s.c, cl)
}
