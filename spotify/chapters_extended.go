package spotify

import "context"

// The Extended Quota methods of ChaptersService.

// SeveralChaptersOptions are the options of [ChaptersService.GetSeveral].
type SeveralChaptersOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content available
	// there is returned.
	Market string
}

// GetSeveral returns chapters by id, in the order of ids, with nil for an
// id Spotify does not know. Any number of ids is accepted: Spotify takes
// 50 per request, so a longer list is sent in chunks of 50, several at a
// time within the client's concurrency (WithConcurrency); each distinct id
// is fetched once and a repeated id gets the same *Chapter. The first
// failing request cancels the others and its error is returned.
//
// Spotify API: GET /chapters. No scope needed. Extended Quota Mode only.
func (s *ChaptersService) GetSeveral(ctx context.Context, ids []string, opts *SeveralChaptersOptions) ([]*Chapter, error) {
	if opts == nil {
		opts = &SeveralChaptersOptions{}
	}
	return getSeveral[Chapter](ctx, s.c, opGetSeveralChapters, "chapters", batchMaxIDs, ids, opts.Market)
}
