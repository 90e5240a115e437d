package spotifytest

import (
	"fmt"
	"time"
)

// Spoken word: show s → episodes s*64+k (k = 0 is the newest), audiobook
// b → chapters b*64+k (k = 0 is the opening credits).

// languageSets are the languages of shows and audiobooks.
var languageSets = [][]string{{"en"}, {"en"}, {"en"}, {"en-US"}, {"sv"}, {"de"}, {"es"}, {"fr"}, {"pt-BR"}, {"ja"}}

func (c *Catalog) showWords(s int) words { return c.pick(showTemplates, kShow, s, fName) }

func (c *Catalog) showPublisher(s int) string { return c.publisher(kShow, s) }

func (c *Catalog) publisher(k kind, i int) string {
	x := c.h(k, i, fLabel)
	return lastNames[x%uint64(len(lastNames))] + " " + publisherSuffixes[x>>16%uint64(len(publisherSuffixes))]
}

func (c *Catalog) showExplicit(s int) bool { return c.hn(kShow, s, fExplicit, 10) == 0 }

func (c *Catalog) showLanguages(s int) []string {
	return languageSets[c.hn(kShow, s, fText, len(languageSets))]
}

func (c *Catalog) showMediaType(s int) string {
	if c.hn(kShow, s, fType, 10) == 0 {
		return "mixed"
	}
	return "audio"
}

func (c *Catalog) showMarkets(s int) marketSet { return marketsOf(c.h(kShow, s, fMarkets)) }

// showDescription returns a one-line description of a show.
func (c *Catalog) showDescription(s int) string {
	x := c.h(kShow, s, fText)
	return fmt.Sprintf("A weekly conversation about %s and %s, hosted by %s %s.",
		plural(nouns[x>>8%uint64(len(nouns))]), plural(nouns[x>>16%uint64(len(nouns))]),
		firstNames[x>>24%uint64(len(firstNames))], lastNames[x>>32%uint64(len(lastNames))])
}

// showLatest is the release date of a show's newest episode (in 2025).
func (c *Catalog) showLatest(s int) time.Time {
	return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, c.hn(kShow, s, fDate, 365))
}

// episodeDate returns the release date of episode e: weekly, newest first.
func (c *Catalog) episodeDate(e int) string {
	return c.showLatest(e/episodesPerShow).AddDate(0, 0, -7*(e%episodesPerShow)).Format("2006-01-02")
}

// episodeName returns "#N: <words>", N counting from the show's first
// episode.
func (c *Catalog) episodeName(e int) string {
	n := c.episodeCount(e/episodesPerShow) - e%episodesPerShow
	return fmt.Sprintf("#%d: %s", n, c.episodeWords(e))
}

func (c *Catalog) episodeWords(e int) words { return c.pick(episodeTemplates, kEpisode, e, fName) }

// episodeDuration is 10..90 minutes in milliseconds.
func (c *Catalog) episodeDuration(e int) int {
	return 600_000 + c.hn(kEpisode, e, fDuration, 4_800_000)
}

func (c *Catalog) bookWords(b int) words { return c.pick(bookTemplates, kAudiobook, b, fName) }

// bookPeople returns 1..2 authors or one narrator (field picks which).
func (c *Catalog) bookPeople(b int, field uint64, most int) []string {
	x := c.h(kAudiobook, b, field)
	n := 1 + int(x%uint64(most))
	names := make([]string, n)
	for i := range names {
		x = mix(x + uint64(i))
		names[i] = firstNames[x%uint64(len(firstNames))] + " " + lastNames[x>>16%uint64(len(lastNames))]
	}
	return names
}

func (c *Catalog) bookAuthors(b int) []string   { return c.bookPeople(b, fOwner, 2) }
func (c *Catalog) bookNarrators(b int) []string { return c.bookPeople(b, fName2, 1) }

func (c *Catalog) bookEdition(b int) string {
	if c.hn(kAudiobook, b, fType, 5) == 0 {
		return "Abridged"
	}
	return "Unabridged"
}

func (c *Catalog) bookDescription(b int) string {
	return fmt.Sprintf("%s, read by %s. %s", c.bookWords(b), c.bookNarrators(b)[0], c.bookWords(b+1))
}

// bookDate is the audiobook's (and its chapters') release date.
func (c *Catalog) bookDate(b int) string {
	return time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, c.hn(kAudiobook, b, fDate, 5840)).Format("2006-01-02")
}

// chapterName returns "Opening Credits", "Chapter N" or "End Credits".
func (c *Catalog) chapterName(ch int) string {
	b, k := ch/chaptersPerAudiob, ch%chaptersPerAudiob
	switch {
	case k == 0:
		return "Opening Credits"
	case k == c.chapterCount(b)-1:
		return "End Credits"
	}
	return fmt.Sprintf("Chapter %d", k)
}

// chapterDuration is 5..60 minutes in milliseconds.
func (c *Catalog) chapterDuration(ch int) int {
	return 300_000 + c.hn(kChapter, ch, fDuration, 3_300_000)
}
