package spotify

import (
	"reflect"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemberDecodesOneMemberInOnePass(t *testing.T) {
	var got []Track
	m := &member{key: "tracks", out: &got}
	data := `{"before":{"tracks":[{"id":"nested"}],"n":[1,2,{"x":null}]},"tracks":[{"id":"a","duration_ms":1.0},null],"after":"x","tracks":[{"id":"dup"}]}`
	require.NoError(t, decodeJSON([]byte(data), m))
	assert.True(t, m.object)
	assert.True(t, m.found)
	require.Len(t, got, 2)
	assert.Equal(t, "a", got[0].ID, "the top-level member, the first of duplicates")
	assert.Equal(t, 1, got[0].DurationMS, "the codec's options apply inside")
	assert.Empty(t, got[1].ID)
}

func TestMemberMissingNullAndNotAnObject(t *testing.T) {
	var got []Track
	m := &member{key: "tracks", out: &got}
	require.NoError(t, decodeJSON([]byte(`{"albums":[]}`), m))
	assert.True(t, m.object)
	assert.False(t, m.found)

	m = &member{key: "tracks", out: &got}
	require.NoError(t, decodeJSON([]byte(` null `), m))
	assert.False(t, m.object, "null is no object: nothing to decode")

	for _, bad := range []string{`[1]`, `"tracks"`, `{"tracks":[1}`, `{"tracks":"x"}`} {
		m = &member{key: "tracks", out: &got}
		assert.Error(t, decodeJSON([]byte(bad), m), bad)
	}
}

// FuzzMember checks the one-pass member decoder against the obvious two
// passes (decode the object into raw members, then the member): on any
// input both fail, or both succeed with the same value. The seeds are
// below.
func FuzzMember(f *testing.F) {
	for _, s := range []string{
		`{"tracks":[{"id":"a"}]}`, `{"a":1,"tracks":[null,{"id":"b","duration_ms":2.0}],"z":{"tracks":[]}}`,
		`null`, `{}`, `[]`, `{"tracks":null}`, `{"tracks":{"id":"x"}}`, `{"tracks":[1]}`, ` {"tracks" : [ ] } `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var one []Track
		m := &member{key: "tracks", out: &one}
		errOne := decodeJSON(data, m)

		var raw map[string]jsontext.Value
		errTwo := decodeJSON(data, &raw)
		var two []Track
		foundTwo := false
		if errTwo == nil && raw != nil {
			if v, ok := raw["tracks"]; ok {
				foundTwo = true
				errTwo = decodeJSON(v, &two)
			}
		}
		if (errOne == nil) != (errTwo == nil) {
			t.Fatalf("one pass: %v; two passes: %v; input %q", errOne, errTwo, data)
		}
		if errOne != nil {
			return
		}
		if m.found != foundTwo {
			t.Fatalf("found %v vs %v; input %q", m.found, foundTwo, data)
		}
		if !reflect.DeepEqual(one, two) {
			t.Fatalf("one pass %+v; two passes %+v; input %q", one, two, data)
		}
	})
}
