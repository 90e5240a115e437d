package middleware

import (
	"testing"
)

// BenchmarkRequestKeyString measures keying a client's read: a URL without
// a query, and one with a query, with the headers a client sets.
func BenchmarkRequestKeyString(b *testing.B) {
	for _, c := range []struct{ name, url string }{
		{"plain", "https://api.spotify.com/v1/tracks/11dFghVXANMlKmJXsNCbNl"},
		{"query", "https://api.spotify.com/v1/tracks/11dFghVXANMlKmJXsNCbNl?market=SE"},
	} {
		b.Run(c.name, func(b *testing.B) {
			req := benchClientRead(b, c.url)
			b.ReportAllocs()
			for b.Loop() {
				_ = requestKeyString(req)
			}
		})
	}
}
