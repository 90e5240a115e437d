package spotify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// playlistsTestURIs returns n distinct track URIs.
func playlistsTestURIs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("spotify:track:p%03d", i)
	}
	return out
}

// playlistsSnapshotJSON is a write's answer.
const playlistsSnapshotJSON = `{"snapshot_id":"snap-9"}`

func TestPlaylistsItemsMethods(t *testing.T) {
	runMethodCases(t, []methodCase{
		{
			name: "AddItems at position 0", method: "POST", path: "/playlists/p1/items",
			body:   `{"uris":["spotify:track:a","spotify:episode:b"],"position":0}`,
			status: http.StatusCreated, respond: playlistsSnapshotJSON,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.AddItems(ctx, "p1", []string{"spotify:track:a", "spotify:episode:b"}, &AddItemsOptions{Position: Ptr(0)})
			},
			check: func(t *testing.T, got any) { assert.Equal(t, "snap-9", got) },
		},
		{
			name: "AddItems appends", method: "POST", path: "/playlists/p1/items",
			body:   `{"uris":["spotify:track:a"]}`,
			status: http.StatusCreated, respond: playlistsSnapshotJSON,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.AddItems(ctx, "p1", []string{"spotify:track:a"}, nil)
			},
			check: func(t *testing.T, got any) { assert.Equal(t, "snap-9", got) },
		},
		{
			name: "ReorderOrReplaceItems reorder", method: "PUT", path: "/playlists/p1/items",
			body:    `{"range_start":0,"insert_before":10}`,
			respond: playlistsSnapshotJSON,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{RangeStart: Ptr(0), InsertBefore: Ptr(10)})
			},
			check: func(t *testing.T, got any) { assert.Equal(t, "snap-9", got) },
		},
		{
			name: "ReorderOrReplaceItems reorder with length and snapshot", method: "PUT", path: "/playlists/p1/items",
			body:    `{"range_start":9,"insert_before":0,"range_length":2,"snapshot_id":"snap-1"}`,
			respond: playlistsSnapshotJSON,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{RangeStart: Ptr(9), InsertBefore: Ptr(0), RangeLength: Ptr(2), SnapshotID: "snap-1"})
			},
			check: func(t *testing.T, got any) {
				assert.Equal(t, "snap-9", got, "the answer's snapshot id, not the one sent")
			},
		},
		{
			name: "ReorderOrReplaceItems replace", method: "PUT", path: "/playlists/p1/items",
			body:    `{"uris":["spotify:track:a","spotify:track:b"]}`,
			respond: playlistsSnapshotJSON,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{URIs: []string{"spotify:track:a", "spotify:track:b"}})
			},
			check: func(t *testing.T, got any) { assert.Equal(t, "snap-9", got) },
		},
		{
			name: "RemoveItems by URI", method: "DELETE", path: "/playlists/p1/items",
			body:    `{"items":[{"uri":"spotify:track:a"},{"uri":"spotify:episode:b"}],"snapshot_id":"snap-1"}`,
			respond: playlistsSnapshotJSON,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.RemoveItems(ctx, "p1", &RemoveItemsOptions{URIs: []string{"spotify:track:a", "spotify:episode:b"}, SnapshotID: "snap-1"})
			},
			check: func(t *testing.T, got any) { assert.Equal(t, "snap-9", got) },
		},
		{
			name: "RemoveItems with positions", method: "DELETE", path: "/playlists/p1/items",
			body:    `{"items":[{"uri":"spotify:track:a","positions":[0,3]},{"uri":"spotify:track:b"}]}`,
			respond: playlistsSnapshotJSON,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Playlists.RemoveItems(ctx, "p1", &RemoveItemsOptions{Items: []PlaylistItemRef{{URI: "spotify:track:a", Positions: []int{0, 3}}, {URI: "spotify:track:b"}}})
			},
			check: func(t *testing.T, got any) { assert.Equal(t, "snap-9", got) },
		},
	})
}

func TestPlaylistsItemsValidation(t *testing.T) {
	uris := []string{"spotify:track:a"}
	positional := make([]PlaylistItemRef, 101)
	for i := range positional {
		positional[i] = PlaylistItemRef{URI: "spotify:track:a", Positions: []int{i}}
	}
	runInvalidCases(t, []invalidCase{
		{"AddItems empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.AddItems(ctx, "", uris, nil)
			return err
		}, "spotify: Playlists.AddItems: playlist_id is empty"},
		{"AddItems no uris", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.AddItems(ctx, "p1", nil, nil)
			return err
		}, "spotify: Playlists.AddItems: uris is empty"},
		{"AddItems empty uri", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.AddItems(ctx, "p1", []string{"spotify:track:a", ""}, nil)
			return err
		}, "spotify: Playlists.AddItems: uris[1] is empty"},
		{"ReorderOrReplaceItems empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceItems(ctx, "", &ReorderOrReplaceOptions{URIs: uris})
			return err
		}, "spotify: Playlists.ReorderOrReplaceItems: playlist_id is empty"},
		{"replace with range_start", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{URIs: uris, RangeStart: Ptr(0)})
			return err
		}, "spotify: Playlists.ReorderOrReplaceItems: uris (replace) cannot be combined with range_start, insert_before, range_length or snapshot_id (reorder)"},
		{"replace with insert_before", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{URIs: uris, InsertBefore: Ptr(0)})
			return err
		}, "spotify: Playlists.ReorderOrReplaceItems: uris (replace) cannot be combined with range_start, insert_before, range_length or snapshot_id (reorder)"},
		{"replace with range_length", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{URIs: uris, RangeLength: Ptr(1)})
			return err
		}, "spotify: Playlists.ReorderOrReplaceItems: uris (replace) cannot be combined with range_start, insert_before, range_length or snapshot_id (reorder)"},
		{"replace with snapshot_id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{URIs: uris, SnapshotID: "s"})
			return err
		}, "spotify: Playlists.ReorderOrReplaceItems: uris (replace) cannot be combined with range_start, insert_before, range_length or snapshot_id (reorder)"},
		{"replace with no uris", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{URIs: []string{}})
			return err
		}, "spotify: Playlists.ReorderOrReplaceItems: uris is empty"},
		{"replace with an empty uri", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{URIs: []string{""}})
			return err
		}, "spotify: Playlists.ReorderOrReplaceItems: uris[0] is empty"},
		{"reorder nil options", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceItems(ctx, "p1", nil)
			return err
		}, "spotify: Playlists.ReorderOrReplaceItems: a reorder needs both range_start and insert_before"},
		{"reorder without insert_before", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{RangeStart: Ptr(1), RangeLength: Ptr(2)})
			return err
		}, "spotify: Playlists.ReorderOrReplaceItems: a reorder needs both range_start and insert_before"},
		{"reorder without range_start", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.ReorderOrReplaceItems(ctx, "p1", &ReorderOrReplaceOptions{InsertBefore: Ptr(1)})
			return err
		}, "spotify: Playlists.ReorderOrReplaceItems: a reorder needs both range_start and insert_before"},
		{"RemoveItems empty id", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveItems(ctx, "", &RemoveItemsOptions{URIs: uris})
			return err
		}, "spotify: Playlists.RemoveItems: playlist_id is empty"},
		{"RemoveItems nil options", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveItems(ctx, "p1", nil)
			return err
		}, "spotify: Playlists.RemoveItems: set exactly one of uris and items"},
		{"RemoveItems both", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveItems(ctx, "p1", &RemoveItemsOptions{URIs: uris, Items: []PlaylistItemRef{{URI: "spotify:track:a"}}})
			return err
		}, "spotify: Playlists.RemoveItems: set exactly one of uris and items"},
		{"RemoveItems no uris", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveItems(ctx, "p1", &RemoveItemsOptions{URIs: []string{}})
			return err
		}, "spotify: Playlists.RemoveItems: uris is empty"},
		{"RemoveItems empty uri", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveItems(ctx, "p1", &RemoveItemsOptions{URIs: []string{""}})
			return err
		}, "spotify: Playlists.RemoveItems: uris[0] is empty"},
		{"RemoveItems no items", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveItems(ctx, "p1", &RemoveItemsOptions{Items: []PlaylistItemRef{}})
			return err
		}, "spotify: Playlists.RemoveItems: items is empty"},
		{"RemoveItems item without uri", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveItems(ctx, "p1", &RemoveItemsOptions{Items: []PlaylistItemRef{{URI: "spotify:track:a"}, {Positions: []int{1}}}})
			return err
		}, "spotify: Playlists.RemoveItems: items[1] has no uri"},
		{"RemoveItems over 100 with positions", func(ctx context.Context, c *Client) error {
			_, err := c.Playlists.RemoveItems(ctx, "p1", &RemoveItemsOptions{Items: positional})
			return err
		}, "positional removal of more than 100 items cannot be split safely"},
	})
}

// playlistsAnswer is one canned answer of playlistsScript.
type playlistsAnswer struct {
	status int
	body   string
}

// playlistsScript starts a fake API that gives the answers in order (the
// last one again once they run out) and returns it with a client.
func playlistsScript(t *testing.T, answers ...playlistsAnswer) (*testServer, *Client) {
	t.Helper()
	ts := newTestServer(t)
	var n atomic.Int32
	ts.Mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		i := min(int(n.Add(1))-1, len(answers)-1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(answers[i].status)
		_, _ = io.WriteString(w, answers[i].body)
	})
	return ts, newTestClient(t, ts)
}

// playlistsBody decodes a recorded JSON body.
func playlistsBody(t *testing.T, r recorded) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m))
	return m
}

// playlistsBodyURIs returns the uris of an add or replace body.
func playlistsBodyURIs(t *testing.T, r recorded) []string {
	t.Helper()
	var b struct {
		URIs []string `json:"uris"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &b))
	return b.URIs
}

func TestPlaylistsAddItemsChunks(t *testing.T) {
	uris := playlistsTestURIs(120)
	ok1 := playlistsAnswer{http.StatusCreated, `{"snapshot_id":"snap-1"}`}
	ok2 := playlistsAnswer{http.StatusCreated, `{"snapshot_id":"snap-2"}`}

	t.Run("at a position", func(t *testing.T) {
		ts, c := playlistsScript(t, ok1, ok2)
		sid, err := c.Playlists.AddItems(context.Background(), "p1", uris, &AddItemsOptions{Position: Ptr(5)})
		require.NoError(t, err)
		assert.Equal(t, "snap-2", sid, "the last chunk's snapshot id")
		reqs := ts.requests()
		require.Len(t, reqs, 2)
		for _, r := range reqs {
			assert.Equal(t, "POST", r.Method)
			assert.Equal(t, "/playlists/p1/items", r.Path)
		}
		assert.Equal(t, uris[:100], playlistsBodyURIs(t, reqs[0]))
		assert.Equal(t, uris[100:], playlistsBodyURIs(t, reqs[1]))
		assert.EqualValues(t, 5, playlistsBody(t, reqs[0])["position"])
		assert.EqualValues(t, 105, playlistsBody(t, reqs[1])["position"], "the second chunk lands right after the first")
	})
	t.Run("appended", func(t *testing.T) {
		ts, c := playlistsScript(t, ok1, ok2)
		sid, err := c.Playlists.AddItems(context.Background(), "p1", uris, nil)
		require.NoError(t, err)
		assert.Equal(t, "snap-2", sid)
		reqs := ts.requests()
		require.Len(t, reqs, 2)
		assert.Len(t, playlistsBodyURIs(t, reqs[0]), 100)
		assert.Len(t, playlistsBodyURIs(t, reqs[1]), 20)
		for _, r := range reqs {
			assert.NotContains(t, playlistsBody(t, r), "position")
		}
	})
	t.Run("the second chunk fails", func(t *testing.T) {
		ts, c := playlistsScript(t, ok1, playlistsAnswer{http.StatusForbidden, `{"error":{"status":403,"message":"Forbidden"}}`})
		sid, err := c.Playlists.AddItems(context.Background(), "p1", uris, &AddItemsOptions{Position: Ptr(5)})
		var ce *ChunkError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, uris[:100], ce.Applied)
		assert.Equal(t, uris[100:], ce.Failed)
		assert.Empty(t, ce.NotSent)
		assert.ErrorIs(t, err, ErrForbidden)
		assert.Equal(t, "snap-1", sid, "the snapshot id of the last chunk applied")
		assert.Len(t, ts.requests(), 2)
	})
}

func TestPlaylistsReplaceChunks(t *testing.T) {
	uris := playlistsTestURIs(250)
	t.Run("replace then append", func(t *testing.T) {
		ts, c := playlistsScript(t,
			playlistsAnswer{http.StatusOK, `{"snapshot_id":"snap-1"}`},
			playlistsAnswer{http.StatusCreated, `{"snapshot_id":"snap-2"}`},
			playlistsAnswer{http.StatusCreated, `{"snapshot_id":"snap-3"}`})
		sid, err := c.Playlists.ReorderOrReplaceItems(context.Background(), "p1", &ReorderOrReplaceOptions{URIs: uris})
		require.NoError(t, err)
		assert.Equal(t, "snap-3", sid)
		reqs := ts.requests()
		require.Len(t, reqs, 3)
		assert.Equal(t, []string{"PUT", "POST", "POST"}, []string{reqs[0].Method, reqs[1].Method, reqs[2].Method})
		assert.Equal(t, uris[:100], playlistsBodyURIs(t, reqs[0]))
		assert.Equal(t, uris[100:200], playlistsBodyURIs(t, reqs[1]))
		assert.Equal(t, uris[200:], playlistsBodyURIs(t, reqs[2]))
		for _, r := range reqs {
			assert.Equal(t, "/playlists/p1/items", r.Path)
			assert.NotContains(t, playlistsBody(t, r), "position", "the rest is appended")
		}
	})
	t.Run("an append fails", func(t *testing.T) {
		_, c := playlistsScript(t,
			playlistsAnswer{http.StatusOK, `{"snapshot_id":"snap-1"}`},
			playlistsAnswer{http.StatusNotFound, `{"error":{"status":404,"message":"Not found"}}`})
		sid, err := c.Playlists.ReorderOrReplaceItems(context.Background(), "p1", &ReorderOrReplaceOptions{URIs: uris})
		var ce *ChunkError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, uris[:100], ce.Applied)
		assert.Equal(t, uris[100:200], ce.Failed)
		assert.Equal(t, uris[200:], ce.NotSent)
		assert.ErrorIs(t, err, ErrNotFound)
		assert.Equal(t, "snap-1", sid)
	})
}

func TestPlaylistsRemoveItemsChunks(t *testing.T) {
	uris := playlistsTestURIs(250)
	t.Run("by URI", func(t *testing.T) {
		ts, c := playlistsScript(t,
			playlistsAnswer{http.StatusOK, `{"snapshot_id":"snap-1"}`},
			playlistsAnswer{http.StatusOK, `{"snapshot_id":"snap-2"}`},
			playlistsAnswer{http.StatusOK, `{"snapshot_id":"snap-3"}`})
		sid, err := c.Playlists.RemoveItems(context.Background(), "p1", &RemoveItemsOptions{URIs: uris, SnapshotID: "snap-0"})
		require.NoError(t, err)
		assert.Equal(t, "snap-3", sid)
		reqs := ts.requests()
		require.Len(t, reqs, 3)
		for i, r := range reqs {
			assert.Equal(t, "DELETE", r.Method)
			var b playlistsRemoveBody
			require.NoError(t, json.Unmarshal(r.Body, &b))
			assert.Equal(t, "snap-0", b.SnapshotID, "every chunk carries the given snapshot id")
			want := uris[i*100 : min(len(uris), (i+1)*100)]
			require.Len(t, b.Items, len(want))
			for j, it := range b.Items {
				assert.Equal(t, want[j], it.URI)
			}
		}
	})
	t.Run("by item, failing", func(t *testing.T) {
		items := make([]PlaylistItemRef, 150)
		for i := range items {
			items[i] = PlaylistItemRef{URI: uris[i]}
		}
		_, c := playlistsScript(t, playlistsAnswer{http.StatusBadRequest, `{"error":{"status":400,"message":"Invalid snapshot"}}`})
		sid, err := c.Playlists.RemoveItems(context.Background(), "p1", &RemoveItemsOptions{Items: items})
		var ce *ChunkError
		require.ErrorAs(t, err, &ce)
		assert.Empty(t, ce.Applied)
		assert.Equal(t, uris[:100], ce.Failed)
		assert.Equal(t, uris[100:150], ce.NotSent)
		assert.ErrorIs(t, err, ErrBadRequest)
		assert.Equal(t, "", sid)
	})
	t.Run("positions within 100 are one request", func(t *testing.T) {
		ts, c := playlistsScript(t, playlistsAnswer{http.StatusOK, playlistsSnapshotJSON})
		items := make([]PlaylistItemRef, 100)
		for i := range items {
			items[i] = PlaylistItemRef{URI: uris[i], Positions: []int{i}}
		}
		_, err := c.Playlists.RemoveItems(context.Background(), "p1", &RemoveItemsOptions{Items: items, SnapshotID: "snap-0"})
		require.NoError(t, err)
		assert.Len(t, ts.requests(), 1)
	})
}

// TestPlaylistsSnapshotAnswers: a write's answer without a string
// snapshot_id is a *DecodeError whose message names the endpoint and what
// came instead.
func TestPlaylistsSnapshotAnswers(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"a list", `["x"]`, "expected an object from /playlists/p1/items, got an array"},
		{"a string", `"snap"`, "expected an object from /playlists/p1/items, got a string"},
		{"a number", `1.5`, "expected an object from /playlists/p1/items, got a number"},
		{"null", `null`, "the answer (200 OK) holds no object: the body is JSON null"},
		{"no snapshot_id", `{"id":"p1"}`, "the answer from /playlists/p1/items has no snapshot_id string"},
		{"a number snapshot_id", `{"snapshot_id":5}`, "the answer from /playlists/p1/items has no snapshot_id string"},
		{"an empty body", ``, "the answer (200 OK) holds no object: the body is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := playlistsScript(t, playlistsAnswer{http.StatusOK, tc.body})
			_, err := c.Playlists.AddItems(context.Background(), "p1", []string{"spotify:track:a"}, nil)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "POST", de.Method)
			assert.Equal(t, "/playlists/{playlist_id}/items", de.Route)
			assert.Contains(t, err.Error(), tc.want)
			assert.False(t, errors.Is(err, ErrInvalidArgument))
		})
	}
	t.Run("reorder", func(t *testing.T) {
		_, c := playlistsScript(t, playlistsAnswer{http.StatusOK, `{}`})
		_, err := c.Playlists.ReorderOrReplaceItems(context.Background(), "p 1", &ReorderOrReplaceOptions{RangeStart: Ptr(0), InsertBefore: Ptr(1)})
		var de *DecodeError
		require.ErrorAs(t, err, &de)
		assert.True(t, strings.HasSuffix(err.Error(), "the answer from /playlists/p%201/items has no snapshot_id string"), err.Error())
	})
}
