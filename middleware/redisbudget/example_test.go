package redisbudget_test

import (
	"fmt"

	"github.com/spotifysdk/spotify-go/middleware"
	"github.com/spotifysdk/spotify-go/middleware/redisbudget"
)

func ExampleNew() {
	// Every worker of the app makes one, with the same App and Redis; each
	// paces its own requests with its local Budget.
	b, err := redisbudget.New(redisbudget.Options{
		URL:   "redis://:hunter2@redis.internal:6379/0",
		App:   "my-client-id",
		Local: middleware.NewFixedBudget(middleware.BudgetOptions{Rate: 5}),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	fmt.Println(b) // give it to spotify.WithBudget
	// Output: redisbudget.Budget{Redis:redis://:xxxxx@redis.internal:6379/0, Key:"spotify-go:v1:{budget:my-client-id}:cooldown"}
}
