package spotify

import (
	"context"
	"net/url"
)

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
	if err := requireID(id); err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &AlbumOptions{}
	}
	var a Album
	if _, err := s.c.send(ctx, &call{op: opGetAlbum, args: []string{id}, query: url.Values(query{}.str("market", opts.Market))}, &a); err != nil {
		return nil, err
	}
	a.Tracks.bind(s.c, opGetAlbumTracks, "")
	return &a, nil
}

// AlbumTracksOptions are the options of [AlbumsService.GetTracks].
type AlbumTracksOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
	// Limit is the page size, 1 to 50 (0 means 20).
	Limit int
	// Offset is the index of the first track.
	Offset int
}

// GetTracks returns a page of an album's tracks; walk the rest with
// NextPage or All.
//
// Spotify API: GET /albums/{id}/tracks. No scope needed.
func (s *AlbumsService) GetTracks(ctx context.Context, id string, opts *AlbumTracksOptions) (*Page[SimplifiedTrack], error) {
	if err := requireID(id); err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &AlbumTracksOptions{}
	}
	q := query{}.str("market", opts.Market).num("limit", or(opts.Limit, 20)).num("offset", opts.Offset)
	return getPage[SimplifiedTrack](ctx, s.c, &call{op: opGetAlbumTracks, args: []string{id}, query: url.Values(q)})
}

// SavedAlbumsOptions are the options of [AlbumsService.GetSaved].
type SavedAlbumsOptions struct {
	// Limit is the page size, 1 to 50 (0 means 20).
	Limit int
	// Offset is the index of the first album.
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
	q := query{}.num("limit", or(opts.Limit, 20)).num("offset", opts.Offset).str("market", opts.Market)
	return getPage[SavedAlbum](ctx, s.c, &call{op: opGetSavedAlbums, query: url.Values(q)})
}
