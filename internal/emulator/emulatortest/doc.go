// Package emulatortest starts the embedded GitHub (package emulator) for other packages' tests:
// an httptest server that closes when the test ends, serving the API under a path prefix so a
// client that drops the prefix fails.
//
// It is test support only: production code (the demo, bench and emulator commands) serves the
// emulator with Emulator.Serve, and nothing outside a _test.go file or a benchmark should import
// this package.
package emulatortest
