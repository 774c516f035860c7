package emulator

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator/netsim"
)

func TestRateLimitHeadersCountDownPerToken(t *testing.T) {
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
		"X-RateLimit-Resource": "core",
		"X-RateLimit-Reset":    strconv.FormatInt(clock.Now().Add(time.Hour).Unix(), 10),
	})
	wantHeaders(t, second.header, map[string]string{"X-RateLimit-Remaining": "4998", "X-RateLimit-Used": "2"})
	wantHeaders(t, other.header, map[string]string{"X-RateLimit-Remaining": "4999"})
	if first.header.Get("X-GitHub-Request-Id") == second.header.Get("X-GitHub-Request-Id") {
		t.Error("two requests share a request id")
	}
}

func TestRateLimitExhaustedAndReset(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{RateLimit: 2}, scanned("app"))
	clock := a.useFakeClock()
	for range 2 {
		if got := a.do("GET", "repos/octo-org/app", ""); got.status != http.StatusOK {
			t.Fatalf("within the limit: status %d", got.status)
		}
	}
	refused := a.do("GET", "repos/octo-org/app", "")
	refused.expectError(t, http.StatusForbidden, netsim.MsgRateLimitExceeded)
	wantHeaders(t, refused.header, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Used": "2"})

	clock.Advance(time.Hour)
	if got := a.do("GET", "repos/octo-org/app", ""); got.status != http.StatusOK {
		t.Fatalf("after the window: status %d", got.status)
	}
}

func TestRateLimitUnauthenticatedIsPerAddress(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, Config{}, scanned("app"))
	got := a.doWith("GET", a.base+"repos/octo-org/app", "", nil)
	wantHeaders(t, got.header, map[string]string{"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "59"})
}

func wantHeaders(t *testing.T, h http.Header, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}
