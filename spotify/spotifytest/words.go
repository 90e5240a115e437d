package spotifytest

import "strings"

// Names are drawn from small word lists through templates, so that a name
// is a handful of word numbers (cheap to compute and to match in a
// search) and its text is built only when an answer needs it.

var (
	adjectives = strings.Fields(`Velvet Golden Silver Electric Midnight Crimson Hollow Neon Quiet Wild
		Broken Distant Paper Glass Burning Frozen Silent Lonely Restless Hidden Northern Southern
		Endless Faded Bright Dark Sweet Bitter Lucky Lost Secret Sacred Savage Gentle Holy Cosmic
		Lunar Solar Magnetic Liquid Phantom Violet Amber Scarlet Azure Emerald Ivory Copper Iron
		Rusty Dusty Misty Stormy Sunny Wandering Falling Rising Shining Dancing Sleeping Flying
		Running Drifting Howling`)
	nouns = strings.Fields(`Harbor Static Echo River Mountain Ocean Garden Mirror Shadow Thunder
		Highway Motel Heart Fire Rain Summer Autumn Spring Desert Forest City Island Valley Tide
		Moon Sun Star Comet Planet Signal Radio Machine Engine Wave Storm Cloud Sky Horizon Meadow
		Canyon Lantern Candle Window Door Street Avenue Bridge Tower Castle Kingdom Empire Parade
		Carnival Circus Theatre Diamond Pearl Rose Lily Wolf Tiger Raven Sparrow`)
	firstNames = strings.Fields(`Mira Jonas Elena Felix Nora Oscar Ida Leo Clara Hugo Alma Theo Ruby
		Milo Vera Axel Lena Emil Iris Otto June Arlo Maya Silas Stella Ezra Hazel Jude Nina Caspar
		Freya Louis Greta Isak Lola Victor Sofia Rafael Ines Marco Yara Tomas Eva Kenji Amara
		Dmitri Zoe Omar`)
	lastNames = strings.Fields(`Castell Lindqvist Moreau Okafor Brandt Vega Hartley Novak Sato Quinn
		Delacroix Falk Ibarra Kowalski Mercer Nakamura Oyelaran Petrov Rinaldi Sandoval Thorne
		Underwood Valente Whitaker Yilmaz Zeller Abbott Bellamy Carver Dunmore Ellison Fairweather
		Galloway Holm Ashby Jansen Keller Lowell Marsh Nyberg Oakley Prescott Reyes Strand Tanaka
		Voss Wolfe Young`)
	showWords = strings.Fields(`Podcast Hour Show Files Sessions Diaries Report Talks Weekly Daily
		Digest Chronicles Club Lab Journal Briefing`)

	genres = []string{"pop", "rock", "indie", "folk", "jazz", "soul", "blues", "electronic",
		"techno", "house", "ambient", "hip hop", "r&b", "country", "metal", "punk", "reggae",
		"latin", "classical", "dance", "disco", "funk", "shoegaze", "synthwave", "trip hop",
		"dream pop", "k-pop", "afrobeat", "bossa nova", "grunge", "lo-fi", "gospel"}
	labelSuffixes     = []string{"Records", "Music", "Recordings", "Sound", "Audio"}
	publisherSuffixes = []string{"Media", "House", "Press", "Audio", "Studios"}
)

// Word lists, as a slot letter in a template.
var wordLists = map[byte][]string{'A': adjectives, 'N': nouns, 'F': firstNames, 'L': lastNames, 'S': showWords}

// vocab numbers every word of every list: word w of list l is
// vocabBase[l]+w.
var vocab, vocabBase = buildVocab()

func buildVocab() ([]string, map[byte]int) {
	var v []string
	base := map[byte]int{}
	for _, l := range []byte("ANFLS") {
		base[l] = len(v)
		v = append(v, wordLists[l]...)
	}
	return v, base
}

// A template is a name pattern: {A} adjective, {N} noun, {F} first name,
// {L} last name, {S} show word; "{N}s" gives a plural.
type template struct {
	text  string
	slots []slot
}

// slot is a word slot of a template: the vocab numbers of its list are
// base..base+size-1.
type slot struct{ base, size int }

// tmpl parses templates, resolving each slot's list once so that pick
// draws a word with no lookup. It panics on an unknown slot letter.
func tmpl(texts ...string) []template {
	ts := make([]template, len(texts))
	for i, t := range texts {
		ts[i].text = t
		for j := 0; j+2 < len(t); j++ {
			if t[j] == '{' && t[j+2] == '}' {
				l := t[j+1]
				if _, ok := wordLists[l]; !ok {
					panic("spotifytest: template " + t + ": no word list " + string(l))
				}
				ts[i].slots = append(ts[i].slots, slot{base: vocabBase[l], size: len(wordLists[l])})
			}
		}
	}
	return ts
}

var (
	artistTemplates = tmpl("{F} {L}", "{F} {L}", "{F} {L}", "The {A} {N}s", "{A} {N}",
		"{F} & the {N}s", "{N} {N}", "The {N}s")
	albumTemplates    = tmpl("{A} {N}", "{N}", "Songs from the {N}", "{N} of {N}", "{A} {N}s", "{A}")
	trackTemplates    = tmpl("{A} {N}", "{N}", "The {A} {N}", "{N} of the {N}", "{A}", "{A} {N}s", "{N} {N}")
	showTemplates     = tmpl("The {N} {S}", "{A} {N} {S}", "{S} with {F} {L}")
	episodeTemplates  = tmpl("{A} {N}", "On the {N}", "The {A} {N} Question", "{F} {L} on {N}s")
	bookTemplates     = tmpl("The {A} {N}", "A {N} of {N}s", "The {N} of {F} {L}", "{A} {N}s")
	playlistTemplates = tmpl("{A} {N}", "{N} Essentials", "This Is {F} {L}", "{A} Mix", "{A} {N} Radio")
	personTemplates   = tmpl("{F} {L}")
)

// words is a generated name: a template and the vocab number of each slot.
type words struct {
	t *template
	n int
	w [4]uint16
}

// pick draws a name from ts for one item.
func (c *Catalog) pick(ts []template, k kind, index int, field uint64) words {
	x := c.h(k, index, field)
	var ws words
	ws.t = &ts[x%uint64(len(ts))]
	for i, sl := range ws.t.slots {
		x = mix(x + uint64(i) + 1)
		ws.w[i] = uint16(sl.base + int(x%uint64(sl.size)))
	}
	ws.n = len(ws.t.slots)
	return ws
}

// String renders the name.
func (ws words) String() string {
	var b strings.Builder
	t, slot := ws.t.text, 0
	for i := 0; i < len(t); i++ {
		if t[i] == '{' && i+2 < len(t) && t[i+2] == '}' {
			w := vocab[ws.w[slot]]
			slot++
			i += 2
			if i+1 < len(t) && t[i+1] == 's' {
				w = plural(w)
				i++
			}
			b.WriteString(w)
			continue
		}
		b.WriteByte(t[i])
	}
	return b.String()
}

// matches reports whether one of the name's words is in set.
func (ws words) matches(set *vocabSet) bool {
	for i := 0; i < ws.n; i++ {
		if set.has(int(ws.w[i])) {
			return true
		}
	}
	return false
}

// vocabSet is a set of vocab numbers.
type vocabSet struct{ bits []uint64 }

func newVocabSet() *vocabSet { return &vocabSet{bits: make([]uint64, (len(vocab)+63)/64)} }

func (s *vocabSet) add(i int)      { s.bits[i/64] |= 1 << (i % 64) }
func (s *vocabSet) has(i int) bool { return s.bits[i/64]&(1<<(i%64)) != 0 }

func (s *vocabSet) empty() bool {
	for _, b := range s.bits {
		if b != 0 {
			return false
		}
	}
	return true
}

// wordsMatching returns the set of vocab words that term (lower case)
// prefixes or is the plural of, ignoring case.
func wordsMatching(term string) *vocabSet {
	s := newVocabSet()
	for i, w := range vocab {
		if lw := strings.ToLower(w); strings.HasPrefix(lw, term) || plural(lw) == term {
			s.add(i)
		}
	}
	return s
}

// plural returns the English plural of a list word.
func plural(w string) string {
	switch {
	case strings.HasSuffix(w, "y") && len(w) > 1 && !strings.ContainsAny(w[len(w)-2:len(w)-1], "aeiou"):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "x"), strings.HasSuffix(w, "ch"), strings.HasSuffix(w, "sh"):
		return w + "es"
	}
	return w + "s"
}
