package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestProgressBar(t *testing.T) {
	assert.Equal(t, "[----------]   0%", progressBar(0, 200, 10))
	assert.Equal(t, "[#####-----]  50%", progressBar(100, 200, 10))
	assert.Equal(t, "[#########-]  99%", progressBar(199, 200, 10))
	assert.Equal(t, "[##########] 100%", progressBar(200, 200, 10))
	assert.Equal(t, "[##########] 100%", progressBar(250, 200, 10), "clamped")
	assert.Equal(t, "[##########] 100%", progressBar(0, 0, 10), "nothing to do is done")
}

func TestProgressLine(t *testing.T) {
	got := progressLine(counts{artists: 50, albums: 300, tracks: 650}, counts{}, 100, 420, 2*time.Second)
	assert.True(t, strings.HasPrefix(got, "[##########----------]  50% artists 50/100"), got)
	assert.Contains(t, got, "albums 300  tracks 650  |  requests 420  |  500 items/s")

	// Resumed: the rate counts only what this run wrote.
	got = progressLine(counts{artists: 50, albums: 300, tracks: 650}, counts{artists: 40, albums: 240, tracks: 520}, 100, 420, 2*time.Second)
	assert.Contains(t, got, "artists 50/100  albums 300  tracks 650  |  requests 420  |  100 items/s")
}
