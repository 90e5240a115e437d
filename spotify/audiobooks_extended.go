package spotify

import "context"

// The Extended Quota methods of AudiobooksService.

// SeveralAudiobooksOptions are the options of
// [AudiobooksService.GetSeveral].
type SeveralAudiobooksOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content available
	// there is returned.
	Market string
}

// GetSeveral returns audiobooks by id, in the order of ids, with nil for
// an id Spotify does not know or that is unavailable. Any number of ids is
// accepted: Spotify takes 50 per request, so a longer list is sent in
// chunks of 50, several at a time within the client's concurrency
// (WithConcurrency); each distinct id is fetched once and a repeated id
// gets the same *Audiobook. The first failing request cancels the others
// and its error is returned. Each audiobook's Chapters page can walk the
// rest with NextPage or All.
//
// Spotify API: GET /audiobooks. No scope needed. Extended Quota Mode only.
func (s *AudiobooksService) GetSeveral(ctx context.Context, ids []string, opts *SeveralAudiobooksOptions) ([]*Audiobook, error) {
	if opts == nil {
		opts = &SeveralAudiobooksOptions{}
	}
	out, err := getSeveral[Audiobook](ctx, s.c, opGetSeveralAudiobooks, "audiobooks", batchMaxIDs, ids, opts.Market)
	if err != nil {
		return nil, err
	}
	for _, a := range out {
		if a != nil {
			a.Chapters.bind(s.c, opGetAudiobookChap, "")
		}
	}
	return out, nil
}

// AudiobookLibraryOptions are the options of [AudiobooksService.CheckSaved],
// [AudiobooksService.Save] and [AudiobooksService.Remove]. It has no fields
// yet; nil is fine.
type AudiobookLibraryOptions struct{}

// CheckSaved reports, for each audiobook id in order, whether the
// audiobook is in the user's library. Spotify takes 50 ids per request: a
// longer list is asked in chunks of 50, several at a time within the
// client's concurrency, and the answers are joined in input order; the
// first failure is returned.
//
// Spotify API: GET /me/audiobooks/contains. Scope: user-library-read.
// Extended Quota Mode only.
func (s *AudiobooksService) CheckSaved(ctx context.Context, ids []string, opts *AudiobookLibraryOptions) ([]bool, error) {
	return checkSaved(ctx, s.c, opCheckSavedAudiobooks, batchMaxIDs, ids)
}

// Save saves audiobooks to the user's library. Spotify takes 50 ids per
// request: a longer list is sent in chunks of 50, one after the other; if
// one fails, the error is a *ChunkError naming the ids applied, failed and
// not sent, and it wraps the request's error.
//
// Spotify API: PUT /me/audiobooks. Scope: user-library-modify. Extended
// Quota Mode only.
func (s *AudiobooksService) Save(ctx context.Context, ids []string, opts *AudiobookLibraryOptions) error {
	return batchWrite(ctx, s.c, opSaveAudiobooks, batchMaxIDs, ids, nil, false)
}

// Remove removes audiobooks from the user's library, in chunks of 50 like
// [AudiobooksService.Save].
//
// Spotify API: DELETE /me/audiobooks. Scope: user-library-modify. Extended
// Quota Mode only.
func (s *AudiobooksService) Remove(ctx context.Context, ids []string, opts *AudiobookLibraryOptions) error {
	return batchWrite(ctx, s.c, opRemoveAudiobooks, batchMaxIDs, ids, nil, false)
}
