package spotify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// usersExtendedIDs returns n distinct ids.
func usersExtendedIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("id%03d", i)
	}
	return out
}

func TestUsersExtendedMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: opGetUserProfile.id + " GetProfile", method: "GET", path: "/users/smedjan",
			respond: `{"display_name":"Smedjan","external_urls":{"spotify":"https://open.spotify.com/user/smedjan"},"followers":{"href":null,"total":3.0},
"href":"https://api.spotify.com/v1/users/smedjan","id":"smedjan","images":[],"type":"user","uri":"spotify:user:smedjan"}`,
			call: func(ctx context.Context, c *Client) (any, error) { return c.Users.GetProfile(ctx, "smedjan", nil) },
			check: func(t *testing.T, got any) {
				u := got.(*PublicUser)
				assert.Equal(t, "smedjan", u.ID)
				require.NotNil(t, u.Followers)
				assert.Equal(t, 3, u.Followers.Total)
			},
		},
		{
			name: opFollowPlaylist.id + " FollowPlaylist default", method: "PUT", path: "/playlists/p1/followers",
			call: func(ctx context.Context, c *Client) (any, error) { return nil, c.Users.FollowPlaylist(ctx, "p1", nil) },
		},
		{
			name: opFollowPlaylist.id + " FollowPlaylist private", method: "PUT", path: "/playlists/p1/followers",
			body: `{"public":false}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Users.FollowPlaylist(ctx, "p1", &FollowPlaylistOptions{Public: Ptr(false)})
			},
		},
		{
			name: opUnfollowPlaylist.id + " UnfollowPlaylist", method: "DELETE", path: "/playlists/p1/followers",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Users.UnfollowPlaylist(ctx, "p1", nil)
			},
		},
		{
			name: opFollowArtistsOrUsers.id + " FollowArtistsOrUsers artists", method: "PUT", path: "/me/following",
			query: url.Values{"type": {"artist"}, "ids": {"a1,a2"}}, status: http.StatusNoContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Users.FollowArtistsOrUsers(ctx, FollowTypeArtist, []string{"a1", "a2"}, nil)
			},
		},
		{
			name: opFollowArtistsOrUsers.id + " FollowArtistsOrUsers users", method: "PUT", path: "/me/following",
			query: url.Values{"type": {"user"}, "ids": {"u1"}}, status: http.StatusNoContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Users.FollowArtistsOrUsers(ctx, FollowTypeUser, []string{"u1"}, &FollowOptions{})
			},
		},
		{
			name: opUnfollowArtistsOrUsers.id + " UnfollowArtistsOrUsers", method: "DELETE", path: "/me/following",
			query: url.Values{"type": {"artist"}, "ids": {"a1,a2"}}, status: http.StatusNoContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Users.UnfollowArtistsOrUsers(ctx, "artist", []string{"a1", "a2"}, nil)
			},
		},
		{
			name: opCheckFollows.id + " CheckFollowsArtistsOrUsers", method: "GET", path: "/me/following/contains",
			query: url.Values{"type": {"user"}, "ids": {"u1,u2,u3"}}, respond: `[true,false,true]`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.CheckFollowsArtistsOrUsers(ctx, "user", []string{"u1", "u2", "u3"}, nil)
			},
			check: func(t *testing.T, got any) { assert.Equal(t, []bool{true, false, true}, got) },
		},
		{
			name: opCheckFollowsPlaylist.id + " CheckIfFollowsPlaylist", method: "GET", path: "/playlists/p1/followers/contains",
			respond: `[true]`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.CheckIfFollowsPlaylist(ctx, "p1", nil)
			},
			check: func(t *testing.T, got any) { assert.Equal(t, true, got) },
		},
		{
			name: opCheckFollowsPlaylist.id + " CheckIfFollowsPlaylist with the user id", method: "GET", path: "/playlists/p1/followers/contains",
			query: url.Values{"ids": {"u1"}}, respond: `[false]`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Users.CheckIfFollowsPlaylist(ctx, "p1", &CheckFollowsPlaylistOptions{UserID: "u1"})
			},
			check: func(t *testing.T, got any) { assert.Equal(t, false, got) },
		},
	})
}

func TestUsersExtendedValidation(t *testing.T) {
	ids := []string{"a1"}
	typeMsg := "is not one of artist, user"
	runInvalidCases(t, []invalidCase{
		{opGetUserProfile.id + " empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Users.GetProfile(ctx, "", nil)
			return err
		}, "spotify: Users.GetProfile: user_id is empty"},
		{opFollowPlaylist.id + " empty id", func(ctx context.Context, c *Client) error {
			return c.Users.FollowPlaylist(ctx, "", &FollowPlaylistOptions{Public: Ptr(true)})
		}, "spotify: Users.FollowPlaylist: playlist_id is empty"},
		{opUnfollowPlaylist.id + " empty id", func(ctx context.Context, c *Client) error {
			return c.Users.UnfollowPlaylist(ctx, " ", nil)
		}, "spotify: Users.UnfollowPlaylist: playlist_id is empty"},
		{opFollowArtistsOrUsers.id + " bad type", func(ctx context.Context, c *Client) error {
			return c.Users.FollowArtistsOrUsers(ctx, "playlist", ids, nil)
		}, `spotify: Users.FollowArtistsOrUsers: type: "playlist" is not one of artist, user`},
		{opFollowArtistsOrUsers.id + " empty type", func(ctx context.Context, c *Client) error {
			return c.Users.FollowArtistsOrUsers(ctx, "", ids, nil)
		}, typeMsg},
		{opFollowArtistsOrUsers.id + " no ids", func(ctx context.Context, c *Client) error {
			return c.Users.FollowArtistsOrUsers(ctx, "artist", nil, nil)
		}, "spotify: Users.FollowArtistsOrUsers: ids is empty"},
		{opFollowArtistsOrUsers.id + " empty id", func(ctx context.Context, c *Client) error {
			return c.Users.FollowArtistsOrUsers(ctx, "artist", []string{"a1", ""}, nil)
		}, "spotify: Users.FollowArtistsOrUsers: ids[1] is empty"},
		{opUnfollowArtistsOrUsers.id + " bad type", func(ctx context.Context, c *Client) error {
			return c.Users.UnfollowArtistsOrUsers(ctx, "Artist", ids, nil)
		}, typeMsg},
		{opUnfollowArtistsOrUsers.id + " no ids", func(ctx context.Context, c *Client) error {
			return c.Users.UnfollowArtistsOrUsers(ctx, "user", []string{}, nil)
		}, "spotify: Users.UnfollowArtistsOrUsers: ids is empty"},
		{opCheckFollows.id + " bad type", func(ctx context.Context, c *Client) error {
			_, err := c.Users.CheckFollowsArtistsOrUsers(ctx, "show", ids, nil)
			return err
		}, typeMsg},
		{opCheckFollows.id + " empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Users.CheckFollowsArtistsOrUsers(ctx, "user", []string{" "}, nil)
			return err
		}, "spotify: Users.CheckFollowsArtistsOrUsers: ids[0] is empty"},
		{opCheckFollowsPlaylist.id + " a URI as the user id", func(ctx context.Context, c *Client) error {
			_, err := c.Users.CheckIfFollowsPlaylist(ctx, "p1", &CheckFollowsPlaylistOptions{UserID: "spotify:user:bob"})
			return err
		}, `spotify: Users.CheckIfFollowsPlaylist: ids "spotify:user:bob" is a Spotify URI, not an id: pass "bob"`},
		{opCheckFollowsPlaylist.id + " empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Users.CheckIfFollowsPlaylist(ctx, "", nil)
			return err
		}, "spotify: Users.CheckIfFollowsPlaylist: playlist_id is empty"},
	})
}

// usersExtendedIDsOf returns the ids of each recorded request, checking
// its method, path and type.
func usersExtendedIDsOf(t *testing.T, reqs []recorded, method, typ string) [][]string {
	t.Helper()
	var out [][]string
	for _, r := range reqs {
		assert.Equal(t, method, r.Method)
		assert.Equal(t, "/me/following", strings.TrimSuffix(r.Path, "/contains"))
		assert.Equal(t, typ, r.Query.Get("type"))
		assert.Empty(t, r.Body)
		out = append(out, strings.Split(r.Query.Get("ids"), ","))
	}
	return out
}

// TestUsersExtendedFollowChunks: 120 ids are 3 requests of 50, 50 and 20,
// in order; a failure is a *ChunkError.
func TestUsersExtendedFollowChunks(t *testing.T) {
	ids := usersExtendedIDs(120)
	for _, tc := range []struct {
		name, method string
		run          func(ctx context.Context, c *Client) error
	}{
		{"FollowArtistsOrUsers", "PUT", func(ctx context.Context, c *Client) error {
			return c.Users.FollowArtistsOrUsers(ctx, "artist", ids, nil)
		}},
		{"UnfollowArtistsOrUsers", "DELETE", func(ctx context.Context, c *Client) error {
			return c.Users.UnfollowArtistsOrUsers(ctx, "artist", ids, nil)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, c := playlistsScript(t, playlistsAnswer{http.StatusNoContent, ""})
			require.NoError(t, tc.run(context.Background(), c))
			got := usersExtendedIDsOf(t, ts.requests(), tc.method, "artist")
			require.Len(t, got, 3, "120 ids are 3 requests")
			assert.Equal(t, ids[:50], got[0])
			assert.Equal(t, ids[50:100], got[1])
			assert.Equal(t, ids[100:], got[2])
		})
	}
	t.Run("the second chunk fails", func(t *testing.T) {
		ts, c := playlistsScript(t,
			playlistsAnswer{http.StatusNoContent, ""},
			playlistsAnswer{http.StatusNotFound, `{"error":{"status":404,"message":"Not found"}}`})
		err := c.Users.FollowArtistsOrUsers(context.Background(), "user", ids, nil)
		var ce *ChunkError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, ids[:50], ce.Applied)
		assert.Equal(t, ids[50:100], ce.Failed)
		assert.Equal(t, ids[100:], ce.NotSent)
		assert.ErrorIs(t, err, ErrNotFound)
		assert.Len(t, ts.requests(), 2, "nothing is sent after the failure")
	})
}

// usersExtendedContainsServer answers /me/following/contains with true
// for the ids whose number is odd, and with a 400 for a chunk holding
// failOn.
func usersExtendedContainsServer(t *testing.T, failOn string) *testServer {
	t.Helper()
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/me/following/contains", func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(r.URL.Query().Get("ids"), ",")
		if slices.Contains(parts, failOn) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":{"status":400,"message":"Bad request"}}`)
			return
		}
		out := make([]string, len(parts))
		for i, id := range parts {
			var n int
			_, _ = fmt.Sscanf(id, "id%d", &n)
			out[i] = fmt.Sprint(n%2 == 1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, "[%s]", strings.Join(out, ","))
	})
	return ts
}

// TestUsersExtendedCheckFollowsChunks: 120 ids are asked in 3 requests
// (concurrently, so in any order) and the answers come back in input
// order; a repeated id is asked once.
func TestUsersExtendedCheckFollowsChunks(t *testing.T) {
	ids := usersExtendedIDs(120)
	ts := usersExtendedContainsServer(t, "")
	c := newTestClient(t, ts)
	got, err := c.Users.CheckFollowsArtistsOrUsers(context.Background(), "artist", ids, nil)
	require.NoError(t, err)
	require.Len(t, got, 120)
	for i, b := range got {
		assert.Equal(t, i%2 == 1, b, "answer %d", i)
	}
	chunked := usersExtendedIDsOf(t, ts.requests(), "GET", "artist")
	require.Len(t, chunked, 3)
	slices.SortFunc(chunked, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	assert.Equal(t, [][]string{ids[:50], ids[50:100], ids[100:]}, chunked)

	t.Run("repeated ids", func(t *testing.T) {
		ts := usersExtendedContainsServer(t, "")
		c := newTestClient(t, ts)
		got, err := c.Users.CheckFollowsArtistsOrUsers(context.Background(), "user", []string{"id001", "id002", "id001"}, nil)
		require.NoError(t, err)
		assert.Equal(t, []bool{true, false, true}, got)
		require.Len(t, ts.requests(), 1)
		assert.Equal(t, "id001,id002", ts.requests()[0].Query.Get("ids"))
	})
}

// TestUsersExtendedBadAnswers: an answer that is not one boolean per id is
// a *DecodeError; a failing chunk's error is returned as is.
func TestUsersExtendedBadAnswers(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		run        func(ctx context.Context, c *Client) error
	}{
		{"too few", `[true]`, func(ctx context.Context, c *Client) error {
			_, err := c.Users.CheckFollowsArtistsOrUsers(ctx, "artist", []string{"a1", "a2"}, nil)
			return err
		}},
		{"an object", `{"a1":true}`, func(ctx context.Context, c *Client) error {
			_, err := c.Users.CheckFollowsArtistsOrUsers(ctx, "artist", []string{"a1"}, nil)
			return err
		}},
		{"playlist empty list", `[]`, func(ctx context.Context, c *Client) error {
			_, err := c.Users.CheckIfFollowsPlaylist(ctx, "p1", nil)
			return err
		}},
		{"playlist two booleans", `[true,true]`, func(ctx context.Context, c *Client) error {
			_, err := c.Users.CheckIfFollowsPlaylist(ctx, "p1", nil)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := playlistsScript(t, playlistsAnswer{http.StatusOK, tc.body})
			err := tc.run(context.Background(), c)
			var de *DecodeError
			require.True(t, errors.As(err, &de), "want a *DecodeError, got %v", err)
		})
	}
	t.Run("a failing chunk", func(t *testing.T) {
		c := newTestClient(t, usersExtendedContainsServer(t, "id060"))
		got, err := c.Users.CheckFollowsArtistsOrUsers(context.Background(), "artist", usersExtendedIDs(120), nil)
		assert.Nil(t, got)
		assert.ErrorIs(t, err, ErrBadRequest)
	})
}

func TestUsersExtendedSamplesDecode(t *testing.T) {
	data := sample(t, "user-profile.json")
	var u PublicUser
	assertDecodesWithoutLoss(t, data, &u)
	assert.Equal(t, "11124066204", u.ID)
	require.NotNil(t, u.Followers)
	assert.Equal(t, 30, u.Followers.Total)
	runMethodCases(t, []methodCase{{
		name: opGetUserProfile.id + " sample", method: "GET", path: "/users/11124066204", respond: string(data),
		call: func(ctx context.Context, c *Client) (any, error) { return c.Users.GetProfile(ctx, "11124066204", nil) },
		check: func(t *testing.T, got any) {
			u := got.(*PublicUser)
			require.NotNil(t, u.DisplayName)
			assert.Equal(t, "Jo Franchetti", *u.DisplayName)
			assert.Len(t, u.Images, 1)
		},
	}})
}

// TestUsersExtendedDevelopmentMode: in Development Mode the chunked
// Extended Quota writes of this area fail before any request, with
// ErrUnavailableInDevelopmentMode and not a *ChunkError.
func TestUsersExtendedDevelopmentMode(t *testing.T) {
	ids := usersExtendedIDs(120)
	uris := playlistsTestURIs(120)
	for _, tc := range []struct {
		name string
		run  func(ctx context.Context, c *Client) error
	}{
		{opFollowArtistsOrUsers.id, func(ctx context.Context, c *Client) error {
			return c.Users.FollowArtistsOrUsers(ctx, "artist", ids, nil)
		}},
		{opCheckFollows.id, func(ctx context.Context, c *Client) error {
			_, err := c.Users.CheckFollowsArtistsOrUsers(ctx, "artist", ids, nil)
			return err
		}},
		{opAddPlaylistTracks.id, func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.AddTracks(ctx, "p1", uris, nil)
			return err
		}},
		{opReorderPlaylistTracks.id, func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceTracks(ctx, "p1", &ReorderOrReplaceOptions{URIs: uris})
			return err
		}},
		{opRemovePlaylistTracks.id, func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveTracks(ctx, "p1", &RemoveItemsOptions{URIs: uris})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			c := newTestClient(t, ts, WithAppMode(DevelopmentMode))
			err := tc.run(context.Background(), c)
			assert.ErrorIs(t, err, ErrUnavailableInDevelopmentMode)
			var ce *ChunkError
			assert.False(t, errors.As(err, &ce), "not a *ChunkError: nothing was sent")
			assert.Empty(t, ts.requests())
		})
	}
	t.Run("the /items twins are sent", func(t *testing.T) {
		ts, _ := playlistsScript(t, playlistsAnswer{http.StatusCreated, playlistsSnapshotJSON})
		c := newTestClient(t, ts, WithAppMode(DevelopmentMode))
		_, err := c.Playlists.AddItems(context.Background(), "p1", uris, nil)
		require.NoError(t, err)
		assert.Len(t, ts.requests(), 2)
	})
}
