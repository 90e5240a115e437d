package bench

import (
	"fmt"
	"strings"
)

// markets is a list of 170 two-letter codes, like Spotify's.
func markets() string {
	var b strings.Builder
	b.WriteByte('[')
	n := 0
	for x := 'A'; x <= 'Z' && n < 170; x++ {
		for y := 'A'; y <= 'Z' && n < 170; y++ {
			if (x+y)%3 != 0 {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q", string([]rune{x, y}))
			n++
		}
	}
	b.WriteByte(']')
	return b.String()
}

// generatedAlbum writes an album answer of the recorded sample's shape: an
// album with its markets, images and copyrights, and a page of tracks, each
// with its own market list. It stands in when ../shared is absent.
func generatedAlbum(tracks int) []byte {
	m := markets()
	artist := `{"external_urls":{"spotify":"https://open.spotify.com/artist/0TnOYISbd1XYRBk9myaseg"},"href":"https://api.spotify.com/v1/artists/0TnOYISbd1XYRBk9myaseg","id":"0TnOYISbd1XYRBk9myaseg","name":"Generated Artist","type":"artist","uri":"spotify:artist:0TnOYISbd1XYRBk9myaseg"}`
	var items []string
	for i := 1; i <= tracks; i++ {
		id := fmt.Sprintf("4iV5W9uYEdYUVa79Axb%03d", i)
		items = append(items, fmt.Sprintf(`{"artists":[%s],"available_markets":%s,"disc_number":1,"duration_ms":%d,"explicit":false,"external_urls":{"spotify":"https://open.spotify.com/track/%s"},"href":"https://api.spotify.com/v1/tracks/%s","id":"%s","is_local":false,"name":"Generated Track %d","preview_url":null,"track_number":%d,"type":"track","uri":"spotify:track:%s"}`,
			artist, m, 180000+i*1000, id, id, id, i, i, id))
	}
	return []byte(fmt.Sprintf(`{"album_type":"album","artists":[%s],"available_markets":%s,"copyrights":[{"text":"2026 Generated","type":"C"},{"text":"2026 Generated","type":"P"}],"external_ids":{"upc":"00602537518357"},"external_urls":{"spotify":"https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy"},"genres":[],"href":"https://api.spotify.com/v1/albums/4aawyAB9vmqN3uQ7FjRGTy","id":"4aawyAB9vmqN3uQ7FjRGTy","images":[{"height":640,"url":"https://i.scdn.co/image/ab67616d0000b273","width":640},{"height":300,"url":"https://i.scdn.co/image/ab67616d00001e02","width":300},{"height":64,"url":"https://i.scdn.co/image/ab67616d00004851","width":64}],"label":"Generated Records","name":"Generated Album","popularity":55,"release_date":"2026-01-16","release_date_precision":"day","total_tracks":%d,"tracks":{"href":"https://api.spotify.com/v1/albums/4aawyAB9vmqN3uQ7FjRGTy/tracks?offset=0&limit=50","items":[%s],"limit":50,"next":null,"offset":0,"previous":null,"total":%d},"type":"album","uri":"spotify:album:4aawyAB9vmqN3uQ7FjRGTy"}`,
		artist, m, tracks, strings.Join(items, ","), tracks))
}

// generatedTrack writes a track answer of the recorded sample's shape (2.7
// KB): a track with its album, two artists, both market lists, its external
// ids and a preview URL. It stands in when ../shared is absent.
func generatedTrack() []byte {
	m := markets()
	artist := func(id, name string) string {
		return fmt.Sprintf(`{"external_urls":{"spotify":"https://open.spotify.com/artist/%s"},"href":"https://api.spotify.com/v1/artists/%s","id":"%s","name":"%s","type":"artist","uri":"spotify:artist:%s"}`, id, id, id, name, id)
	}
	const album, track = "3X33e7UII5loqrEgauOKEC", "1zHlj4dQ8ZAtrayhuDDmkY"
	return []byte(fmt.Sprintf(`{"album":{"album_type":"single","available_markets":%s,"external_urls":{"spotify":"https://open.spotify.com/album/%s"},"href":"https://api.spotify.com/v1/albums/%s","id":"%s","images":[{"height":640,"url":"https://i.scdn.co/image/ab67616d0000b273","width":640},{"height":300,"url":"https://i.scdn.co/image/ab67616d00001e02","width":300},{"height":64,"url":"https://i.scdn.co/image/ab67616d00004851","width":64}],"name":"Generated Single","type":"album","uri":"spotify:album:%s"},"artists":[%s,%s],"available_markets":%s,"disc_number":1,"duration_ms":204053,"explicit":false,"external_ids":{"isrc":"USRC11301695"},"external_urls":{"spotify":"https://open.spotify.com/track/%s"},"href":"https://api.spotify.com/v1/tracks/%s","id":"%s","name":"Generated Track","popularity":85,"preview_url":"https://p.scdn.co/mp3-preview/18d0a45538122fbe33f22604d0e5608789c10ae4","track_number":1,"type":"track","uri":"spotify:track:%s"}`,
		m, album, album, album, album, artist("0TnOYISbd1XYRBk9myaseg", "Generated Artist"), artist("6LqNN22kT3074XbTVUrhzX", "Generated Guest"), m, track, track, track, track))
}
