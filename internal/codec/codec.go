// Package codec is the JSON codec of the Web API client: package spotify
// encodes its request bodies and decodes its answers with it (the models'
// UnmarshalJSON methods, kept for users of encoding/json, and package auth,
// which talks to the accounts service and its token file, use
// encoding/json). It is github.com/go-json-experiment/json (the code behind
// Go's coming encoding/json/v2), which decodes the SDK's typed structs about
// twice as fast as encoding/json with less memory.
//
// Decoding is lenient where Spotify has drifted: unknown members are
// ignored, duplicate names and invalid UTF-8 are accepted, and integer
// fields accept a JSON number with a zero fraction ("duration_ms": 1.0),
// which Spotify sent in 2024 and which broke typed decoders elsewhere.
package codec

import (
	"errors"
	"math"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

var (
	decodeOptions = json.JoinOptions(
		json.DefaultOptionsV2(),
		jsontext.AllowDuplicateNames(true),
		jsontext.AllowInvalidUTF8(true),
		json.WithUnmarshalers(json.JoinUnmarshalers(
			json.UnmarshalFromFunc(unmarshalInt),
			json.UnmarshalFromFunc(unmarshalInt64),
		)),
	)
	// A nil slice or map is written as null, as encoding/json does, so
	// that a decoded value survives a round trip: a list that was absent
	// stays nil and an empty one stays empty.
	encodeOptions = json.JoinOptions(json.DefaultOptionsV2(), json.FormatNilSliceAsNull(true), json.FormatNilMapAsNull(true))
)

// Unmarshal decodes data into v.
func Unmarshal(data []byte, v any) error {
	return json.Unmarshal(data, v, decodeOptions)
}

// UnmarshalDecode decodes the next value of dec into v, with the options of
// [Unmarshal]; models use it in their custom decoders.
func UnmarshalDecode(dec *jsontext.Decoder, v any) error {
	return json.UnmarshalDecode(dec, v, decodeOptions)
}

// Marshal encodes v.
func Marshal(v any) ([]byte, error) {
	return json.Marshal(v, encodeOptions)
}

func unmarshalInt(dec *jsontext.Decoder, v *int) error {
	n, err := readInt(dec)
	if err != nil {
		return err
	}
	*v = int(n)
	return nil
}

func unmarshalInt64(dec *jsontext.Decoder, v *int64) error {
	n, err := readInt(dec)
	if err != nil {
		return err
	}
	*v = n
	return nil
}

// readInt reads a JSON number as an integer, accepting an integral float
// ("3.0", "1e3"). Anything else is left to the default decoder (which then
// reports the mismatch), by returning errors.ErrUnsupported before consuming it.
func readInt(dec *jsontext.Decoder) (int64, error) {
	if dec.PeekKind() != '0' {
		return 0, errors.ErrUnsupported
	}
	raw, err := dec.ReadValue()
	if err != nil {
		return 0, err
	}
	s := string(raw)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || f > math.MaxInt64 || f < math.MinInt64 {
		return 0, &json.SemanticError{JSONKind: '0', Err: strconv.ErrSyntax}
	}
	return int64(f), nil
}
