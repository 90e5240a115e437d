package spotifytest

import (
	"slices"
	"sync"
	"time"
)

// The player with state. A user's player is generated (idle, or what
// Server.SetPlaying set) until a player command (handlers_player.go)
// copies it into a userPlayer, which answers every player read from then
// on: the devices, the active one and their volumes; the item (a track
// or an episode) and its context (an album, an artist's top tracks, a
// playlist, or none for a list of URIs); is_playing and progress_ms,
// which runs with the server's clock while playing, so that a test
// moving its clock (WithClock) sees items end and the next ones start;
// repeat (track: an ended item starts again; context: the context starts
// over; off: the context pauses on its first item at its end, as Spotify
// does without autoplay); shuffle (a drawn order, the current item
// first); the queue (the items the user added, then the rest of the
// context); the history (a track enters it when playback leaves it,
// newest first, dated then but never before the newest play; 50 kept).

// playItem is a track or an episode.
type playItem struct {
	episode bool
	i       int
}

// playContext is what playback was started from: an album, artist or
// playlist (k, i), or nothing (k 0).
type playContext struct {
	k kind
	i int
}

// playRecord is one play of the history.
type playRecord struct {
	t   int // the track
	ctx playContext
	at  int64 // Unix milliseconds
}

// userPlayer is the player of a user who sent a player command;
// players.mu guards it.
type userPlayer struct {
	seed     uint64 // the user's shuffle draws start here
	draws    uint64 // shuffles drawn so far
	active   int    // the active device, or -1
	volume   []int  // per device; -1 for a device without volume control
	loaded   bool   // an item is loaded (playing or paused)
	playing  bool
	cur      playItem
	fromQ    bool // cur came from the user's queue
	ctx      playContext
	items    []playItem // the context's items, or the URIs played
	order    []int      // the play order of items
	pos      int        // the position in order of the last context item played
	queue    []playItem // the items the user added, the next first
	progress int        // milliseconds into cur at since
	since    time.Time  // when progress was taken: the last change
	repeat   string     // "off", "track" or "context"
	shuffle  bool
	recent   []playRecord // newest first
}

// players holds the players' state. Its zero value is ready.
type players struct {
	mu  sync.Mutex
	set map[int]int // the track SetPlaying set, for users never written
	m   map[int]*userPlayer
}

// init makes the maps; ps.mu is held.
func (ps *players) init() {
	if ps.m == nil {
		ps.set = map[int]int{}
		ps.m = map[int]*userPlayer{}
	}
}

// maxSettle bounds the items one read or command plays through.
const maxSettle = 1 << 14

// player returns the players' state.
func (s *Server) player() *players { return &s.players }

// deviceID returns the id of user u's device j.
func (c *Catalog) deviceID(u, j int) string { return hex40(c.h(kUser, u, fShelf+110+uint64(j))) }

// volumes returns the generated volume of each of user u's devices; the
// third (a speaker without volume control) has -1.
func (c *Catalog) volumes(u int) []int {
	out := make([]int, c.devices(u))
	for j := range out {
		out[j] = 10 * int(c.h(kUser, u, fShelf+110+uint64(j))%11)
	}
	if len(out) > 2 {
		out[2] = -1
	}
	return out
}

// length returns the duration of an item in milliseconds.
func (c *Catalog) length(it playItem) int {
	if it.episode {
		return c.episodeDuration(it.i)
	}
	return c.trackDuration(it.i)
}

// albumItems returns the tracks of album al.
func (c *Catalog) albumItems(al int) []playItem {
	out := make([]playItem, c.trackCount(al))
	for k := range out {
		out[k] = playItem{i: al*tracksPerAlbum + k}
	}
	return out
}

// history returns user u's generated listening history, newest first.
func (c *Catalog) history(u int) []playRecord {
	w := c.shelf(u, shelfRecent)
	out := make([]playRecord, recentPlays)
	for j := range out {
		t := c.shelfTrack(w, j)
		out[j] = playRecord{t: t, at: c.playedAt(u, j)}
		if w.draw(j)%3 != 0 {
			out[j].ctx = playContext{kAlbum, t / tracksPerAlbum}
		}
	}
	return out
}

// playerSnap is what the player reads show of one user at one moment: a
// copy of the player with progress taken then, and the queue.
type playerSnap struct {
	userPlayer
	next []playItem // at most queueShown
}

// queueShown is how many items GET /me/player/queue shows.
const queueShown = 20

// playerSnap returns user u's player as the reads show it now: the
// written player, else the generated one (newUserPlayer), snapped without
// being stored.
func (s *Server) playerSnap(u int) playerSnap {
	ps, cat, now := s.player(), s.cat, s.now()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p := ps.m[u]; p != nil {
		p.settle(cat, now)
		return p.snap(now)
	}
	return ps.newUserPlayer(cat, u, now).snap(now)
}

// newUserPlayer returns user u's generated player at now: idle, or
// playing the track SetPlaying set from its album, on the first device,
// progress_ms drawn from the clock; ps.mu is held. The first command
// stores it, so that reads answer the same before and after a command
// that changes nothing.
func (ps *players) newUserPlayer(cat *Catalog, u int, now time.Time) *userPlayer {
	p := &userPlayer{seed: cat.h(kUser, u, fShelf+120), active: -1, volume: cat.volumes(u), repeat: "off", since: now, recent: cat.history(u)}
	if t, ok := ps.set[u]; ok {
		p.active = 0
		p.playTrack(cat, t, int(now.UnixMilli()%int64(cat.trackDuration(t))), now)
	}
	return p
}

// playHistory returns user u's listening history, newest first.
func (s *Server) playHistory(u int) []playRecord {
	ps := s.player()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p := ps.m[u]; p != nil {
		p.settle(s.cat, s.now())
		return slices.Clone(p.recent)
	}
	return s.cat.history(u)
}

// setPlaying is SetPlaying for user u: track t from its album, or with t
// -1 nothing. A written player plays it as a new play (on the first
// device when none is active) or unloads its item; a generated one just
// notes it.
func (s *Server) setPlaying(u, t int) {
	ps, cat, now := s.player(), s.cat, s.now()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.init()
	switch p := ps.m[u]; {
	case p == nil && t < 0:
		delete(ps.set, u)
	case p == nil:
		ps.set[u] = t
	case t < 0:
		p.settle(cat, now)
		p.loaded, p.playing, p.fromQ = false, false, false
	default:
		p.settle(cat, now)
		p.active = max(p.active, 0)
		p.playTrack(cat, t, 0, now)
	}
}

// playerError is a refused player command.
type playerError struct {
	status      int
	msg, reason string
}

// Spotify's refusals of player commands.
var (
	errNoActiveDevice = &playerError{404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE"}
	errNoSuchDevice   = &playerError{404, "Device not found", ""}
	errRestricted     = &playerError{403, "Player command failed: Restriction violated", "UNKNOWN"}
	errNoVolume       = &playerError{403, "Player command failed: Cannot control device volume", "VOLUME_CONTROL_DISALLOW"}
)

// playerCommand runs f on user u's player, after playing on to now; the
// first command copies the generated player.
func (s *Server) playerCommand(u int, f func(p *userPlayer, now time.Time) *playerError) *playerError {
	ps, cat, now := s.player(), s.cat, s.now()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.init()
	p := ps.m[u]
	if p == nil {
		p = ps.newUserPlayer(cat, u, now)
		delete(ps.set, u)
		ps.m[u] = p
	}
	p.settle(cat, now)
	return f(p, now)
}

// device resolves the device a command names (dev) or, with dev "", the
// active one.
func (p *userPlayer) device(cat *Catalog, u int, dev string) (int, *playerError) {
	if dev == "" {
		if p.active < 0 {
			return 0, errNoActiveDevice
		}
		return p.active, nil
	}
	for j := range p.volume {
		if cat.deviceID(u, j) == dev {
			return j, nil
		}
	}
	return 0, errNoSuchDevice
}

// at returns the progress into the current item at now.
func (p *userPlayer) at(now time.Time) int {
	if !p.playing || now.Before(p.since) {
		return p.progress
	}
	return p.progress + int(now.Sub(p.since).Milliseconds())
}

// settle plays on to now: each item whose end has passed is left at its
// end, and the next one starts there.
func (p *userPlayer) settle(cat *Catalog, now time.Time) {
	for n := 0; p.playing && n < maxSettle; n++ {
		end := p.since.Add(time.Duration(cat.length(p.cur)-p.progress) * time.Millisecond)
		if now.Before(end) {
			return
		}
		p.advance(end, true)
	}
}

// play loads items from ctx and plays item first from ms.
func (p *userPlayer) play(items []playItem, ctx playContext, first, ms int, now time.Time) {
	if p.loaded {
		p.record(now)
	}
	p.items, p.ctx = items, ctx
	p.arrange(first)
	p.cur, p.fromQ, p.loaded, p.playing = items[first], false, true, true
	p.progress, p.since = ms, now
}

// playTrack plays track t from its album, from ms.
func (p *userPlayer) playTrack(cat *Catalog, t, ms int, now time.Time) {
	p.play(cat.albumItems(t/tracksPerAlbum), playContext{kAlbum, t / tracksPerAlbum}, t%tracksPerAlbum, ms, now)
}

// arrange sets the play order around items[first]: the items in order,
// or with shuffle items[first] and then the others in a drawn order.
func (p *userPlayer) arrange(first int) {
	p.order = make([]int, len(p.items))
	for k := range p.order {
		p.order[k] = k
	}
	if !p.shuffle {
		p.pos = first
		return
	}
	p.order[0], p.order[first] = first, 0
	p.draws++
	x := mix(p.seed + p.draws)
	for k := len(p.order) - 1; k > 1; k-- { // Fisher-Yates over positions 1..k
		x = mix(x + 0x9e3779b97f4a7c15)
		r := 1 + int(x%uint64(k))
		p.order[k], p.order[r] = p.order[r], p.order[k]
	}
	p.pos = 0
}

// record puts the current item into the history, left at now (tracks
// only: the history lists no episodes).
func (p *userPlayer) record(now time.Time) {
	if !p.loaded || p.cur.episode {
		return
	}
	ms := now.UnixMilli()
	if len(p.recent) > 0 && ms <= p.recent[0].at {
		ms = p.recent[0].at + 1
	}
	r := playRecord{t: p.cur.i, ctx: p.ctx, at: ms}
	if p.fromQ {
		r.ctx = playContext{}
	}
	p.recent = slices.Insert(p.recent, 0, r)
	p.recent = p.recent[:min(len(p.recent), recentPlays)]
}

// advance leaves the current item at now for the next: the item again
// when it ended under repeat track (auto), else the user's queue first,
// then the context, which starts over with repeat on and pauses on its
// first item at its end otherwise.
func (p *userPlayer) advance(now time.Time, auto bool) {
	p.record(now)
	p.progress, p.since = 0, now
	switch {
	case auto && p.repeat == "track":
		return
	case len(p.queue) > 0:
		p.cur, p.fromQ = p.queue[0], true
		p.queue = p.queue[1:]
		return
	case p.pos+1 < len(p.order):
		p.pos++
	case p.repeat != "off":
		p.pos = 0
	default:
		p.pos, p.playing = 0, false
	}
	p.cur, p.fromQ = p.items[p.order[p.pos]], false
}

// retreat leaves the current item at now for the previous one: after an
// item from the queue the context's item before it, else the context's
// previous item (the last with repeat context); at the first it starts
// the item over.
func (p *userPlayer) retreat(now time.Time) {
	p.record(now)
	p.progress, p.since = 0, now
	switch {
	case p.fromQ:
	case p.pos > 0:
		p.pos--
	case p.repeat == "context":
		p.pos = len(p.order) - 1
	}
	p.cur, p.fromQ = p.items[p.order[p.pos]], false
}

// setShuffle turns shuffle on (a new order, the context's current item
// first) or off (the context's order, from its current item).
func (p *userPlayer) setShuffle(on bool) {
	if on == p.shuffle {
		return
	}
	p.shuffle = on
	if p.loaded {
		p.arrange(p.order[p.pos])
	}
}

// snap returns what the reads show at now.
func (p *userPlayer) snap(now time.Time) playerSnap {
	sn := playerSnap{userPlayer: *p}
	sn.volume, sn.progress = slices.Clone(p.volume), p.at(now)
	if p.fromQ {
		sn.ctx = playContext{}
	}
	sn.next = append(sn.next, p.queue[:min(len(p.queue), queueShown)]...)
	for k := p.pos + 1; p.loaded && k < len(p.order) && len(sn.next) < queueShown; k++ {
		sn.next = append(sn.next, p.items[p.order[k]])
	}
	for k := 0; p.loaded && p.repeat == "context" && k <= p.pos && len(sn.next) < queueShown; k++ {
		sn.next = append(sn.next, p.items[p.order[k]])
	}
	return sn
}
