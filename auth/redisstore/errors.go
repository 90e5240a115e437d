package redisstore

import (
	"errors"
	"fmt"
	"time"

	"github.com/spotifysdk/spotify-go/internal/redisconn"
)

// ErrInsecure matches (with errors.Is) an [*InsecureError].
var ErrInsecure = redisconn.ErrInsecure

// InsecureError is returned by [New] for a Redis reached without TLS at a
// non-loopback address when [Options.AllowInsecure] is not set. Nothing
// was sent to the server.
type InsecureError = redisconn.InsecureError

// ErrUnavailable matches (with errors.Is) an [*UnavailableError].
var ErrUnavailable = errors.New("redisstore: Redis is unavailable")

// UnavailableError is returned by [Store.Lock] when Redis did not answer
// for [Options.UnavailableWait]: the refresh is not sent, since a refresh
// without the lock could spend a refresh token another process is
// spending. The provider keeps using its token while it is valid.
type UnavailableError struct {
	// Redis names the server (its URL redacted, or the client's address).
	Redis string
	// Waited is how long Lock tried.
	Waited time.Duration
	// Err is the last error of the Redis client.
	Err error
}

// Error says that the refresh was not sent, why, and the client's error.
func (e *UnavailableError) Error() string {
	return fmt.Sprintf("redisstore: Store.Lock: Redis (%s) did not answer for %s, so the token was not refreshed (refreshing without the lock could spend a refresh token another process is spending): %v",
		e.Redis, e.Waited.Round(time.Millisecond), e.Err)
}

// Unwrap returns the Redis client's error.
func (e *UnavailableError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrUnavailable].
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }
