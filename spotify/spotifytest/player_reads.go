package spotifytest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Read routes of the player (/v1/me/player...): playback state, currently
// playing, devices, queue and recently played, answered from the user's
// player state (player_state.go; generated until the user's first
// command, handlers_player.go).

// deviceKinds are the types and names of a user's devices.
var deviceKinds = [][2]string{{"Computer", "Desktop"}, {"Smartphone", "Phone"}, {"Speaker", "Kitchen Speaker"}}

// device writes a DeviceObject: user u's device j, with its volume (-1
// writes null).
func (v *view) device(u, j int, active bool, volume int) {
	v.obj()
	v.ks("id", v.cat.deviceID(u, j))
	v.kb("is_active", active)
	v.kb("is_private_session", false)
	v.kb("is_restricted", false)
	v.ks("name", v.cat.userName(u)+"'s "+deviceKinds[j%len(deviceKinds)][1])
	v.kb("supports_volume", j != 2)
	v.ks("type", deviceKinds[j%len(deviceKinds)][0])
	if volume < 0 {
		v.kn("volume_percent")
	} else {
		v.ki("volume_percent", volume)
	}
	v.objEnd()
}

// contextObject writes the context {external_urls, href, type, uri} of
// an album, artist or playlist, or null for none.
func (v *view) contextObject(ctx playContext) {
	if ctx.k == 0 {
		v.null()
		return
	}
	id := v.id(ctx.k, ctx.i)
	u := string(uriKind(ctx.k))
	v.obj()
	v.k("external_urls")
	v.obj()
	v.ks("spotify", "https://open.spotify.com/"+u+"/"+id)
	v.objEnd()
	v.ks("href", v.base+apiPath(ctx.k, id))
	v.ks("type", string(ctx.k.Kind()))
	v.ks("uri", "spotify:"+u+":"+id)
	v.objEnd()
}

// playItem writes a TrackObject or an EpisodeObject.
func (v *view) playItem(it playItem) {
	if it.episode {
		v.episode(it.i, false)
	} else {
		v.track(it.i, false)
	}
}

// playingFields writes the fields of a CurrentlyPlayingObject, without
// the braces. An episode is written only when additional_types names
// episode (else item is null), as Spotify does.
func (c *call) playingFields(v *view, sn playerSnap) {
	v.k("context")
	v.contextObject(sn.ctx)
	v.ki("timestamp", int(sn.since.UnixMilli()))
	v.ki("progress_ms", sn.progress)
	v.kb("is_playing", sn.playing)
	v.k("item")
	typ := "track"
	if sn.cur.episode {
		typ = "episode"
	}
	if sn.cur.episode && !strings.Contains(c.q.Get("additional_types"), "episode") {
		v.null()
	} else {
		v.playItem(sn.cur)
	}
	v.ks("currently_playing_type", typ)
	v.k("actions")
	v.obj()
	v.k("disallows")
	v.obj()
	if sn.playing {
		v.kb("resuming", true)
	} else {
		v.kb("pausing", true)
	}
	v.objEnd()
	v.objEnd()
}

// nowPlaying checks the scope and returns the user and their player
// (player_state.go); with no item loaded it answers 204 and ok false.
func (c *call) nowPlaying(scopes ...string) (u int, sn playerSnap, ok bool) {
	u, ok = c.me(scopes...)
	if !ok {
		return 0, sn, false
	}
	sn = c.s.playerSnap(u)
	if !sn.loaded {
		c.w.WriteHeader(http.StatusNoContent)
		return 0, sn, false
	}
	return u, sn, true
}

// handlePlayer answers GET /v1/me/player: 204 when nothing is loaded,
// else a CurrentlyPlayingContextObject on the active device.
func handlePlayer(c *call) {
	u, sn, ok := c.nowPlaying(scopePlaybackState)
	if !ok {
		return
	}
	v := c.view()
	if v == nil {
		return
	}
	v.obj()
	v.k("device")
	j := max(sn.active, 0)
	v.device(u, j, sn.active >= 0, sn.volume[j])
	v.ks("repeat_state", sn.repeat)
	v.kb("shuffle_state", sn.shuffle)
	v.kb("smart_shuffle", false)
	c.playingFields(v, sn)
	v.objEnd()
	c.send(v)
}

// handleCurrentlyPlaying answers GET /v1/me/player/currently-playing: 204
// when nothing is loaded.
func handleCurrentlyPlaying(c *call) {
	_, sn, ok := c.nowPlaying(scopeCurrentlyPlay, scopePlaybackState)
	if !ok {
		return
	}
	v := c.view()
	if v == nil {
		return
	}
	v.obj()
	c.playingFields(v, sn)
	v.objEnd()
	c.send(v)
}

// handleDevices answers GET /v1/me/player/devices: the user's 1..3
// devices, the active one marked.
func handleDevices(c *call) {
	u, ok := c.me(scopePlaybackState)
	if !ok {
		return
	}
	sn := c.s.playerSnap(u)
	v := c.view()
	if v == nil {
		return
	}
	v.obj()
	v.k("devices")
	v.arr()
	for j, vol := range sn.volume {
		v.device(u, j, j == sn.active, vol)
	}
	v.arrEnd()
	v.objEnd()
	c.send(v)
}

// handleQueue answers GET /v1/me/player/queue: the item loaded (or null)
// and the next 20 (player_state.go: the user's queue, then the rest of
// the context; for a player only SetPlaying set, the rest of the album).
func handleQueue(c *call) {
	u, ok := c.me(scopeCurrentlyPlay, scopePlaybackState)
	if !ok {
		return
	}
	sn := c.s.playerSnap(u)
	v := c.view()
	if v == nil {
		return
	}
	v.obj()
	v.k("currently_playing")
	if sn.loaded {
		v.playItem(sn.cur)
	} else {
		v.null()
	}
	v.k("queue")
	v.arr()
	for _, it := range sn.next {
		v.playItem(it)
	}
	v.arrEnd()
	v.objEnd()
	c.send(v)
}

// handleRecentlyPlayed answers GET /v1/me/player/recently-played: a cursor
// page of the user's last 50 plays, newest first. before (Unix ms) gives
// the plays before it; after the plays after it (the oldest of them, still
// newest first); not both. cursors.after and cursors.before are the
// times of the first and last item, next pages back with before.
func handleRecentlyPlayed(c *call) {
	u, ok := c.me(scopeRecentlyPlayed)
	if !ok {
		return
	}
	_, limit, ok := c.page(20, 50, 0)
	if !ok {
		return
	}
	ms := func(name string) (int64, bool, bool) {
		raw := c.q.Get(name)
		if raw == "" {
			return 0, false, true
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 0 {
			c.fail(http.StatusBadRequest, "Invalid "+name+" cursor")
			return 0, false, false
		}
		return n, true, true
	}
	after, hasAfter, ok := ms("after")
	if !ok {
		return
	}
	before, hasBefore, ok := ms("before")
	if !ok {
		return
	}
	if hasAfter && hasBefore {
		c.fail(http.StatusBadRequest, "Only one of before or after may be given")
		return
	}
	plays := c.s.playHistory(u) // player_state.go
	n := len(plays)
	from, to := 0, n // plays [from, to), newest first
	switch {
	case hasAfter:
		to = 0
		for to < n && plays[to].at > after {
			to++
		}
		from = max(0, to-limit)
	case hasBefore:
		for from < n && plays[from].at >= before {
			from++
		}
		to = min(n, from+limit)
	default:
		to = min(n, limit)
	}
	v := c.view()
	if v == nil {
		return
	}
	href := func(cursor string, at int64) string {
		s := v.base + "/v1/me/player/recently-played?"
		if cursor != "" {
			s += cursor + "=" + strconv.FormatInt(at, 10) + "&"
		}
		return s + "limit=" + itoa(limit)
	}
	v.obj()
	switch {
	case hasAfter:
		v.ks("href", href("after", after))
	case hasBefore:
		v.ks("href", href("before", before))
	default:
		v.ks("href", href("", 0))
	}
	v.k("items")
	v.arr()
	for _, p := range plays[from:to] {
		v.obj()
		v.k("track")
		v.track(p.t, false)
		v.ks("played_at", time.UnixMilli(p.at).UTC().Format("2006-01-02T15:04:05.000Z"))
		v.k("context")
		v.contextObject(p.ctx)
		v.objEnd()
	}
	v.arrEnd()
	v.ki("limit", limit)
	v.k("next")
	if from < to && to < n {
		v.str(href("before", plays[to-1].at))
	} else {
		v.null()
	}
	v.k("cursors")
	if from < to {
		v.obj()
		v.ks("after", strconv.FormatInt(plays[from].at, 10))
		v.ks("before", strconv.FormatInt(plays[to-1].at, 10))
		v.objEnd()
	} else {
		v.null()
	}
	v.objEnd()
	c.send(v)
}
