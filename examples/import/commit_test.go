package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// commitUnits opens a new committer in dir and commits one unit per
// artist, each with one artist, one album and two tracks.
func commitUnits(t *testing.T, dir string, artists ...string) {
	t.Helper()
	c, err := openCommitter(dir, false, &bytes.Buffer{})
	require.NoError(t, err)
	for _, a := range artists {
		u, err := encodeUnit(a, [3][]any{
			{map[string]string{"id": a}},
			{map[string]string{"id": a + "-al"}},
			{map[string]string{"id": a + "-t1"}, map[string]string{"id": a + "-t2"}},
		})
		require.NoError(t, err)
		require.NoError(t, c.commit(u))
	}
	require.NoError(t, c.close())
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	_, err = f.WriteString(s)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

func fileString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// TestRecoverCommitsTorn leaves what a crash in the middle of a commit
// leaves: the records of a unit half written, and a torn commit line. The
// recovery drops the torn line, truncates every file to the last commit,
// and the next commit appends the unit again, once.
func TestRecoverCommitsTorn(t *testing.T) {
	dir := t.TempDir()
	commitUnits(t, dir, "a", "b")
	committed := map[string]string{}
	for _, name := range append(outputs[:], commitsFile) {
		committed[name] = fileString(t, filepath.Join(dir, name))
	}
	appendTo(t, filepath.Join(dir, "artists.jsonl"), "{\"id\":\"c\"}\n")
	appendTo(t, filepath.Join(dir, "albums.jsonl"), "{\"id\":\"c-al\"}\n")
	appendTo(t, filepath.Join(dir, "tracks.jsonl"), "{\"id\":\"c-t1\"}\n{\"id\":\"c-")
	appendTo(t, filepath.Join(dir, commitsFile), `{"artist":"c","lines":[3,3,`)

	var notes bytes.Buffer
	c, err := openCommitter(dir, true, &notes)
	require.NoError(t, err)
	assert.Contains(t, notes.String(), "dropped a torn last line")
	assert.Contains(t, notes.String(), "tracks.jsonl: cut")
	for name, want := range committed {
		assert.Equal(t, want, fileString(t, filepath.Join(dir, name)), "%s is back to its last commit", name)
	}
	assert.Equal(t, []string{"c", "d"}, c.pending([]string{"a", "b", "c", "d"}))
	assert.Equal(t, counts{2, 2, 4}, c.counts())

	u, err := encodeUnit("c", [3][]any{{map[string]string{"id": "c"}}, nil, {map[string]string{"id": "c-t1"}}})
	require.NoError(t, err)
	require.NoError(t, c.commit(u))
	require.NoError(t, c.commit(u), "a unit committed twice")
	require.NoError(t, c.close())
	assert.Equal(t, committed["tracks.jsonl"]+"{\"id\":\"c-t1\"}\n", fileString(t, filepath.Join(dir, "tracks.jsonl")))
	assert.Equal(t, 3, strings.Count(fileString(t, filepath.Join(dir, commitsFile)), "\n"))

	// Recovered again, with nothing torn, it changes nothing.
	c, err = openCommitter(dir, true, &notes)
	require.NoError(t, err)
	assert.Empty(t, c.pending([]string{"a", "b", "c"}))
	assert.Equal(t, counts{3, 2, 5}, c.counts())
	require.NoError(t, c.close())
}

// TestRecoverCommitsAhead covers a commit line that reached the disk
// before its records (a machine crash): the commits the files do not hold
// are dropped too.
func TestRecoverCommitsAhead(t *testing.T) {
	dir := t.TempDir()
	commitUnits(t, dir, "a", "b", "c")
	log := fileString(t, filepath.Join(dir, commitsFile))
	lines := strings.SplitAfter(log, "\n")
	var b commitRec
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &b))
	// The tracks of c never reached the disk, nor the last track of b.
	require.NoError(t, os.Truncate(filepath.Join(dir, "tracks.jsonl"), b.End[2]-3))

	var notes bytes.Buffer
	c, err := openCommitter(dir, true, &notes)
	require.NoError(t, err)
	require.NoError(t, c.close())
	assert.Contains(t, notes.String(), "dropped 2 commits")
	assert.Equal(t, lines[0], fileString(t, filepath.Join(dir, commitsFile)))
	assert.Equal(t, []string{"b", "c"}, c.pending([]string{"a", "b", "c"}))
	assert.Equal(t, "{\"id\":\"a-t1\"}\n{\"id\":\"a-t2\"}\n", fileString(t, filepath.Join(dir, "tracks.jsonl")))
}

func TestRecoverCommitsRefusesGarbage(t *testing.T) {
	dir := t.TempDir()
	commitUnits(t, dir, "a")
	appendTo(t, filepath.Join(dir, commitsFile), "not a commit\n")
	_, err := openCommitter(dir, true, &bytes.Buffer{})
	assert.ErrorContains(t, err, "line 2 is not a commit")
}

// TestVerifyCountsDuplicates checks that the exactly-once check reads
// every line and never deduplicates: a record written twice fails it, as
// does a missing or an unexpected one.
func TestVerifyCountsDuplicates(t *testing.T) {
	dir := t.TempDir()
	commitUnits(t, dir, "a", "b")
	tr := &truth{artists: []string{"a", "b"}, albums: []string{"a-al", "b-al"}, tracks: []string{"a-t1", "a-t2", "b-t1", "b-t2"}}
	c, err := verify(dir, tr)
	require.NoError(t, err)
	assert.True(t, c.pass())

	appendTo(t, filepath.Join(dir, "tracks.jsonl"), "{\"id\":\"a-t2\"}\n")
	c, err = verify(dir, tr)
	require.NoError(t, err)
	assert.False(t, c.pass())
	assert.Equal(t, tally{name: "tracks.jsonl", expected: 4, once: 3, duplicated: 1}, c.tracks)
	var out bytes.Buffer
	c.print(&out)
	assert.Contains(t, out.String(), "exactly-once FAIL")
	assert.Contains(t, out.String(), "tracks.jsonl 0 missing, 1 duplicated, 0 unexpected")

	tr.albums = []string{"a-al", "c-al"}
	c, err = verify(dir, tr)
	require.NoError(t, err)
	assert.Equal(t, tally{name: "albums.jsonl", expected: 2, once: 1, missing: 1, unexpected: 1}, c.albums)
}
