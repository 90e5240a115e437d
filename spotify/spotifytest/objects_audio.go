package spotifytest

import "html"

// JSON writers of shows, episodes, audiobooks and chapters, in the shapes
// of Spotify's ShowObject, SimplifiedShowObject, EpisodeObject,
// SimplifiedEpisodeObject, AudiobookObject, SimplifiedAudiobookObject,
// ChapterObject and SimplifiedChapterObject.

// description writes description and html_description.
func (v *view) description(text string) {
	v.ks("description", text)
	v.ks("html_description", "<p>"+html.EscapeString(text)+"</p>")
}

func (v *view) resumePoint() {
	v.k("resume_point")
	v.obj()
	v.kb("fully_played", false)
	v.ki("resume_position_ms", 0)
	v.objEnd()
}

// showFields writes a SimplifiedShowObject's fields, without the braces.
func (v *view) showFields(s int) {
	c := v.cat
	if !v.dev() {
		m := c.showMarkets(s)
		v.k("available_markets")
		v.markets(&m)
	}
	v.k("copyrights")
	v.arr()
	v.arrEnd()
	v.description(c.showDescription(s))
	v.kb("explicit", c.showExplicit(s))
	v.images(c.h(kShow, s, fImage), coverSizes)
	v.kb("is_externally_hosted", false)
	v.k("languages")
	v.strs(c.showLanguages(s)...)
	v.ks("media_type", c.showMediaType(s))
	v.ks("name", c.showWords(s).String())
	if !v.dev() {
		v.ks("publisher", c.showPublisher(s))
	}
	v.ref(kShow, v.id(kShow, s))
	v.ki("total_episodes", c.episodeCount(s))
}

func (v *view) simplifiedShow(s int) {
	v.obj()
	v.showFields(s)
	v.objEnd()
}

// show writes a ShowObject with its first 50 episodes.
func (v *view) show(s int) {
	v.obj()
	v.showFields(s)
	v.k("episodes")
	v.page(pageSpec{path: apiPath(kShow, v.id(kShow, s)) + "/episodes"}, 0, 50, v.cat.episodeCount(s), func(i int) {
		v.simplifiedEpisode(s*episodesPerShow + i)
	})
	v.objEnd()
}

// episodeFields writes a SimplifiedEpisodeObject's fields.
func (v *view) episodeFields(e int) {
	c := v.cat
	s := e / episodesPerShow
	v.ks("audio_preview_url", "https://p.scdn.co/mp3-preview/"+hex40(c.h(kEpisode, e, fPreview)))
	v.description("In this episode: " + c.episodeWords(e).String() + ". " + c.showDescription(s))
	v.ki("duration_ms", c.episodeDuration(e))
	v.kb("explicit", c.showExplicit(s))
	v.images(c.h(kEpisode, e, fImage), coverSizes)
	v.kb("is_externally_hosted", false)
	playable := true
	if v.market >= 0 {
		m := c.showMarkets(s)
		playable = m.has(v.market)
	}
	v.kb("is_playable", playable)
	langs := c.showLanguages(s)
	v.ks("language", langs[0])
	v.k("languages")
	v.strs(langs...)
	v.ks("name", c.episodeName(e))
	v.ks("release_date", c.episodeDate(e))
	v.ks("release_date_precision", "day")
	v.resumePoint()
	v.ref(kEpisode, v.id(kEpisode, e))
}

func (v *view) simplifiedEpisode(e int) {
	v.obj()
	v.episodeFields(e)
	v.objEnd()
}

// episode writes an EpisodeObject; inPlaylist adds the "episode": true
// and "track": false flags of playlist entries.
func (v *view) episode(e int, inPlaylist bool) {
	v.obj()
	v.episodeFields(e)
	v.k("show")
	v.simplifiedShow(e / episodesPerShow)
	if inPlaylist {
		v.kb("episode", true)
		v.kb("track", false)
	}
	v.objEnd()
}

// people writes [{"name": ...}, ...] (authors, narrators).
func (v *view) people(key string, names []string) {
	v.k(key)
	v.arr()
	for _, n := range names {
		v.obj()
		v.ks("name", n)
		v.objEnd()
	}
	v.arrEnd()
}

// audiobookFields writes a SimplifiedAudiobookObject's fields.
func (v *view) audiobookFields(b int) {
	c := v.cat
	v.people("authors", c.bookAuthors(b))
	if !v.dev() {
		m := bookMarketSet()
		v.k("available_markets")
		v.markets(&m)
	}
	v.k("copyrights")
	v.arr()
	v.arrEnd()
	v.description(c.bookDescription(b))
	v.ks("edition", c.bookEdition(b))
	v.kb("explicit", false)
	v.images(c.h(kAudiobook, b, fImage), coverSizes)
	v.k("languages")
	v.strs("en")
	v.ks("media_type", "audio")
	v.ks("name", c.bookWords(b).String())
	v.people("narrators", c.bookNarrators(b))
	if !v.dev() {
		v.ks("publisher", c.publisher(kAudiobook, b))
	}
	v.ref(kAudiobook, v.id(kAudiobook, b))
	v.ki("total_chapters", c.chapterCount(b))
}

func (v *view) simplifiedAudiobook(b int) {
	v.obj()
	v.audiobookFields(b)
	v.objEnd()
}

// audiobook writes an AudiobookObject with its first 50 chapters.
func (v *view) audiobook(b int) {
	v.obj()
	v.audiobookFields(b)
	v.k("chapters")
	v.page(pageSpec{path: apiPath(kAudiobook, v.id(kAudiobook, b)) + "/chapters"}, 0, 50, v.cat.chapterCount(b), func(i int) {
		v.simplifiedChapter(b*chaptersPerAudiob + i)
	})
	v.objEnd()
}

// chapterFields writes a SimplifiedChapterObject's fields.
func (v *view) chapterFields(ch int) {
	c := v.cat
	b := ch / chaptersPerAudiob
	v.kn("audio_preview_url")
	m := bookMarketSet()
	if !v.dev() {
		v.k("available_markets")
		v.markets(&m)
	}
	v.ki("chapter_number", ch%chaptersPerAudiob)
	v.description(c.chapterName(ch) + " of " + c.bookWords(b).String() + ".")
	v.ki("duration_ms", c.chapterDuration(ch))
	v.kb("explicit", false)
	v.images(c.h(kAudiobook, b, fImage), coverSizes)
	v.kb("is_playable", v.market < 0 || m.has(v.market))
	v.k("languages")
	v.strs("en")
	v.ks("name", c.chapterName(ch))
	v.ks("release_date", c.bookDate(b))
	v.ks("release_date_precision", "day")
	v.resumePoint()
	v.ref(kChapter, v.id(kChapter, ch))
}

func (v *view) simplifiedChapter(ch int) {
	v.obj()
	v.chapterFields(ch)
	v.objEnd()
}

// chapter writes a ChapterObject.
func (v *view) chapter(ch int) {
	v.obj()
	v.chapterFields(ch)
	v.k("audiobook")
	v.simplifiedAudiobook(ch / chaptersPerAudiob)
	v.objEnd()
}
