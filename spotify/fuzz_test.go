package spotify

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/internal/shareddata"
)

// fuzzTargets makes a fresh value of every response model, so the fuzz
// test decodes each input into all of them.
var fuzzTargets = []func() any{
	func() any { return new(Album) }, func() any { return new(Page[SavedAlbum]) },
	func() any { return new(Artist) }, func() any { return new(Page[SimplifiedAlbum]) },
	func() any { return new(Track) }, func() any { return new(Page[SavedTrack]) },
	func() any { return new(Page[SimplifiedTrack]) },
	func() any { return new(Show) }, func() any { return new(Episode) }, func() any { return new(Page[SavedEpisode]) },
	func() any { return new(Page[SavedShow]) }, func() any { return new(Page[SimplifiedEpisode]) },
	func() any { return new(Audiobook) }, func() any { return new(Chapter) },
	func() any { return new(Page[SimplifiedChapter]) }, func() any { return new(Page[SavedAudiobook]) },
	func() any { return new(Playlist) }, func() any { return new(SimplifiedPlaylist) },
	func() any { return new(Page[PlaylistItem]) }, func() any { return new(Page[SimplifiedPlaylist]) },
	func() any { return new([]Image) }, func() any { return new([]bool) },
	func() any { return new(SearchResult) }, func() any { return new(CurrentUser) }, func() any { return new(PublicUser) },
	func() any { return new(Page[Artist]) }, func() any { return new(Page[Track]) },
	func() any { return new(CursorPage[Artist]) }, func() any { return new(CursorPage[RecentlyPlayedItem]) },
	func() any { return new(PlaybackState) }, func() any { return new(CurrentlyPlaying) },
	func() any { return new(PlaybackQueue) }, func() any { return new([]Device) },
	func() any { return new(PlaybackItem) }, func() any { return new(Markets) },
}

// FuzzDecode feeds arbitrary bytes to the decoding of every response model
// and of error bodies: nothing may panic. The hand-written seeds are in
// testdata/fuzz/FuzzDecode; the recorded samples of ../shared are added at
// run time (without ../shared it runs on its own seeds; in CI it fails).
func FuzzDecode(f *testing.F) {
	if dir, ok := shareddata.Lookup(f, "spotify-api/samples"); ok {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		require.NoError(f, err)
		errs, err := filepath.Glob(filepath.Join(dir, "errors", "*.json"))
		require.NoError(f, err)
		require.NotEmpty(f, files, "no samples in %s", dir)
		for _, name := range append(files, errs...) {
			data, err := os.ReadFile(name)
			require.NoError(f, err)
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, mk := range fuzzTargets {
			v := mk()
			if decodeJSON(data, v) == nil {
				// What decoded must encode again, with both codecs.
				if _, err := Marshal(v); err != nil {
					t.Fatalf("%T decoded but does not marshal: %v", v, err)
				}
				if _, err := json.Marshal(v); err != nil {
					t.Fatalf("%T decoded but encoding/json cannot marshal it: %v", v, err)
				}
			}
		}
		parseErrorBody(data)
		e := newResponseError(http.MethodGet, "/albums/{id}", http.StatusNotFound, http.Header{}, data, 0)
		_ = e.Error()
	})
}
