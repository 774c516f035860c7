package githubclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/clock"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/emulatortest"
	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// fastRetry retries within milliseconds, and waits 20ms where GitHub asks for a minute.
var fastRetry = RetryPolicy{
	Backoff:                wait.Backoff{Initial: time.Millisecond, Max: 5 * time.Millisecond, Factor: 2},
	SecondaryRateLimitWait: 20 * time.Millisecond,
}

// logRecorder keeps what the client logs, to check what it said and that it said no secret.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) log(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	line := msg
	for k, v := range fields {
		line += fmt.Sprintf(" %s=%v", k, v)
	}
	l.lines = append(l.lines, line)
}

func (l *logRecorder) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// transportClient is a client for the emulator at baseURL with fast retries; adjust changes its Config.
func transportClient(t *testing.T, baseURL string, adjust func(*Config)) (*Client, *logRecorder) {
	t.Helper()
	logs := &logRecorder{}
	cfg := Config{BaseURL: baseURL, Token: "secret-token", UserAgent: "terraform-provider-codescanning/test",
		RunBackoff: fast, ConflictBackoff: fast, Retry: fastRetry, Log: logs.log}
	if adjust != nil {
		adjust(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, logs
}

// sharedFakeClock makes cfg's emulator and a client (through the adjust it returns) keep one
// fake clock, whose waits pass at once: a rate limit's reset arrives as the client's sleep for it
// ends. Tests assert on the clock that the wait happened.
func sharedFakeClock(cfg *emulator.Config) (*clock.Fake, func(*Config)) {
	fake := clock.NewFake()
	cfg.Clock = fake
	return fake, func(c *Config) { c.Clock = fake }
}

// newFaultyEmulator is an emulator with the usual repositories.
func newFaultyEmulator(t *testing.T, cfg emulator.Config) (*emulator.Emulator, string) {
	t.Helper()
	if cfg.RunQueued == 0 && cfg.RunInProgress == 0 {
		cfg.RunQueued, cfg.RunInProgress = 2*time.Millisecond, 5*time.Millisecond
	}
	emu, baseURL := emulatortest.NewServer(t, cfg)
	emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: "service", AdvancedSecurity: true, Languages: []string{"go", "python"}})
	return emu, baseURL
}

func countRequests(emu *emulator.Emulator, method string) int {
	n := 0
	for _, r := range emu.Requests() {
		if r.Method == method {
			n++
		}
	}
	return n
}

func TestReadsAreRetriedThroughEveryTransientFault(t *testing.T) {
	t.Parallel()
	for _, fault := range []netsim.Fault{
		netsim.FaultServerError, netsim.FaultBadGateway, netsim.FaultUnavailable, netsim.FaultGatewayTimeout,
		netsim.FaultReset, netsim.FaultLostAnswer, netsim.FaultSecondary403NR, netsim.FaultSecondary429NR,
	} {
		t.Run(string(fault), func(t *testing.T) {
			t.Parallel()
			emu, base := newFaultyEmulator(t, emulator.Config{Faults: netsim.Faults{Script: []netsim.Fault{fault, fault}}})
			c, logs := transportClient(t, base, nil)
			ds, err := c.GetDefaultSetup(context.Background(), service)
			if err != nil || ds.State != StateNotConfigured {
				t.Fatalf("GetDefaultSetup = %+v, %v; want it read after two faults", ds, err)
			}
			if n := countRequests(emu, http.MethodGet); n != 3 {
				t.Fatalf("%d GETs; want 3 (two faults, then the answer)", n)
			}
			if !strings.Contains(logs.all(), "attempt=") {
				t.Fatalf("no retry logged:\n%s", logs.all())
			}
		})
	}
}

func TestSecondaryRateLimitsAreWaitedOut(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fault   netsim.Fault
		atLeast time.Duration
	}{
		{netsim.FaultSecondary403, 30 * time.Second}, // retry-after: 30
		{netsim.FaultSecondary429, 30 * time.Second},
		{netsim.FaultSecondary403NR, time.Minute}, // GitHub's documented minimum, the default
		{netsim.FaultSecondary429NR, time.Minute},
	}
	for _, tc := range cases {
		t.Run(string(tc.fault), func(t *testing.T) {
			t.Parallel()
			cfg := emulator.Config{Faults: netsim.Faults{Script: []netsim.Fault{tc.fault}, RetryAfter: 30 * time.Second}}
			fake, onClock := sharedFakeClock(&cfg)
			_, base := newFaultyEmulator(t, cfg)
			c, logs := transportClient(t, base, func(cfg *Config) { onClock(cfg); cfg.Retry.SecondaryRateLimitWait = 0 })
			start := fake.Now()
			if _, err := c.GetDefaultSetup(context.Background(), service); err != nil {
				t.Fatal(err)
			}
			if took := fake.Now().Sub(start); took < tc.atLeast {
				t.Fatalf("answered after %v by the client's clock; GitHub asked to wait at least %v", took, tc.atLeast)
			}
			if !strings.Contains(logs.all(), "secondary=true") {
				t.Fatalf("the wait was not logged as a secondary limit:\n%s", logs.all())
			}
		})
	}
}

func TestSecondaryWaitsWithoutRetryAfterGrowExponentially(t *testing.T) {
	t.Parallel()
	nr := netsim.FaultSecondary403NR
	cfg := emulator.Config{Faults: netsim.Faults{Script: []netsim.Fault{nr, nr, nr}}}
	fake, onClock := sharedFakeClock(&cfg)
	_, base := newFaultyEmulator(t, cfg)
	c, _ := transportClient(t, base, func(cfg *Config) { onClock(cfg); cfg.Retry.SecondaryRateLimitWait = 0 })
	start := fake.Now()
	if _, err := c.GetDefaultSetup(context.Background(), service); err != nil {
		t.Fatal(err)
	}
	// A minute, then two, then four.
	if took := fake.Now().Sub(start); took < 7*time.Minute {
		t.Fatalf("three secondary limits took %v by the client's clock; want the waits to double (at least 7m)", took)
	}
	if sleeps := fake.Sleeps(); len(sleeps) != 3 || sleeps[1] < sleeps[0]*3/2 || sleeps[2] < sleeps[1]*3/2 {
		t.Fatalf("slept %v; want three waits, each about twice the one before", sleeps)
	}
}

func TestPrimaryRateLimitIsWaitedOutUntilItsReset(t *testing.T) {
	t.Parallel()
	var cfg emulator.Config
	fake, onClock := sharedFakeClock(&cfg)
	emu, base := newFaultyEmulator(t, cfg)
	c, logs := transportClient(t, base, onClock)
	reset := emu.Network().ExhaustRateLimit("secret-token", 40*time.Minute)
	if _, err := c.GetDefaultSetup(context.Background(), service); err != nil {
		t.Fatal(err)
	}
	if now := fake.Now(); now.Before(reset) {
		t.Fatalf("answered at %v by the client's clock, before the reset at %v", now, reset)
	}
	if !strings.Contains(logs.all(), "until="+reset.UTC().Format(time.RFC3339)) {
		t.Fatalf("the wait's end was not logged:\n%s", logs.all())
	}
}

func TestPrimaryRateLimitPastTheDeadlineFailsAtOnceWithTheResetTime(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	c, _ := transportClient(t, base, nil)
	reset := emu.Network().ExhaustRateLimit("secret-token", time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.GetDefaultSetup(ctx, service)
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("failed after %v; want at once", took)
	}
	var rateErr *RateLimitError
	if !errors.As(err, &rateErr) || StatusCode(err) != http.StatusForbidden ||
		!strings.Contains(err.Error(), reset.UTC().Format(time.RFC3339)) {
		t.Fatalf("error = %v; want a 403 rate-limit error giving the reset %s", err, reset.UTC().Format(time.RFC3339))
	}
	// Every later request fails the same way without asking GitHub.
	before := len(emu.Requests())
	if _, err := c.GetDefaultSetup(ctx, service); !errors.As(err, &rateErr) {
		t.Fatalf("second request: %v", err)
	}
	if len(emu.Requests()) != before {
		t.Fatal("a request was sent while the limit was known to be used up")
	}
}

// go-github refuses, by itself, every request after an answer that reports 0 remaining; the
// transport must keep that decision (the last request of a window leaves 0 remaining, and the
// limit may have reset by the next one).
func TestGoGitHubDoesNotRefuseRequestsItself(t *testing.T) {
	t.Parallel()
	cfg := emulator.Config{RateLimit: 1}
	fake, onClock := sharedFakeClock(&cfg)
	emu, base := newFaultyEmulator(t, cfg)
	c, _ := transportClient(t, base, onClock)
	if _, err := c.GetDefaultSetup(context.Background(), service); err != nil {
		t.Fatal(err)
	}
	reset := emu.Network().ExhaustRateLimit("secret-token", 10*time.Minute) // GitHub's window, resetting later
	if _, err := c.GetDefaultSetup(context.Background(), service); err != nil {
		t.Fatalf("second read: %v; want it sent, refused, waited out and answered", err)
	}
	if n := countRequests(emu, http.MethodGet); n != 3 {
		t.Fatalf("%d GETs reached GitHub; want 3 (answered, refused, answered)", n)
	}
	if fake.Now().Before(reset) {
		t.Fatalf("the second read was answered before the reset at %v", reset)
	}
}

func TestIdempotentWritesAreResentAndOthersAreNot(t *testing.T) {
	t.Parallel()
	t.Run("default setup PATCH whose answer was lost", func(t *testing.T) {
		t.Parallel()
		emu, base := newFaultyEmulator(t, emulator.Config{RunQueued: 30 * time.Millisecond, RunInProgress: 30 * time.Millisecond})
		emu.Network().SetFaults(netsim.Faults{Script: []netsim.Fault{netsim.FaultLostAnswer}, Match: isMethod(http.MethodPatch)})
		c, _ := transportClient(t, base, nil)
		_, err := c.UpdateDefaultSetup(context.Background(), service, DefaultSetupUpdate{State: StateConfigured, Languages: []string{"go"}})
		if err != nil {
			t.Fatal(err)
		}
		// (More than two when the run outlasts the re-ask interval of a 200 not yet shown.)
		if n := countRequests(emu, http.MethodPatch); n < 2 {
			t.Fatalf("%d PATCHes; want the lost one sent again", n)
		}
		// The first PATCH started a run the second was told nothing of: the update returns
		// once GitHub shows the configuration.
		ds, _ := emu.DefaultSetup("octo-org", "service")
		if ds.State != StateConfigured || strings.Join(ds.Languages, ",") != "go" {
			t.Fatalf("GitHub holds %+v when the update returned", ds)
		}
	})
	t.Run("SARIF upload", func(t *testing.T) {
		t.Parallel()
		emu, base := newFaultyEmulator(t, emulator.Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultBadGateway}}})
		c, _ := transportClient(t, base, nil)
		req, err := c.newRequest(http.MethodPost, "repos/octo-org/service/code-scanning/sarifs", map[string]string{"sarif": "H4sI"})
		if err != nil {
			t.Fatal(err)
		}
		err = c.do(context.Background(), "upload SARIF", service, req, nil)
		if StatusCode(err) != http.StatusBadGateway {
			t.Fatalf("error = %v; want the 502 reported", err)
		}
		if n := countRequests(emu, http.MethodPost); n != 1 {
			t.Fatalf("%d POSTs; a SARIF upload must never be sent twice", n)
		}
	})
}

func isMethod(method string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == method }
}

func TestRetriesStopAtTheDeadline(t *testing.T) {
	t.Parallel()
	cfg := emulator.Config{Faults: netsim.Faults{Probability: 1, Kinds: []netsim.Fault{netsim.FaultUnavailable}}}
	fake, onClock := sharedFakeClock(&cfg)
	_, base := newFaultyEmulator(t, cfg)
	c, _ := transportClient(t, base, func(cfg *Config) {
		// A retry after 10s, then a wait of 10 minutes that would end past the deadline, by a
		// fake clock: the second answer is returned at once, and a busy machine's slow requests
		// cannot reach a deadline of minutes (one of 400 real milliseconds they could).
		onClock(cfg)
		cfg.Retry.Backoff = wait.Backoff{Initial: 10 * time.Second, Max: 10 * time.Minute, Factor: 60}
		cfg.Retry.MaxAttempts = 1000
	})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	deadline, _ := ctx.Deadline()
	_, err := c.GetDefaultSetup(ctx, service)
	if StatusCode(err) != http.StatusServiceUnavailable {
		t.Fatalf("error = %v; want GitHub's last 503", err)
	}
	if now := fake.Now(); now.After(deadline) {
		t.Fatalf("gave up at %v by the clock, past the deadline %v", now, deadline)
	}
	if fake.Longest() < 10*time.Second {
		t.Fatalf("slept at most %v; want the first retry's 10s", fake.Longest())
	}
}

func TestRetriesStopAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{Faults: netsim.Faults{Probability: 1, Kinds: []netsim.Fault{netsim.FaultServerError}}})
	c, _ := transportClient(t, base, func(cfg *Config) { cfg.Retry.MaxAttempts = 4 })
	if _, err := c.GetDefaultSetup(context.Background(), service); StatusCode(err) != http.StatusInternalServerError {
		t.Fatalf("error = %v; want the 500", err)
	}
	if n := countRequests(emu, http.MethodGet); n != 4 {
		t.Fatalf("%d GETs; want 4 attempts", n)
	}
}

func TestRequestsInFlightAreCapped(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	var inFlight, most atomic.Int32
	// Every request is held until two are in flight at once, so the cap is reached however a
	// busy machine spaces the requests out (a hold of 20ms alone could end before the second
	// arrived); then for 20ms more, in which a third, were the cap not kept, would arrive.
	twoInFlight := make(chan struct{})
	var reached sync.Once
	emu.Intercept(func(http.ResponseWriter, *http.Request) bool {
		n := inFlight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		if n >= 2 {
			reached.Do(func() { close(twoInFlight) })
		}
		select {
		case <-twoInFlight:
		case <-time.After(10 * time.Second): // a client that sends one at a time; most says so
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		return false
	})
	c, _ := transportClient(t, base, func(cfg *Config) { cfg.MaxConcurrency = 2 })
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.GetDefaultSetup(context.Background(), service); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if m := most.Load(); m != 2 {
		t.Fatalf("at most %d requests were in flight; want the cap of 2 reached and kept", m)
	}
}

// go-github reads an error answer whole and never closes its body: the slot must come back
// anyway, or max_concurrency refusals (a 409 while another run validates, a 404) hold every
// later request until its deadline.
func TestErrorAnswersGiveTheirSlotBack(t *testing.T) {
	t.Parallel()
	_, base := newFaultyEmulator(t, emulator.Config{})
	c, _ := transportClient(t, base, func(cfg *Config) { cfg.MaxConcurrency = 2 })
	for i := range 5 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := c.GetDefaultSetup(ctx, Repository{"octo-org", "missing"})
		cancel()
		if StatusCode(err) != http.StatusNotFound {
			t.Fatalf("read %d of a missing repository with 2 slots: %v; want GitHub's 404, not a wait for a slot", i+1, err)
		}
	}
}

func TestWritesArePaced(t *testing.T) {
	t.Parallel()
	emu, base := newFaultyEmulator(t, emulator.Config{})
	for _, name := range []string{"a", "b", "c"} {
		emu.AddRepository(emulator.Repository{Owner: "octo-org", Name: name, AdvancedSecurity: true, Languages: []string{"go"}})
	}
	// Send times are taken where the client hands a request to the network, not where the
	// emulator receives it, which a busy machine delays unevenly.
	sends := &sendRecorder{next: http.DefaultTransport}
	const delay = 60 * time.Millisecond
	c, _ := transportClient(t, base, func(cfg *Config) { cfg.WriteDelay, cfg.Transport = delay, sends })
	var wg sync.WaitGroup
	for _, name := range []string{"service", "a", "b", "c"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.UpdateDefaultSetup(context.Background(), Repository{"octo-org", name}, DefaultSetupUpdate{State: StateConfigured}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	starts := sends.times(http.MethodPatch)
	if len(starts) != 4 {
		t.Fatalf("%d PATCHes arrived, want 4", len(starts))
	}
	// Each write is booked a delay after the one before; waking to send takes a little
	// longer for some than for others, never a delay less.
	if span := starts[3].Sub(starts[0]); span < 3*delay-delay/4 {
		t.Fatalf("four writes sent within %v; want them paced %v apart (about %v in all)", span, delay, 3*delay)
	}
}

// sendRecorder notes when each request leaves the client.
type sendRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent []struct {
		method string
		at     time.Time
	}
}

func (s *sendRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.sent = append(s.sent, struct {
		method string
		at     time.Time
	}{req.Method, time.Now()})
	s.mu.Unlock()
	return s.next.RoundTrip(req)
}

func (s *sendRecorder) times(method string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Time
	for _, r := range s.sent {
		if r.method == method {
			out = append(out, r.at)
		}
	}
	return out
}
