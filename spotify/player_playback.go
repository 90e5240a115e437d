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
// checked before anything is sent: ContextURI and URIs exclude each other,
// neither may be blank, Offset needs one of them and holds exactly one of
// a position (0 or more) and a URI, and PositionMS is 0 or more.
//
// Spotify API: PUT /me/player/play. Scope: user-modify-playback-state.
func (s *PlayerService) StartPlayback(ctx context.Context, opts *StartPlaybackOptions) error {
	if opts == nil {
		opts = &StartPlaybackOptions{}
	}
	q, err := playerDeviceQuery(opStartPlayback, &DeviceOptions{DeviceID: opts.DeviceID})
	if err != nil {
		return err
	}
	if err := playerCheckStart(opStartPlayback, opts); err != nil {
		return err
	}
	cl := &call{op: opStartPlayback, query: url.Values(q)}
	if opts.ContextURI != "" || opts.URIs != nil || opts.Offset != nil || opts.PositionMS != nil {
		cl.body = playerPlayBody{ContextURI: opts.ContextURI, URIs: opts.URIs, Offset: opts.Offset, PositionMS: opts.PositionMS}
	}
	_, err = s.c.call(ctx, cl, nil)
	return err
}

// playerCheckStart checks the options of a start of playback (op), in
// order: the first rule broken is reported.
func playerCheckStart(op *operation, o *StartPlaybackOptions) error {
	switch {
	case o.ContextURI != "" && o.URIs != nil:
		return op.invalid("context_uri and uris cannot both be set")
	case o.ContextURI != "" && strings.TrimSpace(o.ContextURI) == "":
		return op.invalid("context_uri is blank")
	case o.URIs != nil && len(o.URIs) == 0:
		return op.invalid("uris is empty (nil sends none)")
	}
	for i, u := range o.URIs {
		if strings.TrimSpace(u) == "" {
			return op.invalid("uris[%d] is empty", i)
		}
	}
	switch {
	case o.Offset != nil && o.ContextURI == "" && o.URIs == nil:
		return op.invalid("offset needs context_uri or uris")
	case o.PositionMS != nil && *o.PositionMS < 0:
		return op.invalid("position_ms %d is negative", *o.PositionMS)
	case o.Offset == nil:
		return nil
	case o.Offset.Position != nil && *o.Offset.Position < 0:
		return op.invalid("offset position %d is negative", *o.Offset.Position)
	case o.Offset.Position == nil && strings.TrimSpace(o.Offset.URI) == "":
		return op.invalid("offset has neither a position nor a uri")
	case o.Offset.Position != nil && o.Offset.URI != "":
		return op.invalid("offset cannot have both a position and a uri")
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
		return opSeek.invalid("position_ms %d is negative", positionMS)
	}
	return s.command(ctx, opSeek, query{}.num("position_ms", positionMS), opts)
}

// SetRepeatMode sets the repeat mode: [RepeatTrack], [RepeatContext] or
// [RepeatOff].
//
// Spotify API: PUT /me/player/repeat. Scope: user-modify-playback-state.
func (s *PlayerService) SetRepeatMode(ctx context.Context, state string, opts *DeviceOptions) error {
	if err := opSetRepeat.oneOf("state", state, []string{RepeatContext, RepeatOff, RepeatTrack}); err != nil {
		return err
	}
	return s.command(ctx, opSetRepeat, query{}.str("state", state), opts)
}

// SetVolume sets the device's volume, 0 to 100 percent.
//
// Spotify API: PUT /me/player/volume. Scope: user-modify-playback-state.
func (s *PlayerService) SetVolume(ctx context.Context, volumePercent int, opts *DeviceOptions) error {
	if volumePercent < 0 || volumePercent > 100 {
		return opSetVolume.invalid("volume_percent %d is out of range 0..100", volumePercent)
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
		return opAddToQueue.invalid("uri is empty")
	}
	return s.command(ctx, opAddToQueue, query{}.str("uri", uri), opts)
}

// command sends a player command without a body: the query q (may be nil)
// plus the device_id of opts, checked first.
func (s *PlayerService) command(ctx context.Context, op *operation, q query, opts *DeviceOptions) error {
	dq, err := playerDeviceQuery(op, opts)
	if err != nil {
		return err
	}
	for k, v := range q {
		dq[k] = v
	}
	_, err = s.c.call(ctx, &call{op: op, query: url.Values(dq)}, nil)
	return err
}
