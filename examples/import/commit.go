package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// The unit of commit is an artist: its record, its albums and its tracks.
// A unit is fetched whole into memory first; then, under one lock, its
// records are appended to the three output files and a line naming the
// artist, with the length of every file after it, is appended to
// commits.jsonl. That line is the commit: records past the last commit's
// lengths belong to no unit (a crash cut the unit short) and -resume cuts
// them off before it appends anything, so a unit is never half-counted,
// and a unit done again replaces its torn remains instead of adding to
// them. The workers of a fleet commit the same way: a unit is complete
// exactly when its commit line is there.

// outputs are the record files, in the order of a commit's fields.
var outputs = [3]string{"artists.jsonl", "albums.jsonl", "tracks.jsonl"}

// commitsFile is the commit log.
const commitsFile = "commits.jsonl"

// commitRec is one line of commits.jsonl.
type commitRec struct {
	Artist string   `json:"artist"`
	Lines  [3]int64 `json:"lines"` // records in each output after the unit
	End    [3]int64 `json:"end"`   // size of each output after the unit, in bytes
}

// unitRecords is a unit encoded for commit: one JSON line per record.
type unitRecords struct {
	artist string
	data   [3][]byte
	n      [3]int64
}

// encodeUnit encodes an artist's records, each group in its order.
func encodeUnit(artist string, groups [3][]any) (*unitRecords, error) {
	u := &unitRecords{artist: artist}
	for i, recs := range groups {
		for _, r := range recs {
			b, err := json.Marshal(r)
			if err != nil {
				return nil, fmt.Errorf("artist %s: %w", artist, err)
			}
			u.data[i] = append(append(u.data[i], b...), '\n')
			u.n[i]++
		}
	}
	return u, nil
}

// committer appends units to the outputs and commits them.
type committer struct {
	dir   string
	mu    sync.Mutex
	files [3]*os.File
	log   *os.File
	last  commitRec       // the state after the last commit
	done  map[string]bool // the artists committed, before this run too
	err   error           // a failed write: nothing more is committed
	prior [3]int64        // the records committed before this run
	lines [3]atomic.Int64 // the records committed, for the progress line
	units atomic.Int64    // the units committed by this run
}

// openCommitter starts the outputs under dir: empty for a new import, or,
// with resume, recovered from what an earlier run left (see recoverCommits);
// notes says what the recovery cut off.
func openCommitter(dir string, resume bool, notes io.Writer) (*committer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	c := &committer{dir: dir, done: map[string]bool{}}
	flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND | os.O_TRUNC
	if resume {
		var err error
		if c.last, c.done, err = recoverCommits(dir, notes); err != nil {
			return nil, err
		}
		flags &^= os.O_TRUNC
	}
	c.prior = c.last.Lines
	for i := range c.lines {
		c.lines[i].Store(c.last.Lines[i])
	}
	var err error
	for i, name := range outputs {
		if c.files[i], err = os.OpenFile(filepath.Join(dir, name), flags, 0o644); err != nil {
			c.close()
			return nil, err
		}
	}
	if c.log, err = os.OpenFile(filepath.Join(dir, commitsFile), flags, 0o644); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// recoverCommits reads commits.jsonl under dir and makes the files agree
// with its last commit that the files hold in full: a torn last line of
// the log is dropped, and every file is truncated to that commit's
// length, so that the next append starts on a whole line of a complete
// unit. It returns that commit and the artists committed.
func recoverCommits(dir string, notes io.Writer) (commitRec, map[string]bool, error) {
	logPath := filepath.Join(dir, commitsFile)
	f, err := os.Open(logPath)
	if err != nil {
		return commitRec{}, nil, err
	}
	defer f.Close()
	type entry struct {
		rec commitRec
		end int64 // the log's length after the line
	}
	var entries []entry
	var off int64
	r := bufio.NewReader(f)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			if len(line) > 0 {
				fmt.Fprintf(notes, "resume: %s: dropped a torn last line (%d bytes)\n", commitsFile, len(line))
			}
			break
		}
		if err != nil {
			return commitRec{}, nil, err
		}
		off += int64(len(line))
		var e entry
		if err := json.Unmarshal(line, &e.rec); err != nil || e.rec.Artist == "" {
			return commitRec{}, nil, fmt.Errorf("%s: line %d is not a commit: %q", logPath, n, line)
		}
		e.end = off
		entries = append(entries, e)
	}

	// The last commit whose records are all in the files (after a crash of
	// the machine rather than of the process, a commit line may have
	// reached the disk before the records it commits).
	var sizes [3]int64
	for i, name := range outputs {
		fi, err := os.Stat(filepath.Join(dir, name))
		switch {
		case err == nil:
			sizes[i] = fi.Size()
		case !errors.Is(err, os.ErrNotExist):
			return commitRec{}, nil, err
		}
	}
	keep := len(entries)
	for keep > 0 && !holds(dir, sizes, entries[keep-1].rec.End) {
		keep--
	}
	if keep < len(entries) {
		fmt.Fprintf(notes, "resume: %s: dropped %d commits whose records are not all on disk\n", commitsFile, len(entries)-keep)
	}
	var last commitRec
	logEnd := int64(0)
	if keep > 0 {
		last, logEnd = entries[keep-1].rec, entries[keep-1].end
	}
	if err := truncate(logPath, logEnd, notes); err != nil {
		return commitRec{}, nil, err
	}
	for i, name := range outputs {
		if sizes[i] > last.End[i] {
			if err := truncate(filepath.Join(dir, name), last.End[i], notes); err != nil {
				return commitRec{}, nil, err
			}
		}
	}
	done := make(map[string]bool, keep)
	for _, e := range entries[:keep] {
		done[e.rec.Artist] = true
	}
	return last, done, nil
}

// holds reports whether the outputs, of the given sizes, hold a commit
// that ends at end: each file is long enough and the commit ends on a line
// break.
func holds(dir string, sizes, end [3]int64) bool {
	for i, name := range outputs {
		if end[i] > sizes[i] || end[i] < 0 {
			return false
		}
		if end[i] == 0 {
			continue
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return false
		}
		b := make([]byte, 1)
		_, err = f.ReadAt(b, end[i]-1)
		f.Close()
		if err != nil || b[0] != '\n' {
			return false
		}
	}
	return true
}

// truncate cuts the file at path to size bytes, when it is longer.
func truncate(path string, size int64, notes io.Writer) error {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && size == 0 {
			return nil
		}
		return err
	}
	if fi.Size() <= size {
		return nil
	}
	fmt.Fprintf(notes, "resume: %s: cut %d bytes after the last commit\n", filepath.Base(path), fi.Size()-size)
	return os.Truncate(path, size)
}

// commit appends u's records and its commit line. A unit already
// committed is not written again: its records are there once.
func (c *committer) commit(u *unitRecords) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	if c.done[u.artist] {
		return nil
	}
	next := commitRec{Artist: u.artist}
	for i, f := range c.files {
		if _, err := f.Write(u.data[i]); err != nil {
			c.err = err
			return err
		}
		next.End[i] = c.last.End[i] + int64(len(u.data[i]))
		next.Lines[i] = c.last.Lines[i] + u.n[i]
	}
	line, err := json.Marshal(next)
	if err != nil {
		c.err = err
		return err
	}
	if _, err := c.log.Write(append(line, '\n')); err != nil {
		c.err = err
		return err
	}
	c.last = next
	c.done[u.artist] = true
	for i := range c.lines {
		c.lines[i].Store(next.Lines[i])
	}
	c.units.Add(1)
	return nil
}

// pending returns the artists of ids not committed yet, in order.
func (c *committer) pending(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !c.done[id] {
			out = append(out, id)
		}
	}
	return out
}

// counts returns the records committed, before this run included.
func (c *committer) counts() counts {
	return counts{c.lines[0].Load(), c.lines[1].Load(), c.lines[2].Load()}
}

// close syncs the files to the disk and closes them.
func (c *committer) close() error {
	var errs []error
	for _, f := range append(c.files[:], c.log) {
		if f != nil {
			errs = append(errs, f.Sync(), f.Close())
		}
	}
	return errors.Join(errs...)
}

// counts are the records of each output.
type counts struct{ artists, albums, tracks int64 }
