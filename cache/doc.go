// Package cache holds the response store behind the cache stage of the
// spotify-go chain: the [Store] interface and an LRU store bounded by
// entries and bytes, built on hashicorp/golang-lru/v2.
//
// Entries belong to a principal (the user or app whose data they are): the
// cache stage keys every entry by it, so one user's responses never reach
// another.
package cache
