package spotify

import (
	"context"
	"fmt"
	"net/url"
)

// The Extended Quota Mode user methods: other users' profiles and the
// type-specific follows. Spotify removed them for Development Mode apps,
// which follow and check through [LibraryService] with URIs.

// UserProfileOptions are the options of [UsersService.GetProfile]. It has
// no fields yet; nil is fine.
type UserProfileOptions struct{}

// GetProfile returns a user's public profile.
//
// It fails with ErrInvalidArgument, sending nothing, when userID is empty.
//
// Spotify API: GET /users/{user_id}. No scope needed. Extended Quota Mode
// only.
func (s *UsersService) GetProfile(ctx context.Context, userID string, opts *UserProfileOptions) (*PublicUser, error) {
	cl, err := s.c.params(opGetUserProfile, userID).call()
	if err != nil {
		return nil, err
	}
	return getOne[PublicUser](ctx, s.c, cl)
}

// FollowPlaylistOptions are the options of [UsersService.FollowPlaylist].
type FollowPlaylistOptions struct {
	// Public shows the playlist on the user's profile (true) or keeps it
	// private (false); nil sends nothing and Spotify's default, public,
	// applies.
	Public *bool
}

// usersFollowPlaylistBody is the body of a playlist follow.
type usersFollowPlaylistBody struct {
	Public *bool `json:"public"`
}

// FollowPlaylist makes the current user a follower of a playlist.
//
// It fails with ErrInvalidArgument, sending nothing, when playlistID is
// empty.
//
// Spotify API: PUT /playlists/{playlist_id}/followers, with {"public": ...}
// when Public is set. Scope: playlist-modify-public or
// playlist-modify-private. Extended Quota Mode only.
func (s *UsersService) FollowPlaylist(ctx context.Context, playlistID string, opts *FollowPlaylistOptions) error {
	cl, err := s.c.params(opFollowPlaylist, playlistID).call()
	if err != nil {
		return err
	}
	if opts != nil && opts.Public != nil {
		cl.body = usersFollowPlaylistBody{Public: opts.Public}
	}
	_, err = s.c.call(ctx, cl, nil)
	return err
}

// FollowOptions are the options of [UsersService.UnfollowPlaylist] and of
// the artist and user follow methods. It has no fields yet; nil is fine.
type FollowOptions struct{}

// UnfollowPlaylist removes the current user as a follower of a playlist.
//
// It fails with ErrInvalidArgument, sending nothing, when playlistID is
// empty.
//
// Spotify API: DELETE /playlists/{playlist_id}/followers. Scope:
// playlist-modify-public or playlist-modify-private. Extended Quota Mode
// only.
func (s *UsersService) UnfollowPlaylist(ctx context.Context, playlistID string, opts *FollowOptions) error {
	cl, err := s.c.params(opUnfollowPlaylist, playlistID).call()
	if err != nil {
		return err
	}
	_, err = s.c.call(ctx, cl, nil)
	return err
}

// The id types of the artist and user follow methods.
const (
	// FollowTypeArtist: the ids are artist ids.
	FollowTypeArtist = "artist"
	// FollowTypeUser: the ids are user ids.
	FollowTypeUser = "user"
)

// usersFollowTypes are the valid id types, sorted.
var usersFollowTypes = []string{FollowTypeArtist, FollowTypeUser}

// usersMaxFollowIDs is Spotify's limit of ids per /me/following request.
const usersMaxFollowIDs = 50

// usersFollowType checks the id type of a follow call of op (the ids are
// checked by batchIDs; lists over 50 are chunked, not rejected).
func usersFollowType(op *operation, typ string) error {
	return op.oneOf("type", typ, usersFollowTypes)
}

// FollowArtistsOrUsers makes the current user follow artists or users, by
// id; typ is FollowTypeArtist or FollowTypeUser. Spotify takes 50 ids per
// request: a longer list is sent in chunks of 50, one after the other; if
// one fails, the error is a *ChunkError naming the ids applied, failed and
// not sent, and it wraps the request's error.
//
// It fails with ErrInvalidArgument, sending nothing, when typ is neither
// "artist" nor "user", or ids is empty or holds an empty id.
//
// Spotify API: PUT /me/following?type=&ids=. Scope: user-follow-modify.
// Extended Quota Mode only.
func (s *UsersService) FollowArtistsOrUsers(ctx context.Context, typ string, ids []string, opts *FollowOptions) error {
	return s.followWrite(ctx, opFollowArtistsOrUsers, typ, ids)
}

// UnfollowArtistsOrUsers makes the current user stop following artists or
// users, by id, in chunks of 50 like [UsersService.FollowArtistsOrUsers].
//
// Spotify API: DELETE /me/following?type=&ids=. Scope: user-follow-modify.
// Extended Quota Mode only.
func (s *UsersService) UnfollowArtistsOrUsers(ctx context.Context, typ string, ids []string, opts *FollowOptions) error {
	return s.followWrite(ctx, opUnfollowArtistsOrUsers, typ, ids)
}

// followWrite validates and sends a follow or unfollow in chunks of 50, one
// after the other. In Development Mode it fails before any request (not
// with a *ChunkError).
func (s *UsersService) followWrite(ctx context.Context, op *operation, typ string, ids []string) error {
	if err := usersFollowType(op, typ); err != nil {
		return err
	}
	return batchWrite(ctx, s.c, op, usersMaxFollowIDs, ids, url.Values{"type": {typ}}, false)
}

// CheckFollowsArtistsOrUsers reports, for each id in order, whether the
// current user follows that artist or user; typ is FollowTypeArtist or
// FollowTypeUser. Any number of ids is accepted: a list over 50 distinct
// ids is asked in chunks of 50, several at a time within the client's
// concurrency, each distinct id once, and the answers come back in input
// order. The first failure cancels the other chunks and is returned as is.
// An answer that is not a list of one boolean per id is a *DecodeError.
//
// It fails with ErrInvalidArgument, sending nothing, on the arguments
// [UsersService.FollowArtistsOrUsers] rejects.
//
// Spotify API: GET /me/following/contains?type=&ids=. Scope:
// user-follow-read. Extended Quota Mode only.
func (s *UsersService) CheckFollowsArtistsOrUsers(ctx context.Context, typ string, ids []string, opts *FollowOptions) ([]bool, error) {
	if err := usersFollowType(opCheckFollows, typ); err != nil {
		return nil, err
	}
	return batchCheck(ctx, s.c, opCheckFollows, usersMaxFollowIDs, ids, url.Values{"type": {typ}})
}

// CheckFollowsPlaylistOptions are the options of
// [UsersService.CheckIfFollowsPlaylist].
type CheckFollowsPlaylistOptions struct {
	// UserID, when set, is sent as the spec's deprecated ids parameter (a
	// list of at most one id: the current user's). Spotify answers for the
	// current user either way.
	UserID string
}

// CheckIfFollowsPlaylist reports whether the current user follows a
// playlist. Spotify answers a list of one boolean; an answer of another
// shape is a *DecodeError.
//
// It fails with ErrInvalidArgument, sending nothing, when playlistID is
// empty.
//
// Spotify API: GET /playlists/{playlist_id}/followers/contains. No scope
// needed. Extended Quota Mode only.
func (s *UsersService) CheckIfFollowsPlaylist(ctx context.Context, playlistID string, opts *CheckFollowsPlaylistOptions) (bool, error) {
	if opts == nil {
		opts = &CheckFollowsPlaylistOptions{}
	}
	op := opCheckFollowsPlaylist
	p := s.c.params(op, playlistID)
	if opts.UserID != "" {
		p.fail(op.checkID("ids", opts.UserID))
	}
	cl, err := p.str("ids", opts.UserID).call()
	if err != nil {
		return false, err
	}
	var got []bool
	if _, err := s.c.call(ctx, cl, &got); err != nil {
		return false, err
	}
	if len(got) != 1 {
		return false, &DecodeError{Method: op.method, Route: op.path, Err: fmt.Errorf("expected a list of one boolean, got %d booleans", len(got))}
	}
	return got[0], nil
}
