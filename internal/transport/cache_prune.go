package transport

import (
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// CacheEntryMaxAge is how long a cache directory entry no read has used is kept. A directory kept
// between CI runs would otherwise grow without end: every new token (an Actions GITHUB_TOKEN
// is new each run) starts a new set of entries, and the old sets are never read again. An
// entry the client still revalidates is touched on each 304, so it stays; an entry dropped by
// mistake costs one charged read.
const CacheEntryMaxAge = 30 * 24 * time.Hour

// cacheFileName matches the files the cache writes: an entry (SHA-256 hex and .json) and the
// temporary file an interrupted write leaves behind. Nothing else in the directory is touched.
var cacheFileName = regexp.MustCompile(`^[0-9a-f]{64}(\.json|\.[0-9]+\.tmp)$`)

// pruneCacheDir removes the cache's own files that nothing has written or revalidated since
// now - CacheEntryMaxAge. Errors are ignored: pruning only saves disk.
func pruneCacheDir(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !cacheFileName.MatchString(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) < CacheEntryMaxAge {
			continue
		}
		_ = os.Remove(filepath.Join(dir, e.Name()))
	}
}

// touchCacheEntry marks an entry as still in use, so pruning keeps it.
func touchCacheEntry(dir, key string, now time.Time) {
	if dir == "" {
		return
	}
	_ = os.Chtimes(filepath.Join(dir, key+".json"), now, now)
}
