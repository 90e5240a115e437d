package spotify

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tracksAudioFeaturesJSON = `{"acousticness":0.00242,"analysis_url":"https://api.spotify.com/v1/audio-analysis/t1",
"danceability":0.585,"duration_ms":237040.0,"energy":0.842,"id":"t1","instrumentalness":0.00686,"key":9,"liveness":0.0866,
"loudness":-5.883,"mode":0,"speechiness":0.0556,"tempo":118.211,"time_signature":4,
"track_href":"https://api.spotify.com/v1/tracks/t1","type":"audio_features","uri":"spotify:track:t1","valence":0.428}`

const tracksAudioAnalysisJSON = `{"meta":{"analyzer_version":"4.0.0","platform":"Linux","detailed_status":"OK","status_code":0,
"timestamp":1495193577,"analysis_time":6.93906,"input_process":"libvorbisfile L+R 44100->22050"},
"track":{"num_samples":4585515,"duration":207.95985,"sample_md5":"","offset_seconds":0,"window_seconds":0,
 "analysis_sample_rate":22050,"analysis_channels":1,"end_of_fade_in":0,"start_of_fade_out":201.13705,"loudness":-5.883,
 "tempo":118.211,"tempo_confidence":0.73,"time_signature":4,"time_signature_confidence":0.994,"key":9,"key_confidence":0.408,
 "mode":0,"mode_confidence":0.485,"codestring":"eJxVnAmS5DgOBL-ik","code_version":3.15,"echoprintstring":"eJzdnQ",
 "echoprint_version":4.15,"synchstring":"eJx1mIlx7DAIQ","synch_version":1,"rhythmstring":"eJyNXAmOLT","rhythm_version":1},
"bars":[{"start":0.49567,"duration":2.18749,"confidence":0.925}],
"beats":[{"start":0.49567,"duration":0.54729,"confidence":0.622},{"start":1.04296,"duration":0.54671,"confidence":0.593}],
"sections":[{"start":0,"duration":6.97092,"confidence":1,"loudness":-14.938,"tempo":113.178,"tempo_confidence":0.647,"key":9,
 "key_confidence":0.297,"mode":-1,"mode_confidence":0.471,"time_signature":4,"time_signature_confidence":1}],
"segments":[{"start":0.70154,"duration":0.19891,"confidence":0.435,"loudness_start":-23.053,"loudness_max":-14.25,
 "loudness_max_time":0.07305,"loudness_end":0,"pitches":[0.212,0.141,0.294,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,1],
 "timbre":[42.115,64.373,-0.233,1,2,3,4,5,6,7,8,9]}],
"tatums":[{"start":0.49567,"duration":0.27365,"confidence":0.779}]}`

const tracksRecommendationsJSON = `{"seeds":[
 {"afterFilteringSize":250,"afterRelinkingSize":250,"href":"https://api.spotify.com/v1/artists/r1","id":"r1","initialPoolSize":250,"type":"ARTIST"},
 {"afterFilteringSize":100.0,"afterRelinkingSize":99,"href":null,"id":"jazz","initialPoolSize":500,"type":"GENRE"}],
"tracks":[` + tracksTrackJSON + `]}`

func tracksExtendedCases() []batchCase {
	return []batchCase{
		{opGetSeveralTracks, methodCase{
			name: "GetSeveral", method: "GET", path: "/tracks", query: url.Values{"ids": {"t1,zz"}, "market": {"SE"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.GetSeveral(ctx, []string{"t1", "zz"}, &SeveralTracksOptions{Market: "SE"})
			},
			respond: `{"tracks":[` + tracksTrackJSON + `,null]}`,
			check: func(t *testing.T, got any) {
				ts := got.([]*Track)
				require.Len(t, ts, 2)
				require.NotNil(t, ts[0])
				assert.Equal(t, "Track One", ts[0].Name)
				assert.Equal(t, 200000, ts[0].DurationMS)
				assert.Nil(t, ts[1])
			},
		}},
		{opGetSeveralTracks, methodCase{
			name: "GetSeveral without market", method: "GET", path: "/tracks", query: url.Values{"ids": {"t1"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.GetSeveral(ctx, []string{"t1"}, nil)
			},
			respond: `{"tracks":[` + tracksDevTrackJSON + `]}`,
			check: func(t *testing.T, got any) {
				assert.Nil(t, got.([]*Track)[0].Popularity)
			},
		}},
		{opCheckSavedTracks, methodCase{
			name: "CheckSaved", method: "GET", path: "/me/tracks/contains", query: url.Values{"ids": {"t1,t2,t3"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.CheckSaved(ctx, []string{"t1", "t2", "t3"}, nil)
			},
			respond: `[true,false,true]`,
			check: func(t *testing.T, got any) {
				assert.Equal(t, []bool{true, false, true}, got)
			},
		}},
		{opSaveTracks, methodCase{
			name: "Save sends the ids in the body", method: "PUT", path: "/me/tracks", body: `{"ids":["t1","t2"]}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Tracks.Save(ctx, []string{"t1", "t2"}, nil)
			},
		}},
		{opRemoveTracks, methodCase{
			name: "Remove", method: "DELETE", path: "/me/tracks", query: url.Values{"ids": {"t1,t2"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.Tracks.Remove(ctx, []string{"t1", "t2"}, nil)
			},
		}},
		{opGetAudioFeatures, methodCase{
			name: "GetAudioFeatures", method: "GET", path: "/audio-features/t1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.GetAudioFeatures(ctx, "t1", nil)
			},
			respond: tracksAudioFeaturesJSON,
			check: func(t *testing.T, got any) {
				f := got.(*AudioFeatures)
				assert.Equal(t, "t1", f.ID)
				assert.Equal(t, 237040, f.DurationMS, "an integer sent as 237040.0 decodes")
				assert.InDelta(t, 0.585, f.Danceability, 1e-9)
				assert.Equal(t, 9, f.Key)
				assert.Equal(t, 4, f.TimeSignature)
				assert.InDelta(t, -5.883, f.Loudness, 1e-9)
			},
		}},
		{opGetSeveralAudioFeatures, methodCase{
			name: "GetSeveralAudioFeatures", method: "GET", path: "/audio-features", query: url.Values{"ids": {"t1,zz"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.GetSeveralAudioFeatures(ctx, []string{"t1", "zz"}, nil)
			},
			respond: `{"audio_features":[` + tracksAudioFeaturesJSON + `,null]}`,
			check: func(t *testing.T, got any) {
				fs := got.([]*AudioFeatures)
				require.Len(t, fs, 2)
				require.NotNil(t, fs[0])
				assert.InDelta(t, 118.211, fs[0].Tempo, 1e-9)
				assert.Nil(t, fs[1])
			},
		}},
		{opGetAudioAnalysis, methodCase{
			name: "GetAudioAnalysis", method: "GET", path: "/audio-analysis/t1",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.GetAudioAnalysis(ctx, "t1", &AudioAnalysisOptions{})
			},
			respond: tracksAudioAnalysisJSON,
			check: func(t *testing.T, got any) {
				a := got.(*AudioAnalysis)
				assert.Equal(t, "4.0.0", a.Meta.AnalyzerVersion)
				assert.EqualValues(t, 1495193577, a.Meta.Timestamp)
				assert.Equal(t, 4585515, a.Track.NumSamples)
				assert.InDelta(t, 207.95985, a.Track.Duration, 1e-9)
				assert.Len(t, a.Bars, 1)
				assert.Len(t, a.Beats, 2)
				require.Len(t, a.Sections, 1)
				assert.Equal(t, -1, a.Sections[0].Mode)
				require.Len(t, a.Segments, 1)
				assert.Len(t, a.Segments[0].Pitches, 12)
				assert.Len(t, a.Segments[0].Timbre, 12)
				assert.Len(t, a.Tatums, 1)
			},
		}},
		{opGetRecommendations, methodCase{
			name: "GetRecommendations seeds only", method: "GET", path: "/recommendations",
			query: url.Values{"seed_artists": {"r1,r2"}, "seed_genres": {"jazz"}, "seed_tracks": {"t1,t2"}},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.GetRecommendations(ctx, &RecommendationsOptions{
					SeedArtists: []string{"r1", "r2"}, SeedGenres: []string{"jazz"}, SeedTracks: []string{"t1", "t2"},
				})
			},
			respond: tracksRecommendationsJSON,
			check: func(t *testing.T, got any) {
				r := got.(*Recommendations)
				require.Len(t, r.Seeds, 2)
				assert.Equal(t, "r1", r.Seeds[0].ID)
				assert.Equal(t, 250, r.Seeds[0].InitialPoolSize)
				require.NotNil(t, r.Seeds[0].Href)
				assert.Nil(t, r.Seeds[1].Href, "a genre seed has no href")
				assert.Equal(t, 100, r.Seeds[1].AfterFilteringSize)
				require.Len(t, r.Tracks, 1)
				assert.Equal(t, "t1", r.Tracks[0].ID)
			},
		}},
		{opGetRecommendations, methodCase{
			name: "GetRecommendations with every option", method: "GET", path: "/recommendations",
			query: url.Values{
				"seed_genres": {"jazz"}, "limit": {"10"}, "market": {"SE"},
				"min_acousticness": {"0"}, "min_danceability": {"0.25"}, "min_duration_ms": {"60000"}, "min_energy": {"0.4"},
				"min_instrumentalness": {"0.1"}, "min_key": {"0"}, "min_liveness": {"0.2"}, "min_loudness": {"-20"},
				"min_mode": {"0"}, "min_popularity": {"10"}, "min_speechiness": {"0.05"}, "min_tempo": {"90.5"},
				"min_time_signature": {"3"}, "min_valence": {"0.3"},
				"max_energy": {"0.9"}, "max_popularity": {"100"},
				"target_tempo": {"120"}, "target_key": {"9"}, "target_mode": {"1"}, "target_valence": {"1"},
			},
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.GetRecommendations(ctx, &RecommendationsOptions{
					SeedGenres: []string{"jazz"}, Limit: 10, Market: "SE",
					Min: TrackAttributes{
						Acousticness: Ptr(0.0), Danceability: Ptr(0.25), DurationMS: Ptr(60000), Energy: Ptr(0.4),
						Instrumentalness: Ptr(0.1), Key: Ptr(0), Liveness: Ptr(0.2), Loudness: Ptr(-20.0), Mode: Ptr(0),
						Popularity: Ptr(10), Speechiness: Ptr(0.05), Tempo: Ptr(90.5), TimeSignature: Ptr(3), Valence: Ptr(0.3),
					},
					Max:    TrackAttributes{Energy: Ptr(0.9), Popularity: Ptr(100)},
					Target: TrackAttributes{Tempo: Ptr(120.0), Key: Ptr(9), Mode: Ptr(1), Valence: Ptr(1.0)},
				})
			},
			respond: `{"seeds":[{"afterFilteringSize":40,"afterRelinkingSize":38,"href":null,"id":"jazz","initialPoolSize":500,"type":"GENRE"}],
"tracks":[` + tracksTrackJSON + `]}`,
			check: func(t *testing.T, got any) {
				r := got.(*Recommendations)
				require.Len(t, r.Seeds, 1)
				seed := r.Seeds[0]
				assert.Equal(t, "jazz", seed.ID)
				assert.Equal(t, "GENRE", seed.Type)
				assert.Nil(t, seed.Href)
				assert.Equal(t, 500, seed.InitialPoolSize)
				assert.Equal(t, 40, seed.AfterFilteringSize, "the pool the filters left")
				assert.Equal(t, 38, seed.AfterRelinkingSize)
				require.Len(t, r.Tracks, 1)
				assert.Equal(t, "t1", r.Tracks[0].ID)
				require.NotNil(t, r.Tracks[0].Popularity)
				assert.Equal(t, 55, *r.Tracks[0].Popularity)
			},
		}},
		{opGetRecommendationGenres, methodCase{
			name: "GetRecommendationGenres", method: "GET", path: "/recommendations/available-genre-seeds",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Tracks.GetRecommendationGenres(ctx, nil)
			},
			respond: `{"genres":["acoustic","afrobeat","alt-rock"]}`,
			check: func(t *testing.T, got any) {
				assert.Equal(t, []string{"acoustic", "afrobeat", "alt-rock"}, got)
			},
		}},
	}
}

func TestTracksExtendedMethods(t *testing.T) {
	runBatchCases(t, tracksExtendedCases())
}

func TestTracksExtendedValidation(t *testing.T) {
	six := []string{"a", "b", "c"}
	runInvalidCases(t, []invalidCase{
		{"GetAudioFeatures empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Tracks.GetAudioFeatures(ctx, "", nil)
			return err
		}, "spotify: Tracks.GetAudioFeatures: id is empty"},
		{"GetAudioAnalysis empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Tracks.GetAudioAnalysis(ctx, "", nil)
			return err
		}, "spotify: Tracks.GetAudioAnalysis: id is empty"},
		{"GetRecommendations nil options", func(ctx context.Context, c *Client) error {
			_, err := c.Tracks.GetRecommendations(ctx, nil)
			return err
		}, "spotify: Tracks.GetRecommendations: no seed: set at least one of seed_artists, seed_genres and seed_tracks"},
		{"GetRecommendations no seeds", func(ctx context.Context, c *Client) error {
			_, err := c.Tracks.GetRecommendations(ctx, &RecommendationsOptions{Limit: 5, SeedGenres: []string{}})
			return err
		}, "spotify: Tracks.GetRecommendations: no seed: set at least one of"},
		{"GetRecommendations six seeds", func(ctx context.Context, c *Client) error {
			_, err := c.Tracks.GetRecommendations(ctx, &RecommendationsOptions{SeedArtists: six, SeedTracks: six})
			return err
		}, "spotify: Tracks.GetRecommendations: 6 seeds given, over the 5 allowed across seed_artists, seed_genres and seed_tracks"},
		{"GetRecommendations empty artist seed", func(ctx context.Context, c *Client) error {
			_, err := c.Tracks.GetRecommendations(ctx, &RecommendationsOptions{SeedArtists: []string{"r1", ""}})
			return err
		}, "spotify: Tracks.GetRecommendations: seed_artists[1] is empty"},
		{"GetRecommendations blank genre seed", func(ctx context.Context, c *Client) error {
			_, err := c.Tracks.GetRecommendations(ctx, &RecommendationsOptions{SeedGenres: []string{" "}})
			return err
		}, "spotify: Tracks.GetRecommendations: seed_genres[0] is empty"},
		{"GetRecommendations a URI as an artist seed", func(ctx context.Context, c *Client) error {
			_, err := c.Tracks.GetRecommendations(ctx, &RecommendationsOptions{SeedArtists: []string{"spotify:artist:r1"}})
			return err
		}, `spotify: Tracks.GetRecommendations: seed_artists[0] "spotify:artist:r1" is a Spotify URI, not an id: pass "r1"`},
		{"GetRecommendations a comma inside a genre", func(ctx context.Context, c *Client) error {
			_, err := c.Tracks.GetRecommendations(ctx, &RecommendationsOptions{SeedGenres: []string{"jazz,pop"}})
			return err
		}, `spotify: Tracks.GetRecommendations: seed_genres[0] "jazz,pop" holds a comma`},
		{"GetRecommendations empty track seed", func(ctx context.Context, c *Client) error {
			_, err := c.Tracks.GetRecommendations(ctx, &RecommendationsOptions{SeedTracks: []string{""}})
			return err
		}, "spotify: Tracks.GetRecommendations: seed_tracks[0] is empty"},
	})
}

func TestTracksExtendedRecommendationsFiveSeeds(t *testing.T) {
	runMethodCases(t, []methodCase{{
		name: "five seeds are the most", method: "GET", path: "/recommendations",
		query: url.Values{"seed_artists": {"r1,r2,r3"}, "seed_tracks": {"t1,t2"}},
		call: func(ctx context.Context, c *Client) (any, error) {
			return c.Tracks.GetRecommendations(ctx, &RecommendationsOptions{
				SeedArtists: []string{"r1", "r2", "r3"}, SeedTracks: []string{"t1", "t2"},
			})
		},
		respond: `{"seeds":[
 {"afterFilteringSize":250,"afterRelinkingSize":250,"href":"https://api.spotify.com/v1/artists/r1","id":"r1","initialPoolSize":250,"type":"ARTIST"},
 {"afterFilteringSize":240,"afterRelinkingSize":240,"href":"https://api.spotify.com/v1/artists/r2","id":"r2","initialPoolSize":240,"type":"ARTIST"},
 {"afterFilteringSize":230,"afterRelinkingSize":230,"href":"https://api.spotify.com/v1/artists/r3","id":"r3","initialPoolSize":230,"type":"ARTIST"},
 {"afterFilteringSize":120,"afterRelinkingSize":119,"href":"https://api.spotify.com/v1/tracks/t1","id":"t1","initialPoolSize":120,"type":"TRACK"},
 {"afterFilteringSize":110,"afterRelinkingSize":110,"href":"https://api.spotify.com/v1/tracks/t2","id":"t2","initialPoolSize":110,"type":"TRACK"}],
"tracks":[` + tracksTrackJSON + `]}`,
		check: func(t *testing.T, got any) {
			r := got.(*Recommendations)
			require.Len(t, r.Seeds, 5, "one seed answered for each of the five sent")
			var ids, types []string
			for _, s := range r.Seeds {
				ids = append(ids, s.ID)
				types = append(types, s.Type)
			}
			assert.Equal(t, []string{"r1", "r2", "r3", "t1", "t2"}, ids)
			assert.Equal(t, []string{"ARTIST", "ARTIST", "ARTIST", "TRACK", "TRACK"}, types)
			require.NotNil(t, r.Seeds[3].Href)
			assert.Equal(t, "https://api.spotify.com/v1/tracks/t1", *r.Seeds[3].Href)
			assert.Equal(t, 119, r.Seeds[3].AfterRelinkingSize)
			require.Len(t, r.Tracks, 1)
			assert.Equal(t, "Track One", r.Tracks[0].Name)
		},
	}})
}

func TestTracksExtendedModelsRoundTrip(t *testing.T) {
	var f AudioFeatures
	assertDecodesWithoutLoss(t, []byte(tracksAudioFeaturesJSON), &f)
	var a AudioAnalysis
	assertDecodesWithoutLoss(t, []byte(tracksAudioAnalysisJSON), &a)
	var r Recommendations
	assertDecodesWithoutLoss(t, []byte(tracksRecommendationsJSON), &r)
}

func TestTracksExtendedSamplesDecode(t *testing.T) {
	var several struct {
		Tracks []*Track `json:"tracks"`
	}
	assertDecodesWithoutLoss(t, sample(t, "tracks-several.json"), &several)
	require.Len(t, several.Tracks, 2)
	assert.NotNil(t, several.Tracks[0])
	assert.NotNil(t, several.Tracks[1])

	data := sample(t, "tracks-several-with-null.json")
	var withNull struct {
		Tracks []*Track `json:"tracks"`
	}
	assertDecodesWithoutLoss(t, data, &withNull)
	require.Len(t, withNull.Tracks, 2)
	require.NotNil(t, withNull.Tracks[0])
	assert.Nil(t, withNull.Tracks[1], "Spotify's null for an unknown id")

	// The sample with a null, through the method.
	ts := newTestServer(t)
	ts.Mux.HandleFunc("/tracks", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(data) })
	c := newTestClient(t, ts)
	got, err := c.Tracks.GetSeveral(context.Background(), []string{withNull.Tracks[0].ID, "unknownid"}, nil)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.NotNil(t, got[0])
	assert.Equal(t, withNull.Tracks[0].Name, got[0].Name)
	assert.Nil(t, got[1])
}
