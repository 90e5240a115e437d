package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestManifest(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, writeManifest(dir, &manifest{Source: "emulator", Mode: "dev", Size: 30}))
	assert.ErrorContains(t, writeManifest(dir, &manifest{Source: "emulator", Mode: "dev", Size: 30}),
		"holds an import already: continue it with -resume", "a new import never overwrites one")

	m, err := readManifest(dir)
	require.NoError(t, err)
	o := options{size: 200, mode: "extended", resume: dir}
	require.NoError(t, m.resumeOptions(&o), "flags left at their defaults give way to the manifest")
	assert.Equal(t, options{size: 30, mode: "dev", resume: dir, out: dir}, o)

	o = options{size: 50, mode: "dev", resume: dir, set: map[string]bool{"size": true}}
	assert.ErrorContains(t, m.resumeOptions(&o), "-size differs from the import's (30)")
	o = options{size: 30, mode: "dev", resume: dir, artists: "x", set: map[string]bool{"size": true, "artists": true}}
	assert.ErrorContains(t, m.resumeOptions(&o), "-artists differs")

	_, err = readManifest(t.TempDir())
	assert.ErrorContains(t, err, "not an import folder")
}
