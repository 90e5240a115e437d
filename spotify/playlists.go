package spotify

import "context"

// PlaylistsService reads and edits playlists: c.Playlists. The item writes
// (add, remove, reorder or replace) are in playlists_items.go.
type PlaylistsService service

// PlaylistOptions are the options of [PlaylistsService.Get]. Each is sent
// only when set.
type PlaylistOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content playable
	// there is returned, relinked where needed.
	Market string
	// Fields filters the answer with Spotify's field syntax, e.g.
	// "name,items(added_at,item(name,uri))". Fields left out are zero in
	// the result.
	Fields string
	// AdditionalTypes lists the item types the caller handles besides
	// "track": set []string{"track", "episode"} to receive episodes as
	// episodes.
	AdditionalTypes []string
}

// Get returns a playlist with the first page of its items; walk the rest
// with p.Items.NextPage or p.Items.All. Spotify sends the items only for
// playlists the user owns or collaborates on.
//
// Spotify API: GET /playlists/{playlist_id}. Scope: none for public
// playlists; playlist-read-private and playlist-read-collaborative for
// private and collaborative ones.
func (s *PlaylistsService) Get(ctx context.Context, id string, opts *PlaylistOptions) (*Playlist, error) {
	if opts == nil {
		opts = &PlaylistOptions{}
	}
	cl, err := s.c.params(opGetPlaylist, id).market(opts.Market).str("fields", opts.Fields).list("additional_types", opts.AdditionalTypes).call()
	if err != nil {
		return nil, err
	}
	var p Playlist
	if _, err := s.c.call(ctx, cl, &p); err != nil {
		return nil, err
	}
	p.Items.bind(s.c, opGetPlaylistItems, "")
	return &p, nil
}

// PlaylistItemsOptions are the options of [PlaylistsService.GetItems] and
// [PlaylistsService.GetTracks]. Each is sent only when set (not zero), so
// Spotify's defaults apply (limit 20, offset 0).
type PlaylistItemsOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
	// Fields filters the answer with Spotify's field syntax, e.g.
	// "total,items(added_at,item(name,uri))".
	Fields string
	// Limit is the page size, 1 to 50 (1 to 100 for GetTracks), or 0 for
	// Spotify's default, 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first item, 0 or more.
	Offset int
	// AdditionalTypes lists the item types the caller handles besides
	// "track", e.g. []string{"track", "episode"}.
	AdditionalTypes []string
}

// GetItems returns a page of a playlist's items; walk the rest with
// NextPage or All. An item Spotify no longer has comes back with a nil
// Item.
//
// Spotify API: GET /playlists/{playlist_id}/items. Scope:
// playlist-read-private (the user must own or collaborate on the
// playlist).
func (s *PlaylistsService) GetItems(ctx context.Context, id string, opts *PlaylistItemsOptions) (*Page[PlaylistItem], error) {
	return s.getItems(ctx, opGetPlaylistItems, id, opts)
}

// getItems reads a page of a playlist's items from op: the 2026 /items
// route or the older /tracks one.
func (s *PlaylistsService) getItems(ctx context.Context, op *operation, id string, opts *PlaylistItemsOptions) (*Page[PlaylistItem], error) {
	if opts == nil {
		opts = &PlaylistItemsOptions{}
	}
	cl, err := s.c.params(op, id).market(opts.Market).str("fields", opts.Fields).page(opts.Limit, opts.Offset).
		list("additional_types", opts.AdditionalTypes).call()
	if err != nil {
		return nil, err
	}
	return getPage[PlaylistItem](ctx, s.c, cl)
}

// ListOptions are the paging options of a listing whose parameters Spotify
// defaults: each is sent only when not zero.
type ListOptions struct {
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first item, 0 or more.
	Offset int
}

// GetForCurrentUser returns a page of the playlists the user owns or
// follows; walk the rest with NextPage or All.
//
// Spotify API: GET /me/playlists. Scope: playlist-read-private
// (playlist-read-collaborative for collaborative playlists).
func (s *PlaylistsService) GetForCurrentUser(ctx context.Context, opts *ListOptions) (*Page[SimplifiedPlaylist], error) {
	return s.list(ctx, opGetMyPlaylists, "", opts)
}

// list reads a page of playlists with op and its path arguments, sending
// the paging options that are set; wrap is the key that wraps the page in
// the answer ("playlists" for a category's playlists), or "".
func (s *PlaylistsService) list(ctx context.Context, op *operation, wrap string, opts *ListOptions, path ...string) (*Page[SimplifiedPlaylist], error) {
	if opts == nil {
		opts = &ListOptions{}
	}
	cl, err := s.c.params(op, path...).page(opts.Limit, opts.Offset).call()
	if err != nil {
		return nil, err
	}
	return getWrappedPage[SimplifiedPlaylist](ctx, s.c, cl, wrap)
}

// CreatePlaylistOptions are the options of [PlaylistsService.Create] and
// [PlaylistsService.CreateForUser]. Each is sent only when not nil;
// Spotify's defaults are public and not collaborative.
type CreatePlaylistOptions struct {
	// Public makes the playlist public (true) or private (false). A
	// private playlist needs the playlist-modify-private scope.
	Public *bool
	// Collaborative lets other users modify the playlist; it needs Public
	// set to false.
	Collaborative *bool
	// Description is shown in Spotify's clients.
	Description *string
}

// playlistsDetails is the body of a create or change-details request:
// each member only when given.
type playlistsDetails struct {
	Name          *string `json:"name,omitzero"`
	Public        *bool   `json:"public,omitzero"`
	Collaborative *bool   `json:"collaborative,omitzero"`
	Description   *string `json:"description,omitzero"`
}

// Create creates a playlist for the current user and returns it. It is
// empty: add items with [PlaylistsService.AddItems].
//
// It fails with ErrInvalidArgument, sending nothing, when name is empty or
// when Collaborative is true without Public set to false.
//
// Spotify API: POST /me/playlists. Scope: playlist-modify-public or
// playlist-modify-private (both for a collaborative playlist).
func (s *PlaylistsService) Create(ctx context.Context, name string, opts *CreatePlaylistOptions) (*SimplifiedPlaylist, error) {
	return s.create(ctx, &call{op: opCreatePlaylist}, name, opts)
}

// create validates and sends a playlist creation with cl (its op and path
// arguments set): POST /me/playlists or the older
// /users/{user_id}/playlists.
func (s *PlaylistsService) create(ctx context.Context, cl *call, name string, opts *CreatePlaylistOptions) (*SimplifiedPlaylist, error) {
	if name == "" {
		return nil, cl.op.invalid("name is empty")
	}
	if opts == nil {
		opts = &CreatePlaylistOptions{}
	}
	if opts.Collaborative != nil && *opts.Collaborative && (opts.Public == nil || *opts.Public) {
		return nil, cl.op.invalid("a collaborative playlist must be private: set public to false")
	}
	cl.body = playlistsDetails{Name: &name, Public: opts.Public, Collaborative: opts.Collaborative, Description: opts.Description}
	var p SimplifiedPlaylist
	if _, err := s.c.call(ctx, cl, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// ChangePlaylistOptions are the details [PlaylistsService.ChangeDetails]
// sets; each is sent only when not nil, and at least one is needed.
type ChangePlaylistOptions struct {
	// Name is the new name.
	Name *string
	// Public makes the playlist public (true) or private (false).
	Public *bool
	// Collaborative lets other users modify the playlist; a public
	// playlist cannot be collaborative.
	Collaborative *bool
	// Description is the new description.
	Description *string
}

// ChangeDetails changes a playlist's name, description, public or
// collaborative status. The user must own the playlist.
//
// It fails with ErrInvalidArgument, sending nothing, when no field is set
// or when Public and Collaborative are both true.
//
// Spotify API: PUT /playlists/{playlist_id}. Scope:
// playlist-modify-public or playlist-modify-private.
func (s *PlaylistsService) ChangeDetails(ctx context.Context, id string, opts *ChangePlaylistOptions) error {
	op := opChangePlaylist
	cl, err := s.c.params(op, id).call()
	if err != nil {
		return err
	}
	if opts == nil || (opts.Name == nil && opts.Public == nil && opts.Collaborative == nil && opts.Description == nil) {
		return op.invalid("nothing to change: set at least one of name, public, collaborative and description")
	}
	if opts.Collaborative != nil && *opts.Collaborative && opts.Public != nil && *opts.Public {
		return op.invalid("public and collaborative cannot both be true")
	}
	cl.body = playlistsDetails{Name: opts.Name, Public: opts.Public, Collaborative: opts.Collaborative, Description: opts.Description}
	_, err = s.c.call(ctx, cl, nil)
	return err
}

// CoverImageOptions are the options of [PlaylistsService.GetCoverImage] and
// [PlaylistsService.UploadCoverImage]. It has no fields yet; nil is fine.
type CoverImageOptions struct{}

// GetCoverImage returns the playlist's cover images (Spotify answers a
// bare list). Their URLs expire within a day.
//
// Spotify API: GET /playlists/{playlist_id}/images. Scope: none for public
// playlists; playlist-read-private for private ones.
func (s *PlaylistsService) GetCoverImage(ctx context.Context, id string, opts *CoverImageOptions) ([]Image, error) {
	cl, err := s.c.params(opGetPlaylistCover, id).call()
	if err != nil {
		return nil, err
	}
	var images []Image
	if _, err := s.c.call(ctx, cl, &images); err != nil {
		return nil, err
	}
	return images, nil
}

// UploadCoverImage replaces the playlist's cover with a JPEG image given
// base64-encoded (Spotify takes at most 256 KB). The string is sent as is,
// with Content-Type image/jpeg.
//
// Spotify API: PUT /playlists/{playlist_id}/images. Scope:
// ugc-image-upload, and playlist-modify-public or playlist-modify-private.
func (s *PlaylistsService) UploadCoverImage(ctx context.Context, id, imageBase64JPEG string, opts *CoverImageOptions) error {
	cl, err := s.c.params(opUploadPlaylistCover, id).call()
	if err != nil {
		return err
	}
	if imageBase64JPEG == "" {
		return opUploadPlaylistCover.invalid("image_base64_jpeg is empty")
	}
	cl.raw, cl.ctype = []byte(imageBase64JPEG), "image/jpeg"
	_, err = s.c.call(ctx, cl, nil)
	return err
}
