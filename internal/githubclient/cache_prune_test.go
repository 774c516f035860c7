package githubclient

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/transport"
)

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
	old := time.Now().Add(-transport.CacheEntryMaxAge + time.Minute)
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
