package spotify

import "context"

// AudiobooksService reads audiobooks: c.Audiobooks. Audiobooks exist only
// in some markets.
type AudiobooksService service

// AudiobookOptions are the options of [AudiobooksService.Get].
type AudiobookOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content available
	// there is returned.
	Market string
}

// Get returns an audiobook, with the first page of its chapters (walk the
// rest with Chapters.NextPage or Chapters.All). For Development Mode apps
// Spotify leaves out available_markets and publisher.
//
// Spotify API: GET /audiobooks/{id}. No scope needed.
func (s *AudiobooksService) Get(ctx context.Context, id string, opts *AudiobookOptions) (*Audiobook, error) {
	if opts == nil {
		opts = &AudiobookOptions{}
	}
	cl, err := s.c.params(opGetAudiobook, id).market(opts.Market).call()
	if err != nil {
		return nil, err
	}
	var a Audiobook
	if _, err := s.c.call(ctx, cl, &a); err != nil {
		return nil, err
	}
	a.Chapters.bind(s.c, opGetAudiobookChap, "")
	return &a, nil
}

// AudiobookChaptersOptions are the options of [AudiobooksService.GetChapters].
type AudiobookChaptersOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first chapter, 0 or more.
	Offset int
}

// GetChapters returns a page of an audiobook's chapters; walk the rest
// with NextPage or All.
//
// Spotify API: GET /audiobooks/{id}/chapters. No scope needed.
func (s *AudiobooksService) GetChapters(ctx context.Context, id string, opts *AudiobookChaptersOptions) (*Page[SimplifiedChapter], error) {
	if opts == nil {
		opts = &AudiobookChaptersOptions{}
	}
	cl, err := s.c.params(opGetAudiobookChap, id).market(opts.Market).pageAlways(opts.Limit, opts.Offset).call()
	if err != nil {
		return nil, err
	}
	return getPage[SimplifiedChapter](ctx, s.c, cl)
}

// SavedAudiobooksOptions are the options of [AudiobooksService.GetSaved].
type SavedAudiobooksOptions struct {
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first audiobook, 0 or more.
	Offset int
}

// GetSaved returns a page of the audiobooks in the user's library.
//
// Spotify API: GET /me/audiobooks. Scope: user-library-read.
func (s *AudiobooksService) GetSaved(ctx context.Context, opts *SavedAudiobooksOptions) (*Page[SavedAudiobook], error) {
	if opts == nil {
		opts = &SavedAudiobooksOptions{}
	}
	cl, err := s.c.params(opGetSavedAudiobks).pageAlways(opts.Limit, opts.Offset).call()
	if err != nil {
		return nil, err
	}
	return getPage[SavedAudiobook](ctx, s.c, cl)
}
