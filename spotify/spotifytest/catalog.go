package spotifytest

import (
	"iter"
	"sync"
)

// Catalog is the emulator's catalogue: a pure function of a seed and a
// size, generated on demand. It holds no item; a Catalog is immutable and
// safe for concurrent use.
//
// Items are addressed by (kind, index). Artists, shows, audiobooks,
// categories, users and playlists have dense indexes 0..n-1. The indexes of
// children encode their parent: album = artist*8 + j (j below the artist's
// album count), track = album*32 + k, episode = show*64 + k, chapter =
// audiobook*64 + k; so they are sparse, and [Catalog.All] walks them in
// catalogue order.
type Catalog struct {
	seed    int64
	key     uint64
	artists int

	countOnce sync.Once
	counts    [kindCount]int
}

// Fan-out bounds of the index scheme (the most children a parent can have).
const (
	albumsPerArtist   = 8
	tracksPerAlbum    = 32
	episodesPerShow   = 64
	chaptersPerAudiob = 64
)

// newCatalog returns the catalogue of seed with the given number of
// artists; the other kinds scale with it.
func newCatalog(seed int64, artists int) *Catalog {
	return &Catalog{seed: seed, key: mix(uint64(seed) ^ 0x5107_1f7e_57c0_ffee), artists: artists}
}

// Seed returns the seed the catalogue was generated from.
func (c *Catalog) Seed() int64 { return c.seed }

func (c *Catalog) numShows() int      { return max(1, c.artists/10) }
func (c *Catalog) numAudiobooks() int { return max(1, c.artists/20) }
func (c *Catalog) numUsers() int      { return max(1, c.artists/4) }
func (c *Catalog) numPlaylists() int  { return 2 * c.artists }

// top returns the number of top-level items of k (the parents).
func (c *Catalog) top(k kind) int {
	switch k {
	case kArtist:
		return c.artists
	case kShow:
		return c.numShows()
	case kAudiobook:
		return c.numAudiobooks()
	case kCategory:
		return len(categories)
	case kUser:
		return c.numUsers()
	case kPlaylist:
		return c.numPlaylists()
	}
	return 0
}

// albumCount returns how many albums artist a has (3..8).
func (c *Catalog) albumCount(a int) int { return 3 + c.hn(kArtist, a, fCount, 6) }

// trackCount returns how many tracks album al has: 8..16 for an album,
// 1..3 for a single, 12..20 for a compilation.
func (c *Catalog) trackCount(al int) int {
	switch c.albumType(al) {
	case "single":
		return 1 + c.hn(kAlbum, al, fCount, 3)
	case "compilation":
		return 12 + c.hn(kAlbum, al, fCount, 9)
	}
	return 8 + c.hn(kAlbum, al, fCount, 9)
}

// albumType returns "album" (70%), "single" (20%) or "compilation".
func (c *Catalog) albumType(al int) string {
	switch r := c.hn(kAlbum, al, fType, 10); {
	case r < 7:
		return "album"
	case r < 9:
		return "single"
	}
	return "compilation"
}

// episodeCount returns how many episodes show s has (5..60).
func (c *Catalog) episodeCount(s int) int { return 5 + c.hn(kShow, s, fCount, 56) }

// chapterCount returns how many chapters audiobook b has (3..40).
func (c *Catalog) chapterCount(b int) int { return 3 + c.hn(kAudiobook, b, fCount, 38) }

// children returns the child kind, fan-out and count function of a parent
// kind, or ok false.
func (c *Catalog) children(k kind) (child kind, fan int, count func(int) int, ok bool) {
	switch k {
	case kArtist:
		return kAlbum, albumsPerArtist, c.albumCount, true
	case kAlbum:
		return kTrack, tracksPerAlbum, c.trackCount, true
	case kShow:
		return kEpisode, episodesPerShow, c.episodeCount, true
	case kAudiobook:
		return kChapter, chaptersPerAudiob, c.chapterCount, true
	}
	return 0, 0, nil, false
}

// parentKind returns the kind whose children k are, or 0.
func parentKind(k kind) kind {
	switch k {
	case kAlbum:
		return kArtist
	case kTrack:
		return kAlbum
	case kEpisode:
		return kShow
	case kChapter:
		return kAudiobook
	}
	return 0
}

// exists reports whether (k, index) is an item of the catalogue.
func (c *Catalog) exists(k kind, index int) bool {
	if index < 0 || index > maxIndex {
		return false
	}
	if p := parentKind(k); p != 0 {
		_, fan, count, _ := c.children(p)
		parent := index / fan
		return c.exists(p, parent) && index%fan < count(parent)
	}
	return k > 0 && k < kindCount && index < c.top(k)
}

// indexes yields the indexes of every item of k in catalogue order.
func (c *Catalog) indexes(k kind) iter.Seq[int] {
	return func(yield func(int) bool) {
		if p := parentKind(k); p != 0 {
			_, fan, count, _ := c.children(p)
			for parent := range c.indexes(p) {
				for j := range count(parent) {
					if !yield(parent*fan + j) {
						return
					}
				}
			}
			return
		}
		for i := range c.top(k) {
			if !yield(i) {
				return
			}
		}
	}
}

// Len returns the number of items of kind K (0 for an unknown kind).
func (c *Catalog) Len(K Kind) int {
	c.countOnce.Do(func() {
		for k := kArtist; k < kindCount; k++ {
			n := 0
			for range c.indexes(k) {
				n++
			}
			c.counts[k] = n
		}
	})
	return c.counts[kindOf(K)]
}

// All yields (index, id) for every item of kind K in catalogue order
// (artist by artist, album by album for tracks). It allocates only the id
// strings.
func (c *Catalog) All(K Kind) iter.Seq2[int, string] {
	k := kindOf(K)
	return func(yield func(int, string) bool) {
		if k == 0 {
			return
		}
		for i := range c.indexes(k) {
			if !yield(i, c.encodeID(k, i)) {
				return
			}
		}
	}
}

// IDs returns the ids of the first n items of kind K in catalogue order
// (all of them when n <= 0 or n is larger).
func (c *Catalog) IDs(K Kind, n int) []string {
	var ids []string
	for _, id := range c.All(K) {
		if n > 0 && len(ids) == n {
			break
		}
		ids = append(ids, id)
	}
	return ids
}

// ID returns the id of item (K, index), or ok false when the catalogue has
// no such item.
func (c *Catalog) ID(K Kind, index int) (id string, ok bool) {
	k := kindOf(K)
	if !c.exists(k, index) {
		return "", false
	}
	return c.encodeID(k, index), true
}

// URI returns the Spotify URI of item (K, index), or "" when there is no
// such item. Audiobooks and chapters carry spotify:show: and
// spotify:episode: URIs, as Spotify's answers do.
func (c *Catalog) URI(K Kind, index int) string {
	k := kindOf(K)
	if !c.exists(k, index) {
		return ""
	}
	return "spotify:" + string(uriKind(k)) + ":" + c.encodeID(k, index)
}

// Decode returns the kind and index of an id this catalogue issued, or ok
// false when it never issued id (or the item does not exist).
func (c *Catalog) Decode(id string) (K Kind, index int, ok bool) {
	k, i, ok := c.decodeID(id)
	if !ok || !c.exists(k, i) {
		return "", 0, false
	}
	return k.Kind(), i, true
}

// lookup decodes id and checks it names an item of kind want.
func (c *Catalog) lookup(want kind, id string) (int, bool) {
	k, i, ok := c.decodeID(id)
	if !ok || k != want || !c.exists(k, i) {
		return 0, false
	}
	return i, true
}

// uriKind returns the kind word of k's URIs and web links.
func uriKind(k kind) Kind {
	switch k {
	case kAudiobook:
		return KindShow
	case kChapter:
		return KindEpisode
	}
	return k.Kind()
}
