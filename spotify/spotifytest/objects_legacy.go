package spotifytest

import (
	"strings"
	"sync"
)

// JSON writers of what Spotify removed for new and Development Mode apps
// in November 2024 (Extended Quota apps keep them): audio features, audio
// analysis, recommendations, featured and category playlists.

// unit returns a draw of [0, 1) with three decimals.
func unit(x uint64) float64 { return float64(x%1000) / 1000 }

// audioFeatures writes an AudioFeaturesObject of track t.
func (v *view) audioFeatures(t int) {
	c := v.cat
	id := v.id(kTrack, t)
	x := c.h(kTrack, t, fText)
	v.obj()
	v.k("acousticness")
	v.float(unit(x))
	v.ks("analysis_url", v.base+"/v1/audio-analysis/"+id)
	v.k("danceability")
	v.float(unit(x >> 10))
	v.ki("duration_ms", c.trackDuration(t))
	v.k("energy")
	v.float(unit(x >> 20))
	v.ks("id", id)
	v.k("instrumentalness")
	v.float(unit(x>>30) / 10)
	v.ki("key", int(x>>40%13)-1)
	v.k("liveness")
	v.float(unit(x>>44) / 2)
	v.k("loudness")
	v.float(-float64(x>>48%30000) / 1000)
	v.ki("mode", int(x>>58%2))
	v.k("speechiness")
	v.float(unit(mix(x)) / 5)
	v.k("tempo")
	v.float(c.trackTempo(t))
	v.ki("time_signature", c.trackMeter(t))
	v.ks("track_href", v.base+apiPath(kTrack, id))
	v.ks("type", "audio_features")
	v.ks("uri", "spotify:track:"+id)
	v.k("valence")
	v.float(unit(mix(x) >> 12))
	v.objEnd()
}

// trackTempo is 60..200 BPM with three decimals.
func (c *Catalog) trackTempo(t int) float64 {
	return 60 + float64(c.hn(kTrack, t, fFeature, 140_000))/1000
}

// trackMeter is the time signature, 3..7 (4 most of the time).
func (c *Catalog) trackMeter(t int) int {
	r := c.hn(kTrack, t, fFeature+100, 10)
	if r < 8 {
		return 4
	}
	return 3 + 2*(r-8)
}

// interval writes a TimeIntervalObject.
func (v *view) interval(start, dur, conf float64) {
	v.obj()
	v.k("start")
	v.float(round3(start))
	v.k("duration")
	v.float(round3(dur))
	v.k("confidence")
	v.float(round3(conf))
	v.objEnd()
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// audioAnalysis writes an AudioAnalysisObject of track t: beats at the
// tempo, bars of the meter, tatums at half beats, a section per 30 s, a
// segment per half second.
func (v *view) audioAnalysis(t int) {
	c := v.cat
	dur := float64(c.trackDuration(t)) / 1000
	tempo, meter := c.trackTempo(t), c.trackMeter(t)
	beat := 60 / tempo
	x := c.h(kTrack, t, fText)
	v.obj()
	v.k("meta")
	v.obj()
	v.ks("analyzer_version", "4.0.0")
	v.ks("platform", "Linux")
	v.ks("detailed_status", "OK")
	v.ki("status_code", 0)
	v.ki("timestamp", 1_500_000_000+int(x%100_000_000))
	v.k("analysis_time")
	v.float(round3(dur / 40))
	v.ks("input_process", "libvorbisfile L+R 44100->22050")
	v.objEnd()
	v.k("track")
	v.obj()
	v.ki("num_samples", int(dur*22050))
	v.k("duration")
	v.float(round3(dur))
	v.ks("sample_md5", "")
	v.ki("offset_seconds", 0)
	v.ki("window_seconds", 0)
	v.ki("analysis_sample_rate", 22050)
	v.ki("analysis_channels", 1)
	v.k("end_of_fade_in")
	v.float(0.2)
	v.k("start_of_fade_out")
	v.float(round3(dur - 5))
	v.k("loudness")
	v.float(-float64(x>>48%30000) / 1000)
	v.k("tempo")
	v.float(tempo)
	v.k("tempo_confidence")
	v.float(unit(x >> 7))
	v.ki("time_signature", meter)
	v.k("time_signature_confidence")
	v.float(unit(x >> 17))
	v.ki("key", int(x>>40%12))
	v.k("key_confidence")
	v.float(unit(x >> 27))
	v.ki("mode", int(x>>58%2))
	v.k("mode_confidence")
	v.float(unit(x >> 37))
	for _, k := range []string{"codestring", "echoprintstring", "synchstring", "rhythmstring"} {
		v.ks(k, "")
		v.k(strings.TrimSuffix(k, "string") + "_version")
		v.float(1)
	}
	v.objEnd()
	intervals := func(key string, step float64) {
		v.k(key)
		v.arr()
		for s, i := 0.0, 0; s < dur; s, i = s+step, i+1 {
			v.interval(s, min(step, dur-s), unit(mix(x+uint64(i))))
		}
		v.arrEnd()
	}
	intervals("bars", beat*float64(meter))
	intervals("beats", beat)
	intervals("tatums", beat/2)
	v.k("sections")
	v.arr()
	for s := 0.0; s < dur; s += 30 {
		v.obj()
		v.k("start")
		v.float(s)
		v.k("duration")
		v.float(round3(min(30, dur-s)))
		v.k("confidence")
		v.float(1)
		v.k("loudness")
		v.float(-float64(x>>48%30000) / 1000)
		v.k("tempo")
		v.float(tempo)
		v.k("tempo_confidence")
		v.float(unit(x >> 7))
		v.ki("key", int(x>>40%12))
		v.k("key_confidence")
		v.float(unit(x >> 27))
		v.ki("mode", int(x>>58%2))
		v.k("mode_confidence")
		v.float(unit(x >> 37))
		v.ki("time_signature", meter)
		v.k("time_signature_confidence")
		v.float(1)
		v.objEnd()
	}
	v.arrEnd()
	v.k("segments")
	v.arr()
	for s, i := 0.0, 0; s < dur; s, i = s+0.5, i+1 {
		y := mix(x + uint64(i))
		v.obj()
		v.k("start")
		v.float(s)
		v.k("duration")
		v.float(round3(min(0.5, dur-s)))
		v.k("confidence")
		v.float(unit(y))
		for _, k := range []string{"loudness_start", "loudness_max", "loudness_end"} {
			v.k(k)
			v.float(-float64(y>>20%40000) / 1000)
		}
		v.k("loudness_max_time")
		v.float(unit(y>>30) / 10)
		for _, k := range []string{"pitches", "timbre"} {
			v.k(k)
			v.arr()
			for j := range 12 {
				v.float(unit(mix(y + uint64(j))))
			}
			v.arrEnd()
		}
		v.objEnd()
	}
	v.arrEnd()
	v.objEnd()
}

// genreSeeds returns the genres recommendations accept, as Spotify
// spells them; built once, callers must not change it.
var genreSeeds = sync.OnceValue(func() []string {
	r := strings.NewReplacer(" ", "-", "&", "n")
	out := make([]string, len(genres))
	for i, g := range genres {
		out[i] = r.Replace(g)
	}
	return out
})
