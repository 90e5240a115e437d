package spotifytest_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// TestSDKReadsCurrentUser logs a user in through the emulator's
// authorization-code flow with PKCE (plain HTTP, as a browser and a
// callback would), then reads the profile and every saved track through
// the SDK with the user's access token.
func TestSDKReadsCurrentUser(t *testing.T) {
	srv := spotifytest.NewServer()
	t.Cleanup(srv.Close)
	const redirect = "http://127.0.0.1:8888/callback"
	verifier := strings.Repeat("v3rifier-", 6)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"client_id": {spotifytest.ClientID}, "response_type": {"code"}, "redirect_uri": {redirect},
		"scope": {"user-read-private user-read-email user-library-read"}, "state": {"st"},
		"code_challenge_method": {"S256"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(srv.URL + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound || loc.Query().Get("state") != "st" {
		t.Fatalf("authorize: %d %v %v", resp.StatusCode, loc, err)
	}
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {redirect},
		"client_id": {spotifytest.ClientID}, "code_verifier": {verifier},
	}
	resp, err = http.PostForm(srv.URL+"/api/token", form)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("token: %d %+v %v", resp.StatusCode, tok, err)
	}

	c, err := spotify.NewClient(append(srv.ClientOptions(), spotify.WithAccessToken(tok.AccessToken), spotify.WithMaxRetries(0))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()
	me, err := c.Users.GetCurrentProfile(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != srv.LoginUser() || me.Email == nil || me.Country == nil || me.Product == nil || me.AccountID == "" {
		t.Fatalf("profile %+v", me)
	}
	page, err := c.Tracks.GetSaved(ctx, &spotify.SavedTracksOptions{Limit: 13})
	if err != nil {
		t.Fatal(err)
	}
	n, seen := 0, map[string]bool{}
	for st, err := range page.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if st.Track.ID == "" || st.AddedAt.IsZero() || seen[st.Track.ID] {
			t.Fatalf("saved track %d: %+v", n, st)
		}
		seen[st.Track.ID] = true
		n++
	}
	if n != page.Total || n == 0 {
		t.Fatalf("All walked %d saved tracks of %d", n, page.Total)
	}
}

// TestSDKReadsPlayerAndFollows reads the other /me routes through the SDK
// with a token from srv.UserToken: follows and listening history walked by
// their cursors, top items, the player idle and playing, the library
// check.
func TestSDKReadsPlayerAndFollows(t *testing.T) {
	srv := spotifytest.NewServer()
	t.Cleanup(srv.Close)
	c, err := spotify.NewClient(append(srv.ClientOptions(), spotify.WithAccessToken(srv.UserToken(spotifytest.AllScopes())), spotify.WithMaxRetries(0))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()

	fa, err := c.Users.GetFollowedArtists(ctx, &spotify.FollowedArtistsOptions{Limit: 9})
	if err != nil {
		t.Fatal(err)
	}
	var followed []string
	for a, err := range fa.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		followed = append(followed, a.ID)
	}
	if len(followed) != fa.Total || len(followed) == 0 {
		t.Fatalf("followed artists: walked %d of %d", len(followed), fa.Total)
	}
	rp, err := c.Player.GetRecentlyPlayed(ctx, &spotify.RecentlyPlayedOptions{Limit: 15})
	if err != nil {
		t.Fatal(err)
	}
	plays := 0
	for it, err := range rp.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if it.Track.ID == "" || it.PlayedAt.IsZero() {
			t.Fatalf("play %d: %+v", plays, it)
		}
		plays++
	}
	if plays != 50 {
		t.Fatalf("recently played: %d plays, want 50", plays)
	}
	top, err := c.Users.GetTopTracks(ctx, &spotify.TopItemsOptions{TimeRange: "short_term", Limit: 5})
	if err != nil || len(top.Items) != 5 {
		t.Fatalf("top tracks: %v %v", top, err)
	}

	st, err := c.Player.GetPlaybackState(ctx, nil)
	if err != nil || st != nil {
		t.Fatalf("idle playback state: %+v %v", st, err)
	}
	trackID := srv.Catalog().IDs(spotifytest.KindTrack, 1)[0]
	if err := srv.SetPlaying(srv.LoginUser(), trackID); err != nil {
		t.Fatal(err)
	}
	st, err = c.Player.GetPlaybackState(ctx, nil)
	if err != nil || st == nil || !st.IsPlaying || st.Item == nil || !st.Device.IsActive {
		t.Fatalf("playback state: %+v %v", st, err)
	}
	cp, err := c.Player.GetCurrentlyPlaying(ctx, nil)
	if err != nil || cp == nil || cp.Item == nil {
		t.Fatalf("currently playing: %+v %v", cp, err)
	}
	devs, err := c.Player.GetDevices(ctx, nil)
	if err != nil || len(devs) == 0 || !devs[0].IsActive {
		t.Fatalf("devices: %+v %v", devs, err)
	}
	q, err := c.Player.GetQueue(ctx, nil)
	if err != nil || q.CurrentlyPlaying == nil {
		t.Fatalf("queue: %+v %v", q, err)
	}
	got, err := c.Library.CheckContains(ctx, []string{"spotify:artist:" + followed[0]}, nil)
	if err != nil || len(got) != 1 || !got[0] {
		t.Fatalf("library contains a followed artist: %v %v", got, err)
	}
}
