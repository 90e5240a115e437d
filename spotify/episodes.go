package spotify

import (
	"context"
	"net/url"
)

// EpisodesService reads podcast episodes: c.Episodes.
type EpisodesService service

// EpisodeOptions are the options of [EpisodesService.Get].
type EpisodeOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content available
	// there is returned.
	Market string
}

// Get returns an episode, with its show.
//
// Spotify API: GET /episodes/{id}. Scope: user-read-playback-position to
// get the episode's resume point.
func (s *EpisodesService) Get(ctx context.Context, id string, opts *EpisodeOptions) (*Episode, error) {
	if err := requireID(id); err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &EpisodeOptions{}
	}
	return getOne[Episode](ctx, s.c, &call{op: opGetEpisode, args: []string{id}, query: url.Values(query{}.str("market", opts.Market))})
}

// SavedEpisodesOptions are the options of [EpisodesService.GetSaved].
type SavedEpisodesOptions struct {
	// Limit is the page size, 1 to 50 (0 means 20).
	Limit int
	// Offset is the index of the first episode.
	Offset int
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
}

// GetSaved returns a page of the episodes in the user's library.
//
// Spotify API: GET /me/episodes. Scope: user-library-read
// (user-read-playback-position for resume points).
func (s *EpisodesService) GetSaved(ctx context.Context, opts *SavedEpisodesOptions) (*Page[SavedEpisode], error) {
	if opts == nil {
		opts = &SavedEpisodesOptions{}
	}
	q := query{}.num("limit", or(opts.Limit, 20)).num("offset", opts.Offset).str("market", opts.Market)
	return getPage[SavedEpisode](ctx, s.c, &call{op: opGetSavedEpisodes, query: url.Values(q)})
}
