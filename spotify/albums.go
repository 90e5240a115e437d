package spotify

import "context"

// AlbumsService reads albums: c.Albums.
type AlbumsService service

// AlbumOptions are the options of [AlbumsService.Get].
type AlbumOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content playable
	// there is returned, relinked where needed.
	Market string
}

// Get returns an album.
//
// Spotify API: GET /albums/{id}. No scope needed.
func (s *AlbumsService) Get(ctx context.Context, id string, opts *AlbumOptions) (*Album, error) {
	if opts == nil {
		opts = &AlbumOptions{}
	}
	cl, err := s.c.params(opGetAlbum, id).market(opts.Market).call()
	if err != nil {
		return nil, err
	}
	var a Album
	if _, err := s.c.call(ctx, cl, &a); err != nil {
		return nil, err
	}
	a.Tracks.bind(s.c, opGetAlbumTracks, "")
	return &a, nil
}

// AlbumTracksOptions are the options of [AlbumsService.GetTracks].
type AlbumTracksOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first track, 0 or more.
	Offset int
}

// GetTracks returns a page of an album's tracks; walk the rest with
// NextPage or All.
//
// Spotify API: GET /albums/{id}/tracks. No scope needed.
func (s *AlbumsService) GetTracks(ctx context.Context, id string, opts *AlbumTracksOptions) (*Page[SimplifiedTrack], error) {
	if opts == nil {
		opts = &AlbumTracksOptions{}
	}
	cl, err := s.c.params(opGetAlbumTracks, id).market(opts.Market).pageAlways(opts.Limit, opts.Offset).call()
	if err != nil {
		return nil, err
	}
	return getPage[SimplifiedTrack](ctx, s.c, cl)
}

// SavedAlbumsOptions are the options of [AlbumsService.GetSaved].
type SavedAlbumsOptions struct {
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first album, 0 or more.
	Offset int
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
}

// GetSaved returns a page of the albums in the user's library.
//
// Spotify API: GET /me/albums. Scope: user-library-read.
func (s *AlbumsService) GetSaved(ctx context.Context, opts *SavedAlbumsOptions) (*Page[SavedAlbum], error) {
	if opts == nil {
		opts = &SavedAlbumsOptions{}
	}
	cl, err := s.c.params(opGetSavedAlbums).pageAlways(opts.Limit, opts.Offset).market(opts.Market).call()
	if err != nil {
		return nil, err
	}
	return getPage[SavedAlbum](ctx, s.c, cl)
}
