package emulator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

// rawDo sends a request without checking the contract: some faults (a load balancer's 502 page,
// a dropped connection) are not answers the API description could describe.
func rawDo(t *testing.T, method, url, body string, headers map[string]string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	return resp, got, err
}

func TestFaultsAnswerAsGitHubDoes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fault      netsim.Fault
		status     int
		retryAfter string
		message    string
	}{
		{netsim.FaultServerError, 500, "", "Server Error"},
		{netsim.FaultUnavailable, 503, "", "Service Unavailable"},
		{netsim.FaultGatewayTimeout, 504, "", netsim.MsgGatewayTimeout},
		{netsim.FaultSecondary403, 403, "2", netsim.MsgSecondaryRateLimit},
		{netsim.FaultSecondary429, 429, "2", netsim.MsgSecondaryRateLimit},
		{netsim.FaultSecondary403NR, 403, "", netsim.MsgSecondaryRateLimit},
		{netsim.FaultSecondary429NR, 429, "", netsim.MsgSecondaryRateLimit},
	}
	for _, tc := range cases {
		t.Run(string(tc.fault), func(t *testing.T) {
			t.Parallel()
			a := newTestAPI(t, Config{Faults: netsim.Faults{Script: []netsim.Fault{tc.fault}, RetryAfter: 1500 * time.Millisecond}}, scanned("app"))
			got := a.do("GET", "repos/octo-org/app/code-scanning/default-setup", "")
			if got.status != tc.status || got.header.Get("Retry-After") != tc.retryAfter ||
				!strings.Contains(string(got.body), strings.TrimSuffix(tc.message, "request ID ")) {
				t.Fatalf("answer %d (retry-after %q) %s; want %d (retry-after %q) saying %q", got.status, got.header.Get("Retry-After"), got.body, tc.status, tc.retryAfter, tc.message)
			}
			if strings.HasPrefix(string(tc.fault), "secondary") && got.header.Get("X-RateLimit-Remaining") == "0" {
				t.Fatal("a secondary limit must not look like the primary one")
			}
			if again := a.do("GET", "repos/octo-org/app/code-scanning/default-setup", ""); again.status != http.StatusOK {
				t.Fatalf("the script's one fault also failed the next request: %d", again.status)
			}
		})
	}
}

func TestBadGatewayIsNotJSON(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultBadGateway}}}, scanned("app"))
	resp, body, err := rawDo(t, "GET", a.base+"repos/octo-org/app", "", nil)
	if err != nil || resp.StatusCode != http.StatusBadGateway || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("answer %v %s (%v); want a 502 HTML page", resp, body, err)
	}
}

func TestResetDropsTheConnectionBeforeTheRequestIsCarriedOut(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultReset}}}, scanned("app"))
	if _, _, err := rawDo(t, "PATCH", a.base+"repos/octo-org/app/code-scanning/default-setup", `{"state":"configured"}`, nil); err == nil {
		t.Fatal("the request got an answer; want the connection dropped")
	}
	if ds, _ := a.emu.DefaultSetup("octo-org", "app"); ds.State != stateNotConfigured {
		t.Fatalf("a reset request was carried out: %+v", ds)
	}
}

func TestLostAnswerCarriesOutTheRequest(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{ShowPendingConfig: true, RunQueued: time.Hour, Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultLostAnswer}}}, scanned("app"))
	if _, _, err := rawDo(t, "PATCH", a.base+"repos/octo-org/app/code-scanning/default-setup", `{"state":"configured"}`, nil); err == nil {
		t.Fatal("the request got an answer; want the connection dropped after it was carried out")
	}
	if ds, _ := a.emu.DefaultSetup("octo-org", "app"); ds.State != stateConfigured {
		t.Fatalf("the request whose answer was lost was not carried out: %+v", ds)
	}
}

func TestSilentFaultNeverAnswersUntilTheClientGivesUp(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultSilent}}}, scanned("app"))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, a.base+"repos/octo-org/app/code-scanning/default-setup", strings.NewReader(`{"state":"configured"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d; want no answer before the client gave up", resp.StatusCode)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v; want the client's own deadline", err)
	}
	if ds, _ := a.emu.DefaultSetup("octo-org", "app"); ds.State != stateNotConfigured {
		t.Fatalf("a request met with silence was carried out: %+v", ds)
	}
	if got := a.do("GET", "repos/octo-org/app", ""); got.status != http.StatusOK {
		t.Fatalf("the next request: %d; want it answered", got.status)
	}
}

func TestSilentFaultDropsTheConnectionAfterSilentFor(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultSilent}, SilentFor: 20 * time.Millisecond}}, scanned("app"))
	start := time.Now()
	if _, _, err := rawDo(t, "GET", a.base+"repos/octo-org/app", "", nil); err == nil {
		t.Fatal("the request got an answer; want the connection dropped")
	}
	if took := time.Since(start); took < 20*time.Millisecond {
		t.Fatalf("dropped after %v; want silence for at least 20ms", took)
	}
}

func TestSlowFaultDelaysTheAnswer(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultSlow}, SlowAnswer: 80 * time.Millisecond}}, scanned("app"))
	start := time.Now()
	if got := a.do("GET", "repos/octo-org/app", ""); got.status != http.StatusOK {
		t.Fatalf("status %d", got.status)
	}
	if took := time.Since(start); took < 80*time.Millisecond {
		t.Fatalf("answered in %v; want at least 80ms", took)
	}
}

func TestPrimaryFaultExhaustsTheLimitUntilItsReset(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultPrimary}, PrimaryReset: 30 * time.Second}}, scanned("app"))
	clock := a.useFakeClock()
	refused := a.do("GET", "repos/octo-org/app", "")
	refused.expectError(t, http.StatusForbidden, netsim.MsgRateLimitExceeded)
	reset := clock.Now().Add(30 * time.Second).Unix()
	wantHeaders(t, refused.header, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(reset, 10)})
	if again := a.do("GET", "repos/octo-org/app", ""); again.status != http.StatusForbidden {
		t.Fatalf("before the reset: %d; want still refused", again.status)
	}
	clock.Advance(30 * time.Second)
	if after := a.do("GET", "repos/octo-org/app", ""); after.status != http.StatusOK {
		t.Fatalf("after the reset: %d", after.status)
	}
}

func TestFaultDrawsAreRepeatableAndCounted(t *testing.T) {
	t.Parallel()
	sequence := func() []int {
		a := newTestAPI(t, Config{Faults: netsim.Faults{Probability: 0.3, Seed: 7, Kinds: []netsim.Fault{netsim.FaultServerError, netsim.FaultUnavailable}}}, scanned("app"))
		var statuses []int
		for range 40 {
			resp, _, err := rawDo(t, "GET", a.base+"repos/octo-org/app", "", nil)
			if err != nil {
				t.Fatal(err)
			}
			statuses = append(statuses, resp.StatusCode)
		}
		counts := a.emu.Network().FaultCounts()
		failed := 0
		for _, s := range statuses {
			if s != http.StatusOK {
				failed++
			}
		}
		if counts[netsim.FaultServerError]+counts[netsim.FaultUnavailable] != failed || failed == 0 || failed == 40 {
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
	a := newTestAPI(t, Config{}, scanned("app"))
	a.emu.Network().SetFaults(netsim.Faults{Probability: 1, Kinds: []netsim.Fault{netsim.FaultUnavailable}, Match: func(r *http.Request) bool { return r.Method == http.MethodPatch }})
	if got := a.do("GET", "repos/octo-org/app", ""); got.status != http.StatusOK {
		t.Fatalf("GET: %d", got.status)
	}
	if got := a.do("PATCH", "repos/octo-org/app/code-scanning/default-setup", `{"state":"configured"}`); got.status != http.StatusServiceUnavailable {
		t.Fatalf("PATCH: %d", got.status)
	}
}
