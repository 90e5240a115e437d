package transport

import (
	"fmt"
	"net/http"
	"strings"
)

// Stage is a named middleware. Names are stable strings: custom middleware
// is placed relative to them ("before retry").
type Stage struct {
	// Name identifies the stage in its chain; it must be unique and not empty.
	Name string
	// Wrap builds the stage around the next RoundTripper. A nil Wrap is a
	// stage that passes requests straight through.
	Wrap Middleware
}

// Position says on which side of a named stage [Chain.Insert] places a new one.
type Position int

const (
	// Before places the new stage outside the named one: it runs first.
	Before Position = iota
	// After places the new stage inside the named one: it runs next.
	After
)

// String returns "before" or "after".
func (p Position) String() string {
	if p == After {
		return "after"
	}
	return "before"
}

// Chain is an ordered list of named stages, outermost first. The zero value
// is an empty chain ready to use. A Chain is not safe for concurrent
// modification; build it, then call [Chain.Then].
type Chain struct {
	stages []Stage
}

// NewChain returns a chain of the given stages, outermost first. It panics on
// an empty or duplicate name, since a fixed list with such a mistake is a
// programming error; use [Chain.Use] to add stages with an error instead.
func NewChain(stages ...Stage) *Chain {
	c := &Chain{}
	if err := c.Use(stages...); err != nil {
		panic(err)
	}
	return c
}

// Use appends stages at the inner end of the chain (next to the base).
func (c *Chain) Use(stages ...Stage) error {
	for _, s := range stages {
		if err := c.checkNew(s); err != nil {
			return err
		}
		c.stages = append(c.stages, s)
	}
	return nil
}

// Insert places s before (outside) or after (inside) the stage named
// relativeTo.
func (c *Chain) Insert(relativeTo string, pos Position, s Stage) error {
	if err := c.checkNew(s); err != nil {
		return err
	}
	i := c.index(relativeTo)
	if i < 0 {
		return fmt.Errorf("transport: cannot insert %q %s %q: no stage named %q (stages: %s)",
			s.Name, pos, relativeTo, relativeTo, c)
	}
	if pos == After {
		i++
	}
	c.stages = append(c.stages, Stage{})
	copy(c.stages[i+1:], c.stages[i:])
	c.stages[i] = s
	return nil
}

// Replace swaps the stage named name for s, keeping its place. s may carry
// the same name or a new one.
func (c *Chain) Replace(name string, s Stage) error {
	i := c.index(name)
	if i < 0 {
		return fmt.Errorf("transport: cannot replace %q: no such stage (stages: %s)", name, c)
	}
	if s.Name == "" {
		return fmt.Errorf("transport: cannot replace %q with a stage that has no name", name)
	}
	if j := c.index(s.Name); j >= 0 && j != i {
		return fmt.Errorf("transport: cannot replace %q with %q: a stage of that name exists", name, s.Name)
	}
	c.stages[i] = s
	return nil
}

// Remove deletes the stage named name.
func (c *Chain) Remove(name string) error {
	i := c.index(name)
	if i < 0 {
		return fmt.Errorf("transport: cannot remove %q: no such stage (stages: %s)", name, c)
	}
	c.stages = append(c.stages[:i], c.stages[i+1:]...)
	return nil
}

// Has reports whether the chain holds a stage named name.
func (c *Chain) Has(name string) bool { return c.index(name) >= 0 }

// Names returns the stage names, outermost first.
func (c *Chain) Names() []string {
	names := make([]string, len(c.stages))
	for i, s := range c.stages {
		names[i] = s.Name
	}
	return names
}

// String prints the chain as "a -> b -> c".
func (c *Chain) String() string { return strings.Join(c.Names(), " -> ") }

// Clone returns an independent copy of the chain.
func (c *Chain) Clone() *Chain {
	return &Chain{stages: append([]Stage(nil), c.stages...)}
}

// Without returns a copy of the chain without the named stages; names that
// are not in the chain are ignored.
func (c *Chain) Without(names ...string) *Chain {
	out := &Chain{}
	for _, s := range c.stages {
		drop := false
		for _, n := range names {
			if s.Name == n {
				drop = true
				break
			}
		}
		if !drop {
			out.stages = append(out.stages, s)
		}
	}
	return out
}

// Then builds the chain around base (nil means [http.DefaultTransport]) and
// returns the outermost RoundTripper. Later changes to c do not affect it.
func (c *Chain) Then(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	rt := base
	for i := len(c.stages) - 1; i >= 0; i-- {
		if w := c.stages[i].Wrap; w != nil {
			rt = w(rt)
		}
	}
	return rt
}

func (c *Chain) index(name string) int {
	for i, s := range c.stages {
		if s.Name == name {
			return i
		}
	}
	return -1
}

func (c *Chain) checkNew(s Stage) error {
	if s.Name == "" {
		return fmt.Errorf("transport: a stage needs a name")
	}
	if c.index(s.Name) >= 0 {
		return fmt.Errorf("transport: a stage named %q is already in the chain", s.Name)
	}
	return nil
}
