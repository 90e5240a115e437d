package spotifytest

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
)

// Snapshot ids of playlists with state. A snapshot_id is base64 of
// "<version>,<40 hex>", like the generated ones: the version counts the
// changes, and the hex is drawn from the playlist and the version. A
// generated playlist's state starts at the version of its generated
// snapshot and gives that very snapshot until its first change, so a
// snapshot read before the first write stays valid after it.
//
// Writes that name a snapshot (DELETE .../items and .../tracks, PUT
// .../items and .../tracks) are applied to the latest state even when the
// snapshot is older, as Spotify does; a snapshot the playlist never had
// (another playlist's, a version still to come, garbage) answers 400
// "Invalid snapshot id".

// snapshotHex returns the hex part of playlist p's snapshot at version.
func (s *Server) snapshotHex(p int, st *plState, version int) string {
	return hex40(s.cat.h(kPlaylist, p, fSnapshot) + uint64(version-st.base))
}

// snapshotOf returns the current snapshot id of playlist p.
func (s *Server) snapshotOf(p int, st *plState) string {
	return base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(st.version) + "," + s.snapshotHex(p, st, st.version)))
}

// hadSnapshot reports whether snap is a snapshot id playlist p has had:
// a version from its first to its current one, with the hex of that
// version.
func (s *Server) hadSnapshot(p int, st *plState, snap string) bool {
	raw, err := base64.StdEncoding.DecodeString(snap)
	if err != nil {
		return false
	}
	ver, hex, ok := strings.Cut(string(raw), ",")
	if !ok {
		return false
	}
	n, err := strconv.Atoi(ver)
	if err != nil || n < st.base || n > st.version || strconv.Itoa(n) != ver {
		return false
	}
	return hex == s.snapshotHex(p, st, n)
}

// checkSnapshot answers 400 when a write names a snapshot_id playlist p
// never had ("" names none); s.pl.mu is held, and released on a refusal.
func (c *call) checkSnapshot(p int, st *plState, snap string) bool {
	if snap == "" || c.s.hadSnapshot(p, st, snap) {
		return true
	}
	c.s.pl.mu.Unlock()
	c.fail(http.StatusBadRequest, "Invalid snapshot id")
	return false
}

// bump records a change of playlist p: a new version (so a new snapshot
// id) and one more applied write; s.pl.mu is held.
func (s *Server) bump(p int, st *plState) {
	st.version++
	s.pl.applied[p]++
}

// sendSnapshot answers status with {"snapshot_id": ...}; s.pl.mu is held
// and released.
func (c *call) sendSnapshot(status, p int, st *plState) {
	snap := c.s.snapshotOf(p, st)
	c.s.pl.mu.Unlock()
	j := newJW()
	j.obj()
	j.ks("snapshot_id", snap)
	j.objEnd()
	writeJSON(c.w, status, j.b)
	j.free()
}
