package spotify

import "context"

// The Extended Quota methods of ShowsService.

// SeveralShowsOptions are the options of [ShowsService.GetSeveral].
type SeveralShowsOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content available
	// there is returned.
	Market string
}

// GetSeveral returns shows by id (without their episodes), in the order
// of ids, with nil for an id Spotify does not know. Any number of ids is
// accepted: Spotify takes 50 per request, so a longer list is sent in
// chunks of 50, several at a time within the client's concurrency
// (WithConcurrency); each distinct id is fetched once and a repeated id
// gets the same *SimplifiedShow. The first failing request cancels the
// others and its error is returned.
//
// Spotify API: GET /shows. No scope needed. Extended Quota Mode only.
func (s *ShowsService) GetSeveral(ctx context.Context, ids []string, opts *SeveralShowsOptions) ([]*SimplifiedShow, error) {
	if opts == nil {
		opts = &SeveralShowsOptions{}
	}
	return getSeveral[SimplifiedShow](ctx, s.c, opGetSeveralShows, "shows", batchMaxIDs, ids, opts.Market)
}

// ShowLibraryOptions are the options of [ShowsService.CheckSaved],
// [ShowsService.Save] and [ShowsService.Remove].
type ShowLibraryOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code. Only Remove sends it
	// (the spec gives the parameter to DELETE /me/shows alone); Save and
	// CheckSaved check it but do not send it.
	Market string
}

// CheckSaved reports, for each show id in order, whether the show is in
// the user's library. Spotify takes 50 ids per request: a longer list is
// asked in chunks of 50, several at a time within the client's
// concurrency, and the answers are joined in input order; the first
// failure is returned.
//
// Spotify API: GET /me/shows/contains. Scope: user-library-read. Extended
// Quota Mode only.
func (s *ShowsService) CheckSaved(ctx context.Context, ids []string, opts *ShowLibraryOptions) ([]bool, error) {
	if err := showsLibraryMarket(opCheckSavedShows, opts); err != nil {
		return nil, err
	}
	return checkSaved(ctx, s.c, opCheckSavedShows, batchMaxIDs, ids)
}

// Save saves shows to the user's library. Spotify takes 50 ids per
// request: a longer list is sent in chunks of 50, one after the other; if
// one fails, the error is a *ChunkError naming the ids applied, failed and
// not sent, and it wraps the request's error.
//
// Spotify API: PUT /me/shows. Scope: user-library-modify. Extended Quota
// Mode only.
func (s *ShowsService) Save(ctx context.Context, ids []string, opts *ShowLibraryOptions) error {
	if err := showsLibraryMarket(opSaveShows, opts); err != nil {
		return err
	}
	return batchWrite(ctx, s.c, opSaveShows, batchMaxIDs, ids, nil, false)
}

// Remove removes shows from the user's library, in chunks of 50 like
// [ShowsService.Save]; opts.Market, when set, is sent with each request.
//
// Spotify API: DELETE /me/shows. Scope: user-library-modify. Extended
// Quota Mode only.
func (s *ShowsService) Remove(ctx context.Context, ids []string, opts *ShowLibraryOptions) error {
	if opts == nil {
		opts = &ShowLibraryOptions{}
	}
	if err := showsLibraryMarket(opRemoveShows, opts); err != nil {
		return err
	}
	return batchWrite(ctx, s.c, opRemoveShows, batchMaxIDs, ids, marketQuery(opts.Market), false)
}

// showsLibraryMarket checks the market of opts (nil for none), for a call
// of op.
func showsLibraryMarket(op *operation, opts *ShowLibraryOptions) error {
	if opts == nil {
		return nil
	}
	return op.checkMarket(opts.Market)
}
