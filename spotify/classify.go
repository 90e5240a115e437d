package spotify

import (
	"net/http"

	"github.com/spotifysdk/spotify-go/transport"
)

// reasonQuotaExceeded is the error reason Spotify sends on a 429 that stops
// an app whose quota is spent (July 2026), as opposed to a burst limit.
const reasonQuotaExceeded = "QUOTA_EXCEEDED"

// isQuotaExceeded is the QuotaClassifier the pipeline hands to the retry and
// rate-limit stages: a 429 whose buffered body carries reason QUOTA_EXCEEDED.
func isQuotaExceeded(resp *http.Response) bool {
	body, ok := transport.BodyBytes(resp.Body)
	return ok && reasonOf(body) == reasonQuotaExceeded
}

// reasonOf returns the "reason" of a Spotify error body, or "".
func reasonOf(body []byte) string {
	_, reason := parseErrorBody(body)
	return reason
}
