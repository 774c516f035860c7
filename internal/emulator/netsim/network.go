package netsim

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Config holds the network's knobs. The zero value injects nothing, adds no latency, counts
// secondary limits without enforcing them and gives every token GitHub's 5000 requests an hour.
type Config struct {
	// Faults makes requests fail as GitHub and the network sometimes do; Network.SetFaults
	// changes them mid-test.
	Faults Faults
	// Latency is added before every answer.
	Latency time.Duration
	// EnforceSecondaryLimits refuses, as GitHub does, requests over its secondary rate limits
	// (100 in flight, 900 points a minute); off, they are only counted (SecondaryLimitTrips).
	EnforceSecondaryLimits bool
	// RateLimit is the number of requests a token may make per hour; 0 means GitHub's 5000.
	RateLimit int

	// Credential returns the token r carries ("" for none) and whether GitHub accepts it. Rate
	// windows are per accepted token, else per client address with GitHub's unauthenticated
	// limit. Nil treats every request as carrying no token.
	Credential func(r *http.Request) (token string, accepted bool)
	// Now is the clock of the primary rate windows (the emulator's, which tests advance); nil
	// is time.Now. Secondary limits always follow the wall clock: they measure how fast a
	// client really sends.
	Now func() time.Time
	// Sleep waits d for latency and slow or silent faults, or less if ctx ends, and reports
	// whether to carry on; nil waits on a timer. Tests replace it so they never wait.
	Sleep func(ctx context.Context, d time.Duration) bool
}

// githubRateLimit is the primary rate limit GitHub gives a personal access token.
const githubRateLimit = 5000

// unauthenticatedRateLimit is what GitHub gives a client, per address, that sends no token.
const unauthenticatedRateLimit = 60

// Network is one simulated network in front of one server. It is safe for concurrent use.
type Network struct {
	cfg       Config
	faults    *faultInjector
	secondary *secondaryLimits
	rate      *rateWindows
	etags     etagCounter
}

// New returns a network with cfg's knobs.
func New(cfg Config) *Network {
	if cfg.RateLimit == 0 {
		cfg.RateLimit = githubRateLimit
	}
	if cfg.Credential == nil {
		cfg.Credential = func(*http.Request) (string, bool) { return "", false }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepContext
	}
	return &Network{
		cfg:       cfg,
		faults:    newFaultInjector(cfg.Faults),
		secondary: newSecondaryLimits(),
		rate:      &rateWindows{windows: map[string]*rateWindow{}},
	}
}

// sleepContext waits d, or less if the client gives up; it reports whether to carry on.
func sleepContext(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Latency delays every request by Config.Latency before next sees it.
func (n *Network) Latency(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !n.cfg.Sleep(r.Context(), n.cfg.Latency) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// GitHub's wording and documentation links for the answers the network gives.
const (
	MsgRateLimitExceeded  = "API rate limit exceeded for user ID 1."
	MsgSecondaryRateLimit = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
		"If you reach out to GitHub Support for help, please include the request ID "
	MsgGatewayTimeout = "We couldn't respond to your request in time. Sorry about that. " +
		"Please try resubmitting your request and contact us if the problem persists."
	docsREST               = "https://docs.github.com/rest"
	docsRateLimit          = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
	docsSecondaryRateLimit = docsRateLimit + "#about-secondary-rate-limits"
)

// writeError sends GitHub's "Basic Error" (status as a string, as GitHub sends it) in compact
// JSON.
func writeError(w http.ResponseWriter, status int, message, docsURL string) {
	body := map[string]string{"message": message, "status": strconv.Itoa(status)}
	if docsURL != "" {
		body["documentation_url"] = docsURL
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	raw, _ := json.Marshal(body) // maps of strings always encode
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(raw)
}

func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
