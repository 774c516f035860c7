// Package netsim is the network between a client and the emulated GitHub, as http.Handler
// middleware: injected faults (server errors, dropped connections, lost answers, slow and
// silent answers, secondary and primary rate limits), latency, GitHub's secondary rate limits
// (requests in flight, points a minute), its primary rate-limit windows with their
// X-RateLimit-* headers, and ETags with uncharged 304s for conditional GETs.
//
// It knows nothing of GitHub's state: whoever assembles the server (the emulator) says through
// Config which credential a request carries and whether GitHub accepts it, and which clock the
// rate windows follow. Each middleware is a separate layer so the assembler can place its own
// layers (authentication, App tokens) between them, as GitHub orders them.
//
// Like the emulator, it uses nothing beyond the standard library and starts no goroutines.
package netsim
