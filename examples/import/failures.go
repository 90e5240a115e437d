package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
)

// failuresFile lists the units this run could not import, one JSON line
// each. Every run writes it anew: -resume tries those units again.
const failuresFile = "failures.jsonl"

// failure is a unit the import gave up on.
type failure struct {
	Artist    string `json:"artist"`
	Permanent bool   `json:"permanent"` // an error no retry mends (404, 403, ...)
	Error     string `json:"error"`
}

// failureLog writes failures.jsonl as the failures happen and keeps them
// for the summary.
type failureLog struct {
	mu   sync.Mutex
	f    *os.File
	list []failure
	err  error // the first write error
}

func openFailures(dir string) (*failureLog, error) {
	f, err := os.Create(filepath.Join(dir, failuresFile))
	if err != nil {
		return nil, err
	}
	return &failureLog{f: f}, nil
}

// add records that artist failed with err.
func (l *failureLog) add(artist string, err error) {
	fl := failure{Artist: artist, Permanent: permanent(err), Error: err.Error()}
	line, mErr := json.Marshal(fl)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, fl)
	if l.err == nil {
		if l.err = mErr; l.err == nil {
			_, l.err = l.f.Write(append(line, '\n'))
		}
	}
}

// failures returns the failures so far.
func (l *failureLog) failures() []failure {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]failure(nil), l.list...)
}

func (l *failureLog) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return errors.Join(l.err, l.f.Close())
}
