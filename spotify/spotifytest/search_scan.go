package spotifytest

import "strings"

// search returns the items of kind k that match pq whose rank is in
// [offset, offset+limit), and the number of matches. It walks the
// catalogue without storing it: a scan of every track computes word
// numbers only, about a millisecond per 10,000 tracks.
func (c *Catalog) search(k kind, pq *query, offset, limit int) (found []int, total int) {
	if pq.hashed {
		return c.searchHashed(k, pq, offset, limit)
	}
	emit := func(i int) {
		if total >= offset && total < offset+limit {
			found = append(found, i)
		}
		total++
	}
	switch k {
	case kArtist:
		for a := range c.artists {
			aw := c.artistWords(a)
			if allOf(pq.free, aw) && allOf(pq.artist, aw) && c.genreOK(a, pq) {
				emit(a)
			}
		}
	case kAlbum, kTrack:
		c.searchMusic(k, pq, emit)
	case kPlaylist:
		for p := range c.numPlaylists() {
			if allOf(pq.free, c.playlistWords(p)) {
				emit(p)
			}
		}
	case kShow:
		for s := range c.numShows() {
			if allOf(pq.free, c.showWords(s)) {
				emit(s)
			}
		}
	case kEpisode:
		for s := range c.numShows() {
			sw := c.showWords(s)
			for j := range c.episodeCount(s) {
				if e := s*episodesPerShow + j; allOf(pq.free, c.episodeWords(e), sw) {
					emit(e)
				}
			}
		}
	case kAudiobook:
		for b := range c.numAudiobooks() {
			if allOf(pq.free, c.bookWords(b)) {
				emit(b)
			}
		}
	}
	return found, total
}

// searchMusic walks artists, albums and tracks for an album or track
// search, pruning an artist that fails the artist and genre filters.
func (c *Catalog) searchMusic(k kind, pq *query, emit func(int)) {
	for a := range c.artists {
		aw := c.artistWords(a)
		if !allOf(pq.artist, aw) || !c.genreOK(a, pq) {
			continue
		}
		for j := range c.albumCount(a) {
			al := a*albumsPerArtist + j
			if pq.yearFrom != 0 {
				if y := c.albumDate(al).year; y < pq.yearFrom || y > pq.yearTo {
					continue
				}
			}
			alw := c.albumWords(al)
			if !allOf(pq.album, alw) {
				continue
			}
			if k == kAlbum {
				if allOf(pq.free, alw, aw) && (pq.upc == "" || c.albumUPC(al) == pq.upc) {
					emit(al)
				}
				continue
			}
			if pq.upc != "" {
				continue
			}
			for t := al * tracksPerAlbum; t < al*tracksPerAlbum+c.trackCount(al); t++ {
				tw := c.trackWords(t)
				if allOf(pq.track, tw) && allOf(pq.free, tw, alw, aw) && (pq.isrc == "" || c.trackISRC(t) == pq.isrc) {
					emit(t)
				}
			}
		}
	}
}

// genreOK reports whether artist a passes the genre filter.
func (c *Catalog) genreOK(a int, pq *query) bool {
	if pq.genre == "" {
		return true
	}
	for _, g := range c.artistGenres(a) {
		if strings.Contains(g, pq.genre) {
			return true
		}
	}
	return false
}

// searchHashed answers a query the catalogue's words cannot match: 50 to
// 1,000 items (no more than the catalogue has) drawn from the query's
// hash, the same for the same query and seed.
func (c *Catalog) searchHashed(k kind, pq *query, offset, limit int) (found []int, total int) {
	total = min(c.Len(k.Kind()), 50+int(mix(pq.seed^c.key)%951))
	for i := offset; i < total && i < offset+limit; i++ {
		x := mix(pq.seed ^ c.key ^ uint64(k)<<56 + uint64(i))
		switch k {
		case kArtist:
			found = append(found, int(x%uint64(c.artists)))
		case kAlbum:
			found = append(found, c.randomAlbum(x))
		case kTrack:
			found = append(found, c.randomTrack(x))
		case kPlaylist:
			found = append(found, int(x%uint64(c.numPlaylists())))
		case kShow:
			found = append(found, int(x%uint64(c.numShows())))
		case kEpisode:
			s := int(x % uint64(c.numShows()))
			found = append(found, s*episodesPerShow+int(x>>24%uint64(c.episodeCount(s))))
		case kAudiobook:
			found = append(found, int(x%uint64(c.numAudiobooks())))
		}
	}
	return found, total
}
