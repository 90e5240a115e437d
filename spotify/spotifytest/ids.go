package spotifytest

import "math/bits"

// Kind is the kind of a catalogue item, spelled as in its URI
// (spotify:<kind>:<id>). Every kind's ids are 22 base62 digits except
// categories', which are readable words ("toplists", "pop") as Spotify's
// older ones are.
type Kind string

// The kinds of the catalogue.
const (
	KindArtist    Kind = "artist"
	KindAlbum     Kind = "album"
	KindTrack     Kind = "track"
	KindShow      Kind = "show"
	KindEpisode   Kind = "episode"
	KindAudiobook Kind = "audiobook"
	KindChapter   Kind = "chapter"
	KindCategory  Kind = "category"
	KindUser      Kind = "user"
	KindPlaylist  Kind = "playlist"
)

// kind is the small code of a Kind inside an id.
type kind uint8

const (
	kArtist kind = iota + 1
	kAlbum
	kTrack
	kShow
	kEpisode
	kAudiobook
	kChapter
	kCategory
	kUser
	kPlaylist
	kindCount
)

var kindNames = [kindCount]Kind{"", KindArtist, KindAlbum, KindTrack, KindShow, KindEpisode, KindAudiobook, KindChapter, KindCategory, KindUser, KindPlaylist}

func (k kind) Kind() Kind { return kindNames[k] }

// kindOf returns the code of K, or 0.
func kindOf(K Kind) kind {
	for i, n := range kindNames {
		if i > 0 && n == K {
			return kind(i)
		}
	}
	return 0
}

// base62 is Spotify's id alphabet.
const base62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// idLen is the length of every id: 22 base62 digits hold 128 bits.
const idLen = 22

// maxIndex bounds an index: it takes 40 bits of the id.
const maxIndex = 1<<40 - 1

// An id is the base62 text of 128 bits: hi = kind (8 bits) | index (40
// bits) | 16 zero bits, lo = a check drawn from (seed, kind, index); both
// halves then go through a 4-round Feistel network keyed by the seed, so
// ids look random, differ between seeds, and a random 22-character string
// is rejected (the check fails) with probability 1 - 2^-80.

// roundKey returns round r's key of the Feistel network.
func (c *Catalog) roundKey(r int) uint64 { return mix(c.key ^ uint64(0xfe15e1+r)) }

func (c *Catalog) feistel(hi, lo uint64) (uint64, uint64) {
	for r := range 4 {
		hi, lo = lo, hi^mix(lo^c.roundKey(r))
	}
	return hi, lo
}

func (c *Catalog) unfeistel(hi, lo uint64) (uint64, uint64) {
	for r := 3; r >= 0; r-- {
		hi, lo = lo^mix(hi^c.roundKey(r)), hi
	}
	return hi, lo
}

func (c *Catalog) check(k kind, index int) uint64 {
	return c.h(k, index, 0xc4ec)
}

// encodeID returns the id of (k, index). It does not check that the item
// exists.
func (c *Catalog) encodeID(k kind, index int) string {
	if k == kCategory {
		return categoryID(index)
	}
	hi := uint64(k)<<56 | uint64(index)<<16
	hi, lo := c.feistel(hi, c.check(k, index))
	var b [idLen]byte
	for i := idLen - 1; i >= 0; i-- {
		var r uint64
		hi, r = bits.Div64(0, hi, 62)
		lo, r = bits.Div64(r, lo, 62)
		b[i] = base62[r]
	}
	return string(b[:])
}

// decodeID returns the kind and index id encodes, or ok false when id is
// not one this catalogue's seed issued (it may still name an item that
// does not exist: see Catalog.exists).
func (c *Catalog) decodeID(id string) (k kind, index int, ok bool) {
	if i, ok := categoryIndex(id); ok {
		return kCategory, i, true
	}
	if len(id) != idLen {
		return 0, 0, false
	}
	var hi, lo uint64
	for i := 0; i < idLen; i++ {
		d := digit62(id[i])
		if d < 0 {
			return 0, 0, false
		}
		// (hi, lo) = (hi, lo)*62 + d, failing on overflow of 128 bits.
		h1, l1 := bits.Mul64(lo, 62)
		h2, h2lo := bits.Mul64(hi, 62)
		if h2 != 0 {
			return 0, 0, false
		}
		var carry uint64
		lo, carry = bits.Add64(l1, uint64(d), 0)
		var c2 uint64
		hi, c2 = bits.Add64(h2lo, h1, carry)
		if c2 != 0 {
			return 0, 0, false
		}
	}
	hi, lo = c.unfeistel(hi, lo)
	k = kind(hi >> 56)
	index = int(hi >> 16 & maxIndex)
	if k == 0 || k >= kindCount || k == kCategory || hi&0xffff != 0 || lo != c.check(k, index) {
		return 0, 0, false
	}
	return k, index, true
}

// digit62 returns the value of a base62 digit, or -1.
func digit62(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case b >= 'a' && b <= 'z':
		return int(b-'a') + 10
	case b >= 'A' && b <= 'Z':
		return int(b-'A') + 36
	}
	return -1
}

// wellFormed reports whether id looks like a Spotify id (22 base62
// digits) or a category id; anything else answers 400 "invalid id".
func wellFormed(id string) bool {
	if _, ok := categoryIndex(id); ok {
		return true
	}
	if len(id) != idLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if digit62(id[i]) < 0 {
			return false
		}
	}
	return true
}
