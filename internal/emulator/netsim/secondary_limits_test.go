package netsim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSecondaryLimitsCountPointsPerMinuteAndRequestsInFlight(t *testing.T) {
	t.Parallel()
	s := newSecondaryLimits()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// 180 writes in a minute are exactly 900 points: allowed; the 181st is over.
	for i := range 180 {
		release, over := s.admit("t", http.MethodPatch, now.Add(time.Duration(i)*300*time.Millisecond))
		release()
		if over {
			t.Fatalf("write %d tripped the limit", i+1)
		}
	}
	release, over := s.admit("t", http.MethodPatch, now.Add(54*time.Second))
	release()
	if !over || s.trips != 1 {
		t.Fatalf("the 181st write in a minute: over=%t trips=%d", over, s.trips)
	}
	// A minute later the window has emptied; another credential never shared it.
	if release, over := s.admit("t", http.MethodGet, now.Add(3*time.Minute)); over {
		t.Fatal("a read three minutes later tripped the limit")
	} else {
		release()
	}
	var releases []func()
	for i := range secondaryMaxInFlight + 1 {
		release, over := s.admit("other", http.MethodGet, now.Add(time.Duration(i)*time.Second))
		releases = append(releases, release)
		if over != (i == secondaryMaxInFlight) {
			t.Fatalf("request %d in flight: over=%t", i+1, over)
		}
	}
	for _, r := range releases {
		r()
	}
}

func TestEnforcedSecondaryLimitAnswers403WithRetryAfter(t *testing.T) {
	t.Parallel()
	n := New(Config{EnforceSecondaryLimits: true, Credential: bearer})
	served := 0
	h := n.SecondaryLimits(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served++ }))
	var last *http.Response
	for range 181 {
		req := httptest.NewRequest(http.MethodPatch, "/repos/o/r/code-scanning/default-setup", strings.NewReader(`{"query_suite":"extended"}`))
		req.Header.Set("Authorization", "Bearer t")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		last = rec.Result()
	}
	if last.StatusCode != http.StatusForbidden || last.Header.Get("Retry-After") != "60" || n.SecondaryLimitTrips() != 1 || served != 180 {
		t.Fatalf("181st write: %d retry-after %q trips %d served %d", last.StatusCode, last.Header.Get("Retry-After"), n.SecondaryLimitTrips(), served)
	}
}
