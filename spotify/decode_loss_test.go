package spotify

import (
	"encoding/json"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/internal/shareddata"
)

// Helpers of the tests that decode the recorded samples of ../shared and
// check that nothing a model declares is lost.

// sample returns a recorded response body from ../shared: the test is
// skipped when ../shared is absent, or fails in CI (see shareddata.Path).
func sample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(shareddata.Path(t, "spotify-api/samples/"+name))
	require.NoError(t, err)
	return data
}

// needSamples skips t (or fails it in CI) when the recorded samples of
// ../shared are absent: for a test whose subtests all read them, so that
// it does not pass with every subtest skipped.
func needSamples(t *testing.T) {
	t.Helper()
	shareddata.Path(t, "spotify-api/samples")
}

// assertDecodesWithoutLoss decodes data into v with the SDK's codec, then
// checks that every member the model declares survives: the model marshalled
// back with encoding/json, compared with the sample restricted to the
// model's keys; and that Marshal and Unmarshal give the value back.
func assertDecodesWithoutLoss(t *testing.T, data []byte, v any) {
	t.Helper()
	require.NoError(t, decodeJSON(data, v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	var want, got any
	require.NoError(t, json.Unmarshal(data, &want))
	require.NoError(t, json.Unmarshal(out, &got))
	assertSubset(t, "$", got, want)
	assertDeclaredKept(t, "$", reflect.TypeOf(v), got, want)

	// A round trip through the package's own codec gives back the same
	// value: an empty list stays empty (not nil, which means "left out"),
	// a pointer to "" stays set.
	again, err := Marshal(v)
	require.NoError(t, err)
	back := reflect.New(reflect.TypeOf(v).Elem()).Interface()
	require.NoError(t, decodeJSON(again, back))
	require.Equal(t, v, back, "Marshal then Unmarshal changed the value")
}

// assertDeclaredKept is the other half of assertSubset: every key the
// model declares (by its json tags) that the sample sets to a non-zero
// value must be in what the model marshals back. assertSubset alone walks
// only the keys the model kept, so a field with omitempty that failed to
// decode would vanish unnoticed.
func assertDeclaredKept(t *testing.T, path string, typ reflect.Type, got, want any) {
	t.Helper()
	for typ != nil && typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ == nil {
		return
	}
	marshaler := reflect.TypeFor[json.Marshaler]()
	if typ.Implements(marshaler) || reflect.PointerTo(typ).Implements(marshaler) {
		return // its own encoding: assertSubset covers it
	}
	switch typ.Kind() {
	case reflect.Struct:
		g, gok := got.(map[string]any)
		w, wok := want.(map[string]any)
		if !gok || !wok {
			return
		}
		for name, ft := range jsonFields(typ) {
			wv, present := w[name]
			if !present || isZeroJSON(wv) {
				continue
			}
			gv, kept := g[name]
			if !kept {
				t.Errorf("%s.%s: the sample has %v, the model declares the key but lost it", path, name, wv)
				continue
			}
			assertDeclaredKept(t, path+"."+name, ft, gv, wv)
		}
	case reflect.Slice, reflect.Array:
		g, gok := got.([]any)
		w, wok := want.([]any)
		if !gok || !wok || len(g) != len(w) {
			return
		}
		for i := range g {
			assertDeclaredKept(t, path+"["+strconv.Itoa(i)+"]", typ.Elem(), g[i], w[i])
		}
	case reflect.Map:
		g, gok := got.(map[string]any)
		w, wok := want.(map[string]any)
		if !gok || !wok {
			return
		}
		for k, gv := range g {
			assertDeclaredKept(t, path+"."+k, typ.Elem(), gv, w[k])
		}
	}
}

// jsonFields maps the json names of typ's exported fields, those of
// embedded structs included, to their types.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range typ.Fields() {
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for n, t := range jsonFields(et) {
					if _, ok := out[n]; !ok {
						out[n] = t
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// assertSubset checks that every key of got (what the model kept) has the
// sample's value, recursively: a declared field that decoded wrong shows.
func assertSubset(t *testing.T, path string, got, want any) {
	t.Helper()
	switch g := got.(type) {
	case map[string]any:
		w, ok := want.(map[string]any)
		if !ok {
			if want == nil && len(g) == 0 {
				return
			}
			t.Errorf("%s: model has an object, sample has %T", path, want)
			return
		}
		for k, gv := range g {
			wv, present := w[k]
			if !present {
				if isZeroJSON(gv) {
					continue // a field the sample lacks, marshalled as its zero value
				}
				t.Errorf("%s.%s: model has %v, sample lacks the key", path, k, gv)
				continue
			}
			assertSubset(t, path+"."+k, gv, wv)
		}
	case []any:
		w, ok := want.([]any)
		if !ok {
			if want == nil && len(g) == 0 {
				return
			}
			t.Errorf("%s: model has a list, sample has %T", path, want)
			return
		}
		if len(g) != len(w) {
			t.Errorf("%s: model has %d items, sample %d", path, len(g), len(w))
			return
		}
		for i := range g {
			assertSubset(t, path+"["+strconv.Itoa(i)+"]", g[i], w[i])
		}
	default:
		if want == nil && isZeroJSON(got) {
			return
		}
		assert.Equal(t, want, got, path)
	}
}

func isZeroJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case float64:
		return x == 0
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, e := range x {
			if !isZeroJSON(e) {
				return false
			}
		}
		return true
	}
	return false
}
