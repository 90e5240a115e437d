package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// manifestFile records what an import imports, so that -resume DIR can
// continue it without the flags it was started with.
const manifestFile = "manifest.json"

// manifest is the content of manifest.json.
type manifest struct {
	Source  string   `json:"source"`            // "emulator" or "Spotify"
	Mode    string   `json:"mode"`              // dev or extended
	Size    int      `json:"size,omitempty"`    // emulator: the first size artists of the catalogue
	Artists []string `json:"artists,omitempty"` // Spotify: the artist ids
}

// writeManifest starts a new import in dir: it refuses a folder that
// holds one already (it would be overwritten: -resume continues it).
func writeManifest(dir string, m *manifest) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, manifestFile)
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s holds an import already: continue it with -resume %s, or give another -out", dir, dir)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path) // all or nothing
}

// readManifest reads the manifest of the import in dir.
func readManifest(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("-resume %s: no %s there: not an import folder", dir, manifestFile)
	}
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("-resume %s: %s: %w", dir, manifestFile, err)
	}
	return &m, nil
}

// resumeOptions applies the manifest to o: the import continues with the
// size, mode and artists it started with. A flag the user set to another
// value is an error rather than silently ignored.
func (m *manifest) resumeOptions(o *options) error {
	conflict := func(name string, set bool, same bool, was any) error {
		if set && !same {
			return fmt.Errorf("-resume %s: -%s differs from the import's (%v); leave it out", o.resume, name, was)
		}
		return nil
	}
	if err := errors.Join(
		conflict("mode", o.set["mode"], o.mode == m.Mode, m.Mode),
		conflict("size", o.set["size"] && m.Source == "emulator", o.size == m.Size, m.Size),
		conflict("artists", o.set["artists"] || o.set["artists-file"], false, "from "+manifestFile),
		conflict("out", o.set["out"], o.out == o.resume, o.resume),
	); err != nil {
		return err
	}
	o.mode, o.out = m.Mode, o.resume
	if m.Source == "emulator" {
		o.size = m.Size
	}
	return nil
}
