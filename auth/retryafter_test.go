package auth

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/clock"
)

// A token endpoint's folded Retry-After ("5, 30", or two lines) gives the
// TokenError its largest value, not none.
func TestTokenErrorFoldedRetryAfter(t *testing.T) {
	for _, lines := range [][]string{{"5, 30"}, {"5", "30"}} {
		ts := newTokenServer(t)
		ts.respond(func(w http.ResponseWriter, _ *http.Request, _ int32) {
			for _, l := range lines {
				w.Header().Add("Retry-After", l)
			}
			w.WriteHeader(http.StatusTooManyRequests)
		})
		cc := newCC(t, ClientCredentialsConfig{TokenURL: ts.URL, Clock: clock.NewFake()})
		_, err := cc.Token(context.Background())
		var te *TokenError
		require.ErrorAs(t, err, &te, "%q", lines)
		assert.Equal(t, 30*time.Second, te.RetryAfter, "%q", lines)
	}
}
