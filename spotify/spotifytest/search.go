package spotifytest

import (
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Search. A query whose words are catalogue words (see words.go) is
// matched by name: every free term must be a prefix of a word of the
// item's name (for albums and tracks, of the item's, its album's or its
// artist's name), and the field filters artist:, album:, track:, year:,
// genre:, isrc: and upc: narrow it where they apply. A query with a word
// the catalogue never uses (say "holiday") answers a deterministic draw
// of items seeded by the query, so any query finds something. Results
// come in catalogue order.

// searchTypes are the type parameter's values and their answer keys.
var searchTypes = map[string]kind{
	"album": kAlbum, "artist": kArtist, "playlist": kPlaylist, "track": kTrack,
	"show": kShow, "episode": kEpisode, "audiobook": kAudiobook,
}

// query is a parsed search query.
type query struct {
	free, artist, album, track []*vocabSet
	yearFrom, yearTo           int
	genre, isrc, upc           string
	hashed                     bool   // a term matches no catalogue word: answer by hash
	seed                       uint64 // hash of the query text
}

// stopWords are template words that are not in the vocabulary.
var stopWords = map[string]bool{"the": true, "of": true, "a": true, "&": true, "and": true, "on": true, "with": true}

// parseQuery parses q: terms, "quoted phrases" and field:value filters
// (field:"quoted value" too).
func parseQuery(q string) *query {
	pq := &query{}
	h := fnv.New64a()
	_, _ = h.Write([]byte(strings.ToLower(q)))
	pq.seed = h.Sum64()
	for _, tok := range tokenize(q) {
		field, val := "", tok
		if i := strings.IndexByte(tok, ':'); i > 0 {
			field, val = strings.ToLower(tok[:i]), strings.Trim(tok[i+1:], `"`)
		}
		switch field {
		case "year":
			pq.yearFrom, pq.yearTo = parseYears(val)
		case "genre":
			pq.genre = strings.ToLower(val)
		case "isrc":
			pq.isrc = strings.ToUpper(val)
		case "upc":
			pq.upc = val
		case "tag": // tag:new and tag:hipster are accepted and ignored
		case "artist", "album", "track", "":
			for _, term := range strings.Fields(strings.ToLower(strings.Trim(val, `"`))) {
				if stopWords[term] {
					continue
				}
				set := wordsMatching(term)
				pq.hashed = pq.hashed || set.empty()
				switch field {
				case "artist":
					pq.artist = append(pq.artist, set)
				case "album":
					pq.album = append(pq.album, set)
				case "track":
					pq.track = append(pq.track, set)
				default:
					pq.free = append(pq.free, set)
				}
			}
		default: // an unknown filter is a plain term
			pq.hashed = true
		}
	}
	return pq
}

// tokenize splits q at spaces outside double quotes.
func tokenize(q string) []string {
	var toks []string
	var b strings.Builder
	quoted := false
	for _, r := range q {
		switch {
		case r == '"':
			quoted = !quoted
			b.WriteRune(r)
		case r == ' ' && !quoted:
			if b.Len() > 0 {
				toks = append(toks, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		toks = append(toks, b.String())
	}
	return toks
}

// parseYears parses "1999" or "1990-1999"; a bad value matches nothing.
func parseYears(s string) (from, to int) {
	a, b, ok := strings.Cut(s, "-")
	from, err1 := strconv.Atoi(a)
	to, err2 := from, error(nil)
	if ok {
		to, err2 = strconv.Atoi(b)
	}
	if err1 != nil || err2 != nil {
		return 1, 0
	}
	return from, to
}

// allOf reports whether every set in terms matches one of the names.
func allOf(terms []*vocabSet, names ...words) bool {
	for _, t := range terms {
		hit := false
		for _, n := range names {
			if n.matches(t) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

func handleSearch(c *call) {
	q := c.q.Get("q")
	if q == "" {
		q = c.q.Get("query") // the parameter name of Spotify's own next links
	}
	if strings.TrimSpace(q) == "" {
		c.fail(http.StatusBadRequest, "No search query")
		return
	}
	rawTypes := c.q.Get("type")
	if rawTypes == "" {
		c.fail(http.StatusBadRequest, "Missing parameter type")
		return
	}
	var types []string
	for _, t := range strings.Split(rawTypes, ",") {
		if _, ok := searchTypes[t]; !ok {
			c.fail(http.StatusBadRequest, "Bad search type field "+t)
			return
		}
		if !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	def, maxLimit := 20, 50
	if c.s.cfg.mode == DevelopmentMode {
		def, maxLimit = 5, 10
	}
	offset, limit, v := c.pageView(def, maxLimit, 1000)
	if v == nil {
		return
	}
	pq := parseQuery(q)
	v.obj()
	for _, t := range types {
		k := searchTypes[t]
		found, total := v.cat.search(k, pq, offset, limit)
		spec := pageSpec{path: "/v1/search", pre: []kv{{"query", q}}, post: append([]kv{{"type", t}}, c.marketKV()...), maxOffset: 1000}
		v.k(t + "s")
		v.page(spec, offset, limit, total, func(i int) { c.s.searchResult(v, k, found[i-offset]) })
	}
	v.objEnd()
	c.send(v)
}

// searchResult writes one result in the shape search answers: full
// tracks and artists, simplified everything else; a playlist as it is
// now (its state once written to).
func (s *Server) searchResult(v *view, k kind, i int) {
	switch k {
	case kTrack:
		v.track(i, false)
	case kArtist:
		v.artist(i)
	case kAlbum:
		v.simplifiedAlbum(i, "")
	case kPlaylist:
		s.writeSimplifiedPlaylist(v, i)
	case kShow:
		v.simplifiedShow(i)
	case kEpisode:
		v.simplifiedEpisode(i)
	case kAudiobook:
		v.simplifiedAudiobook(i)
	}
}
