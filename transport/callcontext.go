package transport

import (
	"context"
	"time"
)

// callKey is the context key of the call record.
type callKey struct{}

// StartCall returns ctx with a new call record made of s, and the record,
// in one allocation. When s.Lifetime is set and ctx can never end (its Done
// returns nil), the returned context also ends when the lifetime ends (with
// [context.Canceled]) and its Done channel is the lifetime's: a client binds
// its calls to its own lifetime this way, without a cancel function and an
// [context.AfterFunc] registration per call, and a stage that knows the
// lifetime (middleware.Coalesce) recognises the binding by comparing Done
// channels. Contexts derived from it follow the lifetime without a
// goroutine of their own. A bound context has the caller's values and,
// for keys the caller's context lacks, the lifetime's.
//
// A context that can end is not bound: the caller that needs it bound
// derives a cancellable context and cancels it when the lifetime ends.
func StartCall(ctx context.Context, s CallSpec) (context.Context, *Call) {
	cc := new(startedCall)
	cc.call.init(s)
	cc.callCtx = callCtx{parent: ctx, call: &cc.call}
	if s.Lifetime != nil && ctx.Done() == nil && s.Lifetime.Done() != nil {
		cc.life = s.Lifetime
	}
	return &cc.callCtx, &cc.call
}

// WithCall returns ctx with c as its call record. Unlike [StartCall] it does
// not bind the context to c's lifetime.
func WithCall(ctx context.Context, c *Call) context.Context {
	return &callCtx{parent: ctx, call: c}
}

// CallFrom returns the call record on ctx, or nil. All the methods of
// [Call] accept a nil receiver.
func CallFrom(ctx context.Context) *Call {
	if cc, ok := ctx.(*callCtx); ok { // the common case: the record is on top
		return cc.call
	}
	c, _ := ctx.Value(callKey{}).(*Call)
	return c
}

// startedCall is the one allocation of StartCall.
type startedCall struct {
	callCtx
	call Call
}

// callCtx is the context that carries a call record. With life set, its
// cancellation is the lifetime's (its parent then has none).
type callCtx struct {
	parent context.Context
	call   *Call
	life   context.Context
}

// Deadline is the parent's.
func (c *callCtx) Deadline() (time.Time, bool) { return c.parent.Deadline() }

// Done is the lifetime's Done channel when bound, else the parent's.
func (c *callCtx) Done() <-chan struct{} {
	if c.life != nil {
		return c.life.Done()
	}
	return c.parent.Done()
}

// Err is context.Canceled once a bound lifetime ended, else the parent's.
func (c *callCtx) Err() error {
	if c.life != nil {
		if c.life.Err() != nil {
			return context.Canceled
		}
		return nil
	}
	return c.parent.Err()
}

// Value returns the call record for its key and asks the parent for any
// other; a bound context then asks the lifetime for a key its parent does
// not have. The standard library finds the lifetime's cancellation that way
// and registers contexts derived from this one with the lifetime directly
// (no AfterFunc registration per derived context).
func (c *callCtx) Value(key any) any {
	if _, ok := key.(callKey); ok {
		return c.call
	}
	v := c.parent.Value(key)
	if v == nil && c.life != nil {
		return c.life.Value(key)
	}
	return v
}

// AfterFunc lets contexts derived from c follow its cancellation without a
// goroutine of their own (see [context.AfterFunc]).
func (c *callCtx) AfterFunc(f func()) func() bool {
	if c.life != nil {
		return context.AfterFunc(c.life, f)
	}
	return context.AfterFunc(c.parent, f)
}

// String names the context without its values, which may hold secrets.
func (c *callCtx) String() string { return "transport.Call" }
