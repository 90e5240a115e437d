package spotify

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const playerTrackJSON = `{"album":{"album_type":"album","total_tracks":1,"external_urls":{"spotify":"https://open.spotify.com/album/a1"},
"href":"https://api.spotify.com/v1/albums/a1","id":"a1","images":[],"name":"Album","release_date":"2026","release_date_precision":"year",
"type":"album","uri":"spotify:album:a1","artists":[]},"artists":[],"disc_number":1,"duration_ms":200000.0,"explicit":false,
"external_urls":{"spotify":"https://open.spotify.com/track/t1"},"href":"https://api.spotify.com/v1/tracks/t1","id":"t1","name":"Song",
"track_number":1,"type":"track","uri":"spotify:track:t1","is_local":false}`

const playerEpisodeJSON = `{"description":"d","duration_ms":1000,"explicit":false,"external_urls":{"spotify":"x"},
"href":"https://api.spotify.com/v1/episodes/e1","id":"e1","images":[],"languages":["en"],"name":"Episode","release_date":"2026-01-01",
"release_date_precision":"day","type":"episode","uri":"spotify:episode:e1",
"show":{"copyrights":[],"description":"s","explicit":false,"external_urls":{"spotify":"y"},"href":"h","id":"s1","images":[],
"languages":["en"],"media_type":"audio","name":"Show","type":"show","uri":"spotify:show:s1"}}`

const playerContextJSON = `{"type":"playlist","href":"https://api.spotify.com/v1/playlists/p1",
"external_urls":{"spotify":"https://open.spotify.com/playlist/p1"},"uri":"spotify:playlist:p1"}`

const playerStateJSON = `{"device":{"id":"d1","is_active":true,"is_private_session":false,"is_restricted":false,"name":"Laptop",
"type":"Computer","volume_percent":55,"supports_volume":true},"repeat_state":"context","shuffle_state":true,"smart_shuffle":false,
"context":` + playerContextJSON + `,"timestamp":1774000000000,"progress_ms":1234,"is_playing":true,"item":` + playerTrackJSON + `,
"currently_playing_type":"track","actions":{"disallows":{"resuming":true}}}`

func TestPlayerMethods(t *testing.T) {
	dev := &DeviceOptions{DeviceID: "device123"}
	runMethodCases(t, []methodCase{
		{
			name: "GetPlaybackState", method: "GET", path: "/me/player",
			query: url.Values{"market": {"SE"}, "additional_types": {"track,episode"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetPlaybackState(ctx, &PlaybackStateOptions{Market: "SE", AdditionalTypes: []string{"track", "episode"}})
			},
			respond: playerStateJSON,
			check: func(t *testing.T, got any) {
				st := got.(*PlaybackState)
				require.NotNil(t, st)
				assert.Equal(t, "d1", st.Device.ID)
				require.NotNil(t, st.Device.VolumePercent)
				assert.Equal(t, 55, *st.Device.VolumePercent)
				assert.Equal(t, RepeatContext, st.RepeatState)
				assert.True(t, st.ShuffleState)
				require.NotNil(t, st.SmartShuffle)
				assert.False(t, *st.SmartShuffle)
				assert.Equal(t, int64(1774000000000), st.Timestamp)
				require.NotNil(t, st.ProgressMS)
				assert.Equal(t, 1234, *st.ProgressMS)
				require.NotNil(t, st.Item)
				require.NotNil(t, st.Item.Track)
				assert.Equal(t, 200000, st.Item.Track.DurationMS)
				assert.Equal(t, "spotify:track:t1", st.Item.URI())
				require.NotNil(t, st.Context)
				assert.Equal(t, "spotify:playlist:p1", st.Context.URI)
				require.NotNil(t, st.Actions)
				assert.True(t, st.Actions.Disallows["resuming"])
			},
		},
		{
			name: "GetPlaybackState nothing playing", method: "GET", path: "/me/player", status: http.StatusNoContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetPlaybackState(ctx, nil)
			},
			check: func(t *testing.T, got any) {
				assert.Nil(t, got.(*PlaybackState), "204 is nil, nil")
			},
		},
		{
			name: "GetPlaybackState episode", method: "GET", path: "/me/player",
			query: url.Values{"additional_types": {"episode"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetPlaybackState(ctx, &PlaybackStateOptions{AdditionalTypes: []string{"episode"}})
			},
			respond: `{"device":{"id":null,"is_active":true,"is_private_session":false,"is_restricted":true,"name":"Speaker","type":"Speaker","volume_percent":null},
"repeat_state":"off","shuffle_state":false,"context":null,"timestamp":1,"progress_ms":null,"is_playing":false,
"item":` + playerEpisodeJSON + `,"currently_playing_type":"episode"}`,
			check: func(t *testing.T, got any) {
				st := got.(*PlaybackState)
				assert.Empty(t, st.Device.ID, "a null id is empty")
				assert.Nil(t, st.Device.VolumePercent)
				assert.Nil(t, st.ProgressMS)
				assert.Nil(t, st.Context)
				require.NotNil(t, st.Item)
				assert.Nil(t, st.Item.Track)
				require.NotNil(t, st.Item.Episode)
				assert.Equal(t, "Show", st.Item.Episode.Show.Name)
			},
		},
		{
			name: "TransferPlayback", method: "PUT", path: "/me/player", status: http.StatusNoContent,
			body: `{"device_ids":["d1"]}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.TransferPlayback(ctx, "d1", nil)
			},
		},
		{
			name: "TransferPlayback play false", method: "PUT", path: "/me/player", status: http.StatusNoContent,
			body: `{"device_ids":["d1"],"play":false}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.TransferPlayback(ctx, "d1", &TransferPlaybackOptions{Play: Ptr(false)})
			},
		},
		{
			name: "GetDevices", method: "GET", path: "/me/player/devices",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetDevices(ctx, nil)
			},
			respond: `{"devices":[{"id":"d1","is_active":false,"is_private_session":false,"is_restricted":false,"name":"A","type":"Computer","volume_percent":100},
{"id":"d2","is_active":true,"is_private_session":true,"is_restricted":false,"name":"B","type":"Smartphone","volume_percent":null,"supports_volume":false}]}`,
			check: func(t *testing.T, got any) {
				ds := got.([]Device)
				require.Len(t, ds, 2)
				assert.Equal(t, "d2", ds[1].ID)
				assert.True(t, ds[1].IsPrivateSession)
				require.NotNil(t, ds[1].SupportsVolume)
				assert.False(t, *ds[1].SupportsVolume)
				assert.Nil(t, ds[0].SupportsVolume)
			},
		},
		{
			name: "GetDevices none", method: "GET", path: "/me/player/devices",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetDevices(ctx, &DevicesOptions{})
			},
			respond: `{"devices":[]}`,
			check: func(t *testing.T, got any) {
				assert.NotNil(t, got.([]Device))
				assert.Empty(t, got.([]Device))
			},
		},
		{
			name: "GetCurrentlyPlaying", method: "GET", path: "/me/player/currently-playing",
			query: url.Values{"market": {"US"}, "additional_types": {"track"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetCurrentlyPlaying(ctx, &CurrentlyPlayingOptions{Market: "US", AdditionalTypes: []string{"track"}})
			},
			respond: `{"context":null,"timestamp":5,"progress_ms":10,"is_playing":true,"item":null,"currently_playing_type":"ad","actions":{"disallows":{}}}`,
			check: func(t *testing.T, got any) {
				cp := got.(*CurrentlyPlaying)
				require.NotNil(t, cp)
				assert.Nil(t, cp.Item, "an ad has no item")
				assert.Equal(t, "ad", cp.CurrentlyPlayingType)
				assert.True(t, cp.IsPlaying)
			},
		},
		{
			name: "GetCurrentlyPlaying nothing playing", method: "GET", path: "/me/player/currently-playing", status: http.StatusNoContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetCurrentlyPlaying(ctx, nil)
			},
			check: func(t *testing.T, got any) {
				assert.Nil(t, got.(*CurrentlyPlaying))
			},
		},
		{
			name: "StartPlayback resume has no body", method: "PUT", path: "/me/player/play", status: http.StatusNoContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.StartPlayback(ctx, nil)
			},
		},
		{
			name: "StartPlayback context with position offset", method: "PUT", path: "/me/player/play", status: http.StatusNoContent,
			query: url.Values{"device_id": {"device123"}},
			body:  `{"context_uri":"spotify:album:a1","offset":{"position":0},"position_ms":0}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.StartPlayback(ctx, &StartPlaybackOptions{DeviceID: "device123", ContextURI: "spotify:album:a1",
					Offset: &PlaybackOffset{Position: Ptr(0)}, PositionMS: Ptr(0)})
			},
		},
		{
			name: "StartPlayback uris with uri offset", method: "PUT", path: "/me/player/play", status: http.StatusNoContent,
			body: `{"uris":["spotify:track:t1","spotify:track:t2"],"offset":{"uri":"spotify:track:t2"}}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.StartPlayback(ctx, &StartPlaybackOptions{URIs: []string{"spotify:track:t1", "spotify:track:t2"},
					Offset: &PlaybackOffset{URI: "spotify:track:t2"}})
			},
		},
		{
			name: "StartPlayback position only", method: "PUT", path: "/me/player/play", status: http.StatusNoContent,
			body: `{"position_ms":30000}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.StartPlayback(ctx, &StartPlaybackOptions{PositionMS: Ptr(30000)})
			},
		},
		{
			name: "PausePlayback", method: "PUT", path: "/me/player/pause", status: http.StatusNoContent,
			query: url.Values{"device_id": {"device123"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.PausePlayback(ctx, dev)
			},
		},
		{
			name: "PausePlayback active device", method: "PUT", path: "/me/player/pause", status: http.StatusNoContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.PausePlayback(ctx, &DeviceOptions{})
			},
		},
		{
			name: "SkipToNext", method: "POST", path: "/me/player/next", status: http.StatusNoContent,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.SkipToNext(ctx, nil)
			},
		},
		{
			name: "SkipToPrevious", method: "POST", path: "/me/player/previous", status: http.StatusNoContent,
			query: url.Values{"device_id": {"device123"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.SkipToPrevious(ctx, dev)
			},
		},
		{
			name: "Seek", method: "PUT", path: "/me/player/seek", status: http.StatusNoContent,
			query: url.Values{"position_ms": {"90000"}, "device_id": {"device123"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.Seek(ctx, 90000, dev)
			},
		},
		{
			name: "SetRepeatMode", method: "PUT", path: "/me/player/repeat", status: http.StatusNoContent,
			query: url.Values{"state": {"track"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.SetRepeatMode(ctx, RepeatTrack, nil)
			},
		},
		{
			name: "SetVolume zero", method: "PUT", path: "/me/player/volume", status: http.StatusNoContent,
			query: url.Values{"volume_percent": {"0"}, "device_id": {"device123"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.SetVolume(ctx, 0, dev)
			},
		},
		{
			name: "SetShuffle true", method: "PUT", path: "/me/player/shuffle", status: http.StatusNoContent,
			query: url.Values{"state": {"true"}, "device_id": {"device123"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.SetShuffle(ctx, true, dev)
			},
		},
		{
			name: "SetShuffle false", method: "PUT", path: "/me/player/shuffle", status: http.StatusNoContent,
			query: url.Values{"state": {"false"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.SetShuffle(ctx, false, nil)
			},
		},
		{
			name: "GetRecentlyPlayed", method: "GET", path: "/me/player/recently-played",
			query: url.Values{"limit": {"1"}, "after": {"1710000000000"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetRecentlyPlayed(ctx, &RecentlyPlayedOptions{Limit: 1, After: Ptr(int64(1710000000000))})
			},
			respond: `{"href":"h","items":[{"track":` + playerTrackJSON + `,"played_at":"2026-03-01T10:00:00.750Z","context":` + playerContextJSON + `}],
"limit":1,"next":null,"cursors":{"after":"1772359200750","before":"1772359200750"}}`,
			check: func(t *testing.T, got any) {
				p := got.(*CursorPage[RecentlyPlayedItem])
				require.Len(t, p.Items, 1)
				it := p.Items[0]
				assert.Equal(t, "t1", it.Track.ID)
				assert.Equal(t, time.Date(2026, 3, 1, 10, 0, 0, 750_000_000, time.UTC), it.PlayedAt.UTC())
				require.NotNil(t, it.Context)
				assert.Equal(t, "playlist", it.Context.Type)
				assert.Equal(t, "1772359200750", p.Cursors.Before)
			},
		},
		{
			name: "GetRecentlyPlayed before zero", method: "GET", path: "/me/player/recently-played",
			query: url.Values{"before": {"0"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetRecentlyPlayed(ctx, &RecentlyPlayedOptions{Before: Ptr(int64(0))})
			},
			respond: `{"href":"https://api.spotify.com/v1/me/player/recently-played?before=0","items":[],"limit":20,"next":null,"cursors":null}`,
			check: func(t *testing.T, got any) {
				p := got.(*CursorPage[RecentlyPlayedItem])
				assert.Empty(t, p.Items, "nothing was played before the epoch")
				assert.Equal(t, 20, p.Limit)
				assert.Equal(t, "https://api.spotify.com/v1/me/player/recently-played?before=0", p.Href)
				assert.Empty(t, p.Next)
				assert.Equal(t, Cursors{}, p.Cursors, "null cursors decode to none")
			},
		},
		{
			name: "GetRecentlyPlayed defaults", method: "GET", path: "/me/player/recently-played",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetRecentlyPlayed(ctx, nil)
			},
			respond: `{"href":"h","items":[
 {"track":` + playerTrackJSON + `,"played_at":"2026-03-02T08:15:30.125Z","context":null},
 {"track":` + playerTrackJSON + `,"played_at":"2026-03-02T08:11:00.000Z","context":` + playerContextJSON + `}],
"limit":20,"next":"https://api.spotify.com/v1/me/player/recently-played?before=1772438660000&limit=20",
"cursors":{"after":"1772439330125","before":"1772438660000"}}`,
			check: func(t *testing.T, got any) {
				p := got.(*CursorPage[RecentlyPlayedItem])
				assert.Equal(t, 20, p.Limit)
				assert.Equal(t, Cursors{After: "1772439330125", Before: "1772438660000"}, p.Cursors)
				assert.Equal(t, "https://api.spotify.com/v1/me/player/recently-played?before=1772438660000&limit=20", p.Next)
				require.Len(t, p.Items, 2)
				assert.Equal(t, "Song", p.Items[0].Track.Name)
				assert.Equal(t, time.Date(2026, 3, 2, 8, 15, 30, 125_000_000, time.UTC), p.Items[0].PlayedAt.UTC())
				assert.Nil(t, p.Items[0].Context, "played outside a context")
				require.NotNil(t, p.Items[1].Context)
				assert.Equal(t, "spotify:playlist:p1", p.Items[1].Context.URI)
				assert.Equal(t, "a1", p.Items[1].Track.Album.ID)
			},
		},
		{
			name: "GetQueue", method: "GET", path: "/me/player/queue",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetQueue(ctx, nil)
			},
			respond: `{"currently_playing":` + playerTrackJSON + `,"queue":[` + playerEpisodeJSON + `,` + playerTrackJSON + `]}`,
			check: func(t *testing.T, got any) {
				q := got.(*PlaybackQueue)
				require.NotNil(t, q.CurrentlyPlaying)
				assert.Equal(t, "t1", q.CurrentlyPlaying.ID())
				require.Len(t, q.Queue, 2)
				assert.Equal(t, "episode", q.Queue[0].Type)
				require.NotNil(t, q.Queue[0].Episode)
				assert.Equal(t, "e1", q.Queue[0].ID())
				require.NotNil(t, q.Queue[1].Track)
			},
		},
		{
			name: "AddToQueue", method: "POST", path: "/me/player/queue", status: http.StatusNoContent,
			query: url.Values{"uri": {"spotify:track:track123"}, "device_id": {"device123"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Player.AddToQueue(ctx, "spotify:track:track123", dev)
			},
		},
	})
}
