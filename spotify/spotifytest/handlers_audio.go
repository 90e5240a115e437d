package spotifytest

// Read routes of shows, episodes, audiobooks and chapters.

func handleShow(c *call) { c.one(kShow, "id", c.counted(kShow, (*view).show)) }

// handleShows answers simplified shows, as Spotify's batch does.
func handleShows(c *call) { c.batch(kShow, "shows", 50, c.counted(kShow, (*view).simplifiedShow)) }

func handleShowEpisodes(c *call) {
	c.children(kShow, "episodes", (*Catalog).episodeCount, episodesPerShow, (*view).simplifiedEpisode)
}

func handleEpisode(c *call) { c.one(kEpisode, "id", c.counted(kEpisode, fullEpisode)) }

func handleEpisodes(c *call) { c.batch(kEpisode, "episodes", 50, c.counted(kEpisode, fullEpisode)) }

func fullEpisode(v *view, e int) { v.episode(e, false) }

func handleAudiobook(c *call) { c.one(kAudiobook, "id", c.counted(kAudiobook, (*view).audiobook)) }

func handleAudiobooks(c *call) {
	c.batch(kAudiobook, "audiobooks", 50, c.counted(kAudiobook, (*view).audiobook))
}

func handleAudiobookChapters(c *call) {
	c.children(kAudiobook, "chapters", (*Catalog).chapterCount, chaptersPerAudiob, (*view).simplifiedChapter)
}

func handleChapter(c *call) { c.one(kChapter, "id", c.counted(kChapter, (*view).chapter)) }

func handleChapters(c *call) { c.batch(kChapter, "chapters", 50, c.counted(kChapter, (*view).chapter)) }

// children answers the offset page of a parent's children (GET
// /v1/<parents>/{id}/<sub>): limit 1..50, default 20.
func (c *call) children(parent kind, sub string, count func(*Catalog, int) int, fan int, write func(*view, int)) {
	p, ok := c.item(parent, "id")
	if !ok {
		return
	}
	offset, limit, v := c.pageView(20, 50, 0)
	if v == nil {
		return
	}
	spec := pageSpec{path: apiPath(parent, c.param("id")) + "/" + sub, post: c.marketKV()}
	v.page(spec, offset, limit, count(c.s.cat, p), func(i int) { write(v, p*fan+i) })
	c.send(v)
}
