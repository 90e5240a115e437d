package spotify

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/spotifysdk/spotify-go/transport"
)

// LibraryService saves, removes and checks items of the user's library by
// Spotify URI (tracks, albums, episodes, shows, audiobooks, and follows of
// artists, users and playlists): c.Library.
type LibraryService service

// LibraryOptions are the options of the [LibraryService] methods. It has no
// fields yet; nil is fine.
type LibraryOptions struct{}

// libraryMaxURIs is Spotify's limit of URIs per /me/library request.
const libraryMaxURIs = 40

// libraryContainsEndpoint names the endpoint in the messages of an answer of
// the wrong shape.
const libraryContainsEndpoint = "/me/library/contains"

// libraryQuery is the query of one /me/library request.
func libraryQuery(chunk []string) url.Values {
	return url.Values{"uris": {strings.Join(chunk, ",")}}
}

// SaveItems saves items to the user's library (or follows the artists,
// users and playlists among them). The URIs may mix types. Spotify takes 40
// URIs per request: a longer list is sent in chunks of 40, one after the
// other; if one fails, the error is a *ChunkError naming the URIs applied,
// failed and not sent, and it wraps the request's error.
//
// Spotify API: PUT /me/library. Scope: user-library-modify.
func (s *LibraryService) SaveItems(ctx context.Context, uris []string, opts *LibraryOptions) error {
	return s.write(ctx, opSaveLibrary, uris)
}

// RemoveItems removes items from the user's library (or unfollows the
// artists, users and playlists among them), in chunks of 40 like
// [LibraryService.SaveItems].
//
// Spotify API: DELETE /me/library. Scope: user-library-modify.
func (s *LibraryService) RemoveItems(ctx context.Context, uris []string, opts *LibraryOptions) error {
	return s.write(ctx, opRemoveLibrary, uris)
}

// write validates uris and sends them in chunks of 40.
func (s *LibraryService) write(ctx context.Context, op *operation, uris []string) error {
	if err := op.checkURIs(uris, true); err != nil {
		return err
	}
	return runChunks(uris, libraryMaxURIs, func(_ int, chunk []string, throttle *transport.Throttle) error {
		_, err := s.c.call(ctx, &call{op: op, query: libraryQuery(chunk), throttle: throttle}, nil)
		return err
	})
}

// CheckContains reports, for each URI in order, whether the item is in the
// user's library (or followed). A list over 40 URIs is asked in chunks of
// 40, within the client's concurrency, each distinct URI once, and the
// answers are put back in input order; the first failure is returned as
// is and stops the chunks not yet sent. An answer that is not a list of one boolean per URI is a
// *DecodeError.
//
// Spotify API: GET /me/library/contains. Scope: user-library-read.
func (s *LibraryService) CheckContains(ctx context.Context, uris []string, opts *LibraryOptions) ([]bool, error) {
	if err := opLibraryContains.checkURIs(uris, true); err != nil {
		return nil, err
	}
	return batchFetch(ctx, s.c, opLibraryContains, libraryMaxURIs, uris, func(ctx context.Context, chunk []string, throttle *transport.Throttle) ([]bool, error) {
		var raw jsontext.Value
		if _, err := s.c.call(ctx, &call{op: opLibraryContains, query: libraryQuery(chunk), throttle: throttle}, &raw); err != nil {
			return nil, err
		}
		got, err := libraryBools(raw, len(chunk))
		if err != nil {
			return nil, &DecodeError{Method: opLibraryContains.method, Route: opLibraryContains.path, Err: err}
		}
		return got, nil
	})
}

// libraryBools checks that raw is a JSON array of exactly n booleans.
func libraryBools(raw jsontext.Value, n int) ([]bool, error) {
	if k := raw.Kind(); k != '[' {
		return nil, fmt.Errorf("expected an array of booleans from %s, got %s", libraryContainsEndpoint, jsonKindName(k))
	}
	var elems []jsontext.Value
	if err := decodeJSON(raw, &elems); err != nil {
		return nil, err
	}
	out := make([]bool, len(elems))
	for i, e := range elems {
		switch e.Kind() {
		case 't':
			out[i] = true
		case 'f':
		default:
			return nil, fmt.Errorf("expected an array of booleans from %s, got %s at index %d", libraryContainsEndpoint, jsonKindName(e.Kind()), i)
		}
	}
	if len(out) != n {
		return nil, fmt.Errorf("expected %d booleans (one per URI) from %s, got %d", n, libraryContainsEndpoint, len(out))
	}
	return out, nil
}
