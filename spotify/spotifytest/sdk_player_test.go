package spotifytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/clock"
	"github.com/spotifysdk/spotify-go/spotify"
	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// TestSDKDrivesThePlayer plays an album through the SDK's player commands
// on an emulator with a fake clock, and checks after each step that the
// playback state, queue, history and devices show it.
func TestSDKDrivesThePlayer(t *testing.T) {
	clk := clock.NewFake()
	clk.Set(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	srv := spotifytest.NewServer(spotifytest.WithClock(clk.Now))
	t.Cleanup(srv.Close)
	ctx := context.Background()

	// A user with two devices or more, and an album of six tracks or more.
	var c *spotify.Client
	var devs []spotify.Device
	for _, u := range srv.Catalog().IDs(spotifytest.KindUser, 50) {
		require.NoError(t, srv.SetLoginUser(u))
		uc, err := spotify.NewClient(append(srv.ClientOptions(),
			spotify.WithAccessToken(srv.UserToken(spotifytest.AllScopes())), spotify.WithMaxRetries(0))...)
		require.NoError(t, err)
		t.Cleanup(func() { _ = uc.Close() })
		c = uc
		devs, err = c.Player.GetDevices(ctx, nil)
		require.NoError(t, err)
		if len(devs) >= 2 {
			break
		}
	}
	require.GreaterOrEqual(t, len(devs), 2, "no user with two devices")
	for _, d := range devs {
		require.False(t, d.IsActive, "device %s is active before any command", d.Name)
	}
	var album *spotify.Album
	for _, id := range srv.Catalog().IDs(spotifytest.KindAlbum, 40) {
		a, err := c.Albums.Get(ctx, id, nil)
		require.NoError(t, err)
		if a.Tracks.Total >= 6 {
			album = a
			break
		}
	}
	require.NotNil(t, album, "no album with six tracks")
	track := func(k int) string { return album.Tracks.Items[k].ID }

	state := func() *spotify.PlaybackState {
		t.Helper()
		st, err := c.Player.GetPlaybackState(ctx, nil)
		require.NoError(t, err)
		require.NotNil(t, st, "nothing plays")
		return st
	}
	recent := func(n int) []string {
		t.Helper()
		p, err := c.Player.GetRecentlyPlayed(ctx, &spotify.RecentlyPlayedOptions{Limit: n})
		require.NoError(t, err)
		var ids []string
		for _, it := range p.Items {
			ids = append(ids, it.Track.ID)
		}
		return ids
	}
	queue := func() (string, []string) {
		t.Helper()
		q, err := c.Player.GetQueue(ctx, nil)
		require.NoError(t, err)
		var ids []string
		for _, it := range q.Queue {
			ids = append(ids, it.ID())
		}
		return q.CurrentlyPlaying.ID(), ids
	}

	// Without an active device a command fails with ErrNoActiveDevice.
	err := c.Player.PausePlayback(ctx, nil)
	require.ErrorIs(t, err, spotify.ErrNoActiveDevice)

	require.NoError(t, c.Player.TransferPlayback(ctx, devs[0].ID, nil))
	got, err := c.Player.GetDevices(ctx, nil)
	require.NoError(t, err)
	assert.True(t, got[0].IsActive)

	require.NoError(t, c.Player.StartPlayback(ctx, &spotify.StartPlaybackOptions{ContextURI: album.URI, Offset: &spotify.PlaybackOffset{Position: sdkPtr(0)}}))
	st := state()
	assert.Equal(t, track(0), st.Item.ID())
	assert.True(t, st.IsPlaying)
	require.NotNil(t, st.Context)
	assert.Equal(t, album.URI, st.Context.URI)
	assert.Equal(t, devs[0].ID, st.Device.ID)

	require.NoError(t, c.Player.SkipToNext(ctx, nil))
	assert.Equal(t, track(1), state().Item.ID())
	assert.Equal(t, []string{track(0)}, recent(1))
	require.NoError(t, c.Player.SkipToPrevious(ctx, nil))
	assert.Equal(t, track(0), state().Item.ID())
	require.NoError(t, c.Player.SkipToNext(ctx, nil))

	require.NoError(t, c.Player.AddToQueue(ctx, "spotify:track:"+track(4), nil))
	cur, next := queue()
	assert.Equal(t, track(1), cur)
	require.GreaterOrEqual(t, len(next), 3)
	assert.Equal(t, []string{track(4), track(2), track(3)}, next[:3])

	clk.Advance(3 * time.Second)
	require.NoError(t, c.Player.Seek(ctx, 10_000, nil))
	clk.Advance(2 * time.Second)
	st = state()
	require.NotNil(t, st.ProgressMS)
	assert.Equal(t, 12_000, *st.ProgressMS, "progress follows the server's clock from the seek")

	require.NoError(t, c.Player.SetVolume(ctx, 40, nil))
	got, err = c.Player.GetDevices(ctx, nil)
	require.NoError(t, err)
	require.NotNil(t, got[0].VolumePercent)
	assert.Equal(t, 40, *got[0].VolumePercent)

	require.NoError(t, c.Player.SetRepeatMode(ctx, spotify.RepeatContext, nil))
	require.NoError(t, c.Player.SetShuffle(ctx, true, nil))
	st = state()
	assert.Equal(t, spotify.RepeatContext, st.RepeatState)
	assert.True(t, st.ShuffleState)
	cur, next = queue()
	assert.Equal(t, track(1), cur)
	require.NotEmpty(t, next)
	assert.Equal(t, track(4), next[0], "the user's queue stays first under shuffle")

	require.NoError(t, c.Player.TransferPlayback(ctx, devs[1].ID, &spotify.TransferPlaybackOptions{Play: sdkPtr(true)}))
	got, err = c.Player.GetDevices(ctx, nil)
	require.NoError(t, err)
	assert.False(t, got[0].IsActive)
	assert.True(t, got[1].IsActive)
	assert.Equal(t, devs[1].ID, state().Device.ID)

	require.NoError(t, c.Player.PausePlayback(ctx, nil))
	cp, err := c.Player.GetCurrentlyPlaying(ctx, nil)
	require.NoError(t, err)
	require.NotNil(t, cp)
	assert.False(t, cp.IsPlaying)
	assert.Equal(t, track(1), cp.Item.ID())
	assert.Equal(t, []string{track(0), track(1), track(0)}, recent(3), "next, previous, next: newest first")
}

// sdkPtr returns a pointer to v.
func sdkPtr[T any](v T) *T { return &v }
