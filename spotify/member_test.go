package spotify

import (
	"testing"

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
