package spotifytest

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// playerT0 is the start of the state tests' clock, after the generated
// histories.
var playerT0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// bigAlbum returns an album of the default catalogue with at least n
// tracks.
func bigAlbum(t *testing.T, cat *Catalog, n int) int {
	t.Helper()
	for al := range cat.indexes(kAlbum) {
		if cat.trackCount(al) >= n {
			return al
		}
	}
	t.Fatalf("no album with %d tracks", n)
	return 0
}

// testPlayer returns a player of user 0 playing album al from its track
// first at playerT0.
func testPlayer(cat *Catalog, al, first int) *userPlayer {
	p := &userPlayer{seed: cat.h(kUser, 0, fShelf+120), active: 0, volume: cat.volumes(0), repeat: "off", recent: cat.history(0)}
	p.play(cat.albumItems(al), playContext{kAlbum, al}, first, 0, playerT0)
	return p
}

// curTrack returns the index within its album of the track p plays.
func curTrack(p *userPlayer) int { return p.cur.i % tracksPerAlbum }

func TestPlayerArrangeIsAPermutation(t *testing.T) {
	cat := newCatalog(DefaultSeed, DefaultArtists)
	al := bigAlbum(t, cat, 12)
	p := testPlayer(cat, al, 3)
	assert.Equal(t, 3, p.pos, "without shuffle the order is the album's")
	p.setShuffle(true)
	first := slices.Clone(p.order)
	require.Len(t, first, len(p.items))
	assert.Equal(t, 3, first[0], "the current item leads the shuffled order")
	assert.Equal(t, 0, p.pos)
	sorted := slices.Sorted(slices.Values(first))
	for k, x := range sorted {
		require.Equal(t, k, x, "order %v is not a permutation", first)
	}
	assert.NotEqual(t, sorted, first, "shuffle left the album in order")
	p.setShuffle(false)
	p.setShuffle(true)
	assert.NotEqual(t, first, p.order, "a second shuffle drew the same order")
	p.setShuffle(false)
	assert.Equal(t, 3, p.order[p.pos], "shuffle off resumes the album's order at the current track")
}

func TestPlayerAdvanceAndRetreat(t *testing.T) {
	cat := newCatalog(DefaultSeed, DefaultArtists)
	al := bigAlbum(t, cat, 8)
	n := cat.trackCount(al)
	p := testPlayer(cat, al, 0)
	at := playerT0

	at = at.Add(time.Minute)
	p.retreat(at)
	assert.Equal(t, 0, curTrack(p), "previous on the first track starts it over")

	queued := playItem{episode: true, i: 0}
	p.queue = append(p.queue, queued)
	at = at.Add(time.Minute)
	p.advance(at, false)
	assert.Equal(t, queued, p.cur, "the user's queue plays first")
	assert.True(t, p.fromQ)
	at = at.Add(time.Minute)
	p.retreat(at)
	assert.Equal(t, 0, curTrack(p), "previous after a queued item goes back to the context")
	assert.False(t, p.fromQ)

	for range n - 1 {
		at = at.Add(time.Minute)
		p.advance(at, false)
	}
	assert.Equal(t, n-1, curTrack(p))
	at = at.Add(time.Minute)
	p.advance(at, false)
	assert.Equal(t, 0, curTrack(p), "the end of the album goes back to its first track")
	assert.False(t, p.playing, "and pauses with repeat off")

	p.playing, p.repeat = true, "context"
	at = at.Add(time.Minute)
	p.retreat(at)
	assert.Equal(t, n-1, curTrack(p), "previous on the first track wraps with repeat context")
	at = at.Add(time.Minute)
	p.advance(at, false)
	assert.Equal(t, 0, curTrack(p), "next on the last track wraps with repeat context")
	assert.True(t, p.playing)

	p.repeat = "track"
	at = at.Add(time.Minute)
	p.advance(at, true)
	assert.Equal(t, 0, curTrack(p), "an item that ends under repeat track starts again")
	p.advance(at.Add(time.Minute), false)
	assert.Equal(t, 1, curTrack(p), "next moves on under repeat track")
}

func TestPlayerHistory(t *testing.T) {
	cat := newCatalog(DefaultSeed, DefaultArtists)
	al := bigAlbum(t, cat, 8)
	p := testPlayer(cat, al, 0)
	gen := cat.history(0)
	require.Len(t, p.recent, recentPlays)

	// Two skips in the same millisecond keep the history strictly ordered.
	at := playerT0.Add(time.Hour)
	p.advance(at, false)
	p.advance(at, false)
	require.Len(t, p.recent, recentPlays, "the history keeps 50")
	assert.Equal(t, playRecord{t: al * tracksPerAlbum, ctx: playContext{kAlbum, al}, at: at.UnixMilli()}, p.recent[1])
	assert.Equal(t, at.UnixMilli()+1, p.recent[0].at)
	assert.Equal(t, gen[:recentPlays-2], p.recent[2:], "the generated plays follow")

	// Episodes stay out; a queued track has no context.
	p.queue = []playItem{{episode: true, i: 0}, {i: al * tracksPerAlbum}}
	p.advance(at.Add(time.Minute), false)
	p.advance(at.Add(2*time.Minute), false)
	p.advance(at.Add(3*time.Minute), false)
	assert.Equal(t, playRecord{t: al * tracksPerAlbum, at: at.Add(3 * time.Minute).UnixMilli()}, p.recent[0])
	assert.Equal(t, al*tracksPerAlbum+2, p.recent[1].t, "the track before the episode")

	// A clock in the past still dates new plays after the newest.
	p.advance(playerT0.AddDate(-10, 0, 0), false)
	assert.Greater(t, p.recent[0].at, p.recent[1].at)
}

func TestPlayerSettleFollowsTheClock(t *testing.T) {
	cat := newCatalog(DefaultSeed, DefaultArtists)
	al := bigAlbum(t, cat, 3)
	p := testPlayer(cat, al, 0)
	d0 := cat.trackDuration(al * tracksPerAlbum)
	d1 := cat.trackDuration(al*tracksPerAlbum + 1)

	now := playerT0.Add(time.Duration(d0-1) * time.Millisecond)
	p.settle(cat, now)
	assert.Equal(t, 0, curTrack(p))
	assert.Equal(t, d0-1, p.at(now))

	now = playerT0.Add(time.Duration(d0+d1+500) * time.Millisecond)
	p.settle(cat, now)
	assert.Equal(t, 2, curTrack(p), "two tracks ended")
	assert.Equal(t, 500, p.at(now))
	assert.Equal(t, playerT0.Add(time.Duration(d0)*time.Millisecond).UnixMilli(), p.recent[1].at, "played_at is when the track ended")

	// A clock moved years ahead under repeat track stops after maxSettle
	// items instead of running on.
	p.repeat = "track"
	p.settle(cat, now.AddDate(5, 0, 0))
	assert.True(t, p.playing)
	assert.Equal(t, 2, curTrack(p))

	// Paused, the clock does not move playback.
	p.progress, p.since, p.playing = 1000, now, false
	p.settle(cat, now.Add(time.Hour))
	assert.Equal(t, 1000, p.at(now.Add(time.Hour)))
}

func TestPlayerSnapQueue(t *testing.T) {
	cat := newCatalog(DefaultSeed, DefaultArtists)
	al := bigAlbum(t, cat, 8)
	n := cat.trackCount(al)
	p := testPlayer(cat, al, n-3)
	ep := playItem{episode: true, i: 0}
	p.queue = []playItem{ep}
	sn := p.snap(playerT0)
	want := []playItem{ep, {i: al*tracksPerAlbum + n - 2}, {i: al*tracksPerAlbum + n - 1}}
	assert.Equal(t, want, sn.next, "the user's queue, then the rest of the album")

	p.repeat = "context"
	sn = p.snap(playerT0)
	require.Len(t, sn.next, min(queueShown, 1+n))
	assert.Equal(t, playItem{i: al * tracksPerAlbum}, sn.next[3], "repeat context starts the album over")

	p.advance(playerT0, false)
	assert.Equal(t, playContext{}, p.snap(playerT0).ctx, "a queued item has no context")
}
