package spotifytest

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Users, playlists and categories. User u owns playlists u, u+users,
// u+2*users, ...; playlist p's entries are drawn from (p, position), so a
// playlist of thousands of tracks is as cheap as an empty one.

// categories are the browse categories: (id, name). Their ids are
// readable, as Spotify's older ones are; they are part of the id scheme
// through categoryID and categoryIndex.
var categories = [][2]string{
	{"toplists", "Top Lists"}, {"pop", "Pop"}, {"hiphop", "Hip-Hop"}, {"rock", "Rock"},
	{"indie_alt", "Indie"}, {"edm_dance", "Dance/Electronic"}, {"mood", "Mood"},
	{"workout", "Workout"}, {"chill", "Chill"}, {"focus", "Focus"}, {"party", "Party"},
	{"sleep", "Sleep"}, {"jazz", "Jazz"}, {"classical", "Classical"}, {"country", "Country"},
	{"rnb", "R&B"}, {"soul", "Soul"}, {"blues", "Blues"}, {"metal", "Metal"}, {"punk", "Punk"},
	{"latin", "Latin"}, {"kpop", "K-Pop"}, {"afro", "Afro"}, {"reggae", "Reggae"},
	{"folk_acoustic", "Folk & Acoustic"}, {"decades", "Decades"}, {"romance", "Romance"},
	{"gaming", "Gaming"}, {"kids_family", "Kids & Family"}, {"wellness", "Wellness"},
	{"podcasts", "Podcasts"}, {"audiobooks", "Audiobooks"}, {"instrumental", "Instrumental"},
	{"travel", "Travel"}, {"summer", "Summer"}, {"holidays", "Holidays"},
	{"soundtracks", "Soundtracks"}, {"comedy", "Comedy"}, {"equal", "EQUAL"}, {"frequency", "Frequency"},
}

// categoryID returns the id of category i, or "" when there is none.
func categoryID(i int) string {
	if i < 0 || i >= len(categories) {
		return ""
	}
	return categories[i][0]
}

// categoryIndex returns the index of the category with id, or ok false.
func categoryIndex(id string) (int, bool) {
	for i, c := range categories {
		if c[0] == id {
			return i, true
		}
	}
	return 0, false
}

func (c *Catalog) userName(u int) string { return c.pick(personTemplates, kUser, u, fName).String() }

func (c *Catalog) userFollowers(u int) int { return c.hn(kUser, u, fFollowers, 2000) }

// playlistOwner returns the user who owns playlist p.
func (c *Catalog) playlistOwner(p int) int { return p % c.numUsers() }

// userPlaylists returns how many playlists user u owns.
func (c *Catalog) userPlaylists(u int) int {
	n := c.numUsers()
	return (c.numPlaylists() - u + n - 1) / n
}

func (c *Catalog) playlistWords(p int) words { return c.pick(playlistTemplates, kPlaylist, p, fName) }

// playlistDescription returns "" for a third of playlists (null).
func (c *Catalog) playlistDescription(p int) string {
	x := c.h(kPlaylist, p, fText)
	if x%3 == 0 {
		return ""
	}
	return "The best of " + strings.ToLower(plural(nouns[x>>8%uint64(len(nouns))])) + " and " +
		strings.ToLower(adjectives[x>>16%uint64(len(adjectives))]) + " " + genres[x>>24%uint64(len(genres))] + "."
}

// playlistCollaborative: 5% of playlists; they are never public.
func (c *Catalog) playlistCollaborative(p int) bool { return c.hn(kPlaylist, p, fPublic, 100) < 5 }

func (c *Catalog) playlistPublic(p int) bool { return c.hn(kPlaylist, p, fPublic, 100) >= 10 }

func (c *Catalog) playlistFollowers(p int) int {
	x := c.h(kPlaylist, p, fFollowers)
	return int(x%100) * int(x>>8%100) * int(x>>16%10)
}

// playlistLen returns the number of entries: 0..149, and 1,000..4,999 for
// every 50th playlist (p%50 == 1).
func (c *Catalog) playlistLen(p int) int {
	if p%50 == 1 {
		return 1000 + c.hn(kPlaylist, p, fCount, 4000)
	}
	return c.hn(kPlaylist, p, fCount, 150)
}

// playlistHasEpisodes: every seventh playlist has an episode at every
// fifth position.
func playlistHasEpisodes(p int) bool { return p%7 == 3 }

// entry is one playlist entry: a track or an episode.
type entry struct {
	episode bool
	index   int // track or episode index
}

// playlistEntry returns entry k of playlist p.
func (c *Catalog) playlistEntry(p, k int) entry {
	x := mix(c.h(kPlaylist, p, fPick) + uint64(k))
	if playlistHasEpisodes(p) && k%5 == 4 {
		s := int(x % uint64(c.numShows()))
		return entry{episode: true, index: s*episodesPerShow + int(x>>24%uint64(c.episodeCount(s)))}
	}
	return entry{index: c.randomTrack(x)}
}

// playlistCreated is when playlist p was created (2015..2024).
func (c *Catalog) playlistCreated(p int) time.Time {
	return time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(c.hn(kPlaylist, p, fDate, 3650*24*3600)) * time.Second)
}

// entryAddedAt is when entry k was added: 37 minutes after entry k-1.
func (c *Catalog) entryAddedAt(p, k int) string {
	return c.playlistCreated(p).Add(time.Duration(k) * 37 * time.Minute).Format(time.RFC3339)
}

// entryAddedBy returns the user who added entry k: the owner, or for a
// collaborative playlist every third entry another user.
func (c *Catalog) entryAddedBy(p, k int) int {
	o := c.playlistOwner(p)
	if c.playlistCollaborative(p) && k%3 == 2 {
		return (o + 1 + k) % c.numUsers()
	}
	return o
}

// playlistSnapshot returns the snapshot id: base64 of "<version>,<hex>", as
// Spotify's are.
func (c *Catalog) playlistSnapshot(p int) string {
	version := 1 + c.playlistLen(p)
	return base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(version) + "," + hex40(c.h(kPlaylist, p, fSnapshot))))
}

// newReleases returns the number of new releases (at most 100).
func (c *Catalog) newReleases() int { return min(100, c.artists) }

// newRelease returns new release i: the first album of an artist spread
// over the catalogue.
func (c *Catalog) newRelease(i int) int {
	return (i * 7919 % c.artists) * albumsPerArtist
}
