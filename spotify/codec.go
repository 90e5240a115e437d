package spotify

import "github.com/spotifysdk/spotify-go/internal/codec"

// Unmarshal decodes a Web API answer (or a record you stored) into one of
// the package's models with the codec every method uses: unknown fields
// are ignored, integers accept 1.0, and market lists are decoded without a
// string per code.
func Unmarshal(data []byte, v any) error { return decodeJSON(data, v) }

// Marshal encodes a model with Spotify's keys, with the codec every method
// uses.
func Marshal(v any) ([]byte, error) { return codec.Marshal(v) }
