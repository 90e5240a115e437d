package spotifytest

import "testing"

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
