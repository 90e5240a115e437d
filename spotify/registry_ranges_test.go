package spotify

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// specParam is a query parameter of an operation of the OpenAPI file, with
// the bounds and default of its schema (nil when the spec gives none or,
// for the default, when it is not an integer).
type specParam struct {
	min, max, def *int
}

// specInt returns v when it is an integer, else nil.
func specInt(v any) *int {
	if n, ok := v.(int); ok {
		return &n
	}
	return nil
}

// readSpecQueryParams returns, by operation id, the query parameters of
// every operation of ../shared/spotify-api/openapi.yaml (those of its path
// item too, with the $refs to components/parameters resolved), or skips
// the test when ../shared is absent.
func readSpecQueryParams(t *testing.T) map[string]map[string]specParam {
	t.Helper()
	data := readSpecFile(t)
	type param struct {
		Ref    string `yaml:"$ref"`
		Name   string `yaml:"name"`
		In     string `yaml:"in"`
		Schema struct {
			Minimum *int `yaml:"minimum"`
			Maximum *int `yaml:"maximum"`
			Default any  `yaml:"default"`
		} `yaml:"schema"`
	}
	var doc struct {
		Paths      map[string]map[string]yaml.Node `yaml:"paths"`
		Components struct {
			Parameters map[string]param `yaml:"parameters"`
		} `yaml:"components"`
	}
	require.NoError(t, yaml.Unmarshal(data, &doc))
	resolve := func(p param) param {
		if p.Ref == "" {
			return p
		}
		const prefix = "#/components/parameters/"
		require.True(t, strings.HasPrefix(p.Ref, prefix), "unexpected $ref %s", p.Ref)
		got, ok := doc.Components.Parameters[strings.TrimPrefix(p.Ref, prefix)]
		require.True(t, ok, "unresolved $ref %s", p.Ref)
		return got
	}
	httpMethods := []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}
	out := map[string]map[string]specParam{}
	for path, item := range doc.Paths {
		var shared []param
		if n, ok := item["parameters"]; ok {
			require.NoError(t, n.Decode(&shared), "parameters of %s", path)
		}
		for key, node := range item {
			if !slices.Contains(httpMethods, key) {
				continue
			}
			var o struct {
				OperationID string  `yaml:"operationId"`
				Parameters  []param `yaml:"parameters"`
			}
			require.NoError(t, node.Decode(&o), "%s %s", key, path)
			ps := map[string]specParam{}
			for _, p := range append(slices.Clone(shared), o.Parameters...) {
				p = resolve(p)
				if p.In == "query" {
					ps[p.Name] = specParam{min: p.Schema.Minimum, max: p.Schema.Maximum, def: specInt(p.Schema.Default)}
				}
			}
			out[o.OperationID] = ps
		}
	}
	return out
}

// intOr returns *p, or def when p is nil.
func intOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// TestRegistryRangesMatchSpec checks the limit and offset of every
// operation of the registry against the OpenAPI file: an operation has a
// limit, or an offset, exactly when the spec gives it one, with the spec's
// minimum, maximum and default. When Spotify changes a range, this fails
// until the one line of operations.go that declares it is changed.
func TestRegistryRangesMatchSpec(t *testing.T) {
	spec := readSpecQueryParams(t)
	limits, offsets := 0, 0
	for _, o := range registry {
		ps, ok := spec[o.id]
		if !assert.True(t, ok, "%s is not in the spec", o.id) {
			continue
		}
		if lim, has := ps["limit"]; has {
			limits++
			if assert.Positive(t, o.limitMax, "%s (%s): the spec has a limit; declare it with pageLimit", o.id, o.name) {
				require.NotNil(t, lim.max, "%s: the spec's limit has no maximum", o.id)
				assert.Equal(t, intOr(lim.min, 0), o.limitMin, "%s (%s): limit minimum", o.id, o.name)
				assert.Equal(t, *lim.max, o.limitMax, "%s (%s): limit maximum", o.id, o.name)
				assert.Equal(t, intOr(lim.def, 0), o.limitDefault, "%s (%s): limit default", o.id, o.name)
			}
		} else {
			assert.Zero(t, o.limitMax, "%s (%s): the spec has no limit", o.id, o.name)
			assert.Zero(t, o.limitMaxExtended, "%s (%s): the spec has no limit", o.id, o.name)
		}
		if o.limitMaxExtended > 0 {
			assert.Greater(t, o.limitMaxExtended, o.limitMax, "%s: the Extended Quota limit widens the spec's", o.id)
		}
		if off, has := ps["offset"]; has {
			offsets++
			assert.True(t, o.offset, "%s (%s): the spec has an offset; declare it with pageOffset or maxOffset", o.id, o.name)
			assert.Equal(t, 0, intOr(off.min, 0), "%s: the spec's offset does not start at 0", o.id)
			assert.Equal(t, intOr(off.max, 0), o.maxOffset, "%s (%s): offset maximum", o.id, o.name)
		} else {
			assert.False(t, o.offset, "%s (%s): the spec has no offset", o.id, o.name)
			assert.Zero(t, o.maxOffset, "%s (%s): the spec has no offset", o.id, o.name)
		}
	}
	assert.Equal(t, 23, limits, "operations with a limit")
	assert.Equal(t, 20, offsets, "operations with an offset")
}

// TestRegistryMarketsMatchSpec checks that every operation whose spec
// takes a market has it in its method's options (and so goes through the
// market check, see TestValidateMarkets), and that no method offers a
// market its operation lacks, except the shows library methods, whose
// shared options carry the market of Remove.
func TestRegistryMarketsMatchSpec(t *testing.T) {
	spec := readSpecQueryParams(t)
	c, err := NewClient(WithAccessToken("test-token"), WithCache(nil))
	require.NoError(t, err)
	defer c.Close()
	sharedOptions := []string{"Shows.Save", "Shows.CheckSaved"}
	for _, o := range registry {
		m, why := registryServiceMethod(c, o.name)
		require.Empty(t, why)
		opts := m.Type().In(m.Type().NumIn() - 1).Elem()
		f, hasField := opts.FieldByName("Market")
		if hasField {
			assert.Equal(t, reflect.TypeFor[string](), f.Type, "%s: Market", o.name)
		}
		_, inSpec := spec[o.id]["market"]
		if slices.Contains(sharedOptions, o.name) {
			assert.True(t, hasField && !inSpec, "%s", o.name)
			continue
		}
		assert.Equal(t, inSpec, hasField, "%s (%s): a Market option exactly when the spec has a market", o.name, o.id)
	}
}
