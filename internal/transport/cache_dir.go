package transport

import (
	"errors"
	"fmt"
	"os"
)

// CacheDirError is a cache directory the client cannot use: it cannot be created, is not a
// directory, or cannot be written. Asked for, a cache that silently stays empty would spend the
// rate limit the user set it up to save, so the client refuses to start instead.
type CacheDirError struct {
	Dir string
	Err error
}

func (e *CacheDirError) Error() string {
	return fmt.Sprintf("cache directory %s cannot be used: %v", e.Dir, e.Err)
}

func (e *CacheDirError) Unwrap() error { return e.Err }

// openCacheDir creates dir (0700) if it is missing and checks that a file can be written in it.
func openCacheDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &CacheDirError{Dir: dir, Err: err}
	}
	info, err := os.Stat(dir)
	if err != nil {
		return &CacheDirError{Dir: dir, Err: err}
	}
	if !info.IsDir() {
		return &CacheDirError{Dir: dir, Err: errors.New("it is not a directory")}
	}
	probe, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return &CacheDirError{Dir: dir, Err: err}
	}
	_ = probe.Close()
	_ = os.Remove(probe.Name())
	return nil
}
