package spotifytest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The player commands in sequence, read back through the player reads
// (helpers in handlers_player_test.go).

func TestPlayerPlaybackFlow(t *testing.T) {
	e := newPlayerEnv(t)
	cat := e.srv.cat
	al := bigAlbum(t, cat, 8)
	albumURI := "spotify:album:" + cat.encodeID(kAlbum, al)
	dev1 := cat.deviceID(e.u, 1)

	// A transfer activates a device; nothing is loaded yet.
	e.ok("PUT", "/v1/me/player", `{"device_ids":["`+dev1+`"]}`)
	devs := e.devices()
	require.Len(t, devs, 3)
	for j, d := range devs {
		assert.Equal(t, j == 1, d["is_active"], "device %d", j)
	}
	assert.Nil(t, e.get("/v1/me/player"))
	e.refused("PUT", "/v1/me/player/play", "", http.StatusForbidden, "Player command failed: Restriction violated", "UNKNOWN")
	e.refused("POST", "/v1/me/player/next", "", http.StatusForbidden, "", "UNKNOWN")

	// Play the album from its third track, a second in.
	e.ok("PUT", "/v1/me/player/play", `{"context_uri":"`+albumURI+`","offset":{"position":2},"position_ms":1000}`)
	st := e.get("/v1/me/player")
	assert.Equal(t, e.trackID(al, 2), st["item"].(obj)["id"])
	assert.Equal(t, albumURI, st["context"].(obj)["uri"])
	assert.Equal(t, "album", st["context"].(obj)["type"])
	assert.Equal(t, dev1, st["device"].(obj)["id"])
	assert.Equal(t, true, st["is_playing"])
	assert.Equal(t, 1000, num(st, "progress_ms"))
	assert.Equal(t, int(playerT0.UnixMilli()), num(st, "timestamp"))
	e.clk.add(5 * time.Second)
	assert.Equal(t, 6000, num(e.get("/v1/me/player/currently-playing"), "progress_ms"), "progress runs with the clock")

	// Pause holds the progress; a second pause and a resume while playing
	// are refused.
	e.ok("PUT", "/v1/me/player/pause", "")
	e.clk.add(time.Minute)
	st = e.get("/v1/me/player")
	assert.Equal(t, false, st["is_playing"])
	assert.Equal(t, 6000, num(st, "progress_ms"))
	assert.Equal(t, true, st["actions"].(obj)["disallows"].(obj)["pausing"])
	e.refused("PUT", "/v1/me/player/pause", "", http.StatusForbidden, "Player command failed: Restriction violated", "UNKNOWN")
	e.ok("PUT", "/v1/me/player/play", "")
	e.refused("PUT", "/v1/me/player/play", "", http.StatusForbidden, "", "UNKNOWN")
	e.clk.add(time.Second)
	assert.Equal(t, 7000, num(e.get("/v1/me/player"), "progress_ms"))

	// Seek, and seek past the end (the next track).
	e.ok("PUT", "/v1/me/player/seek?position_ms=30000", "")
	assert.Equal(t, 30000, num(e.get("/v1/me/player"), "progress_ms"))
	e.ok("PUT", "/v1/me/player/seek?position_ms="+strconv.Itoa(cat.trackDuration(al*tracksPerAlbum+2)), "")
	st = e.get("/v1/me/player")
	assert.Equal(t, e.trackID(al, 3), st["item"].(obj)["id"])
	assert.Equal(t, 0, num(st, "progress_ms"))

	// Next and previous.
	e.ok("POST", "/v1/me/player/next", "")
	cur, next := e.queue()
	assert.Equal(t, e.trackID(al, 4), cur)
	assert.Equal(t, e.trackID(al, 5), next[0])
	e.ok("POST", "/v1/me/player/previous", "")
	cur, _ = e.queue()
	assert.Equal(t, e.trackID(al, 3), cur)

	// The user's queue comes first: a track and an episode.
	other := cat.encodeID(kTrack, bigAlbum(t, cat, 1)*tracksPerAlbum)
	ep := cat.encodeID(kEpisode, 0)
	e.ok("POST", "/v1/me/player/queue?uri=spotify:track:"+other, "")
	e.ok("POST", "/v1/me/player/queue?uri=spotify:episode:"+ep, "")
	_, next = e.queue()
	require.GreaterOrEqual(t, len(next), 3)
	assert.Equal(t, []string{other, ep, e.trackID(al, 4)}, next[:3])
	e.ok("POST", "/v1/me/player/next", "")
	st = e.get("/v1/me/player")
	assert.Equal(t, other, st["item"].(obj)["id"])
	assert.Nil(t, st["context"], "a queued track plays without a context")
	e.clk.add(time.Minute)
	leftAt := e.clk.now()
	e.ok("POST", "/v1/me/player/next", "")
	st = e.get("/v1/me/player")
	assert.Nil(t, st["item"], "an episode without additional_types")
	assert.Equal(t, "episode", st["currently_playing_type"])
	st = e.get("/v1/me/player?additional_types=track,episode")
	assert.Equal(t, ep, st["item"].(obj)["id"])
	assert.Equal(t, "episode", st["item"].(obj)["type"])
	e.ok("POST", "/v1/me/player/next", "")
	cur, _ = e.queue()
	assert.Equal(t, e.trackID(al, 4), cur, "after the queue the album goes on")

	// The history: each track left, newest first; the episode is absent.
	ids, plays := e.recent(5)
	assert.Equal(t, []string{other, e.trackID(al, 3), e.trackID(al, 4), e.trackID(al, 3), e.trackID(al, 2)}, ids)
	assert.Nil(t, plays[0]["context"])
	assert.Equal(t, albumURI, plays[1]["context"].(obj)["uri"])
	at, err := time.Parse(time.RFC3339, plays[0]["played_at"].(string))
	require.NoError(t, err)
	assert.Equal(t, leftAt, at, "played_at is when next left the track")
}

func TestPlayerClockPlaysThrough(t *testing.T) {
	e := newPlayerEnv(t)
	cat := e.srv.cat
	al := bigAlbum(t, cat, 3)
	d := func(k int) time.Duration {
		return time.Duration(cat.trackDuration(al*tracksPerAlbum+k)) * time.Millisecond
	}
	uris := `{"uris":["spotify:track:` + e.trackID(al, 0) + `","spotify:track:` + e.trackID(al, 1) + `"]}`
	e.ok("PUT", "/v1/me/player/play?device_id="+cat.deviceID(e.u, 0), uris)
	e.clk.add(d(0) + time.Second)
	st := e.get("/v1/me/player")
	assert.Equal(t, e.trackID(al, 1), st["item"].(obj)["id"], "the first track ended")
	assert.Equal(t, 1000, num(st, "progress_ms"))
	assert.Nil(t, st["context"], "a list of URIs has no context")
	ids, plays := e.recent(1)
	assert.Equal(t, []string{e.trackID(al, 0)}, ids)
	at, err := time.Parse(time.RFC3339, plays[0]["played_at"].(string))
	require.NoError(t, err)
	assert.Equal(t, playerT0.Add(d(0)), at, "played_at is when it ended")

	// Repeat track plays the item again; off, the end pauses on the first.
	e.ok("PUT", "/v1/me/player/repeat?state=track", "")
	e.clk.add(d(1))
	st = e.get("/v1/me/player")
	assert.Equal(t, e.trackID(al, 1), st["item"].(obj)["id"])
	assert.Equal(t, "track", st["repeat_state"])
	e.ok("PUT", "/v1/me/player/repeat?state=off", "")
	e.clk.add(d(1))
	st = e.get("/v1/me/player")
	assert.Equal(t, e.trackID(al, 0), st["item"].(obj)["id"])
	assert.Equal(t, false, st["is_playing"])
	assert.Equal(t, 0, num(st, "progress_ms"))
}

func TestPlayerShuffleAndRepeat(t *testing.T) {
	e := newPlayerEnv(t)
	cat := e.srv.cat
	al := bigAlbum(t, cat, 10)
	n := cat.trackCount(al)
	e.ok("PUT", "/v1/me/player/play?device_id="+cat.deviceID(e.u, 0), `{"context_uri":"spotify:album:`+cat.encodeID(kAlbum, al)+`"}`)
	_, inOrder := e.queue()
	require.Len(t, inOrder, n-1)
	e.ok("PUT", "/v1/me/player/shuffle?state=true", "")
	assert.Equal(t, true, e.get("/v1/me/player")["shuffle_state"])
	cur, shuffled := e.queue()
	assert.Equal(t, e.trackID(al, 0), cur, "shuffle keeps the current track")
	assert.ElementsMatch(t, inOrder, shuffled)
	assert.NotEqual(t, inOrder, shuffled)
	e.ok("POST", "/v1/me/player/next", "")
	cur, _ = e.queue()
	assert.Equal(t, shuffled[0], cur, "next follows the shuffled order")
	e.ok("PUT", "/v1/me/player/shuffle?state=false", "")
	e.ok("PUT", "/v1/me/player/repeat?state=context", "")
	cur, next := e.queue()
	i, ok := cat.lookup(kTrack, cur)
	require.True(t, ok)
	k := i % tracksPerAlbum
	assert.Len(t, next, min(queueShown, n), "repeat context shows the album again")
	assert.Equal(t, e.trackID(al, (k+1)%n), next[0])
	assert.Equal(t, "context", e.get("/v1/me/player")["repeat_state"])
}

func TestPlayerVolumeAndTransfer(t *testing.T) {
	e := newPlayerEnv(t)
	cat := e.srv.cat
	devs := e.devices()
	require.Len(t, devs, 3)
	assert.Nil(t, devs[2]["volume_percent"])
	e.ok("PUT", "/v1/me/player/volume?volume_percent=30&device_id="+cat.deviceID(e.u, 1), "")
	devs = e.devices()
	assert.Equal(t, 30, num(devs[1], "volume_percent"), "the named device's volume")
	assert.Equal(t, false, devs[1]["is_active"], "a volume does not move playback")
	e.refused("PUT", "/v1/me/player/volume?volume_percent=30&device_id="+cat.deviceID(e.u, 2), "",
		http.StatusForbidden, "Player command failed: Cannot control device volume", "VOLUME_CONTROL_DISALLOW")

	al := bigAlbum(t, cat, 3)
	e.ok("PUT", "/v1/me/player/play?device_id="+cat.deviceID(e.u, 0), `{"uris":["spotify:track:`+e.trackID(al, 0)+`"]}`)
	e.ok("PUT", "/v1/me/player/volume?volume_percent=0", "")
	st := e.get("/v1/me/player")
	assert.Equal(t, 0, num(st["device"].(obj), "volume_percent"), "the active device's volume")
	e.ok("PUT", "/v1/me/player/pause", "")

	// A transfer without play keeps the pause; with play it resumes.
	e.ok("PUT", "/v1/me/player", `{"device_ids":["`+cat.deviceID(e.u, 1)+`"],"play":false}`)
	st = e.get("/v1/me/player")
	assert.Equal(t, cat.deviceID(e.u, 1), st["device"].(obj)["id"])
	assert.Equal(t, 30, num(st["device"].(obj), "volume_percent"))
	assert.Equal(t, false, st["is_playing"])
	e.ok("PUT", "/v1/me/player", `{"device_ids":["`+cat.deviceID(e.u, 0)+`"],"play":true}`)
	st = e.get("/v1/me/player")
	assert.Equal(t, cat.deviceID(e.u, 0), st["device"].(obj)["id"])
	assert.Equal(t, true, st["is_playing"])

	// A command naming a device moves playback there, unless refused.
	e.ok("PUT", "/v1/me/player/pause?device_id="+cat.deviceID(e.u, 2), "")
	assert.Equal(t, cat.deviceID(e.u, 2), e.get("/v1/me/player")["device"].(obj)["id"])
	e.refused("PUT", "/v1/me/player/pause?device_id="+cat.deviceID(e.u, 1), "", http.StatusForbidden, "", "UNKNOWN")
	assert.Equal(t, cat.deviceID(e.u, 2), e.get("/v1/me/player")["device"].(obj)["id"], "a refused command moved playback")
}

func TestPlayerContexts(t *testing.T) {
	e := newPlayerEnv(t)
	cat := e.srv.cat
	dev := "?device_id=" + cat.deviceID(e.u, 0)

	// An artist plays its top tracks.
	e.ok("PUT", "/v1/me/player/play"+dev, `{"context_uri":"spotify:artist:`+cat.encodeID(kArtist, 0)+`"}`)
	top := cat.topTracks(0)
	cur, next := e.queue()
	assert.Equal(t, cat.encodeID(kTrack, top[0]), cur)
	require.Len(t, next, len(top)-1)
	assert.Equal(t, "artist", e.get("/v1/me/player")["context"].(obj)["type"])

	// A generated playlist, from the entry an offset URI names.
	p := 0
	for cat.playlistLen(p) < 5 || playlistHasEpisodes(p) {
		p++
	}
	third := cat.playlistEntry(p, 2).index
	e.ok("PUT", "/v1/me/player/play"+dev, `{"context_uri":"spotify:playlist:`+cat.encodeID(kPlaylist, p)+`","offset":{"uri":"spotify:track:`+cat.encodeID(kTrack, third)+`"}}`)
	st := e.get("/v1/me/player")
	assert.Equal(t, "spotify:playlist:"+cat.encodeID(kPlaylist, p), st["context"].(obj)["uri"])
	assert.Equal(t, cat.encodeID(kTrack, third), st["item"].(obj)["id"])

	// A playlist the user created plays its entries; an empty one is
	// refused.
	status, b, _ := do(t, e.srv, e.tok, "POST", "/v1/me/playlists", `{"name":"road trip"}`)
	require.Equal(t, http.StatusCreated, status, "%s", b)
	var created obj
	require.NoError(t, json.Unmarshal(b, &created))
	pid := created["id"].(string)
	e.refused("PUT", "/v1/me/player/play"+dev, `{"context_uri":"spotify:playlist:`+pid+`"}`, http.StatusBadRequest, "", "")
	tracks := []string{e.trackID(bigAlbum(t, cat, 2), 1), e.trackID(bigAlbum(t, cat, 2), 0)}
	body, _ := json.Marshal(obj{"uris": []string{"spotify:track:" + tracks[0], "spotify:track:" + tracks[1]}})
	mustDo(t, e.srv, e.tok, "POST", "/v1/playlists/"+url.PathEscape(pid)+"/items", string(body), http.StatusCreated)
	e.ok("PUT", "/v1/me/player/play"+dev, `{"context_uri":"spotify:playlist:`+pid+`"}`)
	cur, next = e.queue()
	assert.Equal(t, tracks[0], cur)
	assert.Equal(t, tracks[1:], next)
}

func TestPlayerSetPlayingAfterCommands(t *testing.T) {
	e := newPlayerEnv(t)
	cat := e.srv.cat
	al := bigAlbum(t, cat, 3)
	login := e.srv.LoginUser()

	// The generated player carries over into the first command.
	require.NoError(t, e.srv.SetPlaying(login, e.trackID(al, 1)))
	gen := e.get("/v1/me/player")
	assert.Equal(t, cat.deviceID(e.u, 0), gen["device"].(obj)["id"])
	e.ok("PUT", "/v1/me/player/repeat?state=context", "")
	st := e.get("/v1/me/player")
	assert.Equal(t, gen["item"], st["item"])
	assert.Equal(t, gen["context"], st["context"])
	assert.Equal(t, gen["progress_ms"], st["progress_ms"])
	assert.Equal(t, gen["device"], st["device"])

	// On a written player SetPlaying is a new play, and "" unloads.
	require.NoError(t, e.srv.SetPlaying(login, e.trackID(al, 2)))
	ids, _ := e.recent(1)
	assert.Equal(t, []string{e.trackID(al, 1)}, ids)
	assert.Equal(t, e.trackID(al, 2), e.get("/v1/me/player")["item"].(obj)["id"])
	require.NoError(t, e.srv.SetPlaying(login, ""))
	assert.Nil(t, e.get("/v1/me/player"))
	assert.Nil(t, e.get("/v1/me/player/currently-playing"))
	cur, _ := e.queue()
	assert.Empty(t, cur)
}

func TestPlayerHistoryPages(t *testing.T) {
	e := newPlayerEnv(t)
	cat := e.srv.cat
	gen, _ := e.recent(50)
	al := bigAlbum(t, cat, 8)
	e.ok("PUT", "/v1/me/player/play?device_id="+cat.deviceID(e.u, 0), `{"context_uri":"spotify:album:`+cat.encodeID(kAlbum, al)+`"}`)
	for range 5 {
		e.clk.add(10 * time.Second)
		e.ok("POST", "/v1/me/player/next", "")
	}
	ids, plays := e.recent(50)
	require.Len(t, ids, 50)
	assert.Equal(t, []string{e.trackID(al, 4), e.trackID(al, 3), e.trackID(al, 2), e.trackID(al, 1), e.trackID(al, 0)}, ids[:5])
	assert.Equal(t, gen[:45], ids[5:], "the oldest plays drop out")

	// Paging back with before walks the same list.
	var walked []string
	for path := "/v1/me/player/recently-played?limit=7"; ; {
		page := e.get(path)
		for _, it := range page["items"].([]any) {
			walked = append(walked, it.(obj)["track"].(obj)["id"].(string))
		}
		if page["next"] == nil {
			break
		}
		path = pathOf(t, e.srv, page["next"])
	}
	assert.Equal(t, ids, walked)
	after := plays[2]["played_at"].(string)
	at, err := time.Parse(time.RFC3339, after)
	require.NoError(t, err)
	newer := e.get("/v1/me/player/recently-played?after=" + strconv.FormatInt(at.UnixMilli(), 10))
	assert.Len(t, newer["items"], 2, "two plays are newer than the third")
}

func TestPlayerDevelopmentMode(t *testing.T) {
	e := newPlayerEnv(t, WithDevelopmentMode())
	e.ok("PUT", "/v1/me/player", `{"device_ids":["`+e.srv.cat.deviceID(e.u, 0)+`"]}`)
	e.ok("PUT", "/v1/me/player/volume?volume_percent=70", "")
	assert.Equal(t, 70, num(e.devices()[0], "volume_percent"))
}
