package bench

import (
	"encoding/json"
	"testing"

	"github.com/spotifysdk/spotify-go/spotify"
)

// albumSample returns the recorded 25.9 KB album of ../shared, or, where
// ../shared is absent (outside CI), the project's own album of the same
// shape.
func albumSample(b *testing.B) []byte {
	return sharedSample(b, "album.json", func() []byte { return generatedAlbum(18) })
}

// BenchmarkDecodeAlbum decodes one album into spotify.Album with
// encoding/json and with the SDK's codec (go-json-experiment and the
// allocation-free market lists).
func BenchmarkDecodeAlbum(b *testing.B) {
	data := albumSample(b)
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var a spotify.Album
			if err := json.Unmarshal(data, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("spotify-go", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var a spotify.Album
			if err := spotify.Unmarshal(data, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
}
