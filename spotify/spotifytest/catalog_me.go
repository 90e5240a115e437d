package spotifytest

import (
	"time"
)

// Each user's library, follows, top items and listening history, drawn
// from (seed, user) like the rest of the catalogue: nothing is stored, and
// two servers with the same seed give a user the same library.
//
// A shelf (saved tracks, followed artists, ...) of user u is a walk over
// the parents of its items (artists, shows, audiobooks): entry j takes
// parent (start + j*step) mod n with step coprime to n, so the entries of a
// shelf are distinct, and then draws the child within the parent. Entry 0
// is the newest.

// shelf is one of a user's lists.
type shelf int

const (
	shelfTracks shelf = iota
	shelfAlbums
	shelfEpisodes
	shelfShows
	shelfAudiobooks
	shelfArtists // followed artists
	shelfTopShort
	shelfTopMedium
	shelfTopLong
	shelfRecent
)

// fShelf is the first hash field of the shelves (one per shelf, beyond
// the catalogue's own fields).
const fShelf uint64 = 0x5e1f00

// recentPlays is the length of every user's listening history (Spotify
// keeps the last 50).
const recentPlays = 50

// shelfWalk is a shelf of one user.
type shelfWalk struct {
	n, start, step, count int
	key                   uint64
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// shelf returns user u's shelf s.
func (c *Catalog) shelf(u int, s shelf) shelfWalk {
	x := c.h(kUser, u, fShelf+uint64(s))
	n, count := c.artists, 0
	switch s {
	case shelfTracks:
		count = 40 + int(x%260)
	case shelfAlbums:
		count = 5 + int(x%56)
	case shelfEpisodes:
		n, count = c.numShows(), int(x%30)
	case shelfShows:
		n, count = c.numShows(), 1+int(x%15)
	case shelfAudiobooks:
		n, count = c.numAudiobooks(), int(x%10)
	case shelfArtists:
		count = 10 + int(x%150)
	case shelfTopShort:
		count = 20 + int(x%30)
	case shelfTopMedium:
		count = 50 + int(x%50)
	case shelfTopLong:
		count = 100 + int(x%100)
	case shelfRecent:
		count = recentPlays
	}
	w := shelfWalk{n: n, count: min(count, n), start: int(x >> 20 % uint64(n)), step: 1 + int(x>>40%uint64(n)), key: mix(x)}
	if s == shelfRecent {
		w.count = recentPlays // plays may repeat a track
	}
	for gcd(w.step, n) != 1 {
		w.step++
	}
	return w
}

// parent returns the parent index of entry j.
func (w shelfWalk) parent(j int) int { return (w.start + j*w.step) % w.n }

// draw returns entry j's own hash draw.
func (w shelfWalk) draw(j int) uint64 { return mix(w.key + uint64(j)) }

// album returns the album of entry j (the parent is an artist).
func (c *Catalog) shelfAlbum(w shelfWalk, j int) int {
	a := w.parent(j)
	return a*albumsPerArtist + int(w.draw(j)%uint64(c.albumCount(a)))
}

// track returns the track of entry j.
func (c *Catalog) shelfTrack(w shelfWalk, j int) int {
	al := c.shelfAlbum(w, j)
	return al*tracksPerAlbum + int(w.draw(j)>>24%uint64(c.trackCount(al)))
}

// episode returns the episode of entry j (the parent is a show).
func (c *Catalog) shelfEpisode(w shelfWalk, j int) int {
	s := w.parent(j)
	return s*episodesPerShow + int(w.draw(j)%uint64(c.episodeCount(s)))
}

// shelfItem returns the catalogue item (kind, index) of entry j of shelf
// s.
func (c *Catalog) shelfItem(s shelf, w shelfWalk, j int) (kind, int) {
	switch s {
	case shelfTracks, shelfRecent:
		return kTrack, c.shelfTrack(w, j)
	case shelfAlbums:
		return kAlbum, c.shelfAlbum(w, j)
	case shelfEpisodes:
		return kEpisode, c.shelfEpisode(w, j)
	case shelfShows:
		return kShow, w.parent(j)
	case shelfAudiobooks:
		return kAudiobook, w.parent(j)
	}
	return kArtist, w.parent(j)
}

// shelfHas reports whether user u's shelf s holds item i of kind k.
func (c *Catalog) shelfHas(u int, s shelf, k kind, i int) bool {
	w := c.shelf(u, s)
	for j := range w.count {
		if kk, ii := c.shelfItem(s, w, j); kk == k && ii == i {
			return true
		}
	}
	return false
}

// savedShelf returns the shelf of saved items of kind k, or ok false.
func savedShelf(k kind) (shelf, bool) {
	switch k {
	case kTrack:
		return shelfTracks, true
	case kAlbum:
		return shelfAlbums, true
	case kEpisode:
		return shelfEpisodes, true
	case kShow:
		return shelfShows, true
	case kAudiobook:
		return shelfAudiobooks, true
	case kArtist:
		return shelfArtists, true
	}
	return 0, false
}

// libraryAnchor is when the newest entry of the users' libraries was
// added, give or take a few days per user.
var libraryAnchor = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// addedAt returns when entry j of user u's shelf s was added: entries are
// 29..30 hours apart, entry 0 the newest.
func (c *Catalog) addedAt(u int, s shelf, j int) time.Time {
	w := c.shelf(u, s)
	base := libraryAnchor.Add(-time.Duration(w.key%(72*3600)) * time.Second)
	return base.Add(-time.Duration(j)*29*time.Hour - time.Duration(w.draw(j)%3600)*time.Second)
}

// playedAt returns when play j of user u's history happened, in Unix
// milliseconds: plays are 4..7 minutes apart, play 0 the newest.
func (c *Catalog) playedAt(u, j int) int64 {
	w := c.shelf(u, shelfRecent)
	base := libraryAnchor.UnixMilli() - int64(w.key%(24*3600*1000))
	return base - int64(j)*240_000 - int64(w.draw(j)%180_000)
}

// follows reports whether user u follows user v (about a third of the
// others do).
func (c *Catalog) follows(u, v int) bool {
	return u != v && mix(c.h(kUser, u, fShelf+100)+uint64(v))%3 == 0
}

// userCountry returns the country of user u's account.
func (c *Catalog) userCountry(u int) string {
	return markets[c.hn(kUser, u, fShelf+101, len(markets))]
}

// userProduct returns "premium" (the first user and four in five others)
// or "free".
func (c *Catalog) userProduct(u int) string {
	if u != 0 && c.hn(kUser, u, fShelf+102, 5) == 0 {
		return "free"
	}
	return "premium"
}

// devices returns the number of user u's devices (1..3).
func (c *Catalog) devices(u int) int { return 1 + c.hn(kUser, u, fShelf+103, 3) }
