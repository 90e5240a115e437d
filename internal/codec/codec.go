// Package codec is the one JSON codec of spotify-go: every encode and decode
// goes through it. It is github.com/go-json-experiment/json (the code behind
// Go's coming encoding/json/v2), which decodes the SDK's typed structs about
// twice as fast as encoding/json with less memory. Unknown fields are
// ignored, so fields Spotify adds never break a decode.
package codec

import (
	"github.com/go-json-experiment/json"
)

// Unmarshal decodes data into v.
func Unmarshal(data []byte, v any) error {
	return json.Unmarshal(data, v)
}

// Marshal encodes v.
func Marshal(v any) ([]byte, error) {
	return json.Marshal(v)
}
