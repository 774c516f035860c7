package netsim

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordedSleeps is a Config.Sleep that waits for nothing and remembers what it was asked to wait.
type recordedSleeps struct {
	mu sync.Mutex
	ds []time.Duration
}

func (s *recordedSleeps) sleep(ctx context.Context, d time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ds = append(s.ds, d)
	return ctx.Err() == nil
}

func (s *recordedSleeps) slept() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ds)
}

func TestFaultsAnswerAsGitHubDoes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fault      Fault
		status     int
		retryAfter string
		message    string
	}{
		{FaultServerError, 500, "", `"Server Error"`},
		{FaultUnavailable, 503, "", `"Service Unavailable"`},
		{FaultGatewayTimeout, 504, "", MsgGatewayTimeout},
		{FaultSecondary403, 403, "2", MsgSecondaryRateLimit},
		{FaultSecondary429, 429, "2", MsgSecondaryRateLimit},
		{FaultSecondary403NR, 403, "", MsgSecondaryRateLimit},
		{FaultSecondary429NR, 429, "", MsgSecondaryRateLimit},
	}
	for _, tc := range cases {
		t.Run(string(tc.fault), func(t *testing.T) {
			t.Parallel()
			n := New(Config{Credential: bearer})
			url := serve(t, n.Faults(n.RateLimits(newStubServer())))
			if resp, _, err := send(t, "GET", url, "t", nil); err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("before any fault: %v %v", resp, err)
			}
			n.SetFaults(Faults{Script: []Fault{tc.fault}, RetryAfter: 1500 * time.Millisecond})
			resp, body, err := send(t, "GET", url, "t", nil)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.status || resp.Header.Get("Retry-After") != tc.retryAfter ||
				!strings.Contains(string(body), strings.TrimSuffix(tc.message, "request ID ")) ||
				!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("answer %d (retry-after %q, %s) %s; want %d (retry-after %q) saying %q", resp.StatusCode,
					resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"), body, tc.status, tc.retryAfter, tc.message)
			}
			if strings.HasPrefix(string(tc.fault), "secondary") && resp.Header.Get("X-RateLimit-Remaining") != "4999" {
				t.Fatalf("a secondary limit shows X-RateLimit-Remaining %q; want the token's primary window untouched (4999)",
					resp.Header.Get("X-RateLimit-Remaining"))
			}
			if again, _, err := send(t, "GET", url, "t", nil); err != nil || again.StatusCode != http.StatusOK {
				t.Fatalf("the script's one fault also failed the next request: %v %v", again, err)
			}
		})
	}
}

func TestBadGatewayIsNotJSON(t *testing.T) {
	t.Parallel()
	n := New(Config{Faults: Faults{Script: []Fault{FaultBadGateway}}})
	resp, body, err := send(t, "GET", serve(t, n.Faults(newStubServer())), "", nil)
	if err != nil || resp.StatusCode != http.StatusBadGateway || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("answer %v %s (%v); want a 502 HTML page", resp, body, err)
	}
}

func TestResetDropsTheConnectionBeforeTheRequestIsServed(t *testing.T) {
	t.Parallel()
	n := New(Config{Faults: Faults{Script: []Fault{FaultReset}}})
	stub := newStubServer()
	if _, _, err := send(t, "PATCH", serve(t, n.Faults(stub)), "", nil); err == nil {
		t.Fatal("the request got an answer; want the connection dropped")
	}
	if stub.served.Load() != 0 {
		t.Fatal("a reset request was served")
	}
}

func TestLostAnswerServesTheRequestThenDropsTheConnection(t *testing.T) {
	t.Parallel()
	n := New(Config{Faults: Faults{Script: []Fault{FaultLostAnswer}}})
	stub := newStubServer()
	if _, _, err := send(t, "PATCH", serve(t, n.Faults(stub)), "", nil); err == nil {
		t.Fatal("the request got an answer; want the connection dropped after it was served")
	}
	if stub.served.Load() != 1 {
		t.Fatalf("served %d times; want the request whose answer was lost served once", stub.served.Load())
	}
}

func TestSilentFaultNeverAnswersUntilTheClientGivesUp(t *testing.T) {
	t.Parallel()
	n := New(Config{Faults: Faults{Script: []Fault{FaultSilent}}}) // SilentFor: 10 minutes
	stub := newStubServer()
	url := serve(t, n.Faults(stub))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	resp, _, err := sendContext(ctx, t, "PATCH", url, "", nil)
	if err == nil {
		t.Fatalf("answered %d; want no answer before the client gave up", resp.StatusCode)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v; want the client's own deadline", err)
	}
	if stub.served.Load() != 0 {
		t.Fatal("a request met with silence was served")
	}
	if resp, _, err := send(t, "GET", url, "", nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the next request: %v %v; want it answered", resp, err)
	}
}

func TestSilentFaultDropsTheConnectionAfterSilentFor(t *testing.T) {
	t.Parallel()
	sleeps := &recordedSleeps{}
	n := New(Config{Faults: Faults{Script: []Fault{FaultSilent}, SilentFor: 20 * time.Minute}, Sleep: sleeps.sleep})
	if _, _, err := send(t, "GET", serve(t, n.Faults(newStubServer())), "", nil); err == nil {
		t.Fatal("the request got an answer; want the connection dropped")
	}
	if got := sleeps.slept(); !slices.Equal(got, []time.Duration{20 * time.Minute}) {
		t.Fatalf("held the request for %v; want SilentFor, 20m", got)
	}
}

func TestSlowFaultDelaysTheAnswer(t *testing.T) {
	t.Parallel()
	sleeps := &recordedSleeps{}
	n := New(Config{Faults: Faults{Script: []Fault{FaultSlow}, SlowAnswer: 80 * time.Second}, Sleep: sleeps.sleep})
	if resp, _, err := send(t, "GET", serve(t, n.Faults(newStubServer())), "", nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("answer %v %v", resp, err)
	}
	if got := sleeps.slept(); !slices.Equal(got, []time.Duration{80 * time.Second}) {
		t.Fatalf("delayed the answer by %v; want SlowAnswer, 80s", got)
	}
}

func TestLatencyDelaysEveryRequest(t *testing.T) {
	t.Parallel()
	sleeps := &recordedSleeps{}
	n := New(Config{Latency: 3 * time.Second, Sleep: sleeps.sleep})
	url := serve(t, n.Latency(newStubServer()))
	for range 2 {
		if resp, _, err := send(t, "GET", url, "", nil); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("answer %v %v", resp, err)
		}
	}
	if got := sleeps.slept(); !slices.Equal(got, []time.Duration{3 * time.Second, 3 * time.Second}) {
		t.Fatalf("delays %v; want Latency before each request", got)
	}
}

func TestPrimaryFaultExhaustsTheLimitUntilItsReset(t *testing.T) {
	t.Parallel()
	clock := newStubClock()
	n := New(Config{Faults: Faults{Script: []Fault{FaultPrimary}, PrimaryReset: 30 * time.Second}, Credential: bearer, Now: clock.Now})
	url := serve(t, n.Faults(n.RateLimits(newStubServer())))
	refused, body, err := send(t, "GET", url, "t", nil)
	if err != nil || refused.StatusCode != http.StatusForbidden || !strings.Contains(string(body), MsgRateLimitExceeded) {
		t.Fatalf("answer %v %s (%v); want 403 %q", refused, body, err, MsgRateLimitExceeded)
	}
	reset := clock.Now().Add(30 * time.Second).Unix()
	wantHeaders(t, refused.Header, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(reset, 10)})
	if again, _ := answer(t, "GET", url, "t", nil); again.StatusCode != http.StatusForbidden {
		t.Fatalf("before the reset: %d; want still refused", again.StatusCode)
	}
	clock.Advance(30 * time.Second)
	if after, _ := answer(t, "GET", url, "t", nil); after.StatusCode != http.StatusOK {
		t.Fatalf("after the reset: %d", after.StatusCode)
	}
}

func TestFaultDrawsAreRepeatableAndCounted(t *testing.T) {
	t.Parallel()
	sequence := func() []int {
		n := New(Config{Faults: Faults{Probability: 0.3, Seed: 7, Kinds: []Fault{FaultServerError, FaultUnavailable}}})
		url := serve(t, n.Faults(newStubServer()))
		var statuses []int
		failed := 0
		for range 40 {
			resp, _, err := send(t, "GET", url, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			statuses = append(statuses, resp.StatusCode)
			if resp.StatusCode != http.StatusOK {
				failed++
			}
		}
		counts := n.FaultCounts()
		if counts[FaultServerError]+counts[FaultUnavailable] != failed || failed == 0 || failed == 40 {
			t.Fatalf("counts %v for %d failed requests of 40", counts, failed)
		}
		return statuses
	}
	if first, second := sequence(), sequence(); !slices.Equal(first, second) {
		t.Fatalf("the same seed drew %v, then %v", first, second)
	}
}

func TestFaultsOnlyHitMatchingRequests(t *testing.T) {
	t.Parallel()
	n := New(Config{})
	n.SetFaults(Faults{Probability: 1, Kinds: []Fault{FaultUnavailable}, Match: func(r *http.Request) bool { return r.Method == http.MethodPatch }})
	url := serve(t, n.Faults(newStubServer()))
	if resp, _ := answer(t, "GET", url, "", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET: %d", resp.StatusCode)
	}
	if resp, _ := answer(t, "PATCH", url, "", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("PATCH: %d", resp.StatusCode)
	}
}
