package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/wait"
)

// fastPolicy retries within milliseconds.
var fastPolicy = RetryPolicy{
	Backoff:                wait.Backoff{Initial: time.Millisecond, Max: 5 * time.Millisecond, Factor: 2},
	SecondaryRateLimitWait: 20 * time.Millisecond,
}.WithDefaults()

func TestDeliverySaysWhetherAWriteWasResentAfterATryThatMayHaveReachedGitHub(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		answers []int // status of each try, in order
		resent  bool
	}{
		{"first try answered", []int{http.StatusOK}, false},
		{"after a bad gateway", []int{http.StatusBadGateway, http.StatusOK}, true},
		{"after a rate limit, which GitHub did not carry out", []int{http.StatusTooManyRequests, http.StatusOK}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var tries atomic.Int32
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				status := tc.answers[min(int(tries.Add(1))-1, len(tc.answers)-1)]
				if status == http.StatusTooManyRequests {
					w.Header().Set("Retry-After", "0")
				}
				w.WriteHeader(status)
				_, _ = w.Write([]byte(`{}`))
			}))
			t.Cleanup(api.Close)
			rt := &Retry{Next: http.DefaultTransport, Limits: NewLimiter(0, 0, 0), Policy: fastPolicy, APIPath: "/",
				Resendable: func(method, op string) bool { return method == http.MethodPatch && op == "settings" }}
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodPatch, api.URL+"/settings", strings.NewReader(`{"on":true}`))
			resp, err := (&http.Client{Transport: rt}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			drain(resp)
			if resp.StatusCode != http.StatusOK || int(tries.Load()) != len(tc.answers) {
				t.Fatalf("status %d after %d tries; want 200 after %d", resp.StatusCode, tries.Load(), len(tc.answers))
			}
			if got := DeliveryOf(resp).Resent(); got != tc.resent {
				t.Fatalf("Resent() = %v; want %v", got, tc.resent)
			}
		})
	}
}

func TestDeliveryOfAnAnswerNotFromRetryReportsNothing(t *testing.T) {
	t.Parallel()
	if DeliveryOf(nil).Resent() || DeliveryOf(&http.Response{Body: http.NoBody}).Resent() {
		t.Fatal("an answer that did not come through Retry reports a resend")
	}
}
