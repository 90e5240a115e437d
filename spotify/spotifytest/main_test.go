package spotifytest

import (
	"os"
	"testing"

	"github.com/spotifysdk/spotify-go/internal/shareddata"
)

// TestMain runs the package's tests and, when ../shared is absent, says
// once at the end which of them did not run.
func TestMain(m *testing.M) {
	os.Exit(shareddata.Run(m, "the route table's check against the OpenAPI file and the comparison of the emulator's answers with Spotify's recorded ones"))
}
