package transport

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpeningCacheDirPrunesOnlyItsOwnStaleFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Now()
	stale := now.Add(-CacheEntryMaxAge - time.Hour)
	recent := now.Add(-CacheEntryMaxAge + time.Hour)
	key := func(c string) string { return strings.Repeat(c, 64) }
	files := map[string]struct {
		modified time.Time
		kept     bool
	}{
		key("a") + ".json":                {stale, false},
		key("b") + ".123456.tmp":          {stale, false},
		key("c") + ".json":                {recent, true},
		"points-" + key("d")[:32]:         {stale, true}, // the points ledger prunes itself
		"notes.txt":                       {stale, true},
		strings.Repeat("g", 64) + ".json": {stale, true},
	}
	for name, f := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, f.modified, f.modified); err != nil {
			t.Fatal(err)
		}
	}

	if _, err := NewConditional(nil, "someone", dir, nil); err != nil {
		t.Fatal(err)
	}
	for name, f := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if exists := err == nil; exists != f.kept {
			t.Errorf("%s (modified %v ago): exists = %v, want %v", name, now.Sub(f.modified).Round(time.Hour), exists, f.kept)
		}
	}
}
