package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress redraws one status line on stderr a few times a second: on a
// terminal in place (\r), elsewhere (a log, CI) as a new line every few
// seconds.
type progress struct {
	quit chan struct{}
	done chan struct{}
}

func startProgress(w io.Writer, artists int, written func() counts, st *stats) *progress {
	p := &progress{quit: make(chan struct{}), done: make(chan struct{})}
	tty := isTerminal(w)
	every := 250 * time.Millisecond
	if !tty {
		every = 2 * time.Second
	}
	start, base := time.Now(), written()
	line := func() string {
		return progressLine(written(), base, artists, st.requests.Load(), time.Since(start))
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

// progressLine is the status line: a bar of the artists done, then the
// counts and the rate of items written since the run started, with base
// written before (-resume).
func progressLine(c, base counts, artists int, requests int64, elapsed time.Duration) string {
	items := c.artists + c.albums + c.tracks - (base.artists + base.albums + base.tracks)
	return fmt.Sprintf("%s artists %d/%d  albums %d  tracks %d  |  requests %d  |  %.0f items/s",
		progressBar(int(c.artists), artists, 20), c.artists, artists, c.albums, c.tracks, requests,
		float64(items)/max(elapsed.Seconds(), 1e-9))
}

// progressBar draws done of total as "[#####-----] 50%", width cells wide.
func progressBar(done, total, width int) string {
	frac := 1.0
	if total > 0 {
		frac = min(max(float64(done)/float64(total), 0), 1)
	}
	n := int(frac * float64(width))
	return "[" + strings.Repeat("#", n) + strings.Repeat("-", width-n) + fmt.Sprintf("] %3d%%", int(frac*100))
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
