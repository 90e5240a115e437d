package spotify

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/spotifysdk/spotify-go/transport"
)

// playlistsMaxItems is Spotify's limit of items per playlist write.
const playlistsMaxItems = 100

// playlistsRoutes are the operations of one generation of the playlist item
// writes: the 2026 /items routes, or the older /tracks ones (Extended Quota
// Mode), whose removal body names its list "tracks". Both share the
// validation, chunking and snapshot handling below.
type playlistsRoutes struct {
	add, replace, remove *operation
	// tracksKey sends a removal's list under "tracks" instead of "items".
	tracksKey bool
}

// playlistsItemsRoutes are the 2026 /items routes.
var playlistsItemsRoutes = &playlistsRoutes{add: opAddPlaylistItems, replace: opReorderPlaylistItems, remove: opRemovePlaylistItems}

// AddItemsOptions are the options of [PlaylistsService.AddItems] and
// [PlaylistsService.AddTracks].
type AddItemsOptions struct {
	// Position is the zero-based index where the items go; nil appends
	// them.
	Position *int
}

// playlistsAddBody is the body of an add (and of a replace).
type playlistsAddBody struct {
	URIs     []string `json:"uris"`
	Position *int     `json:"position,omitzero"`
}

// AddItems adds tracks or episodes (by Spotify URI) to a playlist, in the
// order given, and returns the playlist's new snapshot id.
//
// Spotify takes 100 URIs per request: a longer list is sent in chunks of
// 100, one after the other, and the snapshot id of the last one is
// returned. With a Position, chunk k goes at Position + 100*k, so the items
// land contiguous and in order; without one, each chunk is appended. If a
// request fails, the error is a *ChunkError naming the URIs applied, failed
// and not sent (it wraps the request's error), and the snapshot id returned
// with it is that of the last chunk applied ("" if none). An add is never
// replayed after a 5xx or a broken connection, so an item cannot be added
// twice; send ChunkError.Failed again once you have checked the playlist.
//
// It fails with ErrInvalidArgument, sending nothing, when id or uris is
// empty or a URI is "".
//
// Spotify API: POST /playlists/{playlist_id}/items. Scope:
// playlist-modify-public or playlist-modify-private.
func (s *PlaylistsService) AddItems(ctx context.Context, id string, uris []string, opts *AddItemsOptions) (string, error) {
	return s.add(ctx, playlistsItemsRoutes, id, uris, opts)
}

// add validates and sends an add with routes.
func (s *PlaylistsService) add(ctx context.Context, routes *playlistsRoutes, id string, uris []string, opts *AddItemsOptions) (string, error) {
	op := routes.add
	if err := op.checkID("playlist_id", id); err != nil {
		return "", err
	}
	if err := op.checkURIs(uris, false); err != nil {
		return "", err
	}
	if opts == nil {
		opts = &AddItemsOptions{}
	}
	return s.writeURIs(ctx, routes, id, uris, opts.Position, false)
}

// writeURIs sends uris in chunks of 100, in order, and returns the last
// snapshot id applied (with a *ChunkError on failure). Chunk k is an add at
// position + 100*k when position is set, appended otherwise; with replace,
// chunk 0 is a replace (PUT) and the others are appended. An Extended
// Quota route in Development Mode fails before any request, not with a
// *ChunkError.
func (s *PlaylistsService) writeURIs(ctx context.Context, routes *playlistsRoutes, id string, uris []string, position *int, replace bool) (string, error) {
	if err := s.c.appModeCheck(routes.add); err != nil {
		return "", err
	}
	var snapshot string
	err := runChunks(uris, playlistsMaxItems, func(i int, chunk []string, throttle *transport.Throttle) error {
		cl := &call{op: routes.add, args: []string{id}, throttle: throttle}
		body := playlistsAddBody{URIs: chunk}
		switch {
		case replace && i == 0:
			cl.op = routes.replace
		case position != nil && !replace:
			body.Position = Ptr(*position + playlistsMaxItems*i)
		}
		cl.body = body
		sid, err := s.sendSnapshot(ctx, cl)
		if err != nil {
			return err
		}
		snapshot = sid
		return nil
	})
	return snapshot, err
}

// ReorderOrReplaceOptions are the options of
// [PlaylistsService.ReorderOrReplaceItems] and
// [PlaylistsService.ReorderOrReplaceTracks]. Set URIs to replace the
// playlist's items (replace mode, nothing else may be set), or RangeStart
// and InsertBefore to move a range of items (reorder mode).
type ReorderOrReplaceOptions struct {
	// URIs are the playlist's new items, in order (replace mode).
	URIs []string
	// RangeStart is the position of the first item to move (reorder mode).
	RangeStart *int
	// InsertBefore is the position the range moves before; the playlist's
	// length moves it to the end (reorder mode).
	InsertBefore *int
	// RangeLength is the number of items to move (nil: 1).
	RangeLength *int
	// SnapshotID is the playlist version the positions refer to (reorder
	// mode; "" for the current one).
	SnapshotID string
}

// playlistsReorderBody is the body of a reorder.
type playlistsReorderBody struct {
	RangeStart   int    `json:"range_start"`
	InsertBefore int    `json:"insert_before"`
	RangeLength  *int   `json:"range_length,omitzero"`
	SnapshotID   string `json:"snapshot_id,omitempty"`
}

// ReorderOrReplaceItems moves a range of a playlist's items, or replaces
// all of them, and returns the playlist's new snapshot id.
//
// Replace mode (URIs set): Spotify takes 100 URIs per request, so the first
// 100 replace the playlist's items and the rest are appended in chunks of
// 100 as [PlaylistsService.AddItems] does; the snapshot id of the last
// request is returned. A failure part-way leaves the playlist with the
// chunks applied so far and returns a *ChunkError (with the last applied
// snapshot id, "" if none). An empty URIs list is refused: to clear a
// playlist, remove its items with RemoveItems.
//
// Reorder mode: RangeStart and InsertBefore are required; RangeLength and
// SnapshotID are sent when set. A reorder is never replayed after a 5xx or
// a broken connection.
//
// It fails with ErrInvalidArgument, sending nothing, when replace mode
// carries a reorder field, when reorder mode lacks RangeStart or
// InsertBefore, or when URIs is empty or holds "".
//
// Spotify API: PUT /playlists/{playlist_id}/items (and POST for the
// appended chunks). Scope: playlist-modify-public or
// playlist-modify-private.
func (s *PlaylistsService) ReorderOrReplaceItems(ctx context.Context, id string, opts *ReorderOrReplaceOptions) (string, error) {
	return s.reorderOrReplace(ctx, playlistsItemsRoutes, id, opts)
}

// reorderOrReplace validates and sends a reorder or a replace with routes.
func (s *PlaylistsService) reorderOrReplace(ctx context.Context, routes *playlistsRoutes, id string, opts *ReorderOrReplaceOptions) (string, error) {
	op := routes.replace
	if err := op.checkID("playlist_id", id); err != nil {
		return "", err
	}
	if opts == nil {
		opts = &ReorderOrReplaceOptions{}
	}
	if opts.URIs != nil {
		if opts.RangeStart != nil || opts.InsertBefore != nil || opts.RangeLength != nil || opts.SnapshotID != "" {
			return "", op.invalid("uris (replace) cannot be combined with range_start, insert_before, range_length or snapshot_id (reorder)")
		}
		if err := op.checkURIs(opts.URIs, false); err != nil {
			return "", err
		}
		return s.writeURIs(ctx, routes, id, opts.URIs, nil, true)
	}
	if opts.RangeStart == nil || opts.InsertBefore == nil {
		return "", op.invalid("a reorder needs both range_start and insert_before (or set uris to replace)")
	}
	body := playlistsReorderBody{RangeStart: *opts.RangeStart, InsertBefore: *opts.InsertBefore, RangeLength: opts.RangeLength, SnapshotID: opts.SnapshotID}
	return s.sendSnapshot(ctx, &call{op: routes.replace, args: []string{id}, body: body})
}

// PlaylistItemRef names a playlist item to remove: every occurrence of URI,
// or only those at Positions (zero-based, in the playlist version of the
// call's SnapshotID).
type PlaylistItemRef struct {
	URI       string `json:"uri"`
	Positions []int  `json:"positions,omitempty"`
}

// RemoveItemsOptions are the options of [PlaylistsService.RemoveItems] and
// [PlaylistsService.RemoveTracks]: exactly one of URIs and Items.
type RemoveItemsOptions struct {
	// URIs are removed wherever they occur.
	URIs []string
	// Items are removed wherever they occur, or at their Positions.
	Items []PlaylistItemRef
	// SnapshotID is the playlist version the removal refers to ("" for
	// the current one).
	SnapshotID string
}

// playlistsRemoveBody is the body of a removal: the list under "items"
// (the /items route) or "tracks" (the older /tracks route); validation
// keeps it non-empty.
type playlistsRemoveBody struct {
	Items      []PlaylistItemRef `json:"items,omitempty"`
	Tracks     []PlaylistItemRef `json:"tracks,omitempty"`
	SnapshotID string            `json:"snapshot_id,omitempty"`
}

// RemoveItems removes tracks or episodes from a playlist and returns the
// playlist's new snapshot id.
//
// Spotify takes 100 items per request: a longer list is sent in chunks of
// 100, one after the other, each with the given SnapshotID, and the
// snapshot id of the last one is returned. A failure part-way returns a
// *ChunkError naming the URIs applied, failed and not sent (with the last
// applied snapshot id, "" if none); a removal is never replayed after a 5xx
// or a broken connection. Removal by position cannot be split safely (each
// chunk would shift the positions of the next), so Items with Positions
// are limited to 100.
//
// It fails with ErrInvalidArgument, sending nothing, when id is empty, when
// not exactly one of URIs and Items is set, when either is empty or holds
// an empty URI, or when more than 100 Items are given and some carry
// Positions.
//
// Spotify API: DELETE /playlists/{playlist_id}/items. Scope:
// playlist-modify-public or playlist-modify-private.
func (s *PlaylistsService) RemoveItems(ctx context.Context, id string, opts *RemoveItemsOptions) (string, error) {
	return s.remove(ctx, playlistsItemsRoutes, id, opts)
}

// remove validates and sends a removal with routes.
func (s *PlaylistsService) remove(ctx context.Context, routes *playlistsRoutes, id string, opts *RemoveItemsOptions) (string, error) {
	op := routes.remove
	if err := op.checkID("playlist_id", id); err != nil {
		return "", err
	}
	if opts == nil {
		opts = &RemoveItemsOptions{}
	}
	if (opts.URIs == nil) == (opts.Items == nil) {
		return "", op.invalid("set exactly one of uris and items")
	}
	items := opts.Items
	if opts.URIs != nil {
		if err := op.checkURIs(opts.URIs, false); err != nil {
			return "", err
		}
		items = make([]PlaylistItemRef, len(opts.URIs))
		for i, u := range opts.URIs {
			items[i] = PlaylistItemRef{URI: u}
		}
	} else if err := playlistsItemRefs(op, items); err != nil {
		return "", err
	}
	if err := s.c.appModeCheck(routes.remove); err != nil {
		return "", err
	}
	uris := make([]string, len(items))
	for i, it := range items {
		uris[i] = it.URI
	}
	var snapshot string
	err := runChunks(uris, playlistsMaxItems, func(i int, chunk []string, throttle *transport.Throttle) error {
		from := i * playlistsMaxItems
		body := playlistsRemoveBody{SnapshotID: opts.SnapshotID}
		if routes.tracksKey {
			body.Tracks = items[from : from+len(chunk)]
		} else {
			body.Items = items[from : from+len(chunk)]
		}
		sid, err := s.sendSnapshot(ctx, &call{op: routes.remove, args: []string{id}, body: body, throttle: throttle})
		if err != nil {
			return err
		}
		snapshot = sid
		return nil
	})
	return snapshot, err
}

// playlistsItemRefs checks the items of a removal (op): not empty, each
// with a URI; and refuses positional removals that would need several
// requests.
func playlistsItemRefs(op *operation, items []PlaylistItemRef) error {
	if len(items) == 0 {
		return op.invalid("items is empty")
	}
	positional := false
	for i, it := range items {
		if strings.TrimSpace(it.URI) == "" {
			return op.invalid("items[%d] has no uri", i)
		}
		positional = positional || len(it.Positions) > 0
	}
	if positional && len(items) > playlistsMaxItems {
		return op.invalid("positional removal of more than %d items cannot be split safely: each request shifts the positions of the next; send at most %d items with positions per call", playlistsMaxItems, playlistsMaxItems)
	}
	return nil
}

// sendSnapshot sends a playlist write and returns the snapshot_id of its
// answer. An answer that is not an object, or has no string snapshot_id,
// is a *DecodeError whose message names the endpoint; an empty or null
// answer never gets here (decode refuses it first).
func (s *PlaylistsService) sendSnapshot(ctx context.Context, cl *call) (string, error) {
	var raw jsontext.Value
	if _, err := s.c.call(ctx, cl, &raw); err != nil {
		return "", err
	}
	sid, err := playlistsSnapshotID(raw, cl.op.expand(cl.args...))
	if err != nil {
		return "", &DecodeError{Method: cl.op.method, Route: cl.op.path, Err: err}
	}
	return sid, nil
}

// playlistsSnapshotID reads snapshot_id from a write's answer.
func playlistsSnapshotID(raw jsontext.Value, endpoint string) (string, error) {
	if k := raw.Kind(); k != '{' {
		return "", fmt.Errorf("expected an object from %s, got %s", endpoint, jsonKindName(k))
	}
	var obj struct {
		SnapshotID jsontext.Value `json:"snapshot_id"`
	}
	if err := decodeJSON(raw, &obj); err != nil {
		return "", err
	}
	var sid string
	if obj.SnapshotID.Kind() != '"' || decodeJSON(obj.SnapshotID, &sid) != nil {
		return "", fmt.Errorf("the answer from %s has no snapshot_id string", endpoint)
	}
	return sid, nil
}
