package spotifytest

// JSON writers of users, playlists, playlist entries and categories, in
// the shapes of Spotify's PublicUserObject, PlaylistOwnerObject,
// PlaylistUserObject, PlaylistObject, SimplifiedPlaylistObject,
// PlaylistTrackObject and CategoryObject.

// user writes a PublicUserObject.
func (v *view) user(u int) {
	c := v.cat
	v.obj()
	v.ks("display_name", c.userName(u))
	v.followers(c.userFollowers(u))
	v.userImages(u)
	v.ref(kUser, v.id(kUser, u))
	v.objEnd()
}

// userImages writes "images":[...] of user u's picture: 300 and 64
// pixels, or none for a quarter of users.
func (v *view) userImages(u int) {
	v.k("images")
	v.arr()
	if x := v.cat.h(kUser, u, fImage); x%4 != 0 { // a quarter have no picture
		for _, sz := range []int{300, 64} {
			v.obj()
			v.ki("height", sz)
			v.ks("url", "https://i.scdn.co/image/ab6775700000"+itoa(sz)+hex40(x)[:24])
			v.ki("width", sz)
			v.objEnd()
		}
	}
	v.arrEnd()
}

// playlistUser writes a PlaylistUserObject (added_by); withName adds
// display_name (a PlaylistOwnerObject).
func (v *view) playlistUser(u int, withName bool) {
	v.obj()
	if withName {
		v.ks("display_name", v.cat.userName(u))
	}
	v.ref(kUser, v.id(kUser, u))
	v.objEnd()
}

// playlistImages writes a playlist's images: none when it is empty, one
// cover without size under four entries, a 640/300/60 mosaic otherwise.
func (v *view) playlistImages(p int) {
	x := v.cat.h(kPlaylist, p, fImage)
	n := v.cat.playlistLen(p)
	v.arr()
	switch {
	case n == 0:
	case n < 4:
		v.obj()
		v.kn("height")
		v.ks("url", "https://image-cdn-ak.spotifycdn.com/image/ab67706c0000da84"+hex40(x)[:24])
		v.kn("width")
		v.objEnd()
	default:
		for _, sz := range []int{640, 300, 60} {
			v.obj()
			v.ki("height", sz)
			v.ks("url", "https://mosaic.scdn.co/"+itoa(sz)+"/"+hex40(x)+hex40(x + 1)[:20])
			v.ki("width", sz)
			v.objEnd()
		}
	}
	v.arrEnd()
}

// playlistHead writes the fields a playlist has in both shapes before its
// entries. A missing description is null in a PlaylistObject and "" in a
// SimplifiedPlaylistObject (the spec allows null only in the first).
func (v *view) playlistHead(p int, simplified bool) {
	c := v.cat
	v.writeHead(p, plHead{
		collab: c.playlistCollaborative(p), public: c.playlistPublic(p), owner: c.playlistOwner(p),
		desc: c.playlistDescription(p), name: c.playlistWords(p).String(), snapshot: c.playlistSnapshot(p),
		images: func() { v.playlistImages(p) },
	}, simplified)
}

// plHead is what a playlist object and a simplified one share, from the
// catalogue or from a playlist's state.
type plHead struct {
	collab, public       bool
	owner                int
	desc, name, snapshot string
	images               func() // writes the images array
}

// writeHead writes h as playlist p's shared fields; the description is
// null when empty in a full object, "" in a simplified one.
func (v *view) writeHead(p int, h plHead, simplified bool) {
	v.kb("collaborative", h.collab)
	if simplified {
		v.ks("description", h.desc)
	} else {
		v.ksn("description", h.desc)
	}
	v.k("images")
	h.images()
	v.ks("name", h.name)
	v.k("owner")
	v.playlistUser(h.owner, true)
	v.kn("primary_color")
	v.kb("public", h.public)
	v.ks("snapshot_id", h.snapshot)
	v.ref(kPlaylist, v.id(kPlaylist, p))
}

// simplifiedPlaylist writes a SimplifiedPlaylistObject: items (2026) and
// tracks (before 2026) are {href, total} references.
func (v *view) simplifiedPlaylist(p int) {
	path := v.base + apiPath(kPlaylist, v.id(kPlaylist, p))
	n := v.cat.playlistLen(p)
	v.obj()
	v.playlistHead(p, true)
	v.k("items")
	v.refPage(path+"/items", n)
	v.k("tracks")
	v.refPage(path+"/tracks", n)
	v.objEnd()
}

// playlist writes a PlaylistObject with both generations of its entries:
// items (2026: the first 50, entries with item and track) and tracks
// (before 2026: the first 100, entries with track).
func (v *view) playlist(p int) {
	v.obj()
	v.playlistHead(p, false)
	v.followers(v.cat.playlistFollowers(p))
	v.k("items")
	v.entries(p, 0, 50, true, nil)
	v.k("tracks")
	v.entries(p, 0, 100, false, nil)
	v.objEnd()
}

// entries writes the offset page of playlist p's entries: with item2026,
// the /items shape (each entry has item and its deprecated duplicate
// track), else the /tracks shape (track only).
func (v *view) entries(p, offset, limit int, item2026 bool, post []kv) {
	c := v.cat
	v.entriesPage(p, offset, limit, c.playlistLen(p), item2026, post, func(k int) {
		e := c.playlistEntry(p, k)
		v.entry(c.entryAddedAt(p, k), c.entryAddedBy(p, k), e.episode, e.index, item2026)
	})
}

// entriesPage writes the offset page of the n entries of playlist p at
// /items (item2026) or /tracks, each written by entry.
func (v *view) entriesPage(p, offset, limit, n int, item2026 bool, post []kv, entry func(k int)) {
	sub := "/tracks"
	if item2026 {
		sub = "/items"
	}
	v.page(pageSpec{path: apiPath(kPlaylist, v.id(kPlaylist, p)) + sub, post: post}, offset, limit, n, entry)
}

// entry writes a PlaylistTrackObject: added at addedAt (RFC 3339) by user
// by, of the track or episode index; with item2026, under item and its
// deprecated duplicate track, else under track only.
func (v *view) entry(addedAt string, by int, episode bool, index int, item2026 bool) {
	v.obj()
	v.ks("added_at", addedAt)
	v.k("added_by")
	v.playlistUser(by, false)
	v.kb("is_local", false)
	v.kn("primary_color")
	keys := []string{"track"}
	if item2026 {
		keys = []string{"item", "track"}
	}
	for _, key := range keys {
		v.k(key)
		if episode {
			v.episode(index, true)
		} else {
			v.track(index, true)
		}
	}
	v.k("video_thumbnail")
	v.obj()
	v.kn("url")
	v.objEnd()
	v.objEnd()
}

// category writes a CategoryObject.
func (v *view) category(i int) {
	id := categoryID(i)
	v.obj()
	v.ks("href", v.base+apiPath(kCategory, id))
	v.k("icons")
	v.arr()
	v.obj()
	v.ki("height", 274)
	v.ks("url", "https://t.scdn.co/media/derived/"+id+"_"+hex40(v.cat.h(kCategory, i, fImage))[:32]+"_0_0_274_274.jpg")
	v.ki("width", 274)
	v.objEnd()
	v.arrEnd()
	v.ks("id", id)
	v.ks("name", categories[i][1])
	v.objEnd()
}
