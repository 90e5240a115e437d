package spotify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
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
			respond: `{"href":"h","items":[],"limit":20,"next":null,"cursors":null}`,
		},
		{
			name: "GetRecentlyPlayed defaults", method: "GET", path: "/me/player/recently-played",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Player.GetRecentlyPlayed(ctx, nil)
			},
			respond: `{"href":"h","items":[],"limit":20,"next":null,"cursors":{}}`,
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

func TestPlayerValidation(t *testing.T) {
	blank := &DeviceOptions{DeviceID: "  "}
	start := func(o *StartPlaybackOptions) func(context.Context, *Client) error {
		return func(ctx context.Context, c *Client) error { return c.Player.StartPlayback(ctx, o) }
	}
	recent := func(o *RecentlyPlayedOptions) func(context.Context, *Client) error {
		return func(ctx context.Context, c *Client) error { _, err := c.Player.GetRecentlyPlayed(ctx, o); return err }
	}
	runInvalidCases(t, []invalidCase{
		{"GetPlaybackState empty additional_types", func(ctx context.Context, c *Client) error {
			_, err := c.Player.GetPlaybackState(ctx, &PlaybackStateOptions{AdditionalTypes: []string{}})
			return err
		}, "additional_types cannot be empty"},
		{"GetPlaybackState bad additional_types", func(ctx context.Context, c *Client) error {
			_, err := c.Player.GetPlaybackState(ctx, &PlaybackStateOptions{AdditionalTypes: []string{"track", "album"}})
			return err
		}, "additional_types must only contain 'track' or 'episode'"},
		{"GetCurrentlyPlaying empty additional_types", func(ctx context.Context, c *Client) error {
			_, err := c.Player.GetCurrentlyPlaying(ctx, &CurrentlyPlayingOptions{AdditionalTypes: []string{}})
			return err
		}, "additional_types cannot be empty"},
		{"GetCurrentlyPlaying bad additional_types", func(ctx context.Context, c *Client) error {
			_, err := c.Player.GetCurrentlyPlaying(ctx, &CurrentlyPlayingOptions{AdditionalTypes: []string{""}})
			return err
		}, "additional_types must only contain 'track' or 'episode'"},
		{"TransferPlayback empty device", func(ctx context.Context, c *Client) error {
			return c.Player.TransferPlayback(ctx, "", nil)
		}, "device_id cannot be empty"},
		{"TransferPlayback blank device", func(ctx context.Context, c *Client) error {
			return c.Player.TransferPlayback(ctx, " \t", &TransferPlaybackOptions{Play: Ptr(true)})
		}, "device_id cannot be empty"},
		{"StartPlayback blank device first", start(&StartPlaybackOptions{DeviceID: " ", ContextURI: "c", URIs: []string{"u"}}), "device_id cannot be empty"},
		{"StartPlayback 1 context and uris", start(&StartPlaybackOptions{ContextURI: "spotify:album:a1", URIs: []string{"u"}, PositionMS: Ptr(-1)}),
			"context_uri and uris cannot both be provided"},
		{"StartPlayback 2 blank context", start(&StartPlaybackOptions{ContextURI: "  ", Offset: &PlaybackOffset{}}), "context_uri cannot be empty"},
		{"StartPlayback 3 empty uris", start(&StartPlaybackOptions{URIs: []string{}}), "uris cannot be empty"},
		{"StartPlayback 3 empty uri entry", start(&StartPlaybackOptions{URIs: []string{"spotify:track:t1", ""}}), "uris cannot contain empty values"},
		{"StartPlayback 4 offset alone", start(&StartPlaybackOptions{Offset: &PlaybackOffset{Position: Ptr(1)}, PositionMS: Ptr(-1)}),
			"offset requires context_uri or uris"},
		{"StartPlayback 5 negative position_ms", start(&StartPlaybackOptions{URIs: []string{"u"}, PositionMS: Ptr(-1), Offset: &PlaybackOffset{Position: Ptr(-1)}}),
			"position_ms must be greater than or equal to 0"},
		{"StartPlayback 6 negative offset", start(&StartPlaybackOptions{ContextURI: "c", Offset: &PlaybackOffset{Position: Ptr(-1)}}),
			"offset position must be greater than or equal to 0"},
		{"StartPlayback 7 empty offset", start(&StartPlaybackOptions{ContextURI: "c", Offset: &PlaybackOffset{}}), "offset cannot be empty"},
		{"StartPlayback 7 blank offset uri", start(&StartPlaybackOptions{ContextURI: "c", Offset: &PlaybackOffset{URI: " "}}), "offset cannot be empty"},
		{"StartPlayback offset with both", start(&StartPlaybackOptions{ContextURI: "c", Offset: &PlaybackOffset{Position: Ptr(0), URI: "u"}}),
			"offset position and uri cannot both be provided"},
		{"PausePlayback blank device", func(ctx context.Context, c *Client) error { return c.Player.PausePlayback(ctx, blank) }, "device_id cannot be empty"},
		{"SkipToNext blank device", func(ctx context.Context, c *Client) error { return c.Player.SkipToNext(ctx, blank) }, "device_id cannot be empty"},
		{"SkipToPrevious blank device", func(ctx context.Context, c *Client) error { return c.Player.SkipToPrevious(ctx, blank) }, "device_id cannot be empty"},
		{"Seek negative first", func(ctx context.Context, c *Client) error { return c.Player.Seek(ctx, -1, blank) }, "position_ms must be greater than or equal to 0"},
		{"Seek blank device", func(ctx context.Context, c *Client) error { return c.Player.Seek(ctx, 0, blank) }, "device_id cannot be empty"},
		{"SetRepeatMode bad state", func(ctx context.Context, c *Client) error { return c.Player.SetRepeatMode(ctx, "all", nil) },
			"state must be one of: context, off, track"},
		{"SetRepeatMode blank device", func(ctx context.Context, c *Client) error { return c.Player.SetRepeatMode(ctx, RepeatOff, blank) },
			"device_id cannot be empty"},
		{"SetVolume below", func(ctx context.Context, c *Client) error { return c.Player.SetVolume(ctx, -1, nil) }, "volume_percent must be between 0 and 100"},
		{"SetVolume above", func(ctx context.Context, c *Client) error { return c.Player.SetVolume(ctx, 101, nil) }, "volume_percent must be between 0 and 100"},
		{"SetVolume blank device", func(ctx context.Context, c *Client) error { return c.Player.SetVolume(ctx, 50, blank) }, "device_id cannot be empty"},
		{"SetShuffle blank device", func(ctx context.Context, c *Client) error { return c.Player.SetShuffle(ctx, true, blank) }, "device_id cannot be empty"},
		{"AddToQueue empty uri", func(ctx context.Context, c *Client) error { return c.Player.AddToQueue(ctx, "", nil) }, "uri cannot be empty"},
		{"AddToQueue blank device", func(ctx context.Context, c *Client) error { return c.Player.AddToQueue(ctx, "spotify:track:t1", blank) },
			"device_id cannot be empty"},
		{"GetRecentlyPlayed limit above", recent(&RecentlyPlayedOptions{Limit: 51}), "limit must be between 1 and 50"},
		{"GetRecentlyPlayed limit negative", recent(&RecentlyPlayedOptions{Limit: -1}), "limit must be between 1 and 50"},
		{"GetRecentlyPlayed after negative", recent(&RecentlyPlayedOptions{After: Ptr(int64(-1)), Before: Ptr(int64(1))}),
			"after must be greater than or equal to 0"},
		{"GetRecentlyPlayed before negative", recent(&RecentlyPlayedOptions{Before: Ptr(int64(-5))}), "before must be greater than or equal to 0"},
		{"GetRecentlyPlayed after and before", recent(&RecentlyPlayedOptions{After: Ptr(int64(1)), Before: Ptr(int64(2))}),
			"after and before cannot both be provided"},
	})
}

func TestPlayerErrorReasons(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		want       []error
	}{
		{"premium required", `{"error":{"status":403,"message":"Player command failed: Premium required","reason":"PREMIUM_REQUIRED"}}`,
			http.StatusForbidden, []error{ErrPremiumRequired, ErrForbidden}},
		{"no active device", `{"error":{"status":404,"message":"Player command failed: No active device found","reason":"NO_ACTIVE_DEVICE"}}`,
			http.StatusNotFound, []error{ErrNoActiveDevice, ErrNotFound}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			c := newTestClient(t, ts)
			err := c.Player.PausePlayback(context.Background(), nil)
			require.Error(t, err)
			for _, want := range tc.want {
				assert.ErrorIs(t, err, want)
			}
			var se *Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.status, se.StatusCode)
			assert.Equal(t, "PUT", se.Method)
			assert.Equal(t, "/me/player/pause", se.Route)
			assert.Len(t, ts.requests(), 1, "a player error is not retried")
		})
	}
}

func TestPlayerGetDevicesNotAList(t *testing.T) {
	for body, want := range map[string]string{
		`{"devices":{"id":"d1"}}`: "found an object",
		`{"devices":null}`:        "found null",
		`{}`:                      "found none",
		``:                        "found none",
	} {
		t.Run(body, func(t *testing.T) {
			ts := newTestServer(t)
			ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, body)
			})
			c := newTestClient(t, ts)
			ds, err := c.Player.GetDevices(context.Background(), nil)
			assert.Nil(t, ds)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Contains(t, err.Error(), `expected a list under "devices", `+want)
			assert.Equal(t, "/me/player/devices", de.Route)
		})
	}
}

func TestPlayerRecentlyPlayedWalksBack(t *testing.T) {
	ts := newTestServer(t)
	item := func(at string) string {
		return `{"track":` + playerTrackJSON + `,"played_at":"` + at + `","context":null}`
	}
	ts.Mux.HandleFunc("/me/player/recently-played", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("before") == "" {
			_, _ = io.WriteString(w, `{"href":"h","limit":1,"items":[`+item("2026-03-01T10:00:00.000Z")+`],
"next":"`+ts.URL+`/v1/me/player/recently-played?before=1772359200000&limit=1","cursors":{"after":"1772359200000","before":"1772359200000"}}`)
			return
		}
		_, _ = io.WriteString(w, `{"href":"h","limit":1,"items":[`+item("2026-02-28T10:00:00.000Z")+`],"next":null,"cursors":null}`)
	})
	c := newTestClient(t, ts)
	p, err := c.Player.GetRecentlyPlayed(context.Background(), &RecentlyPlayedOptions{Limit: 1})
	require.NoError(t, err)
	var days []int
	for it, err := range p.All(context.Background()) {
		require.NoError(t, err)
		days = append(days, it.PlayedAt.Day())
	}
	assert.Equal(t, []int{1, 28}, days)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, url.Values{"before": {"1772359200000"}, "limit": {"1"}}, reqs[1].Query)
}

func TestPlayerRecentlyPlayedItemMarshal(t *testing.T) {
	in := []byte(`{"track":` + playerTrackJSON + `,"played_at":"2023-09-22T15:43:33.750Z","context":null}`)
	var it RecentlyPlayedItem
	require.NoError(t, decodeJSON(in, &it))
	for name, marshal := range map[string]func(any) ([]byte, error){"encoding/json": json.Marshal, "codec": Marshal} {
		out, err := marshal(it)
		require.NoError(t, err, name)
		var back map[string]any
		require.NoError(t, json.Unmarshal(out, &back), name)
		assert.Equal(t, "2023-09-22T15:43:33.750Z", back["played_at"], name)
		assert.Nil(t, back["context"], name)
		assert.Contains(t, back, "track", name)
	}
}

func TestPlayerSamplesDecode(t *testing.T) {
	var st PlaybackState
	assertDecodesWithoutLoss(t, sample(t, "playback-state.json"), &st)
	require.NotNil(t, st.Item)
	assert.NotNil(t, st.Item.Track)
	assert.Nil(t, st.Device.VolumePercent)

	var ep PlaybackState
	assertDecodesWithoutLoss(t, sample(t, "playback-state-episode.json"), &ep)
	require.NotNil(t, ep.Item)
	require.NotNil(t, ep.Item.Episode)
	assert.Equal(t, "episode", ep.CurrentlyPlayingType)
	require.NotNil(t, ep.Actions)
	assert.True(t, ep.Actions.Disallows["resuming"])

	var cp CurrentlyPlaying
	assertDecodesWithoutLoss(t, sample(t, "currently-playing.json"), &cp)
	require.NotNil(t, cp.Item)
	assert.NotNil(t, cp.Item.Track)

	var devices struct {
		Devices []Device `json:"devices"`
	}
	assertDecodesWithoutLoss(t, sample(t, "devices.json"), &devices)
	assert.NotEmpty(t, devices.Devices)

	var rp CursorPage[RecentlyPlayedItem]
	assertDecodesWithoutLoss(t, sample(t, "recently-played-cursor-page.json"), &rp)
	assert.NotEmpty(t, rp.Items)
	assert.NotEmpty(t, rp.Cursors.Before)

	var q PlaybackQueue
	assertDecodesWithoutLoss(t, sample(t, "queue.json"), &q)
	require.NotNil(t, q.CurrentlyPlaying)
	assert.NotEmpty(t, q.Queue)
	for _, it := range q.Queue {
		require.NotNil(t, it)
		assert.NotNil(t, it.Track)
	}
}

// TestPlayerErrorsAreNotArguments guards that a server error is not
// mistaken for a validation error.
func TestPlayerErrorsAreNotArguments(t *testing.T) {
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	err := newTestClient(t, ts).Player.SkipToNext(context.Background(), nil)
	require.Error(t, err)
	assert.False(t, errors.Is(err, ErrInvalidArgument))
	assert.False(t, errors.Is(err, ErrPremiumRequired), "a 403 without the reason is not PREMIUM_REQUIRED")
	assert.True(t, errors.Is(err, ErrForbidden))
}
