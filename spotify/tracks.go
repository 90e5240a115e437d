package spotify

import (
	"context"
	"net/url"
)

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
	if err := requireID(id); err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &TrackOptions{}
	}
	return getOne[Track](ctx, s.c, &call{op: opGetTrack, args: []string{id}, query: url.Values(query{}.str("market", opts.Market))})
}

// SavedTracksOptions are the options of [TracksService.GetSaved].
type SavedTracksOptions struct {
	// Limit is the page size, 1 to 50 (0 means 20).
	Limit int
	// Offset is the index of the first track.
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
	q := query{}.num("limit", or(opts.Limit, 20)).num("offset", opts.Offset).str("market", opts.Market)
	return getPage[SavedTrack](ctx, s.c, &call{op: opGetSavedTracks, query: url.Values(q)})
}
