package spotify

import "context"

// UsersService reads the current user's profile, top items and followed
// artists: c.Users. Follows and unfollows go through [LibraryService] with
// URIs.
type UsersService service

// CurrentProfileOptions are the options of
// [UsersService.GetCurrentProfile]. It has no fields yet; nil is fine.
type CurrentProfileOptions struct{}

// GetCurrentProfile returns the profile of the user who authorized the
// app. Country, Email, ExplicitContent, Followers and Product are nil for
// Development Mode apps.
//
// Spotify API: GET /me. Scope: user-read-private (user-read-email for
// Email).
func (s *UsersService) GetCurrentProfile(ctx context.Context, opts *CurrentProfileOptions) (*CurrentUser, error) {
	var u CurrentUser
	if _, err := s.c.call(ctx, &call{op: opGetMe}, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// Time ranges of [TopItemsOptions].
const (
	// TimeRangeLong is about a year of listening.
	TimeRangeLong = "long_term"
	// TimeRangeMedium is about the last six months.
	TimeRangeMedium = "medium_term"
	// TimeRangeShort is about the last four weeks.
	TimeRangeShort = "short_term"
)

// usersTimeRanges are the valid time ranges, sorted.
var usersTimeRanges = []string{TimeRangeLong, TimeRangeMedium, TimeRangeShort}

// TopItemsOptions are the options of [UsersService.GetTopArtists] and
// [UsersService.GetTopTracks]. Each is sent only when set (not zero), so
// Spotify's defaults apply (medium_term, limit 20, offset 0).
type TopItemsOptions struct {
	// TimeRange is the period the affinities are computed over:
	// TimeRangeLong, TimeRangeMedium or TimeRangeShort.
	TimeRange string
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Offset is the index of the first item, 0 or more.
	Offset int
}

// topItems checks opts and returns the call of a top-items operation.
func (s *UsersService) topItems(op *operation, opts *TopItemsOptions) (*call, error) {
	if opts == nil {
		opts = &TopItemsOptions{}
	}
	p := s.c.params(op)
	if opts.TimeRange != "" {
		p.fail(op.oneOf("time_range", opts.TimeRange, usersTimeRanges))
	}
	return p.str("time_range", opts.TimeRange).page(opts.Limit, opts.Offset).call()
}

// GetTopArtists returns a page of the user's top artists; walk the rest
// with NextPage or All.
//
// Spotify API: GET /me/top/artists. Scope: user-top-read.
func (s *UsersService) GetTopArtists(ctx context.Context, opts *TopItemsOptions) (*Page[Artist], error) {
	cl, err := s.topItems(opGetTopArtists, opts)
	if err != nil {
		return nil, err
	}
	return getPage[Artist](ctx, s.c, cl)
}

// GetTopTracks returns a page of the user's top tracks; walk the rest with
// NextPage or All.
//
// Spotify API: GET /me/top/tracks. Scope: user-top-read.
func (s *UsersService) GetTopTracks(ctx context.Context, opts *TopItemsOptions) (*Page[Track], error) {
	cl, err := s.topItems(opGetTopTracks, opts)
	if err != nil {
		return nil, err
	}
	return getPage[Track](ctx, s.c, cl)
}

// FollowedArtistsOptions are the options of
// [UsersService.GetFollowedArtists]. Each is sent only when set (not
// zero).
type FollowedArtistsOptions struct {
	// After is the id of the last artist of the previous page.
	After string
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
}

// GetFollowedArtists returns a cursor page of the artists the user
// follows; NextPage and All walk forward by the after cursor.
//
// Spotify API: GET /me/following?type=artist. Scope: user-follow-read.
func (s *UsersService) GetFollowedArtists(ctx context.Context, opts *FollowedArtistsOptions) (*CursorPage[Artist], error) {
	if opts == nil {
		opts = &FollowedArtistsOptions{}
	}
	p := s.c.params(opGetFollowedArtists).str("type", "artist")
	if opts.After != "" {
		p.fail(opGetFollowedArtists.checkID("after", opts.After))
	}
	cl, err := p.str("after", opts.After).limit(opts.Limit).call()
	if err != nil {
		return nil, err
	}
	var page CursorPage[Artist]
	if _, err := s.c.callWrapped(ctx, cl, "artists", &page); err != nil {
		return nil, err
	}
	return page.bind(s.c, opGetFollowedArtists, "artists"), nil
}
