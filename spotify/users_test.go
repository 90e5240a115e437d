package spotify

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// usersArtistJSON is an artist as a Development Mode app gets it (no
// followers, popularity or genres).
const usersArtistJSON = `{"external_urls":{"spotify":"https://open.spotify.com/artist/r1"},
"href":"https://api.spotify.com/v1/artists/r1","id":"r1","images":[{"url":"https://i.scdn.co/image/r1","height":640,"width":640}],
"name":"Artist One","type":"artist","uri":"spotify:artist:r1"}`

// usersTrackJSON is a full track.
const usersTrackJSON = `{"artists":[{"external_urls":{"spotify":"x"},"href":"h","id":"r1","name":"Artist One","type":"artist","uri":"spotify:artist:r1"}],
"disc_number":1,"duration_ms":200000.0,"explicit":true,"external_urls":{"spotify":"https://open.spotify.com/track/t1"},
"href":"https://api.spotify.com/v1/tracks/t1","id":"t1","name":"Track One","track_number":3,"type":"track","uri":"spotify:track:t1","is_local":false,
"album":{"album_type":"album","total_tracks":10,"external_urls":{"spotify":"x"},"href":"h","id":"a1","images":[],"name":"Album One",
"release_date":"2026","release_date_precision":"year","type":"album","uri":"spotify:album:a1","artists":[]}}`

func TestUsersMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: "GetCurrentProfile Development Mode", method: "GET", path: "/me",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.GetCurrentProfile(ctx, nil)
			},
			respond: `{"display_name":"Jo","external_urls":{"spotify":"https://open.spotify.com/user/u1"},
"href":"https://api.spotify.com/v1/users/u1","id":"u1","images":[],"type":"user","uri":"spotify:user:u1","account_id":"acc-123"}`,
			check: func(t *testing.T, got any) {
				u := got.(*CurrentUser)
				assert.Equal(t, "u1", u.ID)
				require.NotNil(t, u.DisplayName)
				assert.Equal(t, "Jo", *u.DisplayName)
				assert.Equal(t, "acc-123", u.AccountID)
				assert.Nil(t, u.Country, "removed for Development Mode")
				assert.Nil(t, u.Email)
				assert.Nil(t, u.Product)
				assert.Nil(t, u.Followers)
				assert.Nil(t, u.ExplicitContent)
			},
		},
		{
			name: "GetCurrentProfile Extended Quota", method: "GET", path: "/me",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.GetCurrentProfile(ctx, &CurrentProfileOptions{})
			},
			respond: `{"country":"SE","display_name":null,"email":"jo@example.com","explicit_content":{"filter_enabled":false,"filter_locked":true},
"external_urls":{"spotify":"x"},"followers":{"href":null,"total":7.0},"href":"h","id":"u1","images":[],"product":"premium","type":"user","uri":"spotify:user:u1"}`,
			check: func(t *testing.T, got any) {
				u := got.(*CurrentUser)
				assert.Nil(t, u.DisplayName)
				assert.Equal(t, "SE", *u.Country)
				assert.Equal(t, "jo@example.com", *u.Email)
				assert.Equal(t, "premium", *u.Product)
				require.NotNil(t, u.Followers)
				assert.Equal(t, 7, u.Followers.Total)
				require.NotNil(t, u.ExplicitContent)
				assert.False(t, *u.ExplicitContent.FilterEnabled)
				assert.True(t, *u.ExplicitContent.FilterLocked)
				assert.Empty(t, u.AccountID)
			},
		},
		{
			name: "GetTopArtists defaults", method: "GET", path: "/me/top/artists",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.GetTopArtists(ctx, nil)
			},
			respond: `{"href":"h","items":[` + usersArtistJSON + `],"limit":20,"next":null,"offset":0,"previous":null,"total":1}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[Artist])
				require.Len(t, p.Items, 1)
				assert.Equal(t, "Artist One", p.Items[0].Name)
				assert.Nil(t, p.Items[0].Popularity)
			},
		},
		{
			name: "GetTopArtists all options", method: "GET", path: "/me/top/artists",
			query: url.Values{"time_range": {"short_term"}, "limit": {"10"}, "offset": {"5"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.GetTopArtists(ctx, &TopItemsOptions{TimeRange: TimeRangeShort, Limit: 10, Offset: 5})
			},
			respond: `{"href":"h","items":[` + artistsArtistJSON + `],"limit":10,"next":null,"offset":5,"previous":"p","total":6}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[Artist])
				assert.Equal(t, 10, p.Limit)
				assert.Equal(t, 5, p.Offset)
				assert.Equal(t, 6, p.Total)
				require.Len(t, p.Items, 1)
				assert.Equal(t, "r1", p.Items[0].ID)
				require.NotNil(t, p.Items[0].Popularity)
				assert.Equal(t, 77, *p.Items[0].Popularity)
				assert.Equal(t, []string{"pop"}, p.Items[0].Genres)
			},
		},
		{
			name: "GetTopArtists only limit", method: "GET", path: "/me/top/artists",
			query: url.Values{"limit": {"3"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.GetTopArtists(ctx, &TopItemsOptions{Limit: 3})
			},
			respond: `{"href":"h","items":[` + usersArtistJSON + `,` + artistsArtistJSON + `],
"limit":3,"next":null,"offset":0,"previous":null,"total":2}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[Artist])
				assert.Equal(t, 3, p.Limit)
				assert.Equal(t, 2, p.Total)
				require.Len(t, p.Items, 2)
				assert.Nil(t, p.Items[0].Followers, "the Development Mode artist has no followers")
				require.NotNil(t, p.Items[1].Followers)
				assert.Equal(t, 1234, p.Items[1].Followers.Total)
			},
		},
		{
			name: "GetTopTracks", method: "GET", path: "/me/top/tracks",
			query: url.Values{"time_range": {"long_term"}, "offset": {"20"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.GetTopTracks(ctx, &TopItemsOptions{TimeRange: TimeRangeLong, Offset: 20})
			},
			respond: `{"href":"h","items":[` + usersTrackJSON + `],"limit":20,"next":null,"offset":20,"previous":null,"total":21}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[Track])
				require.Len(t, p.Items, 1)
				assert.Equal(t, 200000, p.Items[0].DurationMS)
				assert.Equal(t, "a1", p.Items[0].Album.ID)
			},
		},
		{
			name: "GetTopTracks defaults", method: "GET", path: "/me/top/tracks",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.GetTopTracks(ctx, &TopItemsOptions{})
			},
			respond: `{"href":"h","items":[` + usersTrackJSON + `],"limit":20,"next":"https://api.spotify.com/v1/me/top/tracks?offset=20&limit=20",
"offset":0,"previous":null,"total":50}`,
			check: func(t *testing.T, got any) {
				p := got.(*Page[Track])
				assert.Equal(t, 20, p.Limit)
				assert.Equal(t, 50, p.Total)
				assert.Equal(t, "https://api.spotify.com/v1/me/top/tracks?offset=20&limit=20", p.Next)
				require.Len(t, p.Items, 1)
				tr := p.Items[0]
				assert.Equal(t, "t1", tr.ID)
				assert.Equal(t, "Track One", tr.Name)
				assert.True(t, tr.Explicit)
				require.Len(t, tr.Artists, 1)
				assert.Equal(t, "Artist One", tr.Artists[0].Name)
			},
		},
		{
			name: "GetFollowedArtists defaults", method: "GET", path: "/me/following",
			query: url.Values{"type": {"artist"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.GetFollowedArtists(ctx, nil)
			},
			respond: `{"artists":{"href":"h","items":[` + usersArtistJSON + `],"limit":20,"next":null,"cursors":{"after":null},"total":1}}`,
			check: func(t *testing.T, got any) {
				p := got.(*CursorPage[Artist])
				require.Len(t, p.Items, 1)
				assert.Equal(t, "r1", p.Items[0].ID)
				assert.Equal(t, 1, p.Total)
				assert.Empty(t, p.Cursors.After)
			},
		},
		{
			name: "GetFollowedArtists after and limit", method: "GET", path: "/me/following",
			query: url.Values{"type": {"artist"}, "after": {"artist123"}, "limit": {"10"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.GetFollowedArtists(ctx, &FollowedArtistsOptions{After: "artist123", Limit: 10})
			},
			respond: `{"artists":{"href":"h","items":[` + usersArtistJSON + `],"limit":10,
"next":"https://api.spotify.com/v1/me/following?type=artist&after=r1&limit=10","cursors":{"after":"r1"},"total":14}}`,
			check: func(t *testing.T, got any) {
				p := got.(*CursorPage[Artist])
				assert.Equal(t, 10, p.Limit)
				assert.Equal(t, 14, p.Total)
				assert.Equal(t, "r1", p.Cursors.After, "the cursor for the next page")
				assert.Equal(t, "https://api.spotify.com/v1/me/following?type=artist&after=r1&limit=10", p.Next)
				require.Len(t, p.Items, 1)
				assert.Equal(t, "Artist One", p.Items[0].Name)
			},
		},
	})
}

func TestUsersValidation(t *testing.T) {
	runInvalidCases(t, []invalidCase{
		{"GetTopArtists bad time_range", func(ctx context.Context, c *Client) error {
			_, err := c.Users.GetTopArtists(ctx, &TopItemsOptions{TimeRange: "forever"})
			return err
		}, `spotify: Users.GetTopArtists: time_range: "forever" is not one of long_term, medium_term, short_term`},
		{"GetTopTracks bad time_range", func(ctx context.Context, c *Client) error {
			_, err := c.Users.GetTopTracks(ctx, &TopItemsOptions{TimeRange: "Short_Term", Limit: 5})
			return err
		}, `spotify: Users.GetTopTracks: time_range: "Short_Term" is not one of long_term, medium_term, short_term`},
		{"GetFollowedArtists a URI as the after cursor", func(ctx context.Context, c *Client) error {
			_, err := c.Users.GetFollowedArtists(ctx, &FollowedArtistsOptions{After: "spotify:artist:r1"})
			return err
		}, `spotify: Users.GetFollowedArtists: after "spotify:artist:r1" is a Spotify URI, not an id: pass "r1"`},
	})
}

func TestUsersFollowedArtistsMissingKey(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"href":"h","items":[],"limit":20,"next":null,"cursors":{},"total":0}`)
	})
	c := newTestClient(t, ts)
	_, err := c.Users.GetFollowedArtists(context.Background(), nil)
	var de *DecodeError
	require.True(t, errors.As(err, &de), "an answer without the artists key: %v", err)
	assert.Contains(t, err.Error(), `"artists"`)
}

// TestUsersFollowedArtistsNextPage walks the wrapped cursor page: NextPage
// follows the next link (type=artist&after=...) and unwraps the answer.
func TestUsersFollowedArtistsNextPage(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/me/following", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("after") == "" {
			next := ts.URL + "/v1/me/following?type=artist&after=r1&limit=1"
			_, _ = io.WriteString(w, `{"artists":{"href":"h","items":[`+usersArtistJSON+`],"limit":1,"next":"`+next+`","cursors":{"after":"r1"},"total":2}}`)
			return
		}
		second := strings.ReplaceAll(usersArtistJSON, "r1", "r2")
		_, _ = io.WriteString(w, `{"artists":{"href":"h","items":[`+second+`],"limit":1,"next":null,"cursors":{"after":null},"total":2}}`)
	})
	c := newTestClient(t, ts)
	ctx := context.Background()
	first, err := c.Users.GetFollowedArtists(ctx, &FollowedArtistsOptions{Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, "r1", first.Cursors.After)

	next, err := first.NextPage(ctx)
	require.NoError(t, err)
	require.Len(t, next.Items, 1)
	assert.Equal(t, "r2", next.Items[0].ID)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "GET", reqs[1].Method)
	assert.Equal(t, "/me/following", reqs[1].Path)
	assert.Equal(t, url.Values{"type": {"artist"}, "after": {"r1"}, "limit": {"1"}}, reqs[1].Query)

	_, err = next.NextPage(ctx)
	assert.ErrorIs(t, err, ErrNoMorePages)

	var ids []string
	for a, err := range first.All(ctx) {
		require.NoError(t, err)
		ids = append(ids, a.ID)
	}
	assert.Equal(t, []string{"r1", "r2"}, ids)
}

func TestUsersTopArtistsNextPage(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/me/top/artists", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("offset") == "" {
			next := ts.URL + "/v1/me/top/artists?offset=1&limit=1"
			_, _ = io.WriteString(w, `{"href":"h","items":[`+usersArtistJSON+`],"limit":1,"next":"`+next+`","offset":0,"previous":null,"total":2}`)
			return
		}
		_, _ = io.WriteString(w, `{"href":"h","items":[`+strings.ReplaceAll(usersArtistJSON, "r1", "r2")+`],"limit":1,"next":null,"offset":1,"previous":"p","total":2}`)
	})
	c := newTestClient(t, ts)
	p, err := c.Users.GetTopArtists(context.Background(), &TopItemsOptions{Limit: 1})
	require.NoError(t, err)
	var ids []string
	for a, err := range p.All(context.Background()) {
		require.NoError(t, err)
		ids = append(ids, a.ID)
	}
	assert.Equal(t, []string{"r1", "r2"}, ids)
}

func TestUsersSamplesDecode(t *testing.T) {
	var me CurrentUser
	assertDecodesWithoutLoss(t, sample(t, "current-user.json"), &me)
	require.NotNil(t, me.Country)
	assert.Equal(t, "SE", *me.Country)
	require.NotNil(t, me.Followers)
	assert.Equal(t, 3829, me.Followers.Total)
	assert.Len(t, me.Images, 1)

	var pub PublicUser
	assertDecodesWithoutLoss(t, sample(t, "user-profile.json"), &pub)
	assert.Equal(t, "11124066204", pub.ID)
	require.NotNil(t, pub.DisplayName)

	var top Page[Artist]
	assertDecodesWithoutLoss(t, sample(t, "top-artists-page.json"), &top)
	assert.NotEmpty(t, top.Items)

	var followed struct {
		Artists CursorPage[Artist] `json:"artists"`
	}
	assertDecodesWithoutLoss(t, sample(t, "followed-artists-cursor-page.json"), &followed)
	assert.NotEmpty(t, followed.Artists.Items)
	assert.Equal(t, "0aV6DOiouImYTqrR5YlIqx", followed.Artists.Cursors.After)
}
