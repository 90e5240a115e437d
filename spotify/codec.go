package spotify

// This file holds the decoding of answers: the package's codec (Unmarshal,
// Marshal), the rule that turns a 2xx answer into a call's result (decode,
// answerRule, DecodeError) and the decoding of one member of an answer.

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/spotifysdk/spotify-go/internal/codec"
)

// Unmarshal decodes a Web API answer (or a record you stored) into one of
// the package's models with the codec every method uses: unknown fields
// are ignored, integers accept 1.0, and market lists are decoded without a
// string per code.
func Unmarshal(data []byte, v any) error { return decodeJSON(data, v) }

// Marshal encodes a model with Spotify's keys, with the codec every method
// uses.
func Marshal(v any) ([]byte, error) { return codec.Marshal(v) }

// decodeJSON is the one JSON decode of the package.
func decodeJSON(data []byte, v any) error { return codec.Unmarshal(data, v) }

// DecodeError reports a 2xx answer that did not give the method its
// result: the body held no object where one was expected (it was empty,
// only whitespace or JSON null, or the status was 204 No Content), or it
// did not decode into the result (Spotify changed a shape, or the body is
// not JSON). Use errors.As to read it.
type DecodeError struct {
	// Method and Route name the call ("GET", "/albums/{id}").
	Method, Route string
	// Status is the answer's HTTP status code, when the error is about
	// a whole answer (0 otherwise).
	Status int
	// NoObject is true when the answer, or the member that holds the
	// result ({"albums": null}), held no object at all.
	NoObject bool
	// Err is the decoder's complaint, or what the answer held instead of
	// an object.
	Err error
}

// Error names the call and what was wrong with its answer:
// "spotify: GET /albums/{id}: the answer (200 OK) holds no object: the body is empty".
func (e *DecodeError) Error() string {
	where := e.Method
	if e.Route != "" {
		where += " " + e.Route
	}
	if !e.NoObject {
		return fmt.Sprintf("spotify: %s: decoding the response: %v", where, e.Err)
	}
	if e.Status != 0 {
		return fmt.Sprintf("spotify: %s: the answer (%d %s) holds no object: %v", where, e.Status, http.StatusText(e.Status), e.Err)
	}
	return fmt.Sprintf("spotify: %s: the answer holds no object: %v", where, e.Err)
}

// Unwrap returns the decoder's error.
func (e *DecodeError) Unwrap() error { return e.Err }

// emptyRule says what a call makes of a 2xx answer that holds no object.
type emptyRule uint8

const (
	// needObject: the call returns an object; an answer without one is a
	// *DecodeError.
	needObject emptyRule = iota
	// nothingOK: the call's contract allows "nothing" (the playback state
	// lookups: 204 means no active playback); the result is left as it is.
	nothingOK
	// noContentOK: a 204 leaves the result as it is, any other answer
	// without an object is a *DecodeError ([Client.Do], whose caller's
	// endpoint the SDK may not know).
	noContentOK
)

// Why an answer holds no object.
var (
	errEmptyBody  = errors.New("the body is empty")
	errBlankBody  = errors.New("the body is only whitespace")
	errNullAnswer = errors.New("the body is JSON null")
)

// noObject tells why a 2xx answer holds no object, or nil when it may hold
// one. A 204 has no body, whatever the server wrote.
func noObject(status int, data []byte) error {
	switch trimmed := bytes.TrimSpace(data); {
	case status == http.StatusNoContent, len(data) == 0:
		return errEmptyBody
	case len(trimmed) == 0:
		return errBlankBody
	case string(trimmed) == "null":
		return errNullAnswer
	}
	return nil
}

// decode is the one rule that turns a 2xx answer of a call into its
// result out (nil: the call returns nothing and the body is ignored). An
// answer that holds no object (204, an empty or whitespace-only body,
// JSON null) is a *DecodeError unless rule allows it, and then out is left
// as it is; a body that does not decode is a *DecodeError too.
func decode(method, route string, status int, data []byte, out any, rule emptyRule) error {
	if out == nil {
		return nil
	}
	if why := noObject(status, data); why != nil {
		if rule == nothingOK || (rule == noContentOK && status == http.StatusNoContent) {
			return nil
		}
		return &DecodeError{Method: method, Route: route, Status: status, NoObject: true, Err: why}
	}
	if err := decodeJSON(data, out); err != nil {
		return &DecodeError{Method: method, Route: route, Status: status, Err: err}
	}
	return nil
}

// member decodes one member of a JSON object answer, {"<key>": ...}, into
// out and skips the others, in one pass over the bytes. A null answer
// decodes to nothing (decode has refused it already where an object
// is needed). A member that is null is not decoded and noted in null: the
// member is the call's result, and null is no result.
type member struct {
	key    string
	out    any
	object bool // the answer was an object
	found  bool // it had the member
	null   bool // and the member was null
}

// UnmarshalJSONFrom implements the codec's decoder interface.
func (m *member) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		return err
	}
	if tok, err := dec.ReadToken(); err != nil {
		return err
	} else if tok.Kind() != '{' {
		return fmt.Errorf("the answer is a JSON %v, not an object", tok.Kind())
	}
	m.object = true
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return err
		}
		if name.String() == m.key && !m.found {
			m.found = true
			if dec.PeekKind() == 'n' {
				m.null = true
				if _, err := dec.ReadToken(); err != nil {
					return err
				}
				continue
			}
			if err := codec.UnmarshalDecode(dec, m.out); err != nil {
				return err
			}
			continue
		}
		if err := dec.SkipValue(); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// check reports a member that the answer lacked or held as null, for the
// call method route. An answer that was no object (one whose call allows
// nothing) has nothing to check.
func (m *member) check(method, route string) error {
	switch {
	case !m.object:
		return nil
	case !m.found:
		return &DecodeError{Method: method, Route: route, Err: fmt.Errorf("the answer has no %q member", m.key)}
	case m.null:
		return &DecodeError{Method: method, Route: route, NoObject: true, Err: fmt.Errorf("its %q member is null", m.key)}
	}
	return nil
}

// answerRule is what an answer without an object means for op: an error,
// or "nothing" for the playback state lookups, which Spotify answers 204
// when no playback is active (their methods then return nil).
func answerRule(op *operation) emptyRule {
	if op == opGetPlaybackState || op == opGetCurrentlyPlayed {
		return nothingOK
	}
	return needObject
}
