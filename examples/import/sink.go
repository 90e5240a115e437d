package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
)

// sink streams records to one JSON Lines file: producers put records on a
// bounded channel, one writer goroutine encodes them. A full channel
// blocks the producers (backpressure), so memory stays flat.
type sink struct {
	path    string
	ch      chan any
	done    chan struct{}
	written atomic.Int64
	err     error // the writer's first error, read after done
}

func openSink(path string, buffer int) (*sink, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	s := &sink{path: path, ch: make(chan any, buffer), done: make(chan struct{})}
	go s.write(f)
	return s, nil
}

// write is the writer goroutine: one line per record, flushed and closed
// when the channel is closed. After a write error it keeps draining the
// channel (so producers never block forever) but writes nothing more.
func (s *sink) write(f *os.File) {
	defer close(s.done)
	w := bufio.NewWriterSize(f, 256<<10)
	enc := json.NewEncoder(w) // one complete line per Encode
	for v := range s.ch {
		if s.err != nil {
			continue
		}
		if err := enc.Encode(v); err != nil {
			s.err = fmt.Errorf("%s: %w", s.path, err)
			continue
		}
		s.written.Add(1)
	}
	// bufio writes whole buffers, so a line can be split across two writes;
	// the final Flush completes it, so the file ends on a full line.
	s.err = errors.Join(s.err, w.Flush(), f.Close())
}

// put queues v, blocking while the channel is full; it gives up when ctx
// ends and reports whether v was queued.
func (s *sink) put(ctx context.Context, v any) bool {
	select {
	case s.ch <- v:
		return true
	case <-ctx.Done():
		return false
	}
}

// close ends the stream and waits for the writer to flush and close.
func (s *sink) close() error {
	close(s.ch)
	<-s.done
	return s.err
}

// sinks are the import's three files.
type sinks struct {
	artists, albums, tracks *sink
}

func openSinks(dir string, buffer int) (*sinks, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var ss sinks
	var err error
	for _, x := range []struct {
		p    **sink
		name string
	}{{&ss.artists, "artists.jsonl"}, {&ss.albums, "albums.jsonl"}, {&ss.tracks, "tracks.jsonl"}} {
		if *x.p, err = openSink(filepath.Join(dir, x.name), 4*buffer); err != nil {
			ss.close()
			return nil, err
		}
	}
	return &ss, nil
}

func (ss *sinks) close() error {
	var errs []error
	for _, s := range []*sink{ss.artists, ss.albums, ss.tracks} {
		if s != nil {
			errs = append(errs, s.close())
		}
	}
	return errors.Join(errs...)
}

// counts are the records written so far.
type counts struct{ artists, albums, tracks int64 }

func (ss *sinks) counts() counts {
	return counts{ss.artists.written.Load(), ss.albums.written.Load(), ss.tracks.written.Load()}
}
