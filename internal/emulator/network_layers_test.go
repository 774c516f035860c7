package emulator

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

// The network's middleware is tested alone in package netsim. These tests protect what only the
// assembled server shows: that Handler places netsim's layers where GitHub's behaviour puts them
// relative to GitHub's state, headers, authentication and clock.

func TestEveryAnswerCarriesGitHubsHeadersAndThePerTokenRateWindow(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	clock := a.useFakeClock()
	get := func(token string) response {
		return a.doWith("GET", a.base+"repos/octo-org/app", "", map[string]string{"Authorization": "Bearer " + token})
	}

	first, second, other := get("one"), get("one"), get("two")
	for name, r := range map[string]response{"first": first, "second": second, "other": other} {
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used",
			"X-RateLimit-Reset", "X-RateLimit-Resource", "X-GitHub-Request-Id"} {
			if r.header.Get(h) == "" {
				t.Errorf("%s answer has no %s header", name, h)
			}
		}
		if got := r.header.Get("Content-Type"); got != "application/json; charset=utf-8" {
			t.Errorf("%s Content-Type = %q", name, got)
		}
	}
	wantHeaders(t, first.header, map[string]string{
		"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999", "X-RateLimit-Used": "1",
		"X-RateLimit-Reset": strconv.FormatInt(clock.Now().Add(time.Hour).Unix(), 10),
	})
	wantHeaders(t, second.header, map[string]string{"X-RateLimit-Remaining": "4998"})
	wantHeaders(t, other.header, map[string]string{"X-RateLimit-Remaining": "4999"})
	if first.header.Get("X-GitHub-Request-Id") == second.header.Get("X-GitHub-Request-Id") {
		t.Error("two requests share a request id")
	}
}

func TestATokenGitHubRefusesIsCountedPerAddress(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{Tokens: []string{testToken}}, scanned("app"))
	for name, headers := range map[string]map[string]string{
		"no token":      nil,
		"unknown token": {"Authorization": "Bearer ghp_unknown"},
	} {
		got := a.doWith("GET", a.base+"repos/octo-org/app", "", headers)
		if got.status != http.StatusUnauthorized {
			t.Fatalf("%s: status %d, want 401", name, got.status)
		}
		if got.header.Get("X-RateLimit-Limit") != "60" {
			t.Errorf("%s: X-RateLimit-Limit %q; want the address's 60", name, got.header.Get("X-RateLimit-Limit"))
		}
	}
}

func TestAConditionalGETOfUnchangedStateIsNotCharged(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	first := a.do("GET", setupPath, "")
	etag := first.header.Get("ETag")
	resp, body, err := rawDo(t, "GET", a.base+setupPath, "", map[string]string{"If-None-Match": etag})
	if err != nil || etag == "" || resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Fatalf("conditional GET with ETag %q: %v %q (%v); want 304 with no body", etag, resp, body, err)
	}
	wantHeaders(t, resp.Header, map[string]string{"X-RateLimit-Used": "1", "X-RateLimit-Remaining": "4999"})
	a.emu.SetDefaultSetup("octo-org", "app", DefaultSetup{Languages: []string{"go"}})
	resp, _, _ = rawDo(t, "GET", a.base+setupPath, "", map[string]string{"If-None-Match": etag})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
		t.Fatalf("after a change of default setup: %d with ETag %q; want 200 and a new tag", resp.StatusCode, resp.Header.Get("ETag"))
	}
}

func TestFaultsSitBeforeGitHubsStateAndAfterItsHeaders(t *testing.T) {
	t.Parallel()
	t.Run("a reset request is not carried out", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultReset}}}, scanned("app"))
		if _, _, err := rawDo(t, "PATCH", a.base+setupPath, `{"state":"configured"}`, nil); err == nil {
			t.Fatal("the request got an answer; want the connection dropped")
		}
		if ds, _ := a.emu.DefaultSetup("octo-org", "app"); ds.State != stateNotConfigured {
			t.Fatalf("a reset request was carried out: %+v", ds)
		}
	})
	t.Run("a request whose answer is lost is carried out", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{ShowPendingConfig: true, RunQueued: time.Hour, Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultLostAnswer}}}, scanned("app"))
		if _, _, err := rawDo(t, "PATCH", a.base+setupPath, `{"state":"configured"}`, nil); err == nil {
			t.Fatal("the request got an answer; want the connection dropped after it was carried out")
		}
		if ds, _ := a.emu.DefaultSetup("octo-org", "app"); ds.State != stateConfigured {
			t.Fatalf("the request whose answer was lost was not carried out: %+v", ds)
		}
	})
	t.Run("a secondary limit quotes the answer's request id", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultSecondary403}}}, scanned("app"))
		got := a.do("GET", setupPath, "")
		id := got.header.Get("X-GitHub-Request-Id")
		got.expectError(t, http.StatusForbidden, netsim.MsgSecondaryRateLimit+id+".")
		if id == "" || !strings.HasPrefix(id, "E0E0:") {
			t.Fatalf("request id %q", id)
		}
	})
	t.Run("an exhausted primary limit resets by the emulator's clock", func(t *testing.T) {
		t.Parallel()
		a := newTestAPI(t, Config{Faults: netsim.Faults{Script: []netsim.Fault{netsim.FaultPrimary}, PrimaryReset: 30 * time.Second}}, scanned("app"))
		clock := a.useFakeClock()
		refused := a.do("GET", "repos/octo-org/app", "")
		refused.expectError(t, http.StatusForbidden, netsim.MsgRateLimitExceeded)
		wantHeaders(t, refused.header, map[string]string{"X-RateLimit-Reset": strconv.FormatInt(clock.Now().Add(30*time.Second).Unix(), 10)})
		clock.Advance(30 * time.Second)
		if after := a.do("GET", "repos/octo-org/app", ""); after.status != http.StatusOK {
			t.Fatalf("after the reset: %d", after.status)
		}
	})
}

// Config.Latency and Config.Sleep reach the network, which waits before every answer (netsim's
// TestLatencyDelaysEveryRequest); the test's Sleep records rather than waits.
func TestLatencyIsWaitedBeforeEveryAnswer(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var waits []time.Duration
	sleep := func(ctx context.Context, d time.Duration) bool {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)
		return ctx.Err() == nil
	}
	a := newTestAPI(t, Config{Latency: 20 * time.Second, Sleep: sleep}, scanned("app"))
	a.do("GET", "repos/octo-org/app", "")
	a.do("GET", "repos/octo-org/nope", "")
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(waits, []time.Duration{20 * time.Second, 20 * time.Second}) {
		t.Fatalf("waited %v; want Latency before each of two answers", waits)
	}
}
