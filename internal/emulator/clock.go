package emulator

import "time"

// Advance moves the emulator's clock forward by d, so that a test outside this package can finish
// runs and SARIF processing that take minutes on GitHub without sleeping through them. Time keeps
// running from there.
func (e *Emulator) Advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	previous := e.now
	e.now = func() time.Time { return previous().Add(d) }
}
