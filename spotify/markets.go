package spotify

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-json-experiment/json/jsontext"
)

// Market is an ISO 3166-1 alpha-2 country code ("SE"), held in two bytes.
type Market [2]byte

// String returns the code.
func (m Market) String() string { return string(m[:]) }

// MarshalText writes the code.
func (m Market) MarshalText() ([]byte, error) { return m[:], nil }

// UnmarshalText reads a two-letter code.
func (m *Market) UnmarshalText(b []byte) error {
	if len(b) != 2 {
		return fmt.Errorf("spotify: market %q is not a two-letter code", b)
	}
	copy(m[:], b)
	return nil
}

// Markets is a list of market codes, such as an album's available_markets.
// An album holds a dozen lists of about 170 codes; decoding them as two
// bytes each, in one allocation per list, saves most of an album's
// allocations compared with a []string.
type Markets []Market

// Contains reports whether code is in the list.
func (ms Markets) Contains(code string) bool {
	if len(code) != 2 {
		return false
	}
	for _, m := range ms {
		if m[0] == code[0] && m[1] == code[1] {
			return true
		}
	}
	return false
}

// Strings returns the codes as strings.
func (ms Markets) Strings() []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return out
}

var errMarkets = errors.New("spotify: available_markets is not a list of strings")

// UnmarshalJSONFrom decodes the list without a string per code: it reads
// each raw token from the decoder and copies its two letters. Entries that
// are not two-letter codes are skipped.
func (ms *Markets) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		*ms = nil
		return err
	case '[':
	default:
		_ = dec.SkipValue()
		return errMarkets
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	var buf [256]Market
	out := buf[:0]
	var scratch []byte
	for dec.PeekKind() != ']' {
		if dec.PeekKind() != '"' {
			if err := dec.SkipValue(); err != nil {
				return err
			}
			return errMarkets
		}
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if len(v) == 4 && v[1] != '\\' && v[2] != '\\' {
			out = append(out, Market{v[1], v[2]})
			continue
		}
		scratch, err = jsontext.AppendUnquote(scratch[:0], v)
		if err == nil && len(scratch) == 2 {
			out = append(out, Market{scratch[0], scratch[1]})
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	res := make(Markets, len(out))
	copy(res, out)
	*ms = res
	return nil
}

// UnmarshalJSON decodes the list with encoding/json, for users who decode
// the SDK's models with it.
func (ms *Markets) UnmarshalJSON(b []byte) error {
	var codes []string
	if err := json.Unmarshal(b, &codes); err != nil {
		return err
	}
	if codes == nil {
		*ms = nil
		return nil
	}
	res := make(Markets, 0, len(codes))
	for _, c := range codes {
		if len(c) == 2 {
			res = append(res, Market{c[0], c[1]})
		}
	}
	*ms = res
	return nil
}
