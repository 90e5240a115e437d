package redisbudget

import (
	"context"
	"testing"
	"time"

	"github.com/spotifysdk/spotify-go/internal/redistest"
	"github.com/spotifysdk/spotify-go/middleware"
)

// BenchmarkWaitObserve measures the cost per request (one Wait, one
// Observe of a 200) of the shared Budget against its local twin alone.
func BenchmarkWaitObserve(b *testing.B) {
	url := redistest.URL(b)
	ctx := context.Background()
	ok := middleware.Outcome{Status: 200, At: time.Now()}
	run := func(b *testing.B, bud middleware.Budget) {
		for b.Loop() {
			if err := bud.Wait(ctx, 0); err != nil {
				b.Fatal(err)
			}
			bud.Observe(ctx, ok)
		}
	}
	b.Run("local", func(b *testing.B) { run(b, middleware.NewFixedBudget(middleware.BudgetOptions{})) })
	b.Run("shared", func(b *testing.B) {
		bud, err := New(Options{URL: url, App: "bench", Prefix: redistest.Prefix(b)})
		if err != nil {
			b.Fatal(err)
		}
		defer bud.Close()
		run(b, bud)
	})
}
