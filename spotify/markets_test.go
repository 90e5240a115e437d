package spotify

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// coreMarketCodes are 170 distinct two-letter codes, the size of a real
// available_markets list.
func coreMarketCodes() []string {
	var out []string
	for a := 'A'; a <= 'Z' && len(out) < 170; a++ {
		for b := 'A'; b <= 'Z' && len(out) < 170; b += 3 {
			out = append(out, string([]rune{a, b}))
		}
	}
	return out
}

func coreMarketsJSON(codes []string) []byte {
	b, _ := json.Marshal(map[string][]string{"available_markets": codes})
	return b
}

type coreMarketsHolder struct {
	Markets Markets `json:"available_markets"`
}

func TestCoreMarketsDecode(t *testing.T) {
	codes := coreMarketCodes()
	require.Len(t, codes, 170)
	var h coreMarketsHolder
	require.NoError(t, decodeJSON(coreMarketsJSON(codes), &h))
	assert.Equal(t, codes, h.Markets.Strings())
	assert.True(t, h.Markets.Contains("AA"))
	assert.True(t, h.Markets.Contains(codes[169]))
	assert.False(t, h.Markets.Contains("ZZ"))
	assert.False(t, h.Markets.Contains("A"))
	assert.False(t, h.Markets.Contains("AAA"))
	assert.Equal(t, "AA", h.Markets[0].String())
}

func TestCoreMarketsDecodeAllocatesLittle(t *testing.T) {
	data := coreMarketsJSON(coreMarketCodes())
	allocs := testing.AllocsPerRun(50, func() {
		var h coreMarketsHolder
		if err := decodeJSON(data, &h); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("%.0f allocations for 170 codes", allocs)
	assert.LessOrEqual(t, allocs, 3.0, "170 codes decode without a string each")
}

func TestCoreMarketsEdgeCases(t *testing.T) {
	var h coreMarketsHolder
	require.NoError(t, decodeJSON([]byte(`{"available_markets":["\u0053E","U\u0053","JP"]}`), &h))
	assert.Equal(t, []string{"SE", "US", "JP"}, h.Markets.Strings(), "escaped codes decode")

	h = coreMarketsHolder{Markets: Markets{{'X', 'X'}}}
	require.NoError(t, decodeJSON([]byte(`{"available_markets":null}`), &h))
	assert.Nil(t, h.Markets)

	require.NoError(t, decodeJSON([]byte(`{"available_markets":[]}`), &h))
	assert.NotNil(t, h.Markets)
	assert.Empty(t, h.Markets)

	require.NoError(t, decodeJSON([]byte(`{}`), &h))

	for _, bad := range []string{
		`{"available_markets":["SE",1]}`,
		`{"available_markets":["SE",null]}`,
		`{"available_markets":[["SE"]]}`,
		`{"available_markets":"SE"}`,
		`{"available_markets":{"SE":true}}`,
		`{"available_markets":["SE"`,
	} {
		var h coreMarketsHolder
		assert.Error(t, decodeJSON([]byte(bad), &h), bad)
	}

	// A list longer than the decoder's stack buffer.
	var many []string
	for i := range 600 {
		many = append(many, string([]byte{byte('A' + i%26), byte('A' + i/26%26)}))
	}
	require.NoError(t, decodeJSON(coreMarketsJSON(many), &h))
	assert.Equal(t, many, h.Markets.Strings())

	// Inside a model, with the neighbours intact.
	var a SimplifiedAlbum
	require.NoError(t, decodeJSON([]byte(`{"id":"a1","available_markets":["SE","US"],"name":"N"}`), &a))
	assert.Equal(t, "a1", a.ID)
	assert.Equal(t, "N", a.Name)
	assert.Equal(t, []string{"SE", "US"}, a.AvailableMarkets.Strings())
}

func TestCoreMarketsEncodingJSONRoundTrip(t *testing.T) {
	codes := coreMarketCodes()
	var h coreMarketsHolder
	require.NoError(t, decodeJSON(coreMarketsJSON(codes), &h))

	out, err := json.Marshal(h)
	require.NoError(t, err)
	assert.JSONEq(t, string(coreMarketsJSON(codes)), string(out), "encoding/json writes the codes as strings")

	var back coreMarketsHolder
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, codes, back.Markets.Strings())

	require.NoError(t, json.Unmarshal([]byte(`{"available_markets":null}`), &back))
	assert.Nil(t, back.Markets)
	assert.Error(t, json.Unmarshal([]byte(`{"available_markets":[1]}`), &back))

	// The SDK's own codec writes the same.
	v2, err := Marshal(h)
	require.NoError(t, err)
	assert.JSONEq(t, string(out), string(v2))
}

const coreTrackItem = `{"type":"track","id":"t1","name":"Song","uri":"spotify:track:t1","duration_ms":1000,
"album":{"id":"a1","name":"Album","available_markets":["SE"]},"artists":[{"id":"r1","name":"Artist"}]}`

const coreEpisodeItem = `{"type":"episode","id":"e1","name":"Episode","uri":"spotify:episode:e1","duration_ms":2000,
"show":{"id":"s1","name":"Show"},"track":true,"album":{"id":"ignored"}}`

type coreItemHolder struct {
	Item *PlaybackItem `json:"item"`
}

type coreItemValueHolder struct {
	Item PlaybackItem `json:"item"`
}

func TestCorePlaybackItemDecode(t *testing.T) {
	var tr PlaybackItem
	require.NoError(t, decodeJSON([]byte(coreTrackItem), &tr))
	assert.Equal(t, "track", tr.Type)
	require.NotNil(t, tr.Track)
	assert.Nil(t, tr.Episode)
	assert.Equal(t, "Song", tr.Track.Name)
	assert.Equal(t, "a1", tr.Track.Album.ID)
	assert.Equal(t, "t1", tr.ID())
	assert.Equal(t, "spotify:track:t1", tr.URI())

	var ep PlaybackItem
	require.NoError(t, decodeJSON([]byte(coreEpisodeItem), &ep))
	assert.Equal(t, "episode", ep.Type)
	require.NotNil(t, ep.Episode)
	assert.Nil(t, ep.Track)
	assert.Equal(t, "s1", ep.Episode.Show.ID)
	assert.Equal(t, "e1", ep.ID())
	assert.Equal(t, "spotify:episode:e1", ep.URI())

	var list []PlaybackItem
	require.NoError(t, decodeJSON([]byte("["+coreTrackItem+","+coreEpisodeItem+"]"), &list))
	require.Len(t, list, 2)
	assert.NotNil(t, list[0].Track)
	assert.NotNil(t, list[1].Episode)

	// A decode reuses nothing of an earlier value.
	require.NoError(t, decodeJSON([]byte(coreTrackItem), &ep))
	assert.Nil(t, ep.Episode)
	assert.NotNil(t, ep.Track)

	var nilItem *PlaybackItem
	assert.Equal(t, "", nilItem.ID())
	assert.Equal(t, "", nilItem.URI())
	assert.Equal(t, "", (&PlaybackItem{}).ID())
}

func TestCorePlaybackItemNull(t *testing.T) {
	var h coreItemHolder
	require.NoError(t, decodeJSON([]byte(`{"item":null}`), &h))
	assert.Nil(t, h.Item)
	require.NoError(t, json.Unmarshal([]byte(`{"item":null}`), &h))
	assert.Nil(t, h.Item)

	var v coreItemValueHolder
	require.NoError(t, decodeJSON([]byte(`{"item":null}`), &v))
	assert.Nil(t, v.Item.Track, "null is no item, not an empty track")
	assert.Nil(t, v.Item.Episode)
	require.NoError(t, json.Unmarshal([]byte(`{"item":null}`), &v))
	assert.Nil(t, v.Item.Track)
	assert.Nil(t, v.Item.Episode)

	out, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, `{"item":null}`, string(out))
	out, err = Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, `{"item":null}`, string(out))
}

func TestCorePlaybackItemMarshal(t *testing.T) {
	for _, src := range []string{coreTrackItem, coreEpisodeItem} {
		var h coreItemHolder
		require.NoError(t, decodeJSON([]byte(`{"item":`+src+`}`), &h))
		require.NotNil(t, h.Item)

		out, err := json.Marshal(h)
		require.NoError(t, err)
		var back coreItemHolder
		require.NoError(t, json.Unmarshal(out, &back), "encoding/json reads what it wrote")
		assert.Equal(t, h, back)
		var raw map[string]map[string]any
		require.NoError(t, json.Unmarshal(out, &raw))
		assert.Equal(t, h.Item.Type, raw["item"]["type"], "marshalled with Spotify's keys")
		assert.Equal(t, h.Item.ID(), raw["item"]["id"])
		assert.NotContains(t, raw["item"], "Track", "no Go field names")

		out2, err := Marshal(h)
		require.NoError(t, err)
		var back2 coreItemHolder
		require.NoError(t, decodeJSON(out2, &back2), "the SDK's codec reads what it wrote")
		assert.Equal(t, h, back2)

		// The item is written by the same codec as the track or episode
		// alone: the same bytes either way.
		var alone any = h.Item.Track
		if h.Item.Episode != nil {
			alone = h.Item.Episode
		}
		direct, err := Marshal(alone)
		require.NoError(t, err)
		nested, err := Marshal(h.Item)
		require.NoError(t, err)
		assert.JSONEq(t, string(direct), string(nested))
	}
}
