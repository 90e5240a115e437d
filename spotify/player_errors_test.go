package spotify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The player service beyond its method table: argument validation, error
// reasons, odd answers and the recorded samples.

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
		`{"devices":{"id":"d1"}}`: `expected a list under "devices", found an object`,
		`{"devices":null}`:        `expected a list under "devices", found null`,
		`{}`:                      `expected a list under "devices", found none`,
		``:                        "the answer (200 OK) holds no object: the body is empty",
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
			assert.Contains(t, err.Error(), want)
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
