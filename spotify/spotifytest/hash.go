package spotifytest

import "strconv"

// The catalogue is a pure function of (seed, kind, index, field): every
// property of an item is drawn from h, so nothing needs to be stored.

// mix is the splitmix64 finaliser: a bijection of uint64 with good
// avalanche.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Field selectors for h: each property of an item draws from its own
// stream, so adding a property never changes the others.
const (
	fName uint64 = iota + 1
	fName2
	fCount
	fType
	fDate
	fPopularity
	fFollowers
	fDuration
	fExplicit
	fMarkets
	fImage
	fGenres
	fCode
	fPreview
	fFeature
	fLabel
	fText
	fOwner
	fPublic
	fPick
	fSnapshot
)

// h returns the deterministic 64-bit draw for one field of one item.
func (c *Catalog) h(k kind, index int, field uint64) uint64 {
	return mix(mix(mix(c.key^uint64(k))^uint64(index)) ^ field)
}

// hn returns h reduced to [0, n).
func (c *Catalog) hn(k kind, index int, field uint64, n int) int {
	return int(c.h(k, index, field) % uint64(n))
}

// hex40 returns 40 lowercase hex digits drawn from x (for image and
// preview URLs and snapshot ids): the zero-padded hex of three successive
// draws, cut to 40 digits.
func hex40(x uint64) string {
	var b [48]byte
	for i := 0; i < len(b); i += 16 {
		x = mix(x + 0x9e3779b97f4a7c15)
		d := strconv.AppendUint(b[i:i], x, 16) // in place, then right-aligned
		copy(b[i+16-len(d):i+16], d)
		for j := i; j < i+16-len(d); j++ {
			b[j] = '0'
		}
	}
	return string(b[:40])
}
