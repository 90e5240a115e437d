package spotify

import "context"

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
	if opts == nil {
		opts = &EpisodeOptions{}
	}
	cl, err := s.c.params(opGetEpisode, id).market(opts.Market).call()
	if err != nil {
		return nil, err
	}
	return getOne[Episode](ctx, s.c, cl)
}

// SavedEpisodesOptions are the options of [EpisodesService.GetSaved].
type SavedEpisodesOptions struct {
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first episode, 0 or more.
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
	cl, err := s.c.params(opGetSavedEpisodes).pageAlways(opts.Limit, opts.Offset).market(opts.Market).call()
	if err != nil {
		return nil, err
	}
	return getPage[SavedEpisode](ctx, s.c, cl)
}
