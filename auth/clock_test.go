package auth

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/spotifysdk/spotify-go/clock"
)

// nowClock tells a fixed time and makes no timers.
type nowClock struct{ at time.Time }

func (c nowClock) Now() time.Time { return c.at }

func TestClockOf(t *testing.T) {
	assert.Equal(t, clock.Real, clockOf(nil))
	fake := clock.NewFake()
	assert.Same(t, fake, clockOf(fake), "a clock with timers is used as it is")
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c := clockOf(nowClock{at})
	assert.Equal(t, at, c.Now())
	timer := c.NewTimer(time.Millisecond) // a wall-clock timer
	select {
	case <-timer.C():
	case <-time.After(5 * time.Second):
		t.Fatal("the wall-clock timer did not fire")
	}
}

// TestConfigsExposeNoInternalType: a public config whose field has a type of
// an internal package cannot be filled by a user (the type cannot be named).
func TestConfigsExposeNoInternalType(t *testing.T) {
	for _, cfg := range []any{AuthorizationCodeConfig{}, ClientCredentialsConfig{}, LoginOptions{}, AuthRequest{}} {
		typ := reflect.TypeOf(cfg)
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			assert.False(t, strings.Contains(ft.PkgPath(), "/internal/"), "%s.%s has the internal type %s", typ.Name(), f.Name, ft)
		}
	}
}
