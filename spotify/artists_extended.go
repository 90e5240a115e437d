package spotify

import "context"

// The Extended Quota methods of ArtistsService.

// SeveralArtistsOptions are the options of [ArtistsService.GetSeveral]. It
// has no fields yet (Spotify's endpoint takes no other parameter); nil is
// fine.
type SeveralArtistsOptions struct{}

// GetSeveral returns artists by id, in the order of ids, with nil for an
// id Spotify does not know. Any number of ids is accepted: Spotify takes
// 50 per request, so a longer list is sent in chunks of 50, several at a
// time within the client's concurrency (WithConcurrency); each distinct id
// is fetched once and a repeated id gets the same *Artist. The first
// failing request cancels the others and its error is returned.
//
// Spotify API: GET /artists. No scope needed. Extended Quota Mode only.
func (s *ArtistsService) GetSeveral(ctx context.Context, ids []string, opts *SeveralArtistsOptions) ([]*Artist, error) {
	return getSeveral[Artist](ctx, s.c, opGetSeveralArtists, "artists", batchMaxIDs, ids, "")
}

// ArtistTopTracksOptions are the options of [ArtistsService.GetTopTracks].
type ArtistTopTracksOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; the top tracks of that
	// market are returned.
	Market string
}

// GetTopTracks returns an artist's top tracks (up to 10).
//
// Spotify API: GET /artists/{id}/top-tracks. No scope needed. Extended
// Quota Mode only.
func (s *ArtistsService) GetTopTracks(ctx context.Context, id string, opts *ArtistTopTracksOptions) ([]Track, error) {
	if opts == nil {
		opts = &ArtistTopTracksOptions{}
	}
	cl, err := s.c.params(opGetArtistTopTracks, id).market(opts.Market).call()
	if err != nil {
		return nil, err
	}
	var ts []Track
	if _, err := s.c.callWrapped(ctx, cl, "tracks", &ts); err != nil {
		return nil, err
	}
	return ts, nil
}

// RelatedArtistsOptions are the options of
// [ArtistsService.GetRelatedArtists]. It has no fields yet; nil is fine.
type RelatedArtistsOptions struct{}

// GetRelatedArtists returns artists similar to an artist, by the listening
// history of Spotify's users.
//
// Spotify API: GET /artists/{id}/related-artists. No scope needed.
// Extended Quota Mode only.
func (s *ArtistsService) GetRelatedArtists(ctx context.Context, id string, opts *RelatedArtistsOptions) ([]Artist, error) {
	cl, err := s.c.params(opGetRelatedArtists, id).call()
	if err != nil {
		return nil, err
	}
	var as []Artist
	if _, err := s.c.callWrapped(ctx, cl, "artists", &as); err != nil {
		return nil, err
	}
	return as, nil
}
