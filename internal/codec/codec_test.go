package codec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type sample struct {
	Duration int    `json:"duration_ms"`
	Stamp    int64  `json:"timestamp"`
	Name     string `json:"name"`
	Ptr      *int   `json:"popularity"`
}

func TestIntegersAcceptIntegralFloats(t *testing.T) {
	var s sample
	require.NoError(t, Unmarshal([]byte(`{"duration_ms":207959.0,"timestamp":1.7e12,"name":"x","popularity":63.0,"extra":{"a":1}}`), &s))
	assert.Equal(t, 207959, s.Duration)
	assert.Equal(t, int64(1700000000000), s.Stamp)
	require.NotNil(t, s.Ptr)
	assert.Equal(t, 63, *s.Ptr)

	require.NoError(t, Unmarshal([]byte(`{"duration_ms":5,"popularity":null}`), &s))
	assert.Equal(t, 5, s.Duration)
	assert.Nil(t, s.Ptr)

	assert.Error(t, Unmarshal([]byte(`{"duration_ms":1.5}`), &s), "a real fraction is not an integer")
	assert.Error(t, Unmarshal([]byte(`{"duration_ms":"7"}`), &s))
	assert.Error(t, Unmarshal([]byte(`{"duration_ms":1e300}`), &s))
}

func TestLenientInput(t *testing.T) {
	var s sample
	require.NoError(t, Unmarshal([]byte("{\"name\":\"a\",\"name\":\"b\xff\"}"), &s))
	assert.Equal(t, "b\ufffd", s.Name)
	out, err := Marshal(sample{Duration: 1, Name: "n"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"duration_ms":1,"timestamp":0,"name":"n","popularity":null}`, string(out))
}
