package clock_test

import (
	"context"
	"fmt"
	"time"

	"github.com/spotifysdk/spotify-go/clock"
)

// A fake clock lets a test run an hour-long wait at once: the sleeper
// returns when the test moves the clock past its deadline.
func ExampleFake() {
	fake := clock.NewFake()
	start := fake.Now()
	done := make(chan error)
	go func() { done <- clock.Sleep(context.Background(), fake, time.Hour) }()
	fake.BlockUntil(1) // the sleeper's timer exists
	fake.Advance(time.Hour)
	fmt.Println(<-done, fake.Now().Sub(start))
	// Output: <nil> 1h0m0s
}
