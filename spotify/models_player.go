package spotify

import (
	"time"

	"github.com/spotifysdk/spotify-go/internal/codec"
)

// Device is a Spotify Connect device of the user: a phone, a computer, a
// speaker.
type Device struct {
	// ID is the device id to pass as DeviceID; empty when Spotify sends
	// null (a device that cannot be targeted). It may change over time:
	// fetch the devices again rather than keeping it for long.
	ID               string `json:"id"`
	IsActive         bool   `json:"is_active"`
	IsPrivateSession bool   `json:"is_private_session"`
	// IsRestricted devices accept no Web API commands.
	IsRestricted bool   `json:"is_restricted"`
	Name         string `json:"name"`
	// Type is a free string such as "Computer", "Smartphone", "Speaker".
	Type string `json:"type"`
	// VolumePercent is nil when the device does not report its volume.
	VolumePercent *int `json:"volume_percent"`
	// SupportsVolume is nil when Spotify does not say.
	SupportsVolume *bool `json:"supports_volume,omitzero"`
}

// PlaybackContext is what playback was started from: an album, artist,
// playlist or show.
type PlaybackContext struct {
	// Type is "album", "artist", "playlist", "show", ...
	Type         string       `json:"type"`
	Href         string       `json:"href"`
	ExternalURLs ExternalURLs `json:"external_urls"`
	URI          string       `json:"uri"`
}

// PlaybackActions say which player commands the current context does not
// allow.
type PlaybackActions struct {
	// Disallows maps an action ("pausing", "resuming", "seeking",
	// "skipping_next", "skipping_prev", "toggling_repeat_context",
	// "toggling_repeat_track", "toggling_shuffle",
	// "interrupting_playback", "transferring_playback") to true when it is
	// not allowed; an action that is absent is allowed.
	Disallows map[string]bool `json:"disallows"`
}

// CurrentlyPlaying is what the user's active device plays, as returned by
// [PlayerService.GetCurrentlyPlaying].
type CurrentlyPlaying struct {
	// Context is nil when playback was not started from a context (or
	// during a private session).
	Context *PlaybackContext `json:"context"`
	// Timestamp is when the state last changed (or was fetched), in
	// milliseconds since the Unix epoch.
	Timestamp int64 `json:"timestamp"`
	// ProgressMS is the position in the item; nil when Spotify sends none.
	ProgressMS *int `json:"progress_ms"`
	IsPlaying  bool `json:"is_playing"`
	// Item is the track or episode playing; nil for an ad, an unknown
	// item, or an episode when AdditionalTypes does not name "episode".
	Item *PlaybackItem `json:"item"`
	// CurrentlyPlayingType is "track", "episode", "ad" or "unknown".
	CurrentlyPlayingType string `json:"currently_playing_type,omitempty"`
	// Actions is nil when Spotify sends none.
	Actions *PlaybackActions `json:"actions,omitzero"`
}

// PlaybackState is the whole state of the user's playback, as returned by
// [PlayerService.GetPlaybackState]: what plays, plus the device, repeat
// and shuffle.
type PlaybackState struct {
	CurrentlyPlaying
	Device Device `json:"device"`
	// RepeatState is "off", "track" or "context".
	RepeatState  string `json:"repeat_state"`
	ShuffleState bool   `json:"shuffle_state"`
	// SmartShuffle is nil when Spotify does not send it.
	SmartShuffle *bool `json:"smart_shuffle,omitzero"`
}

// RecentlyPlayedItem is one entry of the user's listening history.
type RecentlyPlayedItem struct {
	Track    Track     `json:"track"`
	PlayedAt time.Time `json:"played_at"`
	// Context is nil when the track was not played from a context.
	Context *PlaybackContext `json:"context"`
}

// playerPlayedAtLayout is how Spotify writes played_at: UTC with
// milliseconds.
const playerPlayedAtLayout = "2006-01-02T15:04:05.000Z07:00"

// MarshalJSON writes the entry as Spotify sends it, with played_at in
// milliseconds ("2023-09-22T15:43:33.750Z"), which time.Time would shorten.
func (it RecentlyPlayedItem) MarshalJSON() ([]byte, error) {
	return codec.Marshal(struct {
		Track    Track            `json:"track"`
		PlayedAt string           `json:"played_at"`
		Context  *PlaybackContext `json:"context"`
	}{it.Track, it.PlayedAt.UTC().Format(playerPlayedAtLayout), it.Context})
}

// PlaybackQueue is the user's queue, as returned by
// [PlayerService.GetQueue].
type PlaybackQueue struct {
	// CurrentlyPlaying is nil when nothing plays.
	CurrentlyPlaying *PlaybackItem `json:"currently_playing"`
	// Queue holds the tracks and episodes to come; it may be empty.
	Queue []*PlaybackItem `json:"queue"`
}
