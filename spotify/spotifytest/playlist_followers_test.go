package spotifytest

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlaylistFollowersContains(t *testing.T) {
	srv := NewServer(WithCatalogSize(20))
	defer srv.Close()
	tok := srv.UserToken()
	owned := id(t, srv, KindPlaylist, 0) // playlist 0 belongs to user 0, the default login user
	got := getMeJSON(t, srv, tok, "/v1/playlists/"+owned+"/followers/contains", 200).([]any)
	if len(got) != 1 || got[0] != true {
		t.Fatalf("the owner follows their playlist: got %v", got)
	}
	again := getMeJSON(t, srv, tok, "/v1/playlists/"+owned+"/followers/contains", 200).([]any)
	if again[0] != got[0] {
		t.Fatal("answers are deterministic")
	}
	getMeJSON(t, srv, tok, "/v1/playlists/"+owned+"/followers/contains?ids=nobody", 400)
	getMeJSON(t, srv, tok, "/v1/playlists/0000000000000000000000/followers/contains", 404)
	getMeJSON(t, srv, srv.Token(), "/v1/playlists/"+owned+"/followers/contains", 401)
}

// playlistFollowed returns what both routes say of whether the login user
// follows the playlist with id: followers/contains and /me/library/contains.
func playlistFollowed(t *testing.T, srv *Server, tok, id string) (followers, library bool) {
	t.Helper()
	f := containsOf(t, srv, tok, "/v1/playlists/"+id+"/followers/contains")
	l := containsOf(t, srv, tok, "/v1/me/library/contains?uris=spotify:playlist:"+id)
	require.Len(t, f, 1)
	require.Len(t, l, 1)
	return f[0], l[0]
}

// A playlist the user follows without owning it: both contains routes say
// so, and an unfollow through either write route is seen by both.
func TestPlaylistFollowOfNonOwnerIsOneState(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	me := srv.LoginUser()
	u, ok := srv.cat.lookup(kUser, me)
	require.True(t, ok)
	var target string // a playlist of another user the generated follows have u follow
	for p := range srv.cat.numPlaylists() {
		if srv.cat.playlistOwner(p) != u && srv.cat.followsPlaylist(u, p) {
			target = srv.cat.encodeID(kPlaylist, p)
			break
		}
	}
	require.NotEmpty(t, target, "no followed playlist of another user")
	require.NotEqual(t, me, getMe(t, srv, tok, "/v1/playlists/"+target)["owner"].(obj)["id"])

	f, l := playlistFollowed(t, srv, tok, target)
	assert.True(t, f, "followers/contains")
	assert.True(t, l, "/me/library/contains agrees with followers/contains")

	mustDo(t, srv, tok, http.MethodDelete, "/v1/playlists/"+target+"/followers", "", http.StatusOK)
	f, l = playlistFollowed(t, srv, tok, target)
	assert.False(t, f, "followers/contains after the unfollow")
	assert.False(t, l, "/me/library/contains after the unfollow")
	assert.Equal(t, 1, srv.Applied(me, "spotify:playlist:"+target), "the unfollow was applied")

	mustDo(t, srv, tok, http.MethodPut, "/v1/me/library?uris=spotify:playlist:"+target, "", http.StatusOK)
	f, l = playlistFollowed(t, srv, tok, target)
	assert.True(t, f && l, "followed again through /me/library: followers %v, library %v", f, l)
}

// A playlist created through the API: its owner follows it, and may
// unfollow and follow it again through both write routes.
func TestCreatedPlaylistFollow(t *testing.T) {
	srv := start(t)
	tok := srv.UserToken(writeScopes...)
	me := srv.LoginUser()
	var created struct {
		ID string `json:"id"`
	}
	b := mustDo(t, srv, tok, http.MethodPost, "/v1/me/playlists", `{"name":"Followed"}`, http.StatusCreated)
	require.NoError(t, json.Unmarshal(b, &created))
	uri := "spotify:playlist:" + created.ID

	f, l := playlistFollowed(t, srv, tok, created.ID)
	assert.True(t, f, "the owner follows a created playlist (followers/contains)")
	assert.True(t, l, "the owner follows a created playlist (/me/library/contains)")

	mustDo(t, srv, tok, http.MethodDelete, "/v1/playlists/"+created.ID+"/followers", "", http.StatusOK)
	f, l = playlistFollowed(t, srv, tok, created.ID)
	assert.False(t, f || l, "after DELETE followers: followers %v, library %v", f, l)
	assert.Equal(t, 1, srv.Applied(me, uri))

	mustDo(t, srv, tok, http.MethodPut, "/v1/playlists/"+created.ID+"/followers", "", http.StatusOK)
	f, l = playlistFollowed(t, srv, tok, created.ID)
	assert.True(t, f && l, "after PUT followers: followers %v, library %v", f, l)

	mustDo(t, srv, tok, http.MethodDelete, "/v1/me/library?uris="+uri, "", http.StatusOK)
	f, l = playlistFollowed(t, srv, tok, created.ID)
	assert.False(t, f || l, "after DELETE /me/library: followers %v, library %v", f, l)
	assert.Equal(t, 3, srv.Applied(me, uri))

	// Another user does not follow it.
	other := srv.Catalog().IDs(KindUser, 2)[1]
	got := containsOf(t, srv, tok, "/v1/playlists/"+created.ID+"/followers/contains?ids="+other)
	assert.Equal(t, []bool{false}, got)
}
