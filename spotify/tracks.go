package spotify

import "context"

// TracksService reads tracks: c.Tracks.
type TracksService service

// TrackOptions are the options of [TracksService.Get].
type TrackOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content playable
	// there is returned, relinked where needed.
	Market string
}

// Get returns a track. For Development Mode apps Spotify leaves out
// available_markets, linked_from and popularity: those fields stay nil.
//
// Spotify API: GET /tracks/{id}. No scope needed.
func (s *TracksService) Get(ctx context.Context, id string, opts *TrackOptions) (*Track, error) {
	if opts == nil {
		opts = &TrackOptions{}
	}
	cl, err := s.c.params(opGetTrack, id).market(opts.Market).call()
	if err != nil {
		return nil, err
	}
	return getOne[Track](ctx, s.c, cl)
}

// SavedTracksOptions are the options of [TracksService.GetSaved].
type SavedTracksOptions struct {
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first track, 0 or more.
	Offset int
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
}

// GetSaved returns a page of the tracks in the user's library ("Liked
// Songs").
//
// Spotify API: GET /me/tracks. Scope: user-library-read.
func (s *TracksService) GetSaved(ctx context.Context, opts *SavedTracksOptions) (*Page[SavedTrack], error) {
	if opts == nil {
		opts = &SavedTracksOptions{}
	}
	cl, err := s.c.params(opGetSavedTracks).pageAlways(opts.Limit, opts.Offset).market(opts.Market).call()
	if err != nil {
		return nil, err
	}
	return getPage[SavedTrack](ctx, s.c, cl)
}
