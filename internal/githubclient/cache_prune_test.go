package githubclient

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
)

func TestOpeningCacheDirPrunesOnlyItsOwnStaleFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Now()
	stale := now.Add(-cacheEntryMaxAge - time.Hour)
	recent := now.Add(-cacheEntryMaxAge + time.Hour)
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

	if _, err := newConditionalTransport(nil, "someone", dir, nil); err != nil {
		t.Fatal(err)
	}
	for name, f := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if exists := err == nil; exists != f.kept {
			t.Errorf("%s (modified %v ago): exists = %v, want %v", name, now.Sub(f.modified).Round(time.Hour), exists, f.kept)
		}
	}
}

func TestRevalidatedEntryIsKeptFromPruning(t *testing.T) {
	t.Parallel()
	_, base := newFaultyEmulator(t, emulator.Config{})
	dir := filepath.Join(t.TempDir(), "cache")
	withDir := func(cfg *Config) { cfg.CacheDir = dir }
	ctx := context.Background()

	first, _ := transportClient(t, base, withDir)
	if _, err := first.GetDefaultSetup(ctx, service); err != nil {
		t.Fatal(err)
	}
	entries, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("cache_dir holds entries %v (%v); want one", entries, err)
	}
	old := time.Now().Add(-cacheEntryMaxAge + time.Minute)
	if err := os.Chtimes(entries[0], old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := first.GetDefaultSetup(ctx, service); err != nil {
		t.Fatal(err)
	}
	if revalidated, _ := first.CacheStats(); revalidated != 1 {
		t.Fatalf("%d reads were revalidated; want the second", revalidated)
	}
	info, err := os.Stat(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	if age := time.Since(info.ModTime()); age > time.Hour {
		t.Fatalf("the entry a 304 just used was last touched %v ago; pruning would drop it soon", age.Round(time.Minute))
	}
}
