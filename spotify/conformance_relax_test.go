package spotify_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConformanceRelaxationIsReal takes Extended Quota Mode answers of the
// emulator, deletes from them the fields Spotify no longer sends to
// Development Mode apps, and checks that the spec as it stands rejects
// them while the relaxed spec accepts them: the Development Mode run would
// otherwise pass only because the emulator still sends everything.
func TestConformanceRelaxationIsReal(t *testing.T) {
	strict, relaxed := confRouter(t, false), confRouter(t, true)
	e := newConfEnv(t, nil)
	e.rec.take()
	ctx := context.Background()
	cases := []struct {
		name   string
		call   func() error
		delete []string // top-level fields of the answer
	}{
		{"album", func() error { return ignore(e.app.Albums.Get(ctx, e.album, nil)) }, []string{"available_markets", "label", "popularity"}},
		{"show", func() error { return ignore(e.app.Shows.Get(ctx, e.show, nil)) }, []string{"available_markets", "publisher"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, c.call())
			var x *exchange
			for _, got := range e.rec.take() {
				if strings.HasPrefix(got.req.URL.Path, "/v1/") {
					x = &got
				}
			}
			require.NotNil(t, x, "no API request recorded")
			for _, f := range c.delete {
				var body map[string]any
				require.NoError(t, json.Unmarshal(x.respBody, &body))
				require.Contains(t, body, f, "the Extended Quota Mode answer lacks %s", f)
				delete(body, f)
				stripped, err := json.Marshal(body)
				require.NoError(t, err)
				without := *x
				without.respBody = stripped

				// The validator stops at the first failing part of an
				// allOf, so each field goes alone.
				_, _, strictErr := validateExchange(ctx, strict, without)
				_, _, relaxedErr := validateExchange(ctx, relaxed, without)
				if assert.Error(t, strictErr, "the spec as it stands accepts the answer without %s", f) {
					assert.Contains(t, strictErr.Error(), `property "`+f+`" is missing`)
				}
				assert.NoError(t, relaxedErr, "the relaxed spec rejects the answer without %s", f)
			}
		})
	}
}
