package spotify

import "context"

// The Extended Quota methods of EpisodesService.

// SeveralEpisodesOptions are the options of [EpisodesService.GetSeveral].
type SeveralEpisodesOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content available
	// there is returned.
	Market string
}

// GetSeveral returns episodes by id, in the order of ids, with nil for an
// id Spotify does not know. Any number of ids is accepted: Spotify takes
// 50 per request, so a longer list is sent in chunks of 50, several at a
// time within the client's concurrency (WithConcurrency); each distinct id
// is fetched once and a repeated id gets the same *Episode. The first
// failing request cancels the others and its error is returned.
//
// Spotify API: GET /episodes. Scope: user-read-playback-position to get
// the episodes' resume points. Extended Quota Mode only.
func (s *EpisodesService) GetSeveral(ctx context.Context, ids []string, opts *SeveralEpisodesOptions) ([]*Episode, error) {
	if opts == nil {
		opts = &SeveralEpisodesOptions{}
	}
	return getSeveral[Episode](ctx, s.c, opGetSeveralEpisodes, "episodes", batchMaxIDs, ids, opts.Market)
}

// EpisodeLibraryOptions are the options of [EpisodesService.CheckSaved],
// [EpisodesService.Save] and [EpisodesService.Remove]. It has no fields
// yet; nil is fine.
type EpisodeLibraryOptions struct{}

// CheckSaved reports, for each episode id in order, whether the episode is
// in the user's library. Spotify takes 50 ids per request: a longer list
// is asked in chunks of 50, several at a time within the client's
// concurrency, and the answers are joined in input order; the first
// failure is returned.
//
// Spotify API: GET /me/episodes/contains. Scope: user-library-read.
// Extended Quota Mode only.
func (s *EpisodesService) CheckSaved(ctx context.Context, ids []string, opts *EpisodeLibraryOptions) ([]bool, error) {
	return checkSaved(ctx, s.c, opCheckSavedEpisodes, batchMaxIDs, ids)
}

// Save saves episodes to the user's library. Spotify takes 50 ids per
// request: a longer list is sent in chunks of 50, one after the other; if
// one fails, the error is a *ChunkError naming the ids applied, failed and
// not sent, and it wraps the request's error.
//
// Spotify API: PUT /me/episodes. Scope: user-library-modify. Extended
// Quota Mode only.
func (s *EpisodesService) Save(ctx context.Context, ids []string, opts *EpisodeLibraryOptions) error {
	return batchWrite(ctx, s.c, opSaveEpisodes, batchMaxIDs, ids, nil, false)
}

// Remove removes episodes from the user's library, in chunks of 50 like
// [EpisodesService.Save].
//
// Spotify API: DELETE /me/episodes. Scope: user-library-modify. Extended
// Quota Mode only.
func (s *EpisodesService) Remove(ctx context.Context, ids []string, opts *EpisodeLibraryOptions) error {
	return batchWrite(ctx, s.c, opRemoveEpisodes, batchMaxIDs, ids, nil, false)
}
