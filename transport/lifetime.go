package transport

import (
	"context"
	"time"
)

// WithLifetime returns a context with the values of values and the
// cancellation of life: it ends when life ends (with [context.Canceled]),
// has no deadline, and its Done channel is life's own. values should be a
// context that is never cancelled (its Done returns nil); its cancellation
// is not followed.
//
// A client binds a call made with such a context to its own lifetime this
// way, without a cancel function and an [context.AfterFunc] registration
// per call; a stage that knows the lifetime (see middleware.Coalesce)
// recognises the binding by comparing Done channels: a caller whose Done is
// the lifetime's can only leave when the lifetime ends.
//
// Contexts derived from the result follow life without a goroutine of
// their own (it implements the AfterFunc method [context] looks for).
func WithLifetime(values, life context.Context) context.Context {
	return &lifetimeCtx{values: values, life: life}
}

// lifetimeCtx is the context of [WithLifetime].
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
func (c *lifetimeCtx) String() string { return "transport.WithLifetime" }
