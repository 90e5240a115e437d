package spotify

import (
	"os"
	"testing"

	"github.com/spotifysdk/spotify-go/internal/shareddata"
)

// TestMain runs the package's tests and, when ../shared is absent, says
// once at the end which of them did not run.
func TestMain(m *testing.M) {
	os.Exit(shareddata.Run(m, "the OpenAPI conformance tests, the registry-vs-spec checks and the decoding of Spotify's recorded answers"))
}
