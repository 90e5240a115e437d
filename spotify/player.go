package spotify

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// PlayerService reads and controls the user's playback: c.Player. The
// commands (everything that changes playback) need a Premium account:
// without one they fail with an error that matches ErrPremiumRequired (and
// ErrForbidden); with no active device they fail with one that matches
// ErrNoActiveDevice (and ErrNotFound). Pass DeviceID to target a device
// that is not active.
type PlayerService service

// Repeat modes of [PlayerService.SetRepeatMode].
const (
	// RepeatOff turns repeat off.
	RepeatOff = "off"
	// RepeatTrack repeats the current track.
	RepeatTrack = "track"
	// RepeatContext repeats the current album, playlist or show.
	RepeatContext = "context"
)

// DeviceOptions are the options of the player commands that act on one
// device.
type DeviceOptions struct {
	// DeviceID is the device to act on; empty means the active device. A
	// DeviceID of only spaces is rejected.
	DeviceID string
}

// PlaybackStateOptions are the options of [PlayerService.GetPlaybackState].
type PlaybackStateOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
	// AdditionalTypes are the item types besides tracks the client
	// understands: "track" and "episode". nil sends none (Spotify then
	// reports an episode with a nil Item); a non-nil empty list is
	// rejected.
	AdditionalTypes []string
}

// CurrentlyPlayingOptions are the options of
// [PlayerService.GetCurrentlyPlaying].
type CurrentlyPlayingOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code.
	Market string
	// AdditionalTypes is as in [PlaybackStateOptions].
	AdditionalTypes []string
}

// TransferPlaybackOptions are the options of
// [PlayerService.TransferPlayback].
type TransferPlaybackOptions struct {
	// Play, when set, starts (true) or keeps the current state (false) on
	// the new device; nil leaves it to Spotify.
	Play *bool
}

// DevicesOptions are the options of [PlayerService.GetDevices]. It has no
// fields yet; nil is fine.
type DevicesOptions struct{}

// QueueOptions are the options of [PlayerService.GetQueue]. It has no
// fields yet; nil is fine.
type QueueOptions struct{}

// RecentlyPlayedOptions are the options of
// [PlayerService.GetRecentlyPlayed]. After and Before are exclusive.
type RecentlyPlayedOptions struct {
	// Limit is the page size, 1 to 50, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// After returns the items played after this time, in milliseconds
	// since the Unix epoch.
	After *int64
	// Before returns the items played before this time, in milliseconds
	// since the Unix epoch.
	Before *int64
}

// GetPlaybackState returns the state of the user's playback: the item,
// progress, device, repeat and shuffle. When nothing is playing (Spotify
// answers 204 with no body) it returns nil and no error.
//
// Spotify API: GET /me/player. Scope: user-read-playback-state.
func (s *PlayerService) GetPlaybackState(ctx context.Context, opts *PlaybackStateOptions) (*PlaybackState, error) {
	if opts == nil {
		opts = &PlaybackStateOptions{}
	}
	cl, err := s.lookup(opGetPlaybackState, opts.Market, opts.AdditionalTypes)
	if err != nil {
		return nil, err
	}
	var st *PlaybackState
	if _, err := s.c.call(ctx, cl, &st); err != nil {
		return nil, err
	}
	return st, nil
}

// TransferPlayback moves playback to the device deviceID.
//
// Spotify API: PUT /me/player. Scope: user-modify-playback-state.
func (s *PlayerService) TransferPlayback(ctx context.Context, deviceID string, opts *TransferPlaybackOptions) error {
	if err := playerDeviceID(opTransferPlayback, deviceID); err != nil {
		return err
	}
	if opts == nil {
		opts = &TransferPlaybackOptions{}
	}
	body := struct {
		DeviceIDs []string `json:"device_ids"`
		Play      *bool    `json:"play,omitzero"`
	}{[]string{deviceID}, opts.Play}
	_, err := s.c.call(ctx, &call{op: opTransferPlayback, body: body}, nil)
	return err
}

// GetDevices returns the user's available devices. An answer without a
// "devices" list is a *DecodeError.
//
// Spotify API: GET /me/player/devices. Scope: user-read-playback-state.
func (s *PlayerService) GetDevices(ctx context.Context, opts *DevicesOptions) ([]Device, error) {
	var wrapper map[string]jsontext.Value
	if _, err := s.c.call(ctx, &call{op: opGetDevices}, &wrapper); err != nil {
		return nil, err
	}
	raw, ok := wrapper["devices"]
	if !ok || raw.Kind() != '[' {
		found := "none"
		if ok {
			found = jsonKindName(raw.Kind())
		}
		return nil, &DecodeError{Method: opGetDevices.method, Route: opGetDevices.path,
			Err: fmt.Errorf("expected a list under \"devices\", found %s", found)}
	}
	devices := []Device{}
	if err := decodeJSON(raw, &devices); err != nil {
		return nil, &DecodeError{Method: opGetDevices.method, Route: opGetDevices.path, Err: err}
	}
	return devices, nil
}

// GetCurrentlyPlaying returns the item playing on the user's active
// device. When nothing is playing (Spotify answers 204 with no body) it
// returns nil and no error.
//
// Spotify API: GET /me/player/currently-playing. Scope:
// user-read-currently-playing.
func (s *PlayerService) GetCurrentlyPlaying(ctx context.Context, opts *CurrentlyPlayingOptions) (*CurrentlyPlaying, error) {
	if opts == nil {
		opts = &CurrentlyPlayingOptions{}
	}
	cl, err := s.lookup(opGetCurrentlyPlayed, opts.Market, opts.AdditionalTypes)
	if err != nil {
		return nil, err
	}
	var cp *CurrentlyPlaying
	if _, err := s.c.call(ctx, cl, &cp); err != nil {
		return nil, err
	}
	return cp, nil
}

// GetRecentlyPlayed returns a page of the tracks the user played
// recently, newest first. NextPage and All follow Spotify's next link,
// which walks back in time (by before). Podcast episodes are not listed.
//
// Spotify API: GET /me/player/recently-played. Scope:
// user-read-recently-played.
func (s *PlayerService) GetRecentlyPlayed(ctx context.Context, opts *RecentlyPlayedOptions) (*CursorPage[RecentlyPlayedItem], error) {
	if opts == nil {
		opts = &RecentlyPlayedOptions{}
	}
	op := opRecentlyPlayed
	p := s.c.params(op).limit(opts.Limit)
	switch {
	case opts.After != nil && *opts.After < 0:
		p.fail(op.invalid("after %d is negative", *opts.After))
	case opts.Before != nil && *opts.Before < 0:
		p.fail(op.invalid("before %d is negative", *opts.Before))
	case opts.After != nil && opts.Before != nil:
		p.fail(op.invalid("after and before cannot both be set"))
	}
	playerMillis(p.q, "after", opts.After)
	playerMillis(p.q, "before", opts.Before)
	cl, err := p.call()
	if err != nil {
		return nil, err
	}
	var page CursorPage[RecentlyPlayedItem]
	if _, err := s.c.call(ctx, cl, &page); err != nil {
		return nil, err
	}
	return page.bind(s.c, opRecentlyPlayed, ""), nil
}

// playerMillis sets k to the timestamp v when it is given.
func playerMillis(q query, k string, v *int64) {
	if v != nil {
		q[k] = []string{strconv.FormatInt(*v, 10)}
	}
}

// GetQueue returns the item playing and the user's queue.
//
// Spotify API: GET /me/player/queue. Scopes: user-read-currently-playing,
// user-read-playback-state.
func (s *PlayerService) GetQueue(ctx context.Context, opts *QueueOptions) (*PlaybackQueue, error) {
	var pq PlaybackQueue
	if _, err := s.c.call(ctx, &call{op: opGetQueue}, &pq); err != nil {
		return nil, err
	}
	return &pq, nil
}

// playerAdditionalTypes are the values additional_types accepts.
var playerAdditionalTypes = []string{"track", "episode"}

// lookup checks the options of the two playback lookups (op) and returns
// the call: market, and additional_types when not nil (an empty list is
// refused).
func (s *PlayerService) lookup(op *operation, market string, types []string) (*call, error) {
	p := s.c.params(op).market(market)
	if types != nil && len(types) == 0 {
		p.fail(op.invalid("additional_types is empty (nil sends none)"))
	}
	for _, t := range types {
		if err := op.oneOf("additional_types", t, playerAdditionalTypes); err != nil {
			p.fail(err)
			break
		}
	}
	return p.list("additional_types", types).call()
}

// playerDeviceID checks a device id that was given, for a call of op.
func playerDeviceID(op *operation, id string) error {
	if strings.TrimSpace(id) == "" {
		return op.invalid("device_id is empty")
	}
	return nil
}

// playerDeviceQuery is the device_id query of a command of op; an empty
// DeviceID is "not given", one of only spaces is rejected.
func playerDeviceQuery(op *operation, opts *DeviceOptions) (query, error) {
	q := query{}
	if opts == nil || opts.DeviceID == "" {
		return q, nil
	}
	if err := playerDeviceID(op, opts.DeviceID); err != nil {
		return nil, err
	}
	return q.str("device_id", opts.DeviceID), nil
}
