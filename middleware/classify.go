package middleware

import "net/http"

// QuotaClassifier reports whether a 429 response is a quota stop (Spotify's
// reason QUOTA_EXCEEDED) rather than a short burst limit. Stages know
// nothing of Spotify's bodies, so package spotify supplies one through the
// stages' options. The response body, if the download stage buffered it, is
// available through transport.BodyBytes; a classifier must not consume it.
type QuotaClassifier func(resp *http.Response) bool

func (c QuotaClassifier) isQuota(resp *http.Response) bool {
	return c != nil && resp != nil && resp.StatusCode == http.StatusTooManyRequests && c(resp)
}
