package spotify

import "context"

// ShowsService reads podcast shows: c.Shows.
type ShowsService service

// ShowOptions are the options of [ShowsService.Get].
type ShowOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content available
	// there is returned.
	Market string
}

// Get returns a show, with the first page of its episodes (walk the rest
// with Episodes.NextPage or Episodes.All). For Development Mode apps
// Spotify leaves out available_markets and publisher.
//
// Spotify API: GET /shows/{id}. Scope: user-read-playback-position to get
// the episodes' resume points.
func (s *ShowsService) Get(ctx context.Context, id string, opts *ShowOptions) (*Show, error) {
	if opts == nil {
		opts = &ShowOptions{}
	}
	cl, err := s.c.params(opGetShow, id).market(opts.Market).call()
	if err != nil {
		return nil, err
	}
	var sh Show
	if _, err := s.c.call(ctx, cl, &sh); err != nil {
		return nil, err
	}
	sh.Episodes.bind(s.c, opGetShowEpisodes, "")
	return &sh, nil
}

// ShowEpisodesOptions are the options of [ShowsService.GetEpisodes].
type ShowEpisodesOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first episode, 0 or more.
	Offset int
}

// GetEpisodes returns a page of a show's episodes; walk the rest with
// NextPage or All.
//
// Spotify API: GET /shows/{id}/episodes. Scope: user-read-playback-position
// to get resume points.
func (s *ShowsService) GetEpisodes(ctx context.Context, id string, opts *ShowEpisodesOptions) (*Page[SimplifiedEpisode], error) {
	if opts == nil {
		opts = &ShowEpisodesOptions{}
	}
	cl, err := s.c.params(opGetShowEpisodes, id).market(opts.Market).pageAlways(opts.Limit, opts.Offset).call()
	if err != nil {
		return nil, err
	}
	return getPage[SimplifiedEpisode](ctx, s.c, cl)
}

// SavedShowsOptions are the options of [ShowsService.GetSaved].
type SavedShowsOptions struct {
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first show, 0 or more.
	Offset int
}

// GetSaved returns a page of the shows in the user's library.
//
// Spotify API: GET /me/shows. Scope: user-library-read.
func (s *ShowsService) GetSaved(ctx context.Context, opts *SavedShowsOptions) (*Page[SavedShow], error) {
	if opts == nil {
		opts = &SavedShowsOptions{}
	}
	cl, err := s.c.params(opGetSavedShows).pageAlways(opts.Limit, opts.Offset).call()
	if err != nil {
		return nil, err
	}
	return getPage[SavedShow](ctx, s.c, cl)
}
