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
		}, "spotify: Player.GetPlaybackState: additional_types is empty (nil sends none)"},
		{"GetPlaybackState bad additional_types", func(ctx context.Context, c *Client) error {
			_, err := c.Player.GetPlaybackState(ctx, &PlaybackStateOptions{AdditionalTypes: []string{"track", "album"}})
			return err
		}, `spotify: Player.GetPlaybackState: additional_types: "album" is not one of track, episode`},
		{"GetPlaybackState bad market", func(ctx context.Context, c *Client) error {
			_, err := c.Player.GetPlaybackState(ctx, &PlaybackStateOptions{Market: "SWE"})
			return err
		}, `spotify: Player.GetPlaybackState: market "SWE" is neither a two-letter country code (ISO 3166-1 alpha-2) nor "from_token"`},
		{"GetCurrentlyPlaying empty additional_types", func(ctx context.Context, c *Client) error {
			_, err := c.Player.GetCurrentlyPlaying(ctx, &CurrentlyPlayingOptions{AdditionalTypes: []string{}})
			return err
		}, "spotify: Player.GetCurrentlyPlaying: additional_types is empty (nil sends none)"},
		{"GetCurrentlyPlaying bad additional_types", func(ctx context.Context, c *Client) error {
			_, err := c.Player.GetCurrentlyPlaying(ctx, &CurrentlyPlayingOptions{AdditionalTypes: []string{""}})
			return err
		}, `spotify: Player.GetCurrentlyPlaying: additional_types: "" is not one of track, episode`},
		{"TransferPlayback empty device", func(ctx context.Context, c *Client) error {
			return c.Player.TransferPlayback(ctx, "", nil)
		}, "spotify: Player.TransferPlayback: device_id is empty"},
		{"TransferPlayback blank device", func(ctx context.Context, c *Client) error {
			return c.Player.TransferPlayback(ctx, " \t", &TransferPlaybackOptions{Play: Ptr(true)})
		}, "spotify: Player.TransferPlayback: device_id is empty"},
		{"StartPlayback blank device first", start(&StartPlaybackOptions{DeviceID: " ", ContextURI: "c", URIs: []string{"u"}}), "spotify: Player.StartPlayback: device_id is empty"},
		{"StartPlayback 1 context and uris", start(&StartPlaybackOptions{ContextURI: "spotify:album:a1", URIs: []string{"u"}, PositionMS: Ptr(-1)}),
			"spotify: Player.StartPlayback: context_uri and uris cannot both be set"},
		{"StartPlayback 2 blank context", start(&StartPlaybackOptions{ContextURI: "  ", Offset: &PlaybackOffset{}}), "spotify: Player.StartPlayback: context_uri is blank"},
		{"StartPlayback 3 empty uris", start(&StartPlaybackOptions{URIs: []string{}}), "spotify: Player.StartPlayback: uris is empty (nil sends none)"},
		{"StartPlayback 3 empty uri entry", start(&StartPlaybackOptions{URIs: []string{"spotify:track:t1", ""}}), "spotify: Player.StartPlayback: uris[1] is empty"},
		{"StartPlayback 4 offset alone", start(&StartPlaybackOptions{Offset: &PlaybackOffset{Position: Ptr(1)}, PositionMS: Ptr(-1)}),
			"spotify: Player.StartPlayback: offset needs context_uri or uris"},
		{"StartPlayback 5 negative position_ms", start(&StartPlaybackOptions{URIs: []string{"u"}, PositionMS: Ptr(-1), Offset: &PlaybackOffset{Position: Ptr(-1)}}),
			"spotify: Player.StartPlayback: position_ms -1 is negative"},
		{"StartPlayback 6 negative offset", start(&StartPlaybackOptions{ContextURI: "c", Offset: &PlaybackOffset{Position: Ptr(-1)}}),
			"spotify: Player.StartPlayback: offset position -1 is negative"},
		{"StartPlayback 7 empty offset", start(&StartPlaybackOptions{ContextURI: "c", Offset: &PlaybackOffset{}}), "spotify: Player.StartPlayback: offset has neither a position nor a uri"},
		{"StartPlayback 7 blank offset uri", start(&StartPlaybackOptions{ContextURI: "c", Offset: &PlaybackOffset{URI: " "}}), "spotify: Player.StartPlayback: offset has neither a position nor a uri"},
		{"StartPlayback offset with both", start(&StartPlaybackOptions{ContextURI: "c", Offset: &PlaybackOffset{Position: Ptr(0), URI: "u"}}),
			"spotify: Player.StartPlayback: offset cannot have both a position and a uri"},
		{"PausePlayback blank device", func(ctx context.Context, c *Client) error { return c.Player.PausePlayback(ctx, blank) }, "spotify: Player.PausePlayback: device_id is empty"},
		{"SkipToNext blank device", func(ctx context.Context, c *Client) error { return c.Player.SkipToNext(ctx, blank) }, "spotify: Player.SkipToNext: device_id is empty"},
		{"SkipToPrevious blank device", func(ctx context.Context, c *Client) error { return c.Player.SkipToPrevious(ctx, blank) }, "spotify: Player.SkipToPrevious: device_id is empty"},
		{"Seek negative first", func(ctx context.Context, c *Client) error { return c.Player.Seek(ctx, -1, blank) }, "spotify: Player.Seek: position_ms -1 is negative"},
		{"Seek blank device", func(ctx context.Context, c *Client) error { return c.Player.Seek(ctx, 0, blank) }, "spotify: Player.Seek: device_id is empty"},
		{"SetRepeatMode bad state", func(ctx context.Context, c *Client) error { return c.Player.SetRepeatMode(ctx, "all", nil) },
			`spotify: Player.SetRepeatMode: state: "all" is not one of context, off, track`},
		{"SetRepeatMode blank device", func(ctx context.Context, c *Client) error { return c.Player.SetRepeatMode(ctx, RepeatOff, blank) },
			"spotify: Player.SetRepeatMode: device_id is empty"},
		{"SetVolume below", func(ctx context.Context, c *Client) error { return c.Player.SetVolume(ctx, -1, nil) }, "spotify: Player.SetVolume: volume_percent -1 is out of range 0..100"},
		{"SetVolume above", func(ctx context.Context, c *Client) error { return c.Player.SetVolume(ctx, 101, nil) }, "spotify: Player.SetVolume: volume_percent 101 is out of range 0..100"},
		{"SetVolume blank device", func(ctx context.Context, c *Client) error { return c.Player.SetVolume(ctx, 50, blank) }, "spotify: Player.SetVolume: device_id is empty"},
		{"SetShuffle blank device", func(ctx context.Context, c *Client) error { return c.Player.SetShuffle(ctx, true, blank) }, "spotify: Player.SetShuffle: device_id is empty"},
		{"AddToQueue empty uri", func(ctx context.Context, c *Client) error { return c.Player.AddToQueue(ctx, "", nil) }, "spotify: Player.AddToQueue: uri is empty"},
		{"AddToQueue blank device", func(ctx context.Context, c *Client) error { return c.Player.AddToQueue(ctx, "spotify:track:t1", blank) },
			"spotify: Player.AddToQueue: device_id is empty"},
		{"GetRecentlyPlayed limit above", recent(&RecentlyPlayedOptions{Limit: 51}), "spotify: Player.GetRecentlyPlayed: limit 51 is out of range 1..50"},
		{"GetRecentlyPlayed limit negative", recent(&RecentlyPlayedOptions{Limit: -1}), "spotify: Player.GetRecentlyPlayed: limit -1 is out of range 1..50"},
		{"GetRecentlyPlayed after negative", recent(&RecentlyPlayedOptions{After: Ptr(int64(-1)), Before: Ptr(int64(1))}),
			"spotify: Player.GetRecentlyPlayed: after -1 is negative"},
		{"GetRecentlyPlayed before negative", recent(&RecentlyPlayedOptions{Before: Ptr(int64(-5))}), "spotify: Player.GetRecentlyPlayed: before -5 is negative"},
		{"GetRecentlyPlayed after and before", recent(&RecentlyPlayedOptions{After: Ptr(int64(1)), Before: Ptr(int64(2))}),
			"spotify: Player.GetRecentlyPlayed: after and before cannot both be set"},
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
