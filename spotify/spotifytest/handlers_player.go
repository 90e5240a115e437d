package spotifytest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The player commands, each answering 204 and changing the user's player
// (player_state.go). device_id (the body's device_ids for a transfer)
// names the device: one the user lacks answers 404 "Device not found",
// and a command naming a device moves playback to it, except the volume,
// which sets that device's. Without it the active device is meant; with
// none active the command answers 404 with reason NO_ACTIVE_DEVICE. As
// Spotify does, a command the state does not allow (pause while paused,
// resume while playing, skip or seek with nothing loaded) answers 403
// "Player command failed: Restriction violated" (reason UNKNOWN), a
// volume on a device without volume control 403 with reason
// VOLUME_CONTROL_DISALLOW, and bad values (a volume outside 0..100, an
// unknown state, a negative position, a malformed or unknown URI, an
// empty context) 400. A context plays an album's tracks, an artist's top
// tracks or a playlist's entries (its state once written).

// scopeModifyPlayback is the scope of the player commands.
const scopeModifyPlayback = "user-modify-playback-state"

// addPlayerRoutes registers the player commands.
func addPlayerRoutes(rt *router) {
	const put, post = http.MethodPut, http.MethodPost
	rt.add(put, "/v1/me/player", modify(handleTransfer))
	rt.add(put, "/v1/me/player/play", modify(handlePlay))
	rt.add(put, "/v1/me/player/pause", modify(handlePause))
	rt.add(post, "/v1/me/player/next", modify(handleSkip(true)))
	rt.add(post, "/v1/me/player/previous", modify(handleSkip(false)))
	rt.add(put, "/v1/me/player/seek", modify(handleSeek))
	rt.add(put, "/v1/me/player/repeat", modify(handleMode(true)))
	rt.add(put, "/v1/me/player/volume", modify(handleVolume))
	rt.add(put, "/v1/me/player/shuffle", modify(handleMode(false)))
	rt.add(post, "/v1/me/player/queue", modify(handleAddToQueue))
}

// modify returns the handler of command h, which needs the scope.
func modify(h func(c *call, u int)) func(*call) {
	return func(c *call) {
		if u, ok := c.me(scopeModifyPlayback); ok {
			h(c, u)
		}
	}
}

// playerStep is one command's change of a player, or its refusal.
type playerStep func(p *userPlayer, now time.Time) *playerError

// command applies step to user u's player and answers 204 or the refusal.
func (c *call) command(u int, step playerStep) {
	err := c.s.playerCommand(u, step)
	switch {
	case err == nil:
		c.w.WriteHeader(http.StatusNoContent)
	case err.reason != "":
		writeAPIErrorReason(c.w, err.status, err.msg, err.reason)
	default:
		c.fail(err.status, err.msg)
	}
}

// onDevice returns a step that resolves the device the command names,
// checks that an item is loaded when loaded is set, runs then, and unless
// then refused moves playback to the device.
func (c *call) onDevice(u int, loaded bool, then playerStep) playerStep {
	dev := c.q.Get("device_id")
	return func(p *userPlayer, now time.Time) *playerError {
		j, err := p.device(c.s.cat, u, dev)
		if err == nil && loaded && !p.loaded {
			err = errRestricted
		}
		if err == nil {
			if err = then(p, now); err == nil {
				p.active = j
			}
		}
		return err
	}
}

// intParam reads the integer query parameter name, in lo..hi: 400 when it
// is missing, not a number or out of range.
func (c *call) intParam(name string, lo, hi int) (int, bool) {
	raw := c.q.Get(name)
	if raw == "" {
		c.fail(http.StatusBadRequest, "Missing required parameter: "+name)
		return 0, false
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		c.fail(http.StatusBadRequest, "Invalid "+name+": want an integer from "+itoa(lo)+" to "+itoa(hi))
		return 0, false
	}
	return n, true
}

// itemURI resolves a spotify:track: or spotify:episode: URI; 400 for
// another, malformed or unknown one.
func (c *call) itemURI(uri string) (playItem, bool) {
	typ, id, ok := splitURI(strings.TrimSpace(uri))
	if ok && (typ == "track" || typ == "episode") {
		k := kTrack
		if typ == "episode" {
			k = kEpisode
		}
		if i, ok := c.s.cat.lookup(k, id); ok {
			return playItem{episode: k == kEpisode, i: i}, true
		}
	}
	c.fail(http.StatusBadRequest, "Invalid track uri: "+uri)
	return playItem{}, false
}

// contextItems resolves a context URI (an album, artist or playlist) to
// its items; 400 for another, malformed, unknown or empty one.
func (c *call) contextItems(uri string) ([]playItem, playContext, bool) {
	cat := c.s.cat
	var items []playItem
	var ctx playContext
	if typ, id, ok := splitURI(strings.TrimSpace(uri)); ok {
		switch typ {
		case "album":
			if al, ok := cat.lookup(kAlbum, id); ok {
				items, ctx = cat.albumItems(al), playContext{kAlbum, al}
			}
		case "artist":
			if a, ok := cat.lookup(kArtist, id); ok {
				for _, t := range cat.topTracks(a) {
					items = append(items, playItem{i: t})
				}
				ctx = playContext{kArtist, a}
			}
		case "playlist":
			if k, p, ok := cat.decodeID(id); ok && k == kPlaylist {
				items, ctx = c.s.playlistItems(p), playContext{kPlaylist, p}
			}
		}
	}
	if len(items) == 0 {
		c.fail(http.StatusBadRequest, "Invalid context uri: "+uri)
		return nil, ctx, false
	}
	return items, ctx, true
}

// playlistItems returns playlist p's entries: its state once written,
// else the generated ones; nil for no such playlist.
func (s *Server) playlistItems(p int) (out []playItem) {
	s.pl.mu.Lock()
	defer s.pl.mu.Unlock()
	if st := s.pl.m[p]; st != nil {
		for _, e := range st.entries {
			out = append(out, playItem{episode: e.episode, i: e.index})
		}
	} else if s.cat.exists(kPlaylist, p) {
		for k := range s.cat.playlistLen(p) {
			e := s.cat.playlistEntry(p, k)
			out = append(out, playItem{episode: e.episode, i: e.index})
		}
	}
	return out
}

// playBody is the JSON body of PUT /me/player/play.
type playBody struct {
	ContextURI *string  `json:"context_uri"`
	URIs       []string `json:"uris"`
	Offset     *struct {
		Position *int    `json:"position"`
		URI      *string `json:"uri"`
	} `json:"offset"`
	PositionMS *int `json:"position_ms"`
}

// resolve checks the body of a play and returns what it plays: the items
// (nil for a resume), their context and the first; 400 on a bad value.
func (b *playBody) resolve(c *call) (items []playItem, ctx playContext, first int, ok bool) {
	msg := ""
	switch {
	case b.ContextURI != nil && b.URIs != nil:
		msg = "context_uri and uris cannot both be given"
	case b.URIs != nil && len(b.URIs) == 0:
		msg = "uris cannot be empty"
	case b.Offset != nil && b.ContextURI == nil && b.URIs == nil:
		msg = "offset needs context_uri or uris"
	case b.PositionMS != nil && *b.PositionMS < 0:
		msg = "position_ms cannot be negative"
	}
	if msg != "" {
		c.fail(http.StatusBadRequest, msg)
		return nil, ctx, 0, false
	}
	if b.ContextURI != nil {
		if items, ctx, ok = c.contextItems(*b.ContextURI); !ok {
			return nil, ctx, 0, false
		}
	}
	for _, uri := range b.URIs {
		it, ok := c.itemURI(uri)
		if !ok {
			return nil, ctx, 0, false
		}
		items = append(items, it)
	}
	o := b.Offset
	switch {
	case o == nil:
		return items, ctx, 0, true
	case o.Position != nil && o.URI == nil && *o.Position >= 0 && *o.Position < len(items):
		return items, ctx, *o.Position, true
	case o.URI != nil && o.Position == nil:
		it, ok := c.itemURI(*o.URI)
		if !ok {
			return nil, ctx, 0, false
		}
		for k, x := range items {
			if x == it {
				return items, ctx, k, true
			}
		}
	}
	c.fail(http.StatusBadRequest, "Invalid offset")
	return nil, ctx, 0, false
}

// handlePlay answers PUT /v1/me/player/play: with context_uri or uris a
// new play (from offset, at position_ms), else a resume (at position_ms
// when given).
func handlePlay(c *call, u int) {
	var b playBody
	if !c.readBody(&b) {
		return
	}
	items, ctx, first, ok := b.resolve(c)
	if !ok {
		return
	}
	c.command(u, c.onDevice(u, false, func(p *userPlayer, now time.Time) *playerError {
		switch {
		case items != nil:
			ms := 0
			if b.PositionMS != nil {
				ms = *b.PositionMS
			}
			p.play(items, ctx, first, ms, now)
			return nil
		case !p.loaded || (p.playing && b.PositionMS == nil):
			return errRestricted
		case b.PositionMS != nil:
			p.progress = *b.PositionMS
		}
		p.since, p.playing = now, true
		return nil
	}))
}

// handleTransfer answers PUT /v1/me/player: {"device_ids": [one id],
// "play": bool}. The device becomes the active one; play true resumes a
// paused item, false or absent keeps the state.
func handleTransfer(c *call, u int) {
	var b struct {
		DeviceIDs []string `json:"device_ids"`
		Play      *bool    `json:"play"`
	}
	if !c.readBody(&b) {
		return
	}
	switch {
	case len(b.DeviceIDs) == 0 || b.DeviceIDs[0] == "":
		c.fail(http.StatusBadRequest, "Missing required field: device_ids")
		return
	case len(b.DeviceIDs) > 1:
		c.fail(http.StatusBadRequest, "Only one device_id is supported")
		return
	}
	c.command(u, func(p *userPlayer, now time.Time) *playerError {
		j, err := p.device(c.s.cat, u, b.DeviceIDs[0])
		if err != nil {
			return err
		}
		p.active = j
		if b.Play != nil && *b.Play && p.loaded && !p.playing {
			p.since, p.playing = now, true
		}
		return nil
	})
}

// handlePause answers PUT /v1/me/player/pause.
func handlePause(c *call, u int) {
	c.command(u, c.onDevice(u, true, func(p *userPlayer, now time.Time) *playerError {
		if !p.playing {
			return errRestricted
		}
		p.progress, p.since, p.playing = p.at(now), now, false
		return nil
	}))
}

// handleSkip answers POST /v1/me/player/next (next) or /previous.
func handleSkip(next bool) func(*call, int) {
	return func(c *call, u int) {
		c.command(u, c.onDevice(u, true, func(p *userPlayer, now time.Time) *playerError {
			if next {
				p.advance(now, false)
			} else {
				p.retreat(now)
			}
			return nil
		}))
	}
}

// handleSeek answers PUT /v1/me/player/seek?position_ms=: a position past
// the item's end skips to the next item.
func handleSeek(c *call, u int) {
	ms, ok := c.intParam("position_ms", 0, 1<<31-1)
	if !ok {
		return
	}
	c.command(u, c.onDevice(u, true, func(p *userPlayer, now time.Time) *playerError {
		if ms >= c.s.cat.length(p.cur) {
			p.advance(now, false)
		} else {
			p.progress, p.since = ms, now
		}
		return nil
	}))
}

// handleMode returns the handler of PUT /v1/me/player/repeat?state=
// track|context|off (repeat) or /shuffle?state=true|false.
func handleMode(repeat bool) func(*call, int) {
	states := []string{"true", "false"}
	if repeat {
		states = []string{"track", "context", "off"}
	}
	return func(c *call, u int) {
		state := c.q.Get("state")
		if !slices.Contains(states, state) {
			c.fail(http.StatusBadRequest, "Invalid state: want "+strings.Join(states, ", "))
			return
		}
		c.command(u, c.onDevice(u, false, func(p *userPlayer, _ time.Time) *playerError {
			if repeat {
				p.repeat = state
			} else {
				p.setShuffle(state == "true")
			}
			return nil
		}))
	}
}

// handleVolume answers PUT /v1/me/player/volume?volume_percent=0..100:
// the named device's volume, else the active device's.
func handleVolume(c *call, u int) {
	vol, ok := c.intParam("volume_percent", 0, 100)
	if !ok {
		return
	}
	dev := c.q.Get("device_id")
	c.command(u, func(p *userPlayer, _ time.Time) *playerError {
		j, err := p.device(c.s.cat, u, dev)
		if err != nil {
			return err
		}
		if p.volume[j] < 0 {
			return errNoVolume
		}
		p.volume[j] = vol
		return nil
	})
}

// handleAddToQueue answers POST /v1/me/player/queue?uri=: a track or
// episode at the end of the user's queue.
func handleAddToQueue(c *call, u int) {
	uri := c.q.Get("uri")
	if uri == "" {
		c.fail(http.StatusBadRequest, "Missing required parameter: uri")
		return
	}
	it, ok := c.itemURI(uri)
	if !ok {
		return
	}
	c.command(u, c.onDevice(u, false, func(p *userPlayer, _ time.Time) *playerError {
		p.queue = append(p.queue, it)
		return nil
	}))
}
