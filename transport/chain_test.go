package transport

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tag returns a stage that appends its name to a header, so a test can read
// the order in which the stages ran.
func tag(name string) Stage {
	return Stage{Name: name, Wrap: func(next http.RoundTripper) http.RoundTripper {
		return RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			r := req.Clone(req.Context())
			r.Header.Add("X-Order", name)
			return next.RoundTrip(r)
		})
	}}
}

func order(t *testing.T, rt http.RoundTripper) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "https://api.spotify.com/v1/x", nil)
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Empty(t, req.Header.Values("X-Order"), "the caller's request must not change")
	return strings.Join(resp.Request.Header.Values("X-Order"), ",")
}

var echoBase = RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: req}, nil
})

func TestChainOrderOutermostFirst(t *testing.T) {
	c := NewChain(tag("a"), tag("b"), tag("c"))
	assert.Equal(t, []string{"a", "b", "c"}, c.Names())
	assert.Equal(t, "a -> b -> c", c.String())
	assert.Equal(t, "a,b,c", order(t, c.Then(echoBase)))
}

func TestChainInsertReplaceRemove(t *testing.T) {
	c := NewChain(tag("tracing"), tag("retry"), tag("auth"))
	require.NoError(t, c.Insert("retry", Before, tag("percall")))
	require.NoError(t, c.Insert("retry", After, tag("perattempt")))
	assert.Equal(t, []string{"tracing", "percall", "retry", "perattempt", "auth"}, c.Names())
	require.NoError(t, c.Replace("auth", tag("auth2")))
	require.NoError(t, c.Remove("tracing"))
	assert.Equal(t, []string{"percall", "retry", "perattempt", "auth2"}, c.Names())
	assert.Equal(t, "percall,retry,perattempt,auth2", order(t, c.Then(echoBase)))
	require.NoError(t, c.Insert("auth2", After, tag("last")))
	assert.Equal(t, "last", c.Names()[len(c.Names())-1])
}

func TestChainErrorsNameTheProblem(t *testing.T) {
	c := NewChain(tag("a"))
	err := c.Insert("nope", Before, tag("x"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"nope"`)
	assert.Contains(t, err.Error(), "stages: a")
	assert.ErrorContains(t, c.Use(tag("a")), "already in the chain")
	assert.ErrorContains(t, c.Use(Stage{}), "needs a name")
	assert.ErrorContains(t, c.Remove("zz"), `"zz"`)
	assert.ErrorContains(t, c.Replace("zz", tag("q")), `"zz"`)
	require.NoError(t, c.Use(tag("b")))
	assert.ErrorContains(t, c.Replace("a", tag("b")), "exists")
	assert.ErrorContains(t, c.Replace("a", Stage{}), "no name")
	assert.Panics(t, func() { NewChain(tag("a"), tag("a")) })
}

func TestChainThenIsImmutableAndNilWrapPassesThrough(t *testing.T) {
	c := NewChain(tag("a"), Stage{Name: "slot"}, tag("b"))
	rt := c.Then(echoBase)
	require.NoError(t, c.Remove("a"))
	assert.Equal(t, "a,b", order(t, rt), "a built RoundTripper must not see later changes")
	assert.True(t, c.Has("slot"))
	assert.False(t, c.Has("a"))
}

func TestChainCloneAndWithout(t *testing.T) {
	c := NewChain(tag("a"), tag("b"), tag("c"))
	d := c.Clone()
	require.NoError(t, d.Remove("b"))
	assert.Equal(t, []string{"a", "b", "c"}, c.Names())
	assert.Equal(t, []string{"a", "c"}, d.Names())
	assert.Equal(t, []string{"b"}, c.Without("a", "c", "missing").Names())
	var zero Chain
	require.NoError(t, zero.Use(tag("z")))
	assert.Equal(t, "z", order(t, zero.Then(echoBase)))
	assert.Equal(t, "before", Before.String())
	assert.Equal(t, "after", After.String())
}

func TestCheckResponse(t *testing.T) {
	_, err := CheckResponse(nil, nil)
	require.Error(t, err)
	resp, err := CheckResponse(&http.Response{StatusCode: 204}, nil)
	require.NoError(t, err)
	assert.Equal(t, http.NoBody, resp.Body)
}
