package spotify

import (
	"context"
	"net/url"
	"slices"
)

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
	if err := requireID(id); err != nil {
		return nil, err
	}
	return getOne[Artist](ctx, s.c, &call{op: opGetArtist, args: []string{id}})
}

// artistsIncludeGroups are the values include_groups accepts, in the order
// of the Python SDK's Literal.
var artistsIncludeGroups = []string{"album", "single", "appears_on", "compilation"}

// ArtistAlbumsOptions are the options of [ArtistsService.GetAlbums]. Every
// field is sent only when set, so Spotify's defaults apply otherwise.
type ArtistAlbumsOptions struct {
	// IncludeGroups filters the albums by group: "album", "single",
	// "appears_on", "compilation". Any other value is rejected before a
	// request is sent. Empty (nil or an empty list) sends no include_groups,
	// which returns every group; the Python SDK sends an empty string for an
	// empty list, which Spotify treats the same way.
	IncludeGroups []string
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
	// Limit is the page size (0 means Spotify's default).
	Limit int
	// Offset is the index of the first album (0 means the first).
	Offset int
}

// GetAlbums returns a page of an artist's albums; walk the rest with
// NextPage or All.
//
// Spotify API: GET /artists/{id}/albums. No scope needed.
func (s *ArtistsService) GetAlbums(ctx context.Context, id string, opts *ArtistAlbumsOptions) (*Page[SimplifiedAlbum], error) {
	if err := requireID(id); err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &ArtistAlbumsOptions{}
	}
	var bad []string
	for _, g := range opts.IncludeGroups {
		if !slices.Contains(artistsIncludeGroups, g) && !slices.Contains(bad, g) {
			bad = append(bad, g)
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return nil, invalidArgument("Invalid include_groups: %s. Valid values: %s", pySet(bad), pySet(artistsIncludeGroups))
	}
	q := query{}.list("include_groups", opts.IncludeGroups).str("market", opts.Market)
	q.optNum("limit", opts.Limit).optNum("offset", opts.Offset)
	return getPage[SimplifiedAlbum](ctx, s.c, &call{op: opGetArtistAlbums, args: []string{id}, query: url.Values(q)})
}
