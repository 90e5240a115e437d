package bench

import (
	"testing"

	"github.com/spotifysdk/spotify-go/spotify"
)

// TestGeneratedAlbumHasTheSampleShape keeps the stand-in album honest: it
// decodes, and it is about as large as the recorded one (25.9 KB).
func TestGeneratedAlbumHasTheSampleShape(t *testing.T) {
	data := generatedAlbum(18)
	var a spotify.Album
	if err := spotify.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Tracks.Items) != 18 || len(a.AvailableMarkets) != 170 || len(a.Tracks.Items[0].AvailableMarkets) != 170 {
		t.Fatalf("shape: %d tracks, %d markets", len(a.Tracks.Items), len(a.AvailableMarkets))
	}
	if n := len(data); n < 20_000 || n > 32_000 {
		t.Fatalf("the generated album is %d bytes; the sample is 25.9 KB", n)
	}
}
