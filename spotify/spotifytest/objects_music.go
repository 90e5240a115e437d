package spotifytest

// JSON writers of artists, albums and tracks, in the shapes of Spotify's
// ArtistObject, SimplifiedArtistObject, AlbumObject,
// SimplifiedAlbumObject (ArtistDiscographyAlbumObject with album_group),
// TrackObject and SimplifiedTrackObject.

func (v *view) id(k kind, i int) string { return v.cat.encodeID(k, i) }

// simplifiedArtist writes a SimplifiedArtistObject.
func (v *view) simplifiedArtist(a int) {
	v.obj()
	v.ks("name", v.cat.artistName(a))
	v.ref(kArtist, v.id(kArtist, a))
	v.objEnd()
}

// artist writes an ArtistObject.
func (v *view) artist(a int) {
	c := v.cat
	v.obj()
	if !v.dev() {
		v.followers(c.artistFollowers(a))
	}
	v.k("genres")
	v.strs(c.artistGenres(a)...)
	v.images(c.h(kArtist, a, fImage), artistSizes)
	v.ks("name", c.artistName(a))
	if !v.dev() {
		v.ki("popularity", c.artistPopularity(a))
	}
	v.ref(kArtist, v.id(kArtist, a))
	v.objEnd()
}

// albumFields writes the fields of a SimplifiedAlbumObject, without the
// braces.
func (v *view) albumFields(al int) {
	c := v.cat
	v.ks("album_type", c.albumType(al))
	v.ki("total_tracks", c.trackCount(al))
	if !v.dev() {
		m := c.albumMarkets(al)
		v.k("available_markets")
		v.markets(&m)
	}
	v.images(c.h(kAlbum, al, fImage), coverSizes)
	v.ks("name", c.albumName(al))
	d := c.albumDate(al)
	v.ks("release_date", d.String())
	v.ks("release_date_precision", d.precision)
	v.ref(kAlbum, v.id(kAlbum, al))
	v.k("artists")
	v.arr()
	v.simplifiedArtist(al / albumsPerArtist)
	v.arrEnd()
}

// simplifiedAlbum writes a SimplifiedAlbumObject; a non-empty group adds
// album_group (an artist's discography) but in Development Mode.
func (v *view) simplifiedAlbum(al int, group string) {
	v.obj()
	v.albumFields(al)
	if group != "" && !v.dev() {
		v.ks("album_group", group)
	}
	v.objEnd()
}

// album writes an AlbumObject, with the first 50 tracks embedded.
func (v *view) album(al int) {
	c := v.cat
	id := v.id(kAlbum, al)
	v.obj()
	v.albumFields(al)
	v.k("tracks")
	n := c.trackCount(al)
	v.page(pageSpec{path: apiPath(kAlbum, id) + "/tracks"}, 0, 50, n, func(i int) {
		v.simplifiedTrack(al*tracksPerAlbum + i)
	})
	year := c.albumDate(al).year
	label := c.albumLabel(al)
	v.k("copyrights")
	v.arr()
	for _, cp := range [][2]string{{"©", "C"}, {"℗", "P"}} {
		v.obj()
		v.ks("text", cp[0]+" "+itoa(year)+" "+label)
		v.ks("type", cp[1])
		v.objEnd()
	}
	v.arrEnd()
	v.k("external_ids")
	v.obj()
	v.ks("upc", c.albumUPC(al))
	v.objEnd()
	v.k("genres")
	v.strs()
	if !v.dev() {
		v.ks("label", label)
		v.ki("popularity", c.albumPopularity(al))
	}
	v.objEnd()
}

// trackFields writes the fields of a SimplifiedTrackObject, without the
// braces. With a market parameter, available_markets gives way to
// is_playable (and restrictions when it is false), as track relinking
// answers do; Development Mode answers have neither available_markets
// nor popularity (see view.dev).
func (v *view) trackFields(t int) {
	c := v.cat
	v.k("artists")
	v.arr()
	for _, a := range c.trackArtists(t) {
		v.simplifiedArtist(a)
	}
	v.arrEnd()
	m := c.albumMarkets(t / tracksPerAlbum)
	if v.market < 0 {
		if !v.dev() {
			v.k("available_markets")
			v.markets(&m)
		}
	} else {
		playable := m.has(v.market)
		v.kb("is_playable", playable)
		if !playable {
			v.k("restrictions")
			v.obj()
			v.ks("reason", "market")
			v.objEnd()
		}
	}
	v.ki("disc_number", 1)
	v.ki("duration_ms", c.trackDuration(t))
	v.kb("explicit", c.trackExplicit(t))
	v.ks("name", c.trackWords(t).String())
	v.ksn("preview_url", c.trackPreview(t))
	v.ki("track_number", t%tracksPerAlbum+1)
	v.ref(kTrack, v.id(kTrack, t))
	v.kb("is_local", false)
}

// simplifiedTrack writes a SimplifiedTrackObject.
func (v *view) simplifiedTrack(t int) {
	v.obj()
	v.trackFields(t)
	v.objEnd()
}

// track writes a TrackObject; inPlaylist adds the "episode": false and
// "track": true flags that playlist entries carry.
func (v *view) track(t int, inPlaylist bool) {
	c := v.cat
	v.obj()
	v.k("album")
	v.simplifiedAlbum(t/tracksPerAlbum, "")
	v.trackFields(t)
	v.k("external_ids")
	v.obj()
	v.ks("isrc", c.trackISRC(t))
	v.objEnd()
	if !v.dev() {
		v.ki("popularity", c.trackPopularity(t))
	}
	if inPlaylist {
		v.kb("episode", false)
		v.kb("track", true)
	}
	v.objEnd()
}
