package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress redraws one status line on stderr a few times a second: on a
// terminal in place (\r), elsewhere (a log, CI) as a new line every few
// seconds.
type progress struct {
	quit chan struct{}
	done chan struct{}
}

func startProgress(w io.Writer, artists int, ss *sinks, st *stats) *progress {
	p := &progress{quit: make(chan struct{}), done: make(chan struct{})}
	tty := isTerminal(w)
	every := 250 * time.Millisecond
	if !tty {
		every = 2 * time.Second
	}
	start := time.Now()
	line := func() string {
		c := ss.counts()
		items := c.artists + c.albums + c.tracks
		el := time.Since(start).Seconds()
		return fmt.Sprintf("artists %d/%d  albums %d  tracks %d  |  requests %d  |  %.0f items/s",
			c.artists, artists, c.albums, c.tracks, st.requests.Load(), float64(items)/max(el, 1e-9))
	}
	go func() {
		defer close(p.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				if tty {
					fmt.Fprintf(w, "\r\033[K%s", line())
				} else {
					fmt.Fprintln(w, line())
				}
			case <-p.quit:
				if tty {
					fmt.Fprintf(w, "\r\033[K%s\n", line())
				}
				return
			}
		}
	}()
	return p
}

func (p *progress) stop() {
	close(p.quit)
	<-p.done
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
