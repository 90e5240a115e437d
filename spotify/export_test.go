package spotify

// This file lends the external tests (package spotify_test) a read-only
// view of the operation registry, which is unexported.

// OpInfo describes one operation of the registry.
type OpInfo struct {
	// ID is the spec's operationId.
	ID string
	// Method and Path are the HTTP method and the spec's path template,
	// relative to the API root ("/albums/{id}").
	Method, Path string
	// Extended: only Extended Quota Mode apps have the operation.
	Extended bool
}

// Operations lists every operation of the registry, in declaration order.
func Operations() []OpInfo {
	ops := make([]OpInfo, 0, len(registry))
	for _, o := range registry {
		ops = append(ops, OpInfo{ID: o.id, Method: o.method, Path: o.path, Extended: o.extended})
	}
	return ops
}
