package cache

// pathIndex finds the keys of the entries an [Invalidation] drops without
// looking at any other entry: a tree of path segments ([pathSegments]) whose
// nodes hold the keys of the entries stored at exactly their path. A node
// that holds no key and has no children is removed, so the tree never has
// more nodes than the stored entries have path segments.
//
// An invalidation of a path visits the nodes of that path and of its
// ancestors (one map lookup each), then the subtree below it, whose keys it
// drops: its cost grows with the depth of the path and the entries dropped,
// never with the other entries.
//
// It is not safe for concurrent use: [LRU] guards it with its mutex.
type pathIndex struct {
	// top is above every path: its children are the first segments ("" for
	// every path that starts with "/"). It holds no keys.
	top pathNode
}

// pathNode is one path of a [pathIndex].
type pathNode struct {
	parent   *pathNode
	seg      string // the last segment of the node's path
	children map[string]*pathNode
	keys     map[Key]struct{} // the keys stored at exactly this path
}

// add records that the entry under k has path p.
func (ix *pathIndex) add(p string, k Key) {
	n := &ix.top
	for seg := range pathSegments(p) {
		c := n.children[seg]
		if c == nil {
			if n.children == nil {
				n.children = make(map[string]*pathNode)
			}
			c = &pathNode{parent: n, seg: seg}
			n.children[seg] = c
		}
		n = c
	}
	if n.keys == nil {
		n.keys = make(map[Key]struct{})
	}
	n.keys[k] = struct{}{}
}

// remove forgets the entry under k of path p, and the nodes left empty.
func (ix *pathIndex) remove(p string, k Key) {
	n := ix.find(p)
	if n == nil {
		return
	}
	delete(n.keys, k)
	for n != &ix.top && len(n.keys) == 0 && len(n.children) == 0 {
		delete(n.parent.children, n.seg)
		n = n.parent
	}
}

// find returns the node of path p, or nil when no entry is stored at or
// below p.
func (ix *pathIndex) find(p string) *pathNode {
	n := &ix.top
	for seg := range pathSegments(p) {
		if n = n.children[seg]; n == nil {
			return nil
		}
	}
	return n
}

// collect appends to keys the keys of the entries inv drops and returns
// them, with the number of nodes it visited.
func (ix *pathIndex) collect(inv Invalidation, keys []Key) ([]Key, int) {
	visited := 0
	if inv.Path != "" {
		n, found := &ix.top, true
		for seg := range pathSegments(inv.Path) {
			// n is a proper ancestor of inv.Path (or top, which holds no
			// keys): the entries at exactly its path go.
			for k := range n.keys {
				keys = append(keys, k)
			}
			if n = n.children[seg]; n == nil {
				found = false
				break
			}
			visited++
		}
		if found {
			keys, visited = n.subtree(keys, visited)
		}
	}
	for _, p := range inv.Prefixes {
		if p == "" {
			continue
		}
		n := &ix.top
		for seg := range pathSegments(p) {
			if n = n.children[seg]; n == nil {
				break
			}
			visited++
		}
		if n != nil {
			keys, visited = n.subtree(keys, visited)
		}
	}
	return keys, visited
}

// subtree appends the keys of n and of every node below it to keys, and
// adds the nodes below n to visited.
func (n *pathNode) subtree(keys []Key, visited int) ([]Key, int) {
	for k := range n.keys {
		keys = append(keys, k)
	}
	for _, c := range n.children {
		keys, visited = c.subtree(keys, visited+1)
	}
	return keys, visited
}
