package spotify

// Models of the Extended Quota operations: audio features and analysis,
// recommendations. Development Mode apps lost these endpoints in November
// 2024.

// AudioFeatures are a track's audio features, as Spotify computed them.
// Scores named "a confidence measure" or "from 0.0 to 1.0" are in [0, 1].
type AudioFeatures struct {
	// Acousticness: confidence that the track is acoustic.
	Acousticness float64 `json:"acousticness"`
	// AnalysisURL links to the track's full audio analysis.
	AnalysisURL string `json:"analysis_url"`
	// Danceability: how suitable the track is for dancing.
	Danceability float64 `json:"danceability"`
	DurationMS   int     `json:"duration_ms"`
	// Energy: perceived intensity and activity.
	Energy float64 `json:"energy"`
	ID     string  `json:"id"`
	// Instrumentalness: likelihood that the track has no vocals.
	Instrumentalness float64 `json:"instrumentalness"`
	// Key is the pitch class (0 = C, 1 = C♯/D♭, ...), -1 when none was
	// detected.
	Key int `json:"key"`
	// Liveness: likelihood that the track was performed live.
	Liveness float64 `json:"liveness"`
	// Loudness is the average loudness in decibels (typically -60 to 0).
	Loudness float64 `json:"loudness"`
	// Mode is 1 for major, 0 for minor.
	Mode int `json:"mode"`
	// Speechiness: presence of spoken words.
	Speechiness float64 `json:"speechiness"`
	// Tempo is the estimated tempo in beats per minute.
	Tempo float64 `json:"tempo"`
	// TimeSignature is the estimated number of beats per bar (3 to 7).
	TimeSignature int    `json:"time_signature"`
	TrackHref     string `json:"track_href"`
	// Type is "audio_features".
	Type string `json:"type"`
	URI  string `json:"uri"`
	// Valence: musical positiveness (happy, cheerful).
	Valence float64 `json:"valence"`
}

// AudioAnalysis is a track's low-level audio analysis: its structure
// (bars, beats, tatums, sections) and its timbre and pitch over time
// (segments).
type AudioAnalysis struct {
	Meta     AudioAnalysisMeta  `json:"meta"`
	Track    AudioAnalysisTrack `json:"track"`
	Bars     []TimeInterval     `json:"bars"`
	Beats    []TimeInterval     `json:"beats"`
	Sections []AudioSection     `json:"sections"`
	Segments []AudioSegment     `json:"segments"`
	Tatums   []TimeInterval     `json:"tatums"`
}

// AudioAnalysisMeta describes the analyzer run.
type AudioAnalysisMeta struct {
	AnalyzerVersion string `json:"analyzer_version"`
	Platform        string `json:"platform"`
	DetailedStatus  string `json:"detailed_status"`
	// StatusCode is 0 on success, 1 if any error occurred.
	StatusCode int `json:"status_code"`
	// Timestamp is when the track was analyzed, in Unix seconds.
	Timestamp    int64   `json:"timestamp"`
	AnalysisTime float64 `json:"analysis_time"`
	InputProcess string  `json:"input_process"`
}

// AudioAnalysisTrack is the analysis of the whole track. The fingerprint
// strings Spotify also sends (codestring, echoprintstring, synchstring,
// rhythmstring: large, for matching tools) are not kept.
type AudioAnalysisTrack struct {
	NumSamples int `json:"num_samples"`
	// Duration is in seconds.
	Duration                float64 `json:"duration"`
	OffsetSeconds           int     `json:"offset_seconds"`
	WindowSeconds           int     `json:"window_seconds"`
	AnalysisSampleRate      int     `json:"analysis_sample_rate"`
	AnalysisChannels        int     `json:"analysis_channels"`
	EndOfFadeIn             float64 `json:"end_of_fade_in"`
	StartOfFadeOut          float64 `json:"start_of_fade_out"`
	Loudness                float64 `json:"loudness"`
	Tempo                   float64 `json:"tempo"`
	TempoConfidence         float64 `json:"tempo_confidence"`
	TimeSignature           int     `json:"time_signature"`
	TimeSignatureConfidence float64 `json:"time_signature_confidence"`
	Key                     int     `json:"key"`
	KeyConfidence           float64 `json:"key_confidence"`
	Mode                    int     `json:"mode"`
	ModeConfidence          float64 `json:"mode_confidence"`
}

// TimeInterval is a bar, beat or tatum: a start and a duration in seconds,
// with the confidence of the detection.
type TimeInterval struct {
	Start      float64 `json:"start"`
	Duration   float64 `json:"duration"`
	Confidence float64 `json:"confidence"`
}

// AudioSection is a large part of a track (verse, chorus, bridge, solo)
// with its own tempo, key, mode and loudness.
type AudioSection struct {
	Start                   float64 `json:"start"`
	Duration                float64 `json:"duration"`
	Confidence              float64 `json:"confidence"`
	Loudness                float64 `json:"loudness"`
	Tempo                   float64 `json:"tempo"`
	TempoConfidence         float64 `json:"tempo_confidence"`
	Key                     int     `json:"key"`
	KeyConfidence           float64 `json:"key_confidence"`
	Mode                    int     `json:"mode"`
	ModeConfidence          float64 `json:"mode_confidence"`
	TimeSignature           int     `json:"time_signature"`
	TimeSignatureConfidence float64 `json:"time_signature_confidence"`
}

// AudioSegment is a short sound of roughly uniform timbre and harmony:
// its loudness envelope, its 12 pitch-class values (chroma, 0 to 1) and
// its 12 timbre coefficients.
type AudioSegment struct {
	Start           float64   `json:"start"`
	Duration        float64   `json:"duration"`
	Confidence      float64   `json:"confidence"`
	LoudnessStart   float64   `json:"loudness_start"`
	LoudnessMax     float64   `json:"loudness_max"`
	LoudnessMaxTime float64   `json:"loudness_max_time"`
	LoudnessEnd     float64   `json:"loudness_end"`
	Pitches         []float64 `json:"pitches"`
	Timbre          []float64 `json:"timbre"`
}

// Recommendations are tracks recommended from seeds, with what each seed
// contributed.
type Recommendations struct {
	Seeds  []RecommendationSeed `json:"seeds"`
	Tracks []Track              `json:"tracks"`
}

// RecommendationSeed is one seed of a recommendation and the size of its
// pool of tracks at each stage.
type RecommendationSeed struct {
	// AfterFilteringSize is the pool after the min_* and max_* filters.
	AfterFilteringSize int `json:"afterFilteringSize"`
	// AfterRelinkingSize is the pool after relinking for the market.
	AfterRelinkingSize int `json:"afterRelinkingSize"`
	// Href links to the seed track or artist; nil for a genre seed.
	Href *string `json:"href"`
	// ID is the seed as given: a track id, an artist id or a genre.
	ID              string `json:"id"`
	InitialPoolSize int    `json:"initialPoolSize"`
	// Type is "artist", "track" or "genre" (live answers have been seen
	// in upper case: compare with strings.EqualFold).
	Type string `json:"type"`
}
