// Package layers holds only a test: it keeps the import arrows of
// DESIGN.md §1 pointing down (internal imports nothing of the module,
// transport never imports auth, cache, middleware or spotify, and so on).
package layers
