package spotify

import "context"

// The Extended Quota methods of AlbumsService.

// SeveralAlbumsOptions are the options of [AlbumsService.GetSeveral].
type SeveralAlbumsOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content playable
	// there is returned, relinked where needed.
	Market string
}

// GetSeveral returns albums by id, in the order of ids, with nil for an id
// Spotify does not know. Any number of ids is accepted: Spotify takes 20
// per request, so a longer list is sent in chunks of 20, several at a time
// within the client's concurrency (WithConcurrency); each distinct id is
// fetched once and a repeated id gets the same *Album. The first failing
// request cancels the others and its error is returned. Each album's
// Tracks page can walk the rest with NextPage or All.
//
// Spotify API: GET /albums. No scope needed. Extended Quota Mode only.
func (s *AlbumsService) GetSeveral(ctx context.Context, ids []string, opts *SeveralAlbumsOptions) ([]*Album, error) {
	if opts == nil {
		opts = &SeveralAlbumsOptions{}
	}
	out, err := getSeveral[Album](ctx, s.c, opGetSeveralAlbums, "albums", batchMaxAlbums, ids, opts.Market)
	if err != nil {
		return nil, err
	}
	for _, a := range out {
		if a != nil {
			a.Tracks.bind(s.c, opGetAlbumTracks, "")
		}
	}
	return out, nil
}

// NewReleasesOptions are the options of [AlbumsService.GetNewReleases].
type NewReleasesOptions struct {
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first album, 0 or more.
	Offset int
}

// GetNewReleases returns a page of the new album releases featured in
// Spotify; walk the rest with NextPage or All.
//
// Spotify API: GET /browse/new-releases. No scope needed. Extended Quota
// Mode only.
func (s *AlbumsService) GetNewReleases(ctx context.Context, opts *NewReleasesOptions) (*Page[SimplifiedAlbum], error) {
	if opts == nil {
		opts = &NewReleasesOptions{}
	}
	cl, err := s.c.params(opGetNewReleases).pageAlways(opts.Limit, opts.Offset).call()
	if err != nil {
		return nil, err
	}
	return getWrappedPage[SimplifiedAlbum](ctx, s.c, cl, "albums")
}

// AlbumLibraryOptions are the options of [AlbumsService.CheckSaved],
// [AlbumsService.Save] and [AlbumsService.Remove]. It has no fields yet;
// nil is fine.
type AlbumLibraryOptions struct{}

// CheckSaved reports, for each album id in order, whether the album is in
// the user's library. Spotify takes 20 ids per request: a longer list is
// asked in chunks of 20, several at a time within the client's
// concurrency, and the answers are joined in input order; the first
// failure is returned.
//
// Spotify API: GET /me/albums/contains. Scope: user-library-read. Extended
// Quota Mode only.
func (s *AlbumsService) CheckSaved(ctx context.Context, ids []string, opts *AlbumLibraryOptions) ([]bool, error) {
	return checkSaved(ctx, s.c, opCheckSavedAlbums, batchMaxAlbums, ids)
}

// Save saves albums to the user's library. Spotify takes 20 ids per
// request: a longer list is sent in chunks of 20, one after the other; if
// one fails, the error is a *ChunkError naming the ids applied, failed and
// not sent, and it wraps the request's error.
//
// Spotify API: PUT /me/albums. Scope: user-library-modify. Extended Quota
// Mode only.
func (s *AlbumsService) Save(ctx context.Context, ids []string, opts *AlbumLibraryOptions) error {
	return batchWrite(ctx, s.c, opSaveAlbums, batchMaxAlbums, ids, nil, false)
}

// Remove removes albums from the user's library, in chunks of 20 like
// [AlbumsService.Save].
//
// Spotify API: DELETE /me/albums. Scope: user-library-modify. Extended
// Quota Mode only.
func (s *AlbumsService) Remove(ctx context.Context, ids []string, opts *AlbumLibraryOptions) error {
	return batchWrite(ctx, s.c, opRemoveAlbums, batchMaxAlbums, ids, nil, false)
}
