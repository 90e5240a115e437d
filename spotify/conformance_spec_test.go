package spotify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spotifysdk/spotify-go/internal/shareddata"
)

// validateExchange finds the spec operation of x's request and validates
// the request and its response. op is "" when no route of the spec matches.
func validateExchange(ctx context.Context, router routers.Router, x exchange) (op string, reqErr, respErr error) {
	u := *x.req.URL
	u.Scheme, u.Host = "https", "api.spotify.com" // the spec's server
	req, err := http.NewRequestWithContext(ctx, x.req.Method, u.String(), bytes.NewReader(x.body))
	if err != nil {
		return "", err, err
	}
	req.Header = x.req.Header.Clone()
	route, params, err := router.FindRoute(req)
	if err != nil {
		err = fmt.Errorf("no operation of the spec: %w", err)
		return "", err, err
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true,
			SchemaValidationOptions: confSchemaOptions},
	}
	reqErr = openapi3filter.ValidateRequest(ctx, in)
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: x.status, Header: x.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, SchemaValidationOptions: confSchemaOptions},
	}
	respErr = openapi3filter.ValidateResponse(ctx, out.SetBodyBytes(x.respBody))
	return route.Operation.OperationID, confShorten(reqErr), confShorten(respErr)
}

// confSchemaOptions keep the schemas and values out of the validator's
// messages, which would otherwise print the whole schema per error.
var confSchemaOptions = []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()}

// confIndex matches an array index inside a JSON pointer.
var confIndex = regexp.MustCompile(`/[0-9]+(/|")`)

// confShorten folds err's messages that differ only in array indexes
// ("/items/3/context" and "/items/7/context") into one.
func confShorten(err error) error {
	if err == nil {
		return nil
	}
	var lines []string
	for _, l := range strings.Split(err.Error(), " | ") {
		l = confIndex.ReplaceAllString(strings.TrimSpace(l), "/N$1")
		if !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	return errors.New(strings.Join(lines, "; "))
}

// registerJPEGOnce teaches openapi3filter the cover upload's body: base64
// text sent as image/jpeg, which the spec types as a string.
var registerJPEGOnce sync.Once

// confRouter loads the spec, the Web API's OpenAPI file in ../shared
// (skipping when ../shared is absent, failing in CI), relaxes it for
// Development Mode when dev is set, and returns its router.
func confRouter(t *testing.T, dev bool) routers.Router {
	t.Helper()
	specPath := shareddata.Path(t, "spotify-api/openapi.yaml")
	registerJPEGOnce.Do(func() {
		openapi3filter.RegisterBodyDecoder("image/jpeg", func(r io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
			b, err := io.ReadAll(r)
			return string(b), err
		})
	})
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(specPath)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(loader.Context))
	if dev {
		dropped := relaxForDevelopmentMode(t, doc)
		require.NotEmpty(t, dropped, "the relaxation dropped nothing: has the spec changed?")
		t.Logf("Development Mode spec: dropped from required: %s", strings.Join(dropped, ", "))
	}
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	return router
}

// devModeRemovals are the response fields Spotify stopped sending to
// Development Mode apps in February 2026 (../shared/reference/seed-sdk.md,
// "Removed response fields (dev mode)"), by the spec's schemas of each
// object. external_ids came back in March 2026 and stays required.
// Artist genres are reported gone too, so they are relaxed as well.
var devModeRemovals = []struct {
	object  string
	schemas []string
	fields  []string
}{
	{"Track", []string{"TrackObject", "SimplifiedTrackObject", "LinkedTrackObject"}, []string{"available_markets", "linked_from", "popularity"}},
	{"Album", []string{"AlbumBase", "AlbumObject", "SimplifiedAlbumObject", "ArtistDiscographyAlbumObject"},
		[]string{"album_group", "available_markets", "label", "popularity"}},
	{"Artist", []string{"ArtistObject"}, []string{"followers", "genres", "popularity"}},
	{"User", []string{"PrivateUserObject"}, []string{"country", "email", "explicit_content", "followers", "product"}},
	{"Show", []string{"ShowBase", "ShowObject", "SimplifiedShowObject"}, []string{"available_markets", "publisher"}},
	{"Audiobook", []string{"AudiobookBase", "AudiobookObject", "SimplifiedAudiobookObject"}, []string{"available_markets", "publisher"}},
	{"Chapter", []string{"ChapterBase", "ChapterObject", "SimplifiedChapterObject"}, []string{"available_markets"}},
}

// relaxForDevelopmentMode drops the devModeRemovals from the required
// lists of their schemas (and of the schemas they are composed of) and
// returns what it dropped, as "Schema.field". Each schema must exist and
// each field must be a property of its object, so a stale list fails.
func relaxForDevelopmentMode(t *testing.T, doc *openapi3.T) []string {
	t.Helper()
	var dropped []string
	for _, r := range devModeRemovals {
		props := map[string]bool{}
		for _, name := range r.schemas {
			ref, ok := doc.Components.Schemas[name]
			require.True(t, ok && ref.Value != nil, "schema %s of %s is not in the spec", name, r.object)
			collectProperties(ref.Value, props)
			dropped = append(dropped, dropRequired(name, ref.Value, r.fields)...)
		}
		for _, f := range r.fields {
			assert.True(t, props[f], "%s has no property %s in the spec", r.object, f)
		}
	}
	sort.Strings(dropped)
	return slices.Compact(dropped)
}

// dropRequired removes fields from s.Required and from the required lists
// of the schemas s is composed of (allOf).
func dropRequired(name string, s *openapi3.Schema, fields []string) []string {
	var dropped []string
	kept := s.Required[:0:0]
	for _, f := range s.Required {
		if slices.Contains(fields, f) {
			dropped = append(dropped, name+"."+f)
			continue
		}
		kept = append(kept, f)
	}
	s.Required = kept
	for _, part := range s.AllOf {
		if part.Value != nil {
			sub := name
			if part.Ref != "" {
				sub = part.Ref[strings.LastIndexByte(part.Ref, '/')+1:]
			}
			dropped = append(dropped, dropRequired(sub, part.Value, fields)...)
		}
	}
	return dropped
}

// collectProperties adds the property names of s and of its allOf parts.
func collectProperties(s *openapi3.Schema, into map[string]bool) {
	for p := range s.Properties {
		into[p] = true
	}
	for _, part := range s.AllOf {
		if part.Value != nil {
			collectProperties(part.Value, into)
		}
	}
}
