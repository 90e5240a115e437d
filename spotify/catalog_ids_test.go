package spotify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/spotify/spotifytest"
)

// catalogIDs are ids of the emulator's catalogue for tests to pass to the
// SDK: the first three of each kind, the first of each on its own, one
// category and one playlist.
type catalogIDs struct {
	album, artist, track, show, episode    string
	audiobook, chapter, category, playlist string
	albums, artists, tracks, shows         []string
	episodes, audiobooks, chapters         []string
}

// pickCatalogIDs reads catalogIDs off cat; it fails the test when the
// catalogue is too small.
func pickCatalogIDs(t *testing.T, cat *spotifytest.Catalog) catalogIDs {
	t.Helper()
	first := func(k spotifytest.Kind, n int) []string {
		got := cat.IDs(k, n)
		require.Len(t, got, n, "catalogue ids of kind %s", k)
		return got
	}
	var c catalogIDs
	c.albums, c.artists, c.tracks = first(spotifytest.KindAlbum, 3), first(spotifytest.KindArtist, 3), first(spotifytest.KindTrack, 3)
	c.shows, c.episodes = first(spotifytest.KindShow, 3), first(spotifytest.KindEpisode, 3)
	c.audiobooks, c.chapters = first(spotifytest.KindAudiobook, 3), first(spotifytest.KindChapter, 3)
	c.album, c.artist, c.track, c.show, c.episode = c.albums[0], c.artists[0], c.tracks[0], c.shows[0], c.episodes[0]
	c.audiobook, c.chapter = c.audiobooks[0], c.chapters[0]
	c.category = first(spotifytest.KindCategory, 1)[0]
	c.playlist = first(spotifytest.KindPlaylist, 1)[0]
	return c
}
