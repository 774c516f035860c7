package netsim

import (
	"maps"
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

// The faults the network can inject. Each is what a client meets from github.com now and then.
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
func (n *Network) SetFaults(f Faults) { n.faults.set(f) }

// FaultCounts says how many requests met each fault so far.
func (n *Network) FaultCounts() map[Fault]int {
	n.faults.mu.Lock()
	defer n.faults.mu.Unlock()
	return maps.Clone(n.faults.counts)
}

// Faults answers each request with a drawn fault, or lets it through to next: unchanged, late
// (FaultSlow), against an exhausted primary limit (FaultPrimary), or carried out with its
// answer thrown away and the connection closed (FaultLostAnswer).
func (n *Network) Faults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, cfg := n.faults.draw(r)
		switch f {
		case FaultNone:
			next.ServeHTTP(w, r)
		case FaultSlow:
			if n.cfg.Sleep(r.Context(), cfg.SlowAnswer) {
				next.ServeHTTP(w, r)
			}
		case FaultLostAnswer:
			next.ServeHTTP(&discardedAnswer{header: http.Header{}}, r)
			closeConnection(w)
		case FaultPrimary:
			token, _ := n.cfg.Credential(r)
			n.ExhaustRateLimit(token, cfg.PrimaryReset)
			next.ServeHTTP(w, r)
		case FaultSilent:
			n.cfg.Sleep(r.Context(), cfg.SilentFor)
			closeConnection(w)
		case FaultReset:
			closeConnection(w)
		case FaultServerError:
			writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Server Error"})
		case FaultBadGateway:
			// GitHub's edge answers a 502 with an HTML page, not JSON.
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
		case FaultUnavailable:
			writeError(w, http.StatusServiceUnavailable, "Service Unavailable", docsREST)
		case FaultGatewayTimeout:
			writeJSON(w, http.StatusGatewayTimeout, map[string]string{"message": MsgGatewayTimeout})
		case FaultSecondary403, FaultSecondary403NR, FaultSecondary429, FaultSecondary429NR:
			status := http.StatusForbidden
			if f == FaultSecondary429 || f == FaultSecondary429NR {
				status = http.StatusTooManyRequests
			}
			if f == FaultSecondary403 || f == FaultSecondary429 {
				w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(cfg.RetryAfter.Seconds())))))
			}
			token, _ := n.cfg.Credential(r)
			if window, ok := n.rate.peek("token:"+token, n.cfg.Now()); ok {
				setRateLimitHeaders(w.Header(), window)
			}
			// The request ID GitHub asks to quote is the answer's own, which the server sets
			// before the network's layers run.
			writeError(w, status, MsgSecondaryRateLimit+w.Header().Get("X-GitHub-Request-Id")+".", docsSecondaryRateLimit)
		}
	})
}

// discardedAnswer takes an answer that will never be sent.
type discardedAnswer struct{ header http.Header }

func (d *discardedAnswer) Header() http.Header         { return d.header }
func (d *discardedAnswer) WriteHeader(int)             {}
func (d *discardedAnswer) Write(p []byte) (int, error) { return len(p), nil }

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
