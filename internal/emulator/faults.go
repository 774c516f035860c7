package emulator

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Fault is one way GitHub, or the network on the way to it, fails a request.
type Fault string

// The faults the emulator can inject. Each is what a client meets from github.com now and then.
const (
	FaultNone           Fault = ""                 // the request is served as usual
	FaultServerError    Fault = "500"              // 500, GitHub's JSON "Server Error"
	FaultBadGateway     Fault = "502"              // 502 from the load balancer, not JSON
	FaultUnavailable    Fault = "503"              // 503 Service Unavailable
	FaultGatewayTimeout Fault = "504"              // 504, GitHub's "couldn't respond in time"
	FaultReset          Fault = "reset"            // the connection is closed before any answer
	FaultLostAnswer     Fault = "lost-answer"      // the request is carried out, then the connection is closed before the answer
	FaultSlow           Fault = "slow"             // the answer comes Faults.SlowAnswer late
	FaultSecondary403   Fault = "secondary-403"    // 403 secondary rate limit with retry-after
	FaultSecondary403NR Fault = "secondary-403-nr" // 403 secondary rate limit without retry-after
	FaultSecondary429   Fault = "secondary-429"    // 429 secondary rate limit with retry-after
	FaultSecondary429NR Fault = "secondary-429-nr" // 429 secondary rate limit without retry-after
	FaultPrimary        Fault = "primary"          // the token's primary limit runs out; it resets Faults.PrimaryReset later
	// FaultSilent accepts the request and never answers, until the client gives up (its
	// request's context ends) or Faults.SilentFor passes: a hung proxy or a black-holed
	// backend. Not in AllFaults, since each one costs a client its whole per-request timeout.
	FaultSilent Fault = "silent"
)

// AllFaults lists every fault, for tests that want each kind.
var AllFaults = []Fault{
	FaultServerError, FaultBadGateway, FaultUnavailable, FaultGatewayTimeout, FaultReset, FaultLostAnswer,
	FaultSlow, FaultSecondary403, FaultSecondary403NR, FaultSecondary429, FaultSecondary429NR, FaultPrimary,
}

// Faults says which requests fail and how. The zero value injects nothing.
type Faults struct {
	// Script gives the faults of the next matching requests, in order (FaultNone lets one
	// through); once it is used up, Probability applies.
	Script []Fault
	// Probability is the chance that a matching request meets a fault, drawn evenly from Kinds
	// (from AllFaults when Kinds is empty).
	Probability float64
	Kinds       []Fault
	// Match limits faults to the requests it accepts; nil means every API request.
	Match func(*http.Request) bool
	// Seed makes the draws repeatable; 0 draws differently each time.
	Seed uint64

	SlowAnswer   time.Duration // FaultSlow's delay; 50ms when 0
	RetryAfter   time.Duration // the retry-after of secondary limits; whole seconds, at least 1 s
	PrimaryReset time.Duration // how soon an exhausted primary limit resets; 1 s when 0
	SilentFor    time.Duration // how long FaultSilent holds a request at most; 10 minutes when 0
}

// faultInjector draws faults and counts them. It has its own lock, as it is consulted for
// every request before the emulator's state is.
type faultInjector struct {
	mu     sync.Mutex
	cfg    Faults
	rng    *rand.Rand
	counts map[Fault]int
}

func newFaultInjector(f Faults) *faultInjector {
	fi := &faultInjector{counts: map[Fault]int{}}
	fi.set(f)
	return fi
}

func (fi *faultInjector) set(f Faults) {
	f.Script = slices.Clone(f.Script)
	f.Kinds = slices.Clone(f.Kinds)
	if len(f.Kinds) == 0 {
		f.Kinds = AllFaults
	}
	if f.SlowAnswer <= 0 {
		f.SlowAnswer = 50 * time.Millisecond
	}
	if f.PrimaryReset <= 0 {
		f.PrimaryReset = time.Second
	}
	if f.SilentFor <= 0 {
		f.SilentFor = 10 * time.Minute
	}
	seed := f.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.cfg, fi.rng = f, rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// draw picks the fault for r, and the settings it needs.
func (fi *faultInjector) draw(r *http.Request) (Fault, Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	cfg := fi.cfg
	if cfg.Match != nil && !cfg.Match(r) {
		return FaultNone, cfg
	}
	f := FaultNone
	switch {
	case len(fi.cfg.Script) > 0:
		f, fi.cfg.Script = fi.cfg.Script[0], fi.cfg.Script[1:]
	case cfg.Probability > 0 && fi.rng.Float64() < cfg.Probability:
		f = cfg.Kinds[fi.rng.IntN(len(cfg.Kinds))]
	}
	if f != FaultNone {
		fi.counts[f]++
	}
	return f, cfg
}

// SetFaults replaces the fault settings, e.g. to start failing requests once a test has set
// up what it needs.
func (e *Emulator) SetFaults(f Faults) { e.faults.set(f) }

// FaultCounts says how many requests met each fault so far.
func (e *Emulator) FaultCounts() map[Fault]int {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	out := make(map[Fault]int, len(e.faults.counts))
	for f, n := range e.faults.counts {
		out[f] = n
	}
	return out
}

type lostAnswerKey struct{}

// injectFault answers r with a drawn fault and reports true, or reports false to let it
// proceed: unchanged, late (FaultSlow), against an exhausted limit (FaultPrimary), or marked to
// lose its answer once it has been carried out (FaultLostAnswer, see finish).
func (e *Emulator) injectFault(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	f, cfg := e.faults.draw(r)
	switch f {
	case FaultNone:
		return r, false
	case FaultSlow:
		return r, !sleepContext(r.Context(), cfg.SlowAnswer)
	case FaultLostAnswer:
		return r.WithContext(context.WithValue(r.Context(), lostAnswerKey{}, true)), false
	case FaultPrimary:
		e.ExhaustRateLimit(tokenFrom(r.Header), cfg.PrimaryReset)
		return r, false
	case FaultSilent:
		sleepContext(r.Context(), cfg.SilentFor)
		closeConnection(w)
	case FaultReset:
		closeConnection(w)
	case FaultServerError:
		writeAnswer(w, answer{status: http.StatusInternalServerError, body: map[string]string{"message": "Server Error"}})
	case FaultBadGateway:
		// GitHub's edge answers a 502 with an HTML page, not JSON.
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
	case FaultUnavailable:
		writeAnswer(w, errorAnswer(http.StatusServiceUnavailable, "Service Unavailable", docsREST))
	case FaultGatewayTimeout:
		writeAnswer(w, answer{status: http.StatusGatewayTimeout, body: map[string]string{"message": msgGatewayTimeout}})
	case FaultSecondary403, FaultSecondary403NR, FaultSecondary429, FaultSecondary429NR:
		status := http.StatusForbidden
		if f == FaultSecondary429 || f == FaultSecondary429NR {
			status = http.StatusTooManyRequests
		}
		if f == FaultSecondary403 || f == FaultSecondary429 {
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(cfg.RetryAfter.Seconds())))))
		}
		if window, ok := e.peekRateLimit("token:" + tokenFrom(r.Header)); ok {
			setRateLimitHeaders(w.Header(), window)
		}
		writeAnswer(w, errorAnswer(status, msgSecondaryRateLimit+e.nextRequestID()+".", docsSecondaryRateLimit))
	}
	return r, true
}

// finish writes an answer the handler produced, unless the request was marked to lose it.
func finish(w http.ResponseWriter, r *http.Request, write func()) {
	if lost, _ := r.Context().Value(lostAnswerKey{}).(bool); lost {
		closeConnection(w)
		return
	}
	write()
}

// closeConnection drops the client's connection without an answer, as a reset on the way does.
func closeConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// HTTP/2 cannot be hijacked; aborting the handler resets the stream instead.
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// GitHub's wording for the faults above.
const (
	msgSecondaryRateLimit = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
		"If you reach out to GitHub Support for help, please include the request ID "
	msgGatewayTimeout = "We couldn't respond to your request in time. Sorry about that. " +
		"Please try resubmitting your request and contact us if the problem persists."
	docsSecondaryRateLimit = docsRateLimit + "#about-secondary-rate-limits"
)

// ExhaustRateLimit uses up token's primary rate limit at once, as a busy neighbour sharing it
// would; it resets resetIn from now (rounded up to the second, as x-ratelimit-reset counts in
// seconds). It returns the reset time.
func (e *Emulator) ExhaustRateLimit(token string, resetIn time.Duration) time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	reset := now.Add(resetIn)
	if t := reset.Truncate(time.Second); t.Before(reset) {
		reset = t.Add(time.Second)
	}
	subject := "token:" + token
	limit := e.cfg.RateLimit
	if w, ok := e.rateWindows[subject]; ok {
		limit = w.limit
	}
	e.rateWindows[subject] = &rateWindow{limit: limit, used: limit, reset: reset}
	return reset
}

// peekRateLimit returns subject's window as it stands, without counting a request.
func (e *Emulator) peekRateLimit(subject string) (rateWindow, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	w, ok := e.rateWindows[subject]
	if !ok || !e.now().Before(w.reset) {
		return rateWindow{}, false
	}
	return *w, true
}

// refundRateLimit gives back the request spendRateLimit counted, for an answer GitHub does not
// charge (a 304), and returns the window as it then stands.
func (e *Emulator) refundRateLimit(subject string) (rateWindow, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	w, ok := e.rateWindows[subject]
	if !ok {
		return rateWindow{}, false
	}
	if w.used > 0 {
		w.used--
	}
	return *w, true
}

// preflight is what happens to every request after the Intercept hook and before
// authentication: the GHES flavour's header, injected faults, and GitHub App token requests,
// which carry a JWT rather than a token. It reports whether it answered r.
func (e *Emulator) preflight(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	e.setEnterpriseHeader(w.Header())
	r, answered := e.injectFault(w, r)
	if answered {
		return r, true
	}
	return r, e.serveAppToken(w, r)
}
