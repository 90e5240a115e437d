package spotifytest

import (
	"fmt"
	"strconv"
)

// Music: artist a → albums a*8+j → tracks album*32+k. Every property is
// drawn from the item's (kind, index); a track inherits its album's
// markets and date.

func (c *Catalog) artistWords(a int) words { return c.pick(artistTemplates, kArtist, a, fName) }
func (c *Catalog) artistName(a int) string { return c.artistWords(a).String() }

// artistPopularity is 0..100, skewed low like the real catalogue.
func (c *Catalog) artistPopularity(a int) int {
	x := c.h(kArtist, a, fPopularity)
	p := int(x%101) * int(x>>8%101) / 100
	return p
}

func (c *Catalog) artistFollowers(a int) int {
	p := c.artistPopularity(a)
	return p*p*p + c.hn(kArtist, a, fFollowers, 1000*(p+1))
}

// artistGenres returns 0..3 genres.
func (c *Catalog) artistGenres(a int) []string {
	x := c.h(kArtist, a, fGenres)
	n := int(x % 4)
	gs := make([]string, 0, n)
	for i := 0; i < n; i++ {
		x = mix(x + uint64(i))
		g := genres[x%uint64(len(genres))]
		dup := false
		for _, o := range gs {
			dup = dup || o == g
		}
		if !dup {
			gs = append(gs, g)
		}
	}
	return gs
}

// albumWords returns the name of an album; a single is named after its
// first track.
func (c *Catalog) albumWords(al int) words {
	if c.albumType(al) == "single" {
		return c.trackWords(al * tracksPerAlbum)
	}
	return c.pick(albumTemplates, kAlbum, al, fName)
}

func (c *Catalog) albumName(al int) string { return c.albumWords(al).String() }

// date is a release date with its precision.
type date struct {
	year, month, day int
	precision        string // "day", "month" or "year"
}

func (d date) String() string {
	switch d.precision {
	case "year":
		return strconv.Itoa(d.year)
	case "month":
		return fmt.Sprintf("%04d-%02d", d.year, d.month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.year, d.month, d.day)
}

// albumDate returns the release date (1965..2025; 85% to the day, 10%
// the year only, 5% the month).
func (c *Catalog) albumDate(al int) date {
	x := c.h(kAlbum, al, fDate)
	d := date{year: 1965 + int(x%61), month: 1 + int(x>>8%12), day: 1 + int(x>>16%28), precision: "day"}
	switch p := x >> 24 % 20; {
	case p < 2:
		d.precision = "year"
	case p < 3:
		d.precision = "month"
	}
	return d
}

func (c *Catalog) albumLabel(al int) string {
	x := c.h(kAlbum, al, fLabel)
	return nouns[x%uint64(len(nouns))] + " " + labelSuffixes[x>>16%uint64(len(labelSuffixes))]
}

func (c *Catalog) albumUPC(al int) string {
	return fmt.Sprintf("%012d", c.h(kAlbum, al, fCode)%1_000_000_000_000)
}

func (c *Catalog) albumPopularity(al int) int {
	return min(100, c.artistPopularity(al/albumsPerArtist)*3/4+c.hn(kAlbum, al, fPopularity, 26))
}

func (c *Catalog) albumMarkets(al int) marketSet { return marketsOf(c.h(kAlbum, al, fMarkets)) }

func (c *Catalog) trackWords(t int) words { return c.pick(trackTemplates, kTrack, t, fName) }

// trackDuration is 1:30..7:00 in milliseconds.
func (c *Catalog) trackDuration(t int) int { return 90_000 + c.hn(kTrack, t, fDuration, 330_000) }

func (c *Catalog) trackExplicit(t int) bool { return c.hn(kTrack, t, fExplicit, 100) < 15 }

func (c *Catalog) trackPopularity(t int) int {
	return min(100, c.albumPopularity(t/tracksPerAlbum)*4/5+c.hn(kTrack, t, fPopularity, 21))
}

// isrcCountries are the registrant countries of generated ISRCs.
var isrcCountries = []string{"US", "GB", "SE", "DE", "FR", "NL", "CA", "AU", "JP", "BR"}

// trackISRC returns a well-formed ISRC: CC-XXX-YY-NNNNN without dashes.
func (c *Catalog) trackISRC(t int) string {
	x := c.h(kTrack, t, fCode)
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	reg := []byte{alnum[10+x%26], alnum[10+x>>5%26], alnum[x>>10%36]}
	year := c.albumDate(t/tracksPerAlbum).year % 100
	return fmt.Sprintf("%s%s%02d%05d", isrcCountries[x>>16%uint64(len(isrcCountries))], reg, year, x>>24%100000)
}

// trackPreview returns a 30-second preview URL, or "" (null) for 30% of
// tracks, as Spotify has none for them.
func (c *Catalog) trackPreview(t int) string {
	x := c.h(kTrack, t, fPreview)
	if x%10 < 3 {
		return ""
	}
	return "https://p.scdn.co/mp3-preview/" + hex40(x)
}

// trackArtists returns the artists of a track: the album's artist, and a
// featured artist on 15% of tracks.
func (c *Catalog) trackArtists(t int) []int {
	a := t / tracksPerAlbum / albumsPerArtist
	x := c.h(kTrack, t, fFeature)
	if x%100 < 15 && c.artists > 1 {
		f := int(x >> 8 % uint64(c.artists))
		if f != a {
			return []int{a, f}
		}
	}
	return []int{a}
}

// topTracks returns up to 10 tracks of artist a: the first two tracks of
// each album, most popular first.
func (c *Catalog) topTracks(a int) []int {
	var ts []int
	for j := range c.albumCount(a) {
		al := a*albumsPerArtist + j
		for k := range min(2, c.trackCount(al)) {
			ts = append(ts, al*tracksPerAlbum+k)
		}
	}
	// Insertion sort by popularity, stable on index: at most 16 items.
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && c.trackPopularity(ts[j]) > c.trackPopularity(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
	return ts[:min(10, len(ts))]
}

// randomTrack maps a draw x to a track of the catalogue (for playlists and
// search by hash).
func (c *Catalog) randomTrack(x uint64) int {
	a := int(x % uint64(c.artists))
	al := a*albumsPerArtist + int(x>>24%uint64(c.albumCount(a)))
	return al*tracksPerAlbum + int(x>>40%uint64(c.trackCount(al)))
}

// randomAlbum maps a draw x to an album.
func (c *Catalog) randomAlbum(x uint64) int {
	a := int(x % uint64(c.artists))
	return a*albumsPerArtist + int(x>>24%uint64(c.albumCount(a)))
}
