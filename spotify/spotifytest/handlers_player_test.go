package spotifytest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// playerEnv is a server on a fake clock whose login user has three
// devices, with a user token holding every scope.
type playerEnv struct {
	t   *testing.T
	srv *Server
	clk *fakeClock
	tok string
	u   int
}

func newPlayerEnv(t *testing.T, opts ...Option) *playerEnv {
	t.Helper()
	cat := newCatalog(DefaultSeed, DefaultArtists)
	u := 0
	for cat.devices(u) != 3 {
		u++
	}
	clk := &fakeClock{t: playerT0}
	srv := start(t, append([]Option{WithClock(clk.now), WithUser(cat.encodeID(kUser, u))}, opts...)...)
	return &playerEnv{t: t, srv: srv, clk: clk, tok: srv.UserToken(AllScopes()), u: u}
}

// send sends a request and returns the status and the decoded error
// object (nil for an empty body).
func (e *playerEnv) send(method, path, body string) (int, obj) {
	e.t.Helper()
	status, b, _ := do(e.t, e.srv, e.tok, method, path, body)
	if len(b) == 0 {
		return status, nil
	}
	var m obj
	require.NoError(e.t, json.Unmarshal(b, &m), "%s %s: %s", method, path, b)
	return status, m["error"].(obj)
}

// ok sends a command and requires 204 with an empty body.
func (e *playerEnv) ok(method, path, body string) {
	e.t.Helper()
	status, b, _ := do(e.t, e.srv, e.tok, method, path, body)
	require.Equal(e.t, http.StatusNoContent, status, "%s %s: %s", method, path, b)
	require.Empty(e.t, b)
}

// refused sends a command and requires the error status, message (when
// not "") and reason.
func (e *playerEnv) refused(method, path, body string, status int, msg, reason string) {
	e.t.Helper()
	got, m := e.send(method, path, body)
	require.Equal(e.t, status, got, "%s %s: %v", method, path, m)
	require.NotNil(e.t, m, "%s %s: no error object", method, path)
	assert.Equal(e.t, float64(status), m["status"])
	if msg != "" {
		assert.Equal(e.t, msg, m["message"], "%s %s", method, path)
	}
	r, _ := m["reason"].(string)
	assert.Equal(e.t, reason, r, "%s %s", method, path)
}

// get fetches a player read and decodes it; nil for a 204.
func (e *playerEnv) get(path string) obj {
	e.t.Helper()
	status, b := fetch(e.t, e.srv, e.tok, path)
	if status == http.StatusNoContent {
		require.Empty(e.t, b)
		return nil
	}
	require.Equal(e.t, http.StatusOK, status, "GET %s: %s", path, b)
	var m obj
	require.NoError(e.t, json.Unmarshal(b, &m))
	return m
}

// devices returns the user's devices.
func (e *playerEnv) devices() []obj {
	e.t.Helper()
	var out []obj
	for _, d := range e.get("/v1/me/player/devices")["devices"].([]any) {
		out = append(out, d.(obj))
	}
	return out
}

// queue returns the id of the item playing ("" for none) and those of the
// queue.
func (e *playerEnv) queue() (string, []string) {
	e.t.Helper()
	q := e.get("/v1/me/player/queue")
	cur := ""
	if c, ok := q["currently_playing"].(obj); ok {
		cur = c["id"].(string)
	}
	var next []string
	for _, it := range q["queue"].([]any) {
		next = append(next, it.(obj)["id"].(string))
	}
	return cur, next
}

// recent returns the ids of the tracks of the history's first page.
func (e *playerEnv) recent(limit int) ([]string, []obj) {
	e.t.Helper()
	page := e.get("/v1/me/player/recently-played?limit=" + strconv.Itoa(limit))
	var ids []string
	var plays []obj
	for _, it := range page["items"].([]any) {
		ids = append(ids, it.(obj)["track"].(obj)["id"].(string))
		plays = append(plays, it.(obj))
	}
	return ids, plays
}

// trackID returns the id of track k of album al.
func (e *playerEnv) trackID(al, k int) string { return e.srv.cat.encodeID(kTrack, al*tracksPerAlbum+k) }

// playerRoutes are the commands, with valid parameters.
var playerRoutes = []struct{ method, path, body string }{
	{"PUT", "/v1/me/player", `{"device_ids":["%DEV%"]}`},
	{"PUT", "/v1/me/player/play", ""},
	{"PUT", "/v1/me/player/pause", ""},
	{"POST", "/v1/me/player/next", ""},
	{"POST", "/v1/me/player/previous", ""},
	{"PUT", "/v1/me/player/seek?position_ms=1000", ""},
	{"PUT", "/v1/me/player/repeat?state=track", ""},
	{"PUT", "/v1/me/player/volume?volume_percent=50", ""},
	{"PUT", "/v1/me/player/shuffle?state=true", ""},
	{"POST", "/v1/me/player/queue?uri=spotify:track:%TRACK%", ""},
}

// route fills a route's placeholders.
func (e *playerEnv) route(i int) (string, string, string) {
	r := playerRoutes[i]
	fill := func(s string) string {
		s = strings.ReplaceAll(s, "%DEV%", e.srv.cat.deviceID(e.u, 0))
		return strings.ReplaceAll(s, "%TRACK%", e.trackID(0, 0))
	}
	return r.method, fill(r.path), fill(r.body)
}

func TestPlayerCommandsNeedTheScope(t *testing.T) {
	e := newPlayerEnv(t)
	readOnly := e.srv.UserToken("user-read-playback-state")
	for i := range playerRoutes {
		m, p, b := e.route(i)
		status, body, _ := do(t, e.srv, e.srv.Token(), m, p, b)
		assert.Equal(t, http.StatusUnauthorized, status, "%s %s with an app token: %s", m, p, body)
		status, body, _ = do(t, e.srv, readOnly, m, p, b)
		assert.Equal(t, http.StatusForbidden, status, "%s %s without the scope: %s", m, p, body)
		assert.Contains(t, string(body), "Insufficient client scope")
	}
	assert.Nil(t, e.get("/v1/me/player"), "a refused command started playback")
}

func TestPlayerNoActiveDevice(t *testing.T) {
	e := newPlayerEnv(t)
	for i := range playerRoutes[1:] {
		m, p, b := e.route(i + 1)
		e.refused(m, p, b, http.StatusNotFound, "Player command failed: No active device found", "NO_ACTIVE_DEVICE")
	}
	for i := range playerRoutes {
		m, p, b := e.route(i)
		const unknown = "0d1841b0976bae2a3a310dd74c0f3df354899bc8"
		switch {
		case i == 0:
			b = `{"device_ids":["` + unknown + `"]}`
		case strings.Contains(p, "?"):
			p += "&device_id=" + unknown
		default:
			p += "?device_id=" + unknown
		}
		e.refused(m, p, b, http.StatusNotFound, "Device not found", "")
	}
	for _, d := range e.devices() {
		assert.Equal(t, false, d["is_active"], "a refused command activated %v", d["id"])
	}
	assert.Nil(t, e.get("/v1/me/player"))
}

func TestPlayerBadValues(t *testing.T) {
	e := newPlayerEnv(t)
	dev := e.srv.cat.deviceID(e.u, 0)
	al := bigAlbum(t, e.srv.cat, 8)
	tr := "spotify:track:" + e.trackID(al, 0)
	e.ok("PUT", "/v1/me/player/play?device_id="+dev, `{"uris":["`+tr+`"]}`)
	before := e.get("/v1/me/player")
	for _, c := range []struct{ method, path, body string }{
		{"PUT", "/v1/me/player/volume?volume_percent=101", ""},
		{"PUT", "/v1/me/player/volume?volume_percent=-1", ""},
		{"PUT", "/v1/me/player/volume?volume_percent=loud", ""},
		{"PUT", "/v1/me/player/volume", ""},
		{"PUT", "/v1/me/player/repeat?state=all", ""},
		{"PUT", "/v1/me/player/repeat", ""},
		{"PUT", "/v1/me/player/shuffle?state=yes", ""},
		{"PUT", "/v1/me/player/seek?position_ms=-1", ""},
		{"PUT", "/v1/me/player/seek", ""},
		{"POST", "/v1/me/player/queue", ""},
		{"POST", "/v1/me/player/queue?uri=spotify:album:" + e.srv.cat.encodeID(kAlbum, al), ""},
		{"POST", "/v1/me/player/queue?uri=spotify:track:nope", ""},
		{"POST", "/v1/me/player/queue?uri=spotify:track:" + e.srv.cat.encodeID(kTrack, 31), ""}, // well formed, no such track
		{"PUT", "/v1/me/player/play", `{"context_uri":"spotify:album:` + e.srv.cat.encodeID(kAlbum, al) + `","uris":["` + tr + `"]}`},
		{"PUT", "/v1/me/player/play", `{"uris":[]}`},
		{"PUT", "/v1/me/player/play", `{"offset":{"position":0}}`},
		{"PUT", "/v1/me/player/play", `{"position_ms":-5}`},
		{"PUT", "/v1/me/player/play", `{"context_uri":"spotify:show:` + e.srv.cat.encodeID(kShow, 0) + `"}`},
		{"PUT", "/v1/me/player/play", `{"context_uri":"album"}`},
		{"PUT", "/v1/me/player/play", `{"uris":["` + tr + `"],"offset":{"position":1}}`},
		{"PUT", "/v1/me/player/play", `{"uris":["` + tr + `"],"offset":{"uri":"spotify:track:` + e.trackID(al, 1) + `"}}`},
		{"PUT", "/v1/me/player/play", `{"uris":["` + tr + `"],"offset":{}}`},
		{"PUT", "/v1/me/player/play", `{"uris":`},
		{"PUT", "/v1/me/player", `{}`},
		{"PUT", "/v1/me/player", `{"device_ids":["` + dev + `","` + e.srv.cat.deviceID(e.u, 1) + `"]}`},
	} {
		status, m := e.send(c.method, c.path, c.body)
		assert.Equal(t, http.StatusBadRequest, status, "%s %s %s: %v", c.method, c.path, c.body, m)
	}
	after := e.get("/v1/me/player")
	assert.Equal(t, before, after, "a refused command changed the player")
}

// The generated player (SetPlaying) reads the same before and after a
// command that changes nothing: the first command stores the very player
// the reads showed.
func TestPlayerReadsSameBeforeAndAfterNoOpCommand(t *testing.T) {
	e := newPlayerEnv(t)
	require.NoError(t, e.srv.SetPlaying(e.srv.cat.encodeID(kUser, e.u), e.trackID(0, 0)))
	cur, next := e.queue()
	state := e.get("/v1/me/player")
	require.Equal(t, e.trackID(0, 0), cur)
	var rest []string
	for k := 1; k < e.srv.cat.trackCount(0); k++ {
		rest = append(rest, e.trackID(0, k))
	}
	assert.Equal(t, rest, next, "the generated queue is the rest of the album")

	e.ok(http.MethodPut, "/v1/me/player/repeat?state=off", "") // already off
	cur2, next2 := e.queue()
	assert.Equal(t, cur, cur2)
	assert.Equal(t, next, next2, "the queue after a no-op command")
	assert.Equal(t, state, e.get("/v1/me/player"), "the playback state after a no-op command")
}
