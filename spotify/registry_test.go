package spotify

import (
	"context"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/spotifysdk/spotify-go/internal/shareddata"
)

// specOperation is one operation of the OpenAPI file.
type specOperation struct {
	method, path string
	deprecated   bool
}

// readSpecFile returns ../shared/spotify-api/openapi.yaml, skipping the
// test when ../shared is absent (failing it in CI, see shareddata.Path).
func readSpecFile(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(shareddata.Path(t, "spotify-api/openapi.yaml"))
	require.NoError(t, err)
	return data
}

// readSpecOperations returns the operations of ../shared/spotify-api/
// openapi.yaml by operation id, or skips the test when ../shared is absent.
func readSpecOperations(t *testing.T) map[string]specOperation {
	t.Helper()
	data := readSpecFile(t)
	var doc struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	require.NoError(t, yaml.Unmarshal(data, &doc))
	httpMethods := []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}
	ops := map[string]specOperation{}
	for path, item := range doc.Paths {
		for key, node := range item {
			if !slices.Contains(httpMethods, key) {
				continue // parameters, summary, ...
			}
			var o struct {
				OperationID string `yaml:"operationId"`
				Deprecated  bool   `yaml:"deprecated"`
			}
			require.NoError(t, node.Decode(&o), "%s %s", key, path)
			require.NotEmpty(t, o.OperationID, "%s %s has no operationId", key, path)
			_, dup := ops[o.OperationID]
			require.False(t, dup, "operationId %s twice in the spec", o.OperationID)
			ops[o.OperationID] = specOperation{method: strings.ToUpper(key), path: path, deprecated: o.Deprecated}
		}
	}
	return ops
}

// TestRegistryMatchesSpec checks the registry against the OpenAPI file:
// every operation with the spec's method and path, extended exactly when
// the spec marks it deprecated, and nothing the spec lacks.
func TestRegistryMatchesSpec(t *testing.T) {
	spec := readSpecOperations(t)
	assert.Len(t, spec, 97, "the spec's operations")
	byID := map[string]*operation{}
	for _, o := range registry {
		byID[o.id] = o
	}
	for id, so := range spec {
		o, ok := byID[id]
		if !assert.True(t, ok, "spec operation %s (%s %s) is not in the registry", id, so.method, so.path) {
			continue
		}
		assert.Equal(t, so.method, o.method, "%s: method", id)
		assert.Equal(t, so.path, o.path, "%s: path", id)
		assert.Equal(t, so.deprecated, o.extended, "%s: extended must equal the spec's deprecated", id)
	}
	for _, o := range registry {
		_, ok := spec[o.id]
		assert.True(t, ok, "registry operation %s (%s %s) is not in the spec", o.id, o.method, o.path)
	}
}

// TestRegistryIsConsistent checks the registry on its own: 97 operations,
// unique ids and routes, 48 of them extended.
func TestRegistryIsConsistent(t *testing.T) {
	assert.Len(t, registry, 97)
	ids := map[string]bool{}
	routes := map[string]string{}
	extended := 0
	for _, o := range registry {
		assert.False(t, ids[o.id], "operation id %s declared twice", o.id)
		ids[o.id] = true
		route := o.method + " " + o.path
		if prev, dup := routes[route]; dup {
			t.Errorf("%s is declared by both %s and %s", route, prev, o.id)
		}
		routes[route] = o.id
		assert.True(t, strings.HasPrefix(o.path, "/"), "%s: path %q", o.id, o.path)
		if o.extended {
			extended++
		}
	}
	assert.Equal(t, 48, extended, "Extended Quota operations")
}

// TestRegistryIdempotency checks the retry stage's marks: every GET, PUT
// and DELETE may be replayed except the playlist reorder/replace and remove
// routes (both /items and /tracks), and no POST may.
func TestRegistryIdempotency(t *testing.T) {
	notReplayable := []*operation{opReorderPlaylistItems, opRemovePlaylistItems, opReorderPlaylistTracks, opRemovePlaylistTracks}
	for _, o := range notReplayable {
		assert.Contains(t, o.path, "/playlists/{playlist_id}/", o.id)
	}
	for _, o := range registry {
		switch o.method {
		case http.MethodGet, http.MethodPut, http.MethodDelete:
			want := !slices.Contains(notReplayable, o)
			assert.Equal(t, want, o.idempotent, "%s (%s %s): idempotent", o.id, o.method, o.path)
		case http.MethodPost:
			assert.False(t, o.idempotent, "%s (%s %s): a POST is not idempotent", o.id, o.method, o.path)
		default:
			t.Errorf("%s: unexpected method %s", o.id, o.method)
		}
	}
}

// TestRegistryMethodTable checks that every operation of the registry
// names its method once, and that the names agree with
// extended-methods.md on the 48 Extended Quota operations (that half
// skips when ../shared is absent, or fails in CI). TestRegistryClientMethods checks that
// each name is a method.
func TestRegistryMethodTable(t *testing.T) {
	names := map[string]string{}
	for _, o := range registry {
		m := o.name
		assert.Regexp(t, `^[A-Z][A-Za-z]*\.[A-Z][A-Za-z]*$`, m, o.id)
		if prev, dup := names[m]; dup {
			t.Errorf("%s is the method of both %s and %s", m, prev, o.id)
		}
		names[m] = o.id
	}

	data, err := os.ReadFile(shareddata.Path(t, "reference/extended-methods.md"))
	require.NoError(t, err)
	row := regexp.MustCompile(`(?m)^\|\s*([a-z0-9-]+)\s*\|\s*([A-Za-z]+\.[A-Za-z]+)\s*\|\s*([A-Z]+)\s+(\S+)\s*\|`)
	rows := row.FindAllStringSubmatch(string(data), -1)
	assert.Len(t, rows, 48, "rows of extended-methods.md")
	for _, r := range rows {
		id, method, verb, path := r[1], r[2], r[3], r[4]
		i := slices.IndexFunc(registry, func(o *operation) bool { return o.id == id })
		if assert.GreaterOrEqual(t, i, 0, "%s of extended-methods.md is not in the registry", id) {
			o := registry[i]
			assert.Equal(t, method, o.name, "%s: method in extended-methods.md", id)
			assert.True(t, o.extended, "%s: extended", id)
			assert.Equal(t, verb+" "+path, o.method+" "+o.path, "%s: route in extended-methods.md", id)
		}
	}
}

// registryServiceMethod returns the method value named "Service.Method" on
// client (a *Client or an *AsyncClient), or a description of what is
// missing.
func registryServiceMethod(client any, name string) (reflect.Value, string) {
	svcName, methodName, _ := strings.Cut(name, ".")
	cv := reflect.ValueOf(client).Elem()
	field := cv.FieldByName(svcName)
	if !field.IsValid() {
		return reflect.Value{}, "no " + svcName + " service field on " + cv.Type().Name()
	}
	if field.Kind() == reflect.Pointer && field.IsNil() {
		return reflect.Value{}, cv.Type().Name() + "." + svcName + " is nil"
	}
	m := field.MethodByName(methodName)
	if !m.IsValid() {
		return reflect.Value{}, "no method " + methodName + " on " + field.Type().String()
	}
	return m, ""
}

var (
	registryContextType = reflect.TypeFor[context.Context]()
	registryErrorType   = reflect.TypeFor[error]()
)

// registryCheckSyncShape checks the shape the async generator relies on:
// (ctx, required args..., opts *XxxOptions) (Result, error) or error.
func registryCheckSyncShape(m reflect.Type) string {
	if m.NumIn() < 2 || m.In(0) != registryContextType {
		return "the first parameter must be a context.Context, the last an options pointer"
	}
	last := m.In(m.NumIn() - 1)
	if last.Kind() != reflect.Pointer || last.Elem().Kind() != reflect.Struct || !strings.HasSuffix(last.Elem().Name(), "Options") {
		return "the last parameter must be a *XxxOptions, not " + last.String()
	}
	if m.IsVariadic() {
		return "variadic"
	}
	switch {
	case m.NumOut() == 1 && m.Out(0) == registryErrorType:
	case m.NumOut() == 2 && m.Out(1) == registryErrorType:
	default:
		return "the results must be (Result, error) or error, not " + m.String()
	}
	return ""
}

// TestRegistryClientMethods checks that every operation of the registry
// has its method on *Client, with the shape the async generator wraps.
func TestRegistryClientMethods(t *testing.T) {
	c, err := NewClient(WithAccessToken("test-token"), WithCache(nil))
	require.NoError(t, err)
	defer c.Close()
	var missing []string
	for _, o := range registry {
		name := o.name
		m, why := registryServiceMethod(c, name)
		if why != "" {
			missing = append(missing, o.id+" → "+name+": "+why)
			continue
		}
		if bad := registryCheckSyncShape(m.Type()); bad != "" {
			t.Errorf("%s (%s): %s: %s", name, o.id, m.Type(), bad)
		}
	}
	slices.Sort(missing)
	assert.Empty(t, missing, "operations without a method on *Client (%d)", len(missing))
}

// registryCheckAsyncMethods checks that every operation of the registry
// has its method on the async client ac (an *AsyncClient, with the same
// service field names as *Client), taking the same parameters as the sync
// method and returning one value (a *Future[T]) with an Await method.
//
// TestRegistryAsyncClientMethods calls it; it takes any so that this file
// compiled before the AsyncClient existed.
func registryCheckAsyncMethods(t *testing.T, ac any) {
	t.Helper()
	c, err := NewClient(WithAccessToken("test-token"), WithCache(nil))
	require.NoError(t, err)
	defer c.Close()
	var missing []string
	for _, o := range registry {
		name := o.name
		am, why := registryServiceMethod(ac, name)
		if why != "" {
			missing = append(missing, o.id+" → "+name+": "+why)
			continue
		}
		at := am.Type()
		if at.NumOut() != 1 {
			t.Errorf("async %s: want one result (a *Future), got %s", name, at)
		} else if _, ok := at.Out(0).MethodByName("Await"); !ok {
			t.Errorf("async %s: the result %s has no Await method", name, at.Out(0))
		}
		sm, why := registryServiceMethod(c, name)
		if why != "" {
			continue // TestRegistryClientMethods reports it
		}
		st := sm.Type()
		same := st.NumIn() == at.NumIn()
		for i := 0; same && i < st.NumIn(); i++ {
			same = st.In(i) == at.In(i)
		}
		assert.True(t, same, "async %s takes %s, the sync method %s", name, at, st)
	}
	slices.Sort(missing)
	assert.Empty(t, missing, "operations without a method on %T (%d)", ac, len(missing))
}

// TestRegistryAsyncClientMethods checks that every operation of the
// registry has its method on *AsyncClient too.
func TestRegistryAsyncClientMethods(t *testing.T) {
	ac, err := NewAsyncClient(WithAccessToken("test-token"), WithCache(nil))
	require.NoError(t, err)
	defer ac.Close()
	registryCheckAsyncMethods(t, ac)
}
