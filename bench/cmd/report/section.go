package main

import "strings"

// withSection replaces the part of doc from begin to end with section, or
// appends section when doc has none.
func withSection(doc, begin, end, section string) string {
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if i < 0 || j < i {
		return strings.TrimRight(doc, "\n") + "\n\n" + section
	}
	return doc[:i] + section + strings.TrimLeft(doc[j+len(end):], "\n")
}
