package spotify

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// How many context layers does a call add between the client's method and
// the base transport? The caller's context is wrapped in a marker value;
// the base transport walks from its request's context up the parent chain
// to the marker and lists the layers on the way. A layer's parent is found
// by a small reflective walk: the first field of type context.Context of
// the layer's struct (or of a struct it embeds: context's timerCtx embeds
// its cancelCtx), read with unsafe since the standard library's fields are
// unexported. That covers the standard library's context types and any
// other that keeps its parent in a field, as ours do; a layer whose parent
// cannot be found fails the test rather than count short.
//
// context.stopCtx, the way a cancelCtx holds a parent with an AfterFunc
// method, is walked through without being counted: it is part of that
// cancelCtx's layer. Layers that can carry values (context.WithValue's, and any type that is
// not one of the standard library's cancellation types) are what the call
// record replaced: besides the caller's own, at most one, the record.
// Cancellation layers are listed too: with a caller that can never end,
// the only one is the attempt's deadline.

type layerMarkerKey struct{}

// cancellationLayers are the context types that carry no values of their
// own: the standard library's, and the timeout stage's shared attempt
// deadline (the request's values under a deadline shared by the attempts
// that start about the same time).
var cancellationLayers = map[string]bool{
	"*context.cancelCtx":           true,
	"*context.timerCtx":            true,
	"*context.afterFuncCtx":        true,
	"context.withoutCancelCtx":     true,
	"*middleware.sharedAttemptCtx": true,
}

var contextType = reflect.TypeFor[context.Context]()

// parentContext returns the context ctx wraps, or false when it wraps none
// (a root such as context.Background) or keeps it out of reach.
func parentContext(ctx context.Context) (context.Context, bool) {
	v := reflect.ValueOf(ctx)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, false
		}
		v = v.Elem()
	} else {
		cp := reflect.New(v.Type()).Elem() // make it addressable
		cp.Set(v)
		v = cp
	}
	if v.Kind() != reflect.Struct {
		return nil, false
	}
	return contextField(v)
}

func contextField(v reflect.Value) (context.Context, bool) {
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Type() == contextType {
			f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
			c, _ := f.Interface().(context.Context)
			return c, c != nil
		}
	}
	for i := range v.NumField() {
		if v.Type().Field(i).Anonymous && v.Field(i).Kind() == reflect.Struct {
			if c, ok := contextField(v.Field(i)); ok {
				return c, true
			}
		}
	}
	return nil, false
}

// layersTo lists the types of the layers from ctx up to marker, marker
// excluded; ok is false when the walk lost the chain before the marker.
func layersTo(ctx, marker context.Context) (layers []string, ok bool) {
	for ctx != marker {
		if name := reflect.TypeOf(ctx).String(); name != "context.stopCtx" {
			// stopCtx is how a cancelCtx holds a parent that has its own
			// AfterFunc: part of that cancelCtx's layer, not one of its own.
			layers = append(layers, name)
		}
		var found bool
		if ctx, found = parentContext(ctx); !found {
			return layers, false
		}
	}
	return layers, true
}

func valueLayers(layers []string) int {
	n := 0
	for _, l := range layers {
		if !cancellationLayers[l] {
			n++
		}
	}
	return n
}

func TestParentContextWalksTheStandardLibrary(t *testing.T) {
	marker := context.WithValue(context.Background(), layerMarkerKey{}, "caller")
	ctx, cancel := context.WithCancel(marker)
	defer cancel()
	ctx, cancel2 := context.WithTimeout(context.WithoutCancel(ctx), time.Hour)
	defer cancel2()
	ctx = context.WithValue(ctx, layerMarkerKey{}, "below")
	layers, ok := layersTo(ctx, marker)
	require.True(t, ok, "%v", layers)
	assert.Equal(t, []string{"*context.valueCtx", "*context.timerCtx", "context.withoutCancelCtx", "*context.cancelCtx"}, layers)
	assert.Equal(t, 1, valueLayers(layers))
}

func TestCallAddsOneContextLayer(t *testing.T) {
	var seen []context.Context
	base := trackBase(func(req *http.Request) { seen = append(seen, req.Context()) })
	c, err := NewClient(WithAccessToken("test-token"), WithHTTPClient(&http.Client{Transport: base}))
	require.NoError(t, err)
	defer c.Close()

	for _, tc := range []struct {
		name        string
		caller      func() (context.Context, context.CancelFunc)
		cancelLayer int // cancellation layers the SDK may add
	}{
		// Background: the record binds the call to the client's lifetime;
		// the only cancellation layer is the attempt's deadline.
		{"never ends", func() (context.Context, context.CancelFunc) { return context.Background(), func() {} }, 1},
		// A caller that can end: the lifetime binding and the attempt's
		// deadline (a coalesced flight runs on the caller's request).
		{"with deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), time.Hour)
		}, 2},
	} {
		for _, async := range []bool{false, true} {
			name := tc.name
			if async {
				// The AsyncClient adds none: its calls are bound as the
				// sync client's are, once.
				name += "/async"
			}
			t.Run(name, func(t *testing.T) {
				seen = nil
				parent, cancel := tc.caller()
				defer cancel()
				marker := context.WithValue(parent, layerMarkerKey{}, "caller")
				var err error
				if async {
					_, err = c.Async().Tracks.Get(marker, "4iV5W9uYEdYUVa79Axb7Rh", nil).Await(context.Background())
				} else {
					_, err = c.Tracks.Get(marker, "4iV5W9uYEdYUVa79Axb7Rh", nil)
				}
				require.NoError(t, err)
				require.Len(t, seen, 1)
				layers, ok := layersTo(seen[0], marker)
				require.True(t, ok, "the walk lost the chain at %v", layers)
				// The caller's marker plus the SDK's value layers: at most 2,
				// and the one the SDK adds is its call record.
				assert.Equal(t, 1, valueLayers(layers), "value layers between the method and the base: %v", layers)
				assert.LessOrEqual(t, len(layers)-valueLayers(layers), tc.cancelLayer, "cancellation layers: %v", layers)
				t.Logf("layers below the caller's: %v", layers)
			})
		}
	}
}
