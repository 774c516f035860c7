package netsim

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRateLimitHeadersCountDownPerToken(t *testing.T) {
	t.Parallel()
	clock := newStubClock()
	n := New(Config{Credential: bearer, Now: clock.Now})
	url := serve(t, n.RateLimits(newStubServer()))
	get := func(token string) http.Header {
		resp, _, err := send(t, "GET", url, token, nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET with %q: %v %v", token, resp, err)
		}
		return resp.Header
	}
	first, second, other := get("one"), get("one"), get("two")
	wantHeaders(t, first, map[string]string{
		"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999", "X-RateLimit-Used": "1",
		"X-RateLimit-Resource": "core",
		"X-RateLimit-Reset":    strconv.FormatInt(clock.Now().Add(time.Hour).Unix(), 10),
	})
	wantHeaders(t, second, map[string]string{"X-RateLimit-Remaining": "4998", "X-RateLimit-Used": "2"})
	wantHeaders(t, other, map[string]string{"X-RateLimit-Remaining": "4999"})
}

func TestRateLimitExhaustedAndReset(t *testing.T) {
	t.Parallel()
	clock := newStubClock()
	stub := newStubServer()
	n := New(Config{RateLimit: 2, Credential: bearer, Now: clock.Now})
	url := serve(t, n.RateLimits(stub))
	for range 2 {
		if resp, _ := answer(t, "GET", url, "t", nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("within the limit: status %d", resp.StatusCode)
		}
	}
	refused, body := answer(t, "GET", url, "t", nil)
	if refused.StatusCode != http.StatusForbidden || !strings.Contains(string(body), MsgRateLimitExceeded) {
		t.Fatalf("over the limit: %d %s; want 403 %q", refused.StatusCode, body, MsgRateLimitExceeded)
	}
	wantHeaders(t, refused.Header, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Used": "2"})
	if stub.served.Load() != 2 {
		t.Fatalf("served %d; want the refused request kept from the server", stub.served.Load())
	}
	clock.Advance(time.Hour)
	if resp, _ := answer(t, "GET", url, "t", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("after the window: status %d", resp.StatusCode)
	}
}

func TestRateLimitUnauthenticatedIsPerAddress(t *testing.T) {
	t.Parallel()
	stub := newStubServer()
	n := New(Config{Credential: bearer})
	resp, _, err := send(t, "GET", serve(t, n.RateLimits(stub)), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantHeaders(t, resp.Header, map[string]string{"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "59"})
	if stub.served.Load() != 1 {
		t.Fatal("a request without a token was not passed on for the server to refuse")
	}
}
