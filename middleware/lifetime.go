package middleware

import (
	"context"
	"time"
)

// withLifetime returns a context with the values of values and the
// cancellation of life: it ends when life ends (with [context.Canceled]),
// has no deadline, and its Done channel is life's own. values must be a
// context that is never cancelled (its Done returns nil). The coalescing
// stage runs an inline flight on it when its first caller's context is not
// bound to the lifetime already (a call started by a client is, see
// transport.StartCall). Contexts derived from it follow life without a
// goroutine of their own (it implements the AfterFunc method [context]
// looks for).
func withLifetime(values, life context.Context) context.Context {
	return &lifetimeCtx{values: values, life: life}
}

// lifetimeCtx is the context of withLifetime.
type lifetimeCtx struct {
	values context.Context
	life   context.Context
}

// Deadline reports no deadline.
func (c *lifetimeCtx) Deadline() (time.Time, bool) { return time.Time{}, false }

// Done is the lifetime's Done channel.
func (c *lifetimeCtx) Done() <-chan struct{} { return c.life.Done() }

// Err is context.Canceled once the lifetime ended, else nil.
func (c *lifetimeCtx) Err() error {
	if c.life.Err() != nil {
		return context.Canceled
	}
	return nil
}

// Value looks key up in the values context.
func (c *lifetimeCtx) Value(key any) any { return c.values.Value(key) }

// AfterFunc lets contexts derived from c follow its cancellation without a
// goroutine of their own (see [context.AfterFunc]).
func (c *lifetimeCtx) AfterFunc(f func()) func() bool { return context.AfterFunc(c.life, f) }

// String names the context without its values, which may hold secrets.
func (c *lifetimeCtx) String() string { return "middleware.withLifetime" }
