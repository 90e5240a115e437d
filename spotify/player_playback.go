package spotify

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// PlaybackOffset is where in a context or a URI list playback starts: set
// exactly one of Position and URI.
type PlaybackOffset struct {
	// Position is the zero-based index of the item.
	Position *int `json:"position,omitzero"`
	// URI is the Spotify URI of the item.
	URI string `json:"uri,omitzero"`
}

// StartPlaybackOptions are the options of [PlayerService.StartPlayback].
// With none set, StartPlayback resumes what was playing.
type StartPlaybackOptions struct {
	// DeviceID is the device to play on; empty means the active device.
	DeviceID string
	// ContextURI is the album, artist or playlist to play. It excludes
	// URIs.
	ContextURI string
	// URIs are the tracks or episodes to play. nil sends none; a non-nil
	// empty list is rejected. It excludes ContextURI.
	URIs []string
	// Offset is where to start in ContextURI or URIs; it needs one of them.
	Offset *PlaybackOffset
	// PositionMS is where to start in the first item, in milliseconds.
	PositionMS *int
}

// playerPlayBody is the JSON body of PUT /me/player/play: only the fields
// given.
type playerPlayBody struct {
	ContextURI string          `json:"context_uri,omitzero"`
	URIs       []string        `json:"uris,omitzero"`
	Offset     *PlaybackOffset `json:"offset,omitzero"`
	PositionMS *int            `json:"position_ms,omitzero"`
}

// StartPlayback starts playing a context or a list of items, or, with no
// options, resumes playback (no body is sent then). The options are
// checked with the Python SDK's rules, in its order.
//
// Spotify API: PUT /me/player/play. Scope: user-modify-playback-state.
func (s *PlayerService) StartPlayback(ctx context.Context, opts *StartPlaybackOptions) error {
	if opts == nil {
		opts = &StartPlaybackOptions{}
	}
	q, err := playerDeviceQuery(&DeviceOptions{DeviceID: opts.DeviceID})
	if err != nil {
		return err
	}
	if err := playerCheckStart(opts); err != nil {
		return err
	}
	cl := &call{op: opStartPlayback, query: url.Values(q)}
	if opts.ContextURI != "" || opts.URIs != nil || opts.Offset != nil || opts.PositionMS != nil {
		cl.body = playerPlayBody{ContextURI: opts.ContextURI, URIs: opts.URIs, Offset: opts.Offset, PositionMS: opts.PositionMS}
	}
	_, err = s.c.send(ctx, cl, nil)
	return err
}

// playerCheckStart applies the seven rules of start_playback, in order
// (plus one for an offset with both a position and a URI, which Python
// cannot express).
func playerCheckStart(o *StartPlaybackOptions) error {
	switch {
	case o.ContextURI != "" && o.URIs != nil:
		return invalidArgument("context_uri and uris cannot both be provided")
	case o.ContextURI != "" && strings.TrimSpace(o.ContextURI) == "":
		return invalidArgument("context_uri cannot be empty")
	case o.URIs != nil && len(o.URIs) == 0:
		return invalidArgument("uris cannot be empty")
	}
	for _, u := range o.URIs {
		if strings.TrimSpace(u) == "" {
			return invalidArgument("uris cannot contain empty values")
		}
	}
	switch {
	case o.Offset != nil && o.ContextURI == "" && o.URIs == nil:
		return invalidArgument("offset requires context_uri or uris")
	case o.PositionMS != nil && *o.PositionMS < 0:
		return invalidArgument("position_ms must be greater than or equal to 0")
	case o.Offset == nil:
		return nil
	case o.Offset.Position != nil && *o.Offset.Position < 0:
		return invalidArgument("offset position must be greater than or equal to 0")
	case o.Offset.Position == nil && strings.TrimSpace(o.Offset.URI) == "":
		return invalidArgument("offset cannot be empty")
	case o.Offset.Position != nil && o.Offset.URI != "":
		return invalidArgument("offset position and uri cannot both be provided")
	}
	return nil
}

// PausePlayback pauses playback.
//
// Spotify API: PUT /me/player/pause. Scope: user-modify-playback-state.
func (s *PlayerService) PausePlayback(ctx context.Context, opts *DeviceOptions) error {
	return s.command(ctx, opPausePlayback, nil, opts)
}

// SkipToNext skips to the next item of the queue.
//
// Spotify API: POST /me/player/next. Scope: user-modify-playback-state.
func (s *PlayerService) SkipToNext(ctx context.Context, opts *DeviceOptions) error {
	return s.command(ctx, opSkipNext, nil, opts)
}

// SkipToPrevious skips to the previous item.
//
// Spotify API: POST /me/player/previous. Scope:
// user-modify-playback-state.
func (s *PlayerService) SkipToPrevious(ctx context.Context, opts *DeviceOptions) error {
	return s.command(ctx, opSkipPrevious, nil, opts)
}

// Seek moves to positionMS milliseconds into the current item; past its
// end, Spotify skips to the next item.
//
// Spotify API: PUT /me/player/seek. Scope: user-modify-playback-state.
func (s *PlayerService) Seek(ctx context.Context, positionMS int, opts *DeviceOptions) error {
	if positionMS < 0 {
		return invalidArgument("position_ms must be greater than or equal to 0")
	}
	return s.command(ctx, opSeek, query{}.num("position_ms", positionMS), opts)
}

// SetRepeatMode sets the repeat mode: [RepeatTrack], [RepeatContext] or
// [RepeatOff].
//
// Spotify API: PUT /me/player/repeat. Scope: user-modify-playback-state.
func (s *PlayerService) SetRepeatMode(ctx context.Context, state string, opts *DeviceOptions) error {
	if state != RepeatTrack && state != RepeatContext && state != RepeatOff {
		return invalidArgument("state must be one of: context, off, track")
	}
	return s.command(ctx, opSetRepeat, query{}.str("state", state), opts)
}

// SetVolume sets the device's volume, 0 to 100 percent.
//
// Spotify API: PUT /me/player/volume. Scope: user-modify-playback-state.
func (s *PlayerService) SetVolume(ctx context.Context, volumePercent int, opts *DeviceOptions) error {
	if volumePercent < 0 || volumePercent > 100 {
		return invalidArgument("volume_percent must be between 0 and 100")
	}
	return s.command(ctx, opSetVolume, query{}.num("volume_percent", volumePercent), opts)
}

// SetShuffle turns shuffle on or off.
//
// Spotify API: PUT /me/player/shuffle. Scope: user-modify-playback-state.
func (s *PlayerService) SetShuffle(ctx context.Context, state bool, opts *DeviceOptions) error {
	return s.command(ctx, opSetShuffle, query{}.str("state", strconv.FormatBool(state)), opts)
}

// AddToQueue adds the track or episode uri to the end of the queue.
//
// Spotify API: POST /me/player/queue. Scope: user-modify-playback-state.
func (s *PlayerService) AddToQueue(ctx context.Context, uri string, opts *DeviceOptions) error {
	if strings.TrimSpace(uri) == "" {
		return invalidArgument("uri cannot be empty")
	}
	return s.command(ctx, opAddToQueue, query{}.str("uri", uri), opts)
}

// command sends a player command without a body: the query q (may be nil)
// plus the device_id of opts, checked first.
func (s *PlayerService) command(ctx context.Context, op *operation, q query, opts *DeviceOptions) error {
	dq, err := playerDeviceQuery(opts)
	if err != nil {
		return err
	}
	for k, v := range q {
		dq[k] = v
	}
	_, err = s.c.send(ctx, &call{op: op, query: url.Values(dq)}, nil)
	return err
}
