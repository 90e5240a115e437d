package middleware_test

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/transport"
)

// attempts is a stage placed below retry: it runs once per send and
// prints what each send got.
var attempts = transport.Stage{Name: "attempts", Wrap: func(next http.RoundTripper) http.RoundTripper {
	return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		fmt.Println("attempt", transport.Attempt(req.Context()), resp.StatusCode)
		return resp, nil
	})
}}

// The retry stage with its options, over a server whose first answer is a
// 503: the GET is retried after the backoff, and the caller gets the 200.
func ExampleRetry() {
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1) == 1 {
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()

	chain := transport.NewChain(
		transport.Stage{Name: middleware.StageRetry, Wrap: middleware.Retry(middleware.RetryOptions{
			MaxRetries: 2, // two retries after the first send
			Backoff:    func(int) time.Duration { return 10 * time.Millisecond },
		})},
		attempts,
	)
	base := transport.NewBase(transport.BaseOptions{})
	defer base.CloseIdleConnections()
	client := &http.Client{Transport: chain.Then(base)}

	resp, err := client.Get(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// attempt 0 503
	// attempt 1 200
	// 200 ok
}

// A 429's Retry-After longer than the ratelimit stage's MaxRetryAfter is
// not slept through: its budget refuses the wait, and the call fails at
// once with a *middleware.RateLimitError that carries the server's value.
func ExampleRetry_maxRetryAfter() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	}))
	defer srv.Close()

	retry := middleware.Retry(middleware.RetryOptions{MaxRetryAfter: 30 * time.Second})
	budget := middleware.RateLimit(middleware.RateLimitOptions{MaxRetryAfter: 30 * time.Second})
	base := transport.NewBase(transport.BaseOptions{})
	defer base.CloseIdleConnections()
	client := &http.Client{Transport: retry(budget(base))}

	start := time.Now()
	_, err := client.Get(srv.URL)
	var rl *middleware.RateLimitError
	if errors.As(err, &rl) {
		fmt.Println(errors.Is(err, middleware.ErrRateLimited), rl.StatusCode, rl.RetryAfter, rl.Max)
	}
	fmt.Println("waited less than a second:", time.Since(start) < time.Second)
	// Output:
	// true 429 2m0s 30s
	// waited less than a second: true
}
