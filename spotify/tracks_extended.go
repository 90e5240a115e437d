package spotify

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// The Extended Quota methods of TracksService.

// SeveralTracksOptions are the options of [TracksService.GetSeveral].
type SeveralTracksOptions struct {
	// Market is an ISO 3166-1 alpha-2 country code; only content playable
	// there is returned, relinked where needed.
	Market string
}

// GetSeveral returns tracks by id, in the order of ids, with nil for an id
// Spotify does not know. Any number of ids is accepted: Spotify takes 50
// per request, so a longer list is sent in chunks of 50, several at a time
// within the client's concurrency (WithConcurrency); each distinct id is
// fetched once and a repeated id gets the same *Track. The first failing
// request cancels the others and its error is returned.
//
// Spotify API: GET /tracks. No scope needed. Extended Quota Mode only.
func (s *TracksService) GetSeveral(ctx context.Context, ids []string, opts *SeveralTracksOptions) ([]*Track, error) {
	if opts == nil {
		opts = &SeveralTracksOptions{}
	}
	return getSeveral[Track](ctx, s.c, opGetSeveralTracks, "tracks", batchMaxIDs, ids, opts.Market)
}

// TrackLibraryOptions are the options of [TracksService.CheckSaved],
// [TracksService.Save] and [TracksService.Remove]. It has no fields yet;
// nil is fine.
type TrackLibraryOptions struct{}

// CheckSaved reports, for each track id in order, whether the track is in
// the user's library ("Liked Songs"). Spotify takes 50 ids per request: a
// longer list is asked in chunks of 50, several at a time within the
// client's concurrency, and the answers are joined in input order; the
// first failure is returned.
//
// Spotify API: GET /me/tracks/contains. Scope: user-library-read. Extended
// Quota Mode only.
func (s *TracksService) CheckSaved(ctx context.Context, ids []string, opts *TrackLibraryOptions) ([]bool, error) {
	return checkSaved(ctx, s.c, opCheckSavedTracks, batchMaxIDs, ids)
}

// Save saves tracks to the user's library ("Liked Songs"). The ids go in
// a JSON body {"ids": [...]}, as the spec has it for this route (the query
// form is deprecated there). Spotify takes 50 ids per request: a longer
// list is sent in chunks of 50, one after the other; if one fails, the
// error is a *ChunkError naming the ids applied, failed and not sent, and
// it wraps the request's error.
//
// Spotify API: PUT /me/tracks. Scope: user-library-modify. Extended Quota
// Mode only.
func (s *TracksService) Save(ctx context.Context, ids []string, opts *TrackLibraryOptions) error {
	return batchWrite(ctx, s.c, opSaveTracks, batchMaxIDs, ids, nil, true)
}

// Remove removes tracks from the user's library, in chunks of 50 like
// [TracksService.Save]; the ids go in the query.
//
// Spotify API: DELETE /me/tracks. Scope: user-library-modify. Extended
// Quota Mode only.
func (s *TracksService) Remove(ctx context.Context, ids []string, opts *TrackLibraryOptions) error {
	return batchWrite(ctx, s.c, opRemoveTracks, batchMaxIDs, ids, nil, false)
}

// AudioFeaturesOptions are the options of [TracksService.GetAudioFeatures].
// It has no fields yet; nil is fine.
type AudioFeaturesOptions struct{}

// GetAudioFeatures returns a track's audio features.
//
// Spotify API: GET /audio-features/{id}. No scope needed. Extended Quota
// Mode only.
func (s *TracksService) GetAudioFeatures(ctx context.Context, id string, opts *AudioFeaturesOptions) (*AudioFeatures, error) {
	cl, err := s.c.params(opGetAudioFeatures, id).call()
	if err != nil {
		return nil, err
	}
	return getOne[AudioFeatures](ctx, s.c, cl)
}

// SeveralAudioFeaturesOptions are the options of
// [TracksService.GetSeveralAudioFeatures]. It has no fields yet; nil is
// fine.
type SeveralAudioFeaturesOptions struct{}

// GetSeveralAudioFeatures returns the audio features of tracks by id, in
// the order of ids, with nil for an id Spotify does not know. Any number
// of ids is accepted: Spotify takes 100 per request, so a longer list is
// sent in chunks of 100, several at a time within the client's
// concurrency (WithConcurrency); each distinct id is fetched once and a
// repeated id gets the same *AudioFeatures. The first failing request
// cancels the others and its error is returned.
//
// Spotify API: GET /audio-features. No scope needed. Extended Quota Mode
// only.
func (s *TracksService) GetSeveralAudioFeatures(ctx context.Context, ids []string, opts *SeveralAudioFeaturesOptions) ([]*AudioFeatures, error) {
	return getSeveral[AudioFeatures](ctx, s.c, opGetSeveralAudioFeatures, "audio_features", batchMaxAudioFeatures, ids, "")
}

// AudioAnalysisOptions are the options of [TracksService.GetAudioAnalysis].
// It has no fields yet; nil is fine.
type AudioAnalysisOptions struct{}

// GetAudioAnalysis returns a track's audio analysis: its bars, beats,
// tatums, sections and segments.
//
// Spotify API: GET /audio-analysis/{id}. No scope needed. Extended Quota
// Mode only.
func (s *TracksService) GetAudioAnalysis(ctx context.Context, id string, opts *AudioAnalysisOptions) (*AudioAnalysis, error) {
	cl, err := s.c.params(opGetAudioAnalysis, id).call()
	if err != nil {
		return nil, err
	}
	return getOne[AudioAnalysis](ctx, s.c, cl)
}

// recommendationsMaxSeeds is Spotify's limit of seeds, all kinds together.
const recommendationsMaxSeeds = 5

// RecommendationsOptions are the options of
// [TracksService.GetRecommendations]. The seeds are required: 1 to 5
// values across SeedArtists, SeedGenres and SeedTracks together.
//
// The tunable track attributes are typed fields: Min sends min_<attribute>
// (a hard floor), Max sends max_<attribute> (a hard ceiling), Target sends
// target_<attribute> (tracks nearest to it come first). Each attribute is
// a pointer, sent only when set, so 0 can be asked for:
//
//	opts := &spotify.RecommendationsOptions{
//		SeedGenres: []string{"jazz"},
//		Min:        spotify.TrackAttributes{Energy: spotify.Ptr(0.4)},
//		Target:     spotify.TrackAttributes{Tempo: spotify.Ptr(120.0), Mode: spotify.Ptr(0)},
//	}
type RecommendationsOptions struct {
	// SeedArtists are Spotify artist ids.
	SeedArtists []string
	// SeedGenres are genres from GetRecommendationGenres.
	SeedGenres []string
	// SeedTracks are Spotify track ids.
	SeedTracks []string
	// Limit is the number of tracks, 1 to 100, or 0 for Spotify's default,
	// 20; any other value fails before a request.
	Limit int
	// Market is an ISO 3166-1 alpha-2 country code; only tracks playable
	// there are returned, relinked where needed.
	Market string
	// Min, Max and Target are the floors, ceilings and targets of the
	// tunable track attributes.
	Min, Max, Target TrackAttributes
}

// TrackAttributes are the tunable track attributes of
// [RecommendationsOptions]; nil fields are not sent. Their meaning and
// ranges are those of [AudioFeatures] (plus Popularity, 0 to 100).
type TrackAttributes struct {
	Acousticness     *float64
	Danceability     *float64
	DurationMS       *int
	Energy           *float64
	Instrumentalness *float64
	// Key is a pitch class, 0 to 11.
	Key      *int
	Liveness *float64
	Loudness *float64
	// Mode is 1 for major, 0 for minor.
	Mode          *int
	Popularity    *int
	Speechiness   *float64
	Tempo         *float64
	TimeSignature *int
	Valence       *float64
}

// recommendationsTunables adds the set attributes of a to q as
// prefix_attribute.
func recommendationsTunables(q query, prefix string, a TrackAttributes) {
	f := func(name string, v *float64) {
		if v != nil {
			q[prefix+"_"+name] = []string{strconv.FormatFloat(*v, 'f', -1, 64)}
		}
	}
	n := func(name string, v *int) {
		if v != nil {
			q[prefix+"_"+name] = []string{strconv.Itoa(*v)}
		}
	}
	f("acousticness", a.Acousticness)
	f("danceability", a.Danceability)
	n("duration_ms", a.DurationMS)
	f("energy", a.Energy)
	f("instrumentalness", a.Instrumentalness)
	n("key", a.Key)
	f("liveness", a.Liveness)
	f("loudness", a.Loudness)
	n("mode", a.Mode)
	n("popularity", a.Popularity)
	f("speechiness", a.Speechiness)
	f("tempo", a.Tempo)
	n("time_signature", a.TimeSignature)
	f("valence", a.Valence)
}

// recommendationsSeeds checks the seeds: 1 to 5 in all; the artist and
// track seeds are ids, a genre is neither blank nor holds a comma.
func recommendationsSeeds(o *RecommendationsOptions) error {
	op := opGetRecommendations
	total := 0
	for _, s := range []struct {
		name  string
		vs    []string
		genre bool
	}{{"seed_artists", o.SeedArtists, false}, {"seed_genres", o.SeedGenres, true}, {"seed_tracks", o.SeedTracks, false}} {
		for i, v := range s.vs {
			problem := idProblem(v)
			if s.genre {
				problem = ""
				switch {
				case strings.TrimSpace(v) == "":
					problem = " is empty"
				case strings.Contains(v, ","):
					problem = fmt.Sprintf(" %q holds a comma, which Spotify reads as a separator between genres", v)
				}
			}
			if problem != "" {
				return op.invalid("%s[%d]%s", s.name, i, problem)
			}
		}
		total += len(s.vs)
	}
	if total == 0 {
		return op.invalid("no seed: set at least one of seed_artists, seed_genres and seed_tracks")
	}
	if total > recommendationsMaxSeeds {
		return op.invalid("%d seeds given, over the %d allowed across seed_artists, seed_genres and seed_tracks", total, recommendationsMaxSeeds)
	}
	return nil
}

// GetRecommendations returns tracks recommended from seed artists, genres
// and tracks (1 to 5 seeds in all), tuned by the options' track
// attributes. Seeds are checked before any request is sent.
//
// Spotify API: GET /recommendations. No scope needed. Extended Quota Mode
// only.
func (s *TracksService) GetRecommendations(ctx context.Context, opts *RecommendationsOptions) (*Recommendations, error) {
	if opts == nil {
		opts = &RecommendationsOptions{}
	}
	if err := recommendationsSeeds(opts); err != nil {
		return nil, err
	}
	p := s.c.params(opGetRecommendations).list("seed_artists", opts.SeedArtists).list("seed_genres", opts.SeedGenres).
		list("seed_tracks", opts.SeedTracks).market(opts.Market).limit(opts.Limit)
	recommendationsTunables(p.q, "min", opts.Min)
	recommendationsTunables(p.q, "max", opts.Max)
	recommendationsTunables(p.q, "target", opts.Target)
	cl, err := p.call()
	if err != nil {
		return nil, err
	}
	var r Recommendations
	if _, err := s.c.call(ctx, cl, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// RecommendationGenresOptions are the options of
// [TracksService.GetRecommendationGenres]. It has no fields yet; nil is
// fine.
type RecommendationGenresOptions struct{}

// GetRecommendationGenres returns the genres GetRecommendations accepts as
// seeds.
//
// Spotify API: GET /recommendations/available-genre-seeds. No scope
// needed. Extended Quota Mode only.
func (s *TracksService) GetRecommendationGenres(ctx context.Context, opts *RecommendationGenresOptions) ([]string, error) {
	var gs []string
	if _, err := s.c.callWrapped(ctx, &call{op: opGetRecommendationGenres}, "genres", &gs); err != nil {
		return nil, err
	}
	return gs, nil
}
