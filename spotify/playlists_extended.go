package spotify

import "context"

// The Extended Quota Mode playlist methods: the /tracks twins of the 2026
// /items methods (same options, validation, chunking and snapshot
// handling), the /users/{user_id} routes and the browse listings. Spotify
// removed them for Development Mode apps.

// playlistsTracksRoutes are the pre-2026 /tracks routes.
var playlistsTracksRoutes = &playlistsRoutes{add: opAddPlaylistTracks, replace: opReorderPlaylistTracks, remove: opRemovePlaylistTracks, tracksKey: true}

// GetTracks returns a page of a playlist's items from the pre-2026 route,
// with the options of [PlaylistsService.GetItems] (Limit may be up to 100
// here); walk the rest with NextPage or All. Entries decode from either
// shape ("track" or "item").
//
// Spotify API: GET /playlists/{playlist_id}/tracks. Scope:
// playlist-read-private. Extended Quota Mode only.
func (s *PlaylistsService) GetTracks(ctx context.Context, id string, opts *PlaylistItemsOptions) (*Page[PlaylistItem], error) {
	return s.getItems(ctx, opGetPlaylistTracks, id, opts)
}

// AddTracks is [PlaylistsService.AddItems] on the pre-2026 route: the same
// validation, the same chunks of 100 (chunk k at Position + 100*k), the same
// *ChunkError and snapshot id.
//
// Spotify API: POST /playlists/{playlist_id}/tracks. Scope:
// playlist-modify-public or playlist-modify-private. Extended Quota Mode
// only.
func (s *PlaylistsService) AddTracks(ctx context.Context, id string, uris []string, opts *AddItemsOptions) (string, error) {
	return s.add(ctx, playlistsTracksRoutes, id, uris, opts)
}

// RemoveTracks is [PlaylistsService.RemoveItems] on the pre-2026 route: the
// same validation and chunks of 100, with the list sent under the body key
// "tracks" (the /items route names it "items").
//
// Spotify API: DELETE /playlists/{playlist_id}/tracks. Scope:
// playlist-modify-public or playlist-modify-private. Extended Quota Mode
// only.
func (s *PlaylistsService) RemoveTracks(ctx context.Context, id string, opts *RemoveItemsOptions) (string, error) {
	return s.remove(ctx, playlistsTracksRoutes, id, opts)
}

// ReorderOrReplaceTracks is [PlaylistsService.ReorderOrReplaceItems] on the
// pre-2026 route: a reorder is one PUT; a replace PUTs the first 100 URIs
// and appends the rest with POSTs to the same route.
//
// Spotify API: PUT /playlists/{playlist_id}/tracks (and POST for the
// appended chunks). Scope: playlist-modify-public or
// playlist-modify-private. Extended Quota Mode only.
func (s *PlaylistsService) ReorderOrReplaceTracks(ctx context.Context, id string, opts *ReorderOrReplaceOptions) (string, error) {
	return s.reorderOrReplace(ctx, playlistsTracksRoutes, id, opts)
}

// CreateForUser creates a playlist for the user userID (who must be the
// user who authorized the app) on the pre-2026 route, with the options and
// validation of [PlaylistsService.Create], and returns it.
//
// It fails with ErrInvalidArgument, sending nothing, when userID or name is
// empty or when Collaborative is true without Public set to false.
//
// Spotify API: POST /users/{user_id}/playlists. Scope:
// playlist-modify-public or playlist-modify-private. Extended Quota Mode
// only.
func (s *PlaylistsService) CreateForUser(ctx context.Context, userID, name string, opts *CreatePlaylistOptions) (*SimplifiedPlaylist, error) {
	cl, err := s.c.params(opCreatePlaylistForUser, userID).call()
	if err != nil {
		return nil, err
	}
	return s.create(ctx, cl, name, opts)
}

// GetForUser returns a page of the playlists a user owns or follows; walk
// the rest with NextPage or All.
//
// It fails with ErrInvalidArgument, sending nothing, when userID is empty.
//
// Spotify API: GET /users/{user_id}/playlists. Scope: playlist-read-private
// and playlist-read-collaborative for the user's private and collaborative
// playlists. Extended Quota Mode only.
func (s *PlaylistsService) GetForUser(ctx context.Context, userID string, opts *ListOptions) (*Page[SimplifiedPlaylist], error) {
	return s.list(ctx, opGetUserPlaylists, "", opts, userID)
}

// FeaturedPlaylists is Spotify's featured playlists: a localized message
// ("Popular Playlists") and the first page of playlists.
type FeaturedPlaylists struct {
	Message string `json:"message"`
	// Playlists is the first page; NextPage and All walk the rest.
	Playlists Page[SimplifiedPlaylist] `json:"playlists"`
}

// FeaturedPlaylistsOptions are the options of
// [PlaylistsService.GetFeatured]. Each is sent only when set (not zero), so
// Spotify's defaults apply (American English, limit 20, offset 0).
type FeaturedPlaylistsOptions struct {
	// Locale is the language of the message and names: an ISO 639-1
	// language code and an ISO 3166-1 alpha-2 country code joined by an
	// underscore ("sv_SE").
	Locale string
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first playlist, 0 or more.
	Offset int
}

// GetFeatured returns Spotify's featured playlists (those of the Browse
// tab) with their message.
//
// Spotify API: GET /browse/featured-playlists. No scope needed. Extended
// Quota Mode only.
func (s *PlaylistsService) GetFeatured(ctx context.Context, opts *FeaturedPlaylistsOptions) (*FeaturedPlaylists, error) {
	if opts == nil {
		opts = &FeaturedPlaylistsOptions{}
	}
	cl, err := s.c.params(opGetFeaturedPlaylists).str("locale", opts.Locale).page(opts.Limit, opts.Offset).call()
	if err != nil {
		return nil, err
	}
	var f FeaturedPlaylists
	if _, err := s.c.call(ctx, cl, &f); err != nil {
		return nil, err
	}
	f.Playlists.bind(s.c, opGetFeaturedPlaylists, "playlists")
	return &f, nil
}

// GetForCategory returns a page of the playlists tagged with a browse
// category, unwrapped from the answer's "playlists" member (its message is
// dropped); walk the rest with NextPage or All.
//
// It fails with ErrInvalidArgument, sending nothing, when categoryID is
// empty.
//
// Spotify API: GET /browse/categories/{category_id}/playlists. No scope
// needed. Extended Quota Mode only.
func (s *PlaylistsService) GetForCategory(ctx context.Context, categoryID string, opts *ListOptions) (*Page[SimplifiedPlaylist], error) {
	return s.list(ctx, opGetCategoryPlaylists, "playlists", opts, categoryID)
}
