package cache

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEntrySize(t *testing.T) {
	e := &Entry{Principal: "user:a", Path: "/v1/me"}
	assert.Equal(t, int64(len("user:a")+len("/v1/me")+256), e.Size(), "an empty entry still counts its overhead")

	e.Body = make([]byte, 1000)
	e.Header = http.Header{"Etag": {`"e1"`}, "Cache-Control": {"private", "max-age=60"}}
	e.VaryHeader = http.Header{"Accept-Encoding": {"gzip"}}
	want := len("user:a") + len("/v1/me") + 256 + 1000 +
		len("Etag") + len(`"e1"`) + len("Cache-Control") + len("private") + len("max-age=60") +
		len("Accept-Encoding") + len("gzip")
	assert.Equal(t, int64(want), e.Size())
}

// Keys differ when either field differs, so that one principal's entries
// never answer another's requests.
func TestKeyComparesBothFields(t *testing.T) {
	k := Key{Principal: "user:a", Request: "GET /v1/me"}
	assert.Equal(t, k, Key{Principal: "user:a", Request: "GET /v1/me"})
	assert.NotEqual(t, k, Key{Principal: "user:b", Request: "GET /v1/me"})
	assert.NotEqual(t, k, Key{Principal: "user:a", Request: "GET /v1/me/"})

	c := NewLRU(LRUOptions{})
	put(t, c, "GET /v1/me", sized("/v1/me", 1))
	_, ok, err := c.Get(t.Context(), Key{Principal: "user:b", Request: "GET /v1/me"})
	assert.NoError(t, err)
	assert.False(t, ok)
}
