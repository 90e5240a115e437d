package spotify

import "context"

// ChaptersService reads audiobook chapters: c.Chapters.
type ChaptersService service

// ChapterOptions are the options of [ChaptersService.Get].
type ChapterOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content available
	// there is returned.
	Market string
}

// Get returns a chapter, with its audiobook. For Development Mode apps
// Spotify leaves out available_markets (and the audiobook's publisher).
//
// Spotify API: GET /chapters/{id}. No scope needed.
func (s *ChaptersService) Get(ctx context.Context, id string, opts *ChapterOptions) (*Chapter, error) {
	if opts == nil {
		opts = &ChapterOptions{}
	}
	cl, err := s.c.params(opGetChapter, id).market(opts.Market).call()
	if err != nil {
		return nil, err
	}
	return getOne[Chapter](ctx, s.c, cl)
}
